"""`balai backup DIR`: database and media into a new directory, with a manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.core.backup import backup


class Command(BaseCommand):
    help = "Back up the database and media into DIR (PostgreSQL: pg_dump; SQLite: online backup)."

    def add_arguments(self, parser):
        parser.add_argument("dir")

    def handle(self, *args, dir, **options):
        try:
            manifest = backup(Path(dir))
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["rows"].values())
        self.stdout.write(f"Backup in {dir}: {rows:,} rows, {len(manifest['files'])} media files.")
