"""`balai worker`: run background tasks from the database queue (django-tasks-db)."""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand


class Command(DBWorkerCommand):
    help = "Run Balai's background task worker (several may run in parallel)."

    def handle(self, *args, **options):
        # A worker killed in the middle of a task leaves it RUNNING for ever: put such tasks
        # (older than the lease) back in the queue before taking new work.
        from balai.messaging.reclaim import tasks_reclaim

        tasks_reclaim()
        super().handle(*args, **options)
