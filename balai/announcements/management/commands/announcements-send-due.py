"""`balai announcements-send-due`: start campaigns whose time has come and send what is due.

Run it from cron or a systemd timer (e.g. every minute) next to `balai worker`; it catches a
scheduled task that was lost and retries failed deliveries whose backoff has passed. Nothing is
ever sent twice however often it runs.
"""

from django.core.management.base import BaseCommand

from balai.announcements.services import campaigns_send_due


class Command(BaseCommand):
    help = "Start announcements whose scheduled time has passed and send deliveries that are due."

    def handle(self, *args, **options):
        counts = campaigns_send_due()
        self.stdout.write(
            f"{counts['started']} campaigns started, {counts['sent']} sent, "
            f"{counts['retry']} to retry, {counts['failed']} failed, "
            f"{counts['throttled']} waiting for the rate limit, "
            f"{counts['requeued']} requeued after a stalled attempt."
        )
