"""`balai tasks-reclaim`: queue again the tasks a killed worker left running.

Run it from cron or a systemd timer (e.g. every 5 minutes) and before starting workers.
"""

import datetime as dt

from django.core.management.base import BaseCommand

from balai.messaging.reclaim import LEASE, tasks_reclaim


class Command(BaseCommand):
    help = "Queue again background tasks left running by a worker that stopped (lease expired)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--lease-minutes",
            type=float,
            default=LEASE.total_seconds() / 60,
            help="A task running longer than this is taken as orphaned (default: %(default)s).",
        )

    def handle(self, *args, lease_minutes: float, **options):
        count = tasks_reclaim(lease=dt.timedelta(minutes=lease_minutes))
        self.stdout.write(f"{count} task(s) queued again.")
