"""Two small extension points for other apps (announcements uses both).

- `whatsapp_status`: a signal sent for every WhatsApp delivery status (`statuses[]` entry) after
  the outbox has been updated, with `account` (ChannelAccount) and `update` (StatusUpdate), so
  an app with its own outbox can update its rows. Receivers run in the webhook request: keep
  them to a few queries.
- `register_inbound_command(handler)`: `handler(message)` is asked, while a message is processed
  (inside its transaction, the message and account rows locked), before the message joins a
  conversation. It returns None when the message is not its command; otherwise it does its work
  and returns the outcome (e.g. "subscribe"), and the message does not become a complaint.
  Handlers must be cheap when the answer is None (they are also asked before media downloads).
"""

from __future__ import annotations

from collections.abc import Callable

from django.dispatch import Signal

whatsapp_status = Signal()

InboundCommand = Callable[[object, bool], str | None]
_COMMANDS: list[InboundCommand] = []


def register_inbound_command(handler: InboundCommand) -> None:
    """handler(message, run) -> outcome or None; with run=False it only says whether it would."""
    if handler not in _COMMANDS:
        _COMMANDS.append(handler)


def inbound_command(message, *, run: bool) -> str | None:
    for handler in _COMMANDS:
        outcome = handler(message, run)
        if outcome is not None:
            return outcome
    return None
