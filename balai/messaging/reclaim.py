"""Tasks orphaned by a killed worker go back to the queue.

django-tasks-db claims a task by committing `status = RUNNING` before it runs it, and only a
finished task leaves that state. A worker killed in the middle (SIGKILL, the OOM killer, a
power cut) therefore leaves its task RUNNING for ever: no other worker picks it up again.
`tasks_reclaim` puts every task RUNNING for longer than a lease back to READY, so the next free
worker runs it again. A task that truly runs longer than the lease would run twice: Balai's
tasks are idempotent (the inbox locks the message and sets `processed_at` in the same
transaction; the outbox claims its row with a conditional UPDATE and keys it by an idempotency
key), and the lease is far above their run time.

Run it at worker start-up and from cron with `balai tasks-reclaim` (every few minutes).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=15)


def tasks_reclaim(*, lease: dt.timedelta = LEASE, now: dt.datetime | None = None) -> int:
    """Re-queue tasks RUNNING since before `now - lease`; returns how many."""
    cutoff = (now or timezone.now()) - lease
    reclaimed = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
    if reclaimed:
        logger.warning("%d task(s) left running by a stopped worker were queued again", reclaimed)
    return reclaimed
