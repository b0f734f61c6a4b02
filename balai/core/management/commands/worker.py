"""`balai worker`: run background tasks from the database queue (django-tasks-db)."""

from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand


class Command(DBWorkerCommand):
    help = "Run Balai's background task worker (several may run in parallel)."
