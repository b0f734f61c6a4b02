"""`balai outbox-retry`: send every outbox message that is due (after a failure or a lost task).

Run it from cron or a systemd timer (e.g. every minute); a message is never sent twice however
often it runs.
"""

from django.core.management.base import BaseCommand

from balai.messaging.outbound import outbox_retry


class Command(BaseCommand):
    help = "Send outbox messages (WhatsApp, Messenger) whose next attempt is due."

    def handle(self, *args, **options):
        counts = outbox_retry()
        self.stdout.write(
            f"{counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} failed, "
            f"{counts['requeued']} requeued after a stalled attempt."
        )
