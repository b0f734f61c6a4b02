"""`balai privacy-purge [--dry-run] [--pemda SLUG]`: apply the retention periods (UU 27/2022).

Run it daily from cron or a systemd timer. Idempotent (a second run finds nothing), batched
(each batch its own transaction: safe to interrupt and run again), one audit record per Pemda
with the counts per kind. Then (unless ``--pemda``) the rows of no Pemda, e.g. the IP addresses
of installation-wide audit entries, with the installation-wide periods. ``--dry-run`` only
counts.
"""

from django.core.management.base import BaseCommand, CommandError

from balai.core.progress import Progress
from balai.organizations.models import Pemda
from balai.privacy.services import BATCH_SIZE, privacy_purge


class Command(BaseCommand):
    help = "Anonymise or delete personal data past its retention period."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing.")
        parser.add_argument("--pemda", help="Only this Pemda (its slug).")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, dry_run=False, pemda=None, batch_size=BATCH_SIZE, **options):
        pemdas = Pemda.objects.filter(is_active=True).order_by("slug")
        if pemda:
            pemdas = pemdas.filter(slug=pemda)
            if not pemdas.exists():
                raise CommandError(f"No active Pemda with the slug {pemda!r}.")
        bars: dict[str, Progress] = {}

        def progress(kind, done, total):
            bar = bars.get(kind.key)
            if bar is None:
                bar = bars[kind.key] = Progress(total, f"  {kind.key}", stream=self.stderr)
            bar.advance(done - bar.done)

        grand = 0
        targets = [(each.slug, each) for each in pemdas]
        if not pemda:
            targets.append(("(no Pemda)", None))
        for name, each in targets:
            bars.clear()
            result = privacy_purge(
                pemda=each, dry_run=dry_run, batch_size=batch_size, progress=progress
            )
            total = sum(entry.count for entry in result)
            grand += total
            verb = "would be" if dry_run else "were"
            self.stdout.write(f"{name}: {total} rows {verb} anonymised or deleted")
            for entry in result:
                if entry.count:
                    files = f"; {entry.files} files deleted" if entry.files else ""
                    self.stdout.write(
                        f"  {entry.kind.key}: {entry.count} ({entry.kind.action}, "
                        f"older than {entry.days} days{files})"
                    )
        self.stdout.write(f"Total: {grand}{' (dry run: nothing changed)' if dry_run else ''}.")
