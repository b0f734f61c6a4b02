"""`balai outbox-retry`: send every outbox message that is due (after a failure or a lost task).

Run it from cron or a systemd timer (e.g. every minute); a message is never sent twice however
often it runs. A row whose worker died after handing it to Meta is set to "unknown" and never
resent: the command reports how many wait for staff (also on stderr, so the journal shows it on
every run until staff have decided).
"""

from django.core.management.base import BaseCommand

from balai.messaging.outbound import outbox_retry


class Command(BaseCommand):
    help = "Send outbox messages (WhatsApp, Messenger) whose next attempt is due."

    def handle(self, *args, **options):
        counts = outbox_retry()
        self.stdout.write(
            f"{counts['sent']} sent, {counts['retry']} to retry, {counts['failed']} failed, "
            f"{counts['requeued']} requeued after a stalled attempt, "
            f"{counts['unknown_total']} with an unknown outcome waiting for staff."
        )
        if counts["unknown_total"]:
            self.stderr.write(
                f"WARNING: {counts['unknown_total']} outbound message(s) may or may not have "
                "reached the citizen; review them in the admin (Outbound messages, status "
                "'Outcome unknown')."
            )
