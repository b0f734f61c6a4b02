"""`balai sla-sweep`: fire missed escalation steps and close complaints past the reopen window.

Run it from cron or a systemd timer (e.g. every 5 minutes); each step fires once however often
it runs.
"""

from django.core.management.base import BaseCommand

from balai.complaints.services import complaints_sweep


class Command(BaseCommand):
    help = "Reconcile complaint clocks: missed escalations and closing after the reopen window."

    def handle(self, *args, **options):
        result = complaints_sweep()
        self.stdout.write(
            f"{result['escalations']} escalation steps fired, {result['closed']} complaints closed."
        )
