"""Background work for the messaging channels (run by `balai worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def process_inbound(message_id: int) -> str:
    """Turn a stored webhook message into a complaint, a timeline message or a reply."""
    from .services import inbound_process

    return inbound_process(message_id=message_id)


@task()
def deliver_outbound(message_id: int) -> str:
    """Send one outbox row if it is due (retries re-enqueue themselves when they can)."""
    from .outbound import outbound_deliver

    return outbound_deliver(message_id=message_id)
