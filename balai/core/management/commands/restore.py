"""`balai restore DIR`: replace the database and media with a backup, then verify it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balai.core.backup import restore, verify


class Command(BaseCommand):
    help = "Restore the database and media files from a backup made by `balai backup`."

    def add_arguments(self, parser):
        parser.add_argument("dir")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, dir, yes, **options):
        if not yes:
            answer = input("This replaces ALL data and media files with the backup. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            manifest = restore(Path(dir))
        except (ValueError, OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        problems = verify(manifest)
        if problems:
            raise CommandError("Restored, but it differs from the backup: " + "; ".join(problems))
        self.stdout.write(f"Restored and verified the backup of {manifest['created_at']}.")
