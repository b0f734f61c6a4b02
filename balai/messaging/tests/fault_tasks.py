"""A task for the fault tests only: it blocks while a flag file exists, then sends an outbox row.

The worker subprocess imports it by path (`balai.messaging.tests.fault_tasks`); nothing else uses
it. `where` says at which point of the delivery it blocks (and so where the test kills it):

- "before_claim": before the outbox claim, as any slow work before a send would;
- "claimed": the row is claimed ("sending") and Meta has not been called yet;
- "provider_accepted": the Graph API accepted the text and the row is not marked sent yet.

On a later run (the flag file gone) the task is a plain `outbound_deliver`.
"""

import time
from pathlib import Path
from unittest import mock

from django_tasks import task

from balai.messaging import outbound
from balai.messaging.graph import GraphClient


def _block(flag: str) -> None:
    path = Path(flag)
    if not path.exists():
        return
    Path(f"{flag}.started").touch()  # tells the test the worker is at the point
    while path.exists():
        time.sleep(0.05)


@task()
def deliver_when_released(message_id: int, flag: str, where: str = "before_claim") -> str:
    if where == "before_claim":
        _block(flag)
        return outbound.outbound_deliver(message_id=message_id)
    if where == "claimed":
        real_send = outbound._send

        def blocking_send(message, attempt):
            _block(flag)
            return real_send(message, attempt)

        with mock.patch.object(outbound, "_send", blocking_send):
            return outbound.outbound_deliver(message_id=message_id)
    if where == "provider_accepted":
        real_call = GraphClient.send_whatsapp_text

        def call_then_block(self, **kwargs):
            external_id = real_call(self, **kwargs)
            _block(flag)
            return external_id

        with mock.patch.object(GraphClient, "send_whatsapp_text", call_then_block):
            return outbound.outbound_deliver(message_id=message_id)
    raise ValueError(where)
