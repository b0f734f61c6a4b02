"""A task for the fault tests only: it blocks while a flag file exists, then sends an outbox row.

The worker subprocess imports it by path (`balai.messaging.tests.fault_tasks`); nothing else uses
it. The blocking step comes before the outbox claim, as any slow work before a send would.
"""

import time
from pathlib import Path

from django_tasks import task

from balai.messaging.outbound import outbound_deliver


@task()
def deliver_when_released(message_id: int, flag: str) -> str:
    path = Path(flag)
    Path(f"{flag}.started").touch()  # tells the test the worker is inside the task
    while path.exists():
        time.sleep(0.05)
    return outbound_deliver(message_id=message_id)
