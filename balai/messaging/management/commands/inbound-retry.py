"""`balai inbound-retry`: process webhook messages left unprocessed (lost task, passing error).

Safe to run at any time: a processed message is never processed again.
"""

from django.core.management.base import BaseCommand

from balai.messaging.services import inbound_retry


class Command(BaseCommand):
    help = "Process stored WhatsApp and Messenger messages that are still unprocessed."

    def handle(self, *args, **options):
        counts = inbound_retry()
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        self.stdout.write(summary or "Nothing to process.")
