"""Receiving Meta webhooks: check the signature, take the payload apart, store each message once.

Meta delivers at least once, retries for days, batches several entries and messages in one POST
and may deliver out of order. So:

- The `X-Hub-Signature-256` HMAC is checked over the raw body before anything is parsed. The
  secret is per Meta app, so the body is checked against the secret of every active account of
  the channel; an entry is then accepted only for an account whose secret signed the body (a
  demo secret cannot speak for a real account).
- Each message is inserted in its own short transaction; the unique constraint on
  (channel, message id) makes a repeat delivery an IntegrityError, which is the "already have
  it" answer. There is no check-then-insert.
- Processing (complaints, replies) is a task enqueued when the insert commits.

Answers: 403 for a missing or wrong signature (nothing stored); 400 when the body is not JSON or
not a webhook envelope, or when it carried messages and every one of them was malformed; 200
otherwise, also when some items were malformed or for unknown accounts (they are logged and
skipped: a retry by Meta would not make them valid, and the valid ones are stored).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from . import hooks
from .choices import ChannelKind
from .models import ChannelAccount, InboundMessage, OutboundMessage

logger = logging.getLogger(__name__)

ENVELOPE_OBJECT = {ChannelKind.WHATSAPP: "whatsapp_business_account", ChannelKind.MESSENGER: "page"}


class SignatureError(Exception):
    """The request is not signed by a Meta app we know."""


class PayloadError(Exception):
    """The signed body is not a webhook payload we understand."""


@dataclass
class Incoming:
    """One message, taken out of a payload and normalised across the two channels."""

    account_external_id: str
    external_id: str
    sender_id: str
    sender_name: str
    message_type: str
    text: str
    payload: dict[str, Any]
    sent_at: dt.datetime


@dataclass
class StatusUpdate:
    account_external_id: str
    message_id: str
    status: str
    at: dt.datetime
    error: str = ""


@dataclass
class Parsed:
    messages: list[Incoming] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    malformed: int = 0
    skipped: int = 0


@dataclass
class ReceiveResult:
    stored: list[int] = field(default_factory=list)
    duplicates: int = 0
    statuses: int = 0
    skipped: int = 0
    malformed: int = 0
    unknown_account: int = 0

    @property
    def acceptable(self) -> bool:
        """False only when messages came and every one of them was malformed."""
        return not (self.malformed and not self.stored and not self.duplicates)


# -- handshake and signature ------------------------------------------------------------------
def webhook_verify_token_ok(*, kind: str, token: str) -> bool:
    """The GET handshake: does the token equal the verify token of an active account?"""
    if not token:
        return False
    given = token.encode()
    ok = False
    tokens = ChannelAccount.objects.filter(kind=kind, is_active=True).values_list(
        "verify_token", flat=True
    )
    for expected in tokens:
        # Compare with every account (no early exit), in constant time each.
        ok |= bool(expected) and hmac.compare_digest(expected.encode(), given)
    return ok


def signature_matches(*, secret: str, body: bytes, header: str) -> bool:
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    given = header.removeprefix("sha256=").strip().lower()
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def signed_accounts(*, kind: str, body: bytes, header: str) -> dict[str, ChannelAccount]:
    """Active accounts of the channel whose app secret signed the body, by external id.

    Raises SignatureError when no account's secret matches (or the header is missing).
    """
    if not header:
        raise SignatureError("missing X-Hub-Signature-256")
    # No ordering (a dict is built): the model's ordering would join and sort by Pemda name.
    accounts = list(
        ChannelAccount.objects.filter(kind=kind, is_active=True).select_related("pemda").order_by()
    )
    secrets = {account.app_secret() for account in accounts}
    good = {s for s in secrets if signature_matches(secret=s, body=body, header=header)}
    if not good:
        raise SignatureError("bad X-Hub-Signature-256")
    return {a.external_id: a for a in accounts if a.app_secret() in good}


# -- receiving --------------------------------------------------------------------------------
def webhook_receive(*, kind: str, body: bytes, signature: str) -> ReceiveResult:
    """Check, parse and store one webhook delivery. See the module docstring for the rules."""
    accounts = signed_accounts(kind=kind, body=body, header=signature)
    try:
        data = without_nul(json.loads(body))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise PayloadError("the body is not JSON") from exc
    parsed = parse_payload(kind, data)
    result = ReceiveResult(malformed=parsed.malformed, skipped=parsed.skipped)
    for item in parsed.messages:
        account = accounts.get(item.account_external_id)
        if account is None:
            result.unknown_account += 1
            logger.warning("%s message for unknown account %s", kind, item.account_external_id)
            continue
        message_id = inbound_store(account=account, item=item)
        if message_id is None:
            result.duplicates += 1
        else:
            result.stored.append(message_id)
    for update in parsed.statuses:
        account = accounts.get(update.account_external_id)
        if account is None:
            result.unknown_account += 1
            continue
        outbound_status_apply(account=account, update=update)
        hooks.whatsapp_status.send(sender=ChannelAccount, account=account, update=update)
        result.statuses += 1
    if result.malformed:
        logger.warning("%s webhook: %d malformed items skipped", kind, result.malformed)
    return result


def inbound_store(*, account: ChannelAccount, item: Incoming) -> int | None:
    """Insert one message; None when it is already stored. Processing is enqueued on commit."""
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                account=account,
                channel=account.kind,
                external_id=item.external_id,
                sender_id=item.sender_id,
                sender_name=item.sender_name[:120],
                message_type=item.message_type[:20],
                text=item.text,
                payload=item.payload,
                sent_at=item.sent_at,
            )
            transaction.on_commit(partial(_enqueue_processing, message.pk), robust=True)
    except IntegrityError:
        return None
    return message.pk


def _enqueue_processing(message_id: int) -> None:
    from .tasks import process_inbound

    process_inbound.enqueue(message_id)


def outbound_status_apply(*, account: ChannelAccount, update: StatusUpdate) -> int:
    """A WhatsApp delivery status for one of our messages: delivered, read or failed.

    Statuses may arrive late or out of order; each timestamp is set once and "read" implies
    "delivered".
    """
    rows = OutboundMessage.objects.filter(account=account, external_id=update.message_id)
    changed = 0
    if update.status in ("delivered", "read"):
        changed += rows.filter(delivered_at__isnull=True).update(delivered_at=update.at)
    if update.status == "read":
        changed += rows.filter(read_at__isnull=True).update(read_at=update.at)
    if update.status == "failed":
        changed += rows.filter(~Q(status="failed")).update(
            status="failed", last_error=(update.error or "failed (status webhook)")[:1000]
        )
    return changed


# -- parsing ----------------------------------------------------------------------------------
def without_nul(value: Any) -> Any:
    """The payload with NUL characters removed from every string (keys too).

    PostgreSQL text and jsonb cannot hold NUL: a message carrying one would fail its insert on
    every delivery (a 503 that Meta retries for days) instead of being stored.
    """
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [without_nul(item) for item in value]
    if isinstance(value, dict):
        return {without_nul(key): without_nul(item) for key, item in value.items()}
    return value


def parse_payload(kind: str, data: Any) -> Parsed:
    if not isinstance(data, dict) or data.get("object") != ENVELOPE_OBJECT[kind]:
        raise PayloadError(f"not a {kind} webhook")
    entries = data.get("entry")
    if not isinstance(entries, list):
        raise PayloadError("no entry list")
    parsed = Parsed()
    for entry in entries:
        if not isinstance(entry, dict):
            parsed.malformed += 1
            continue
        if kind == ChannelKind.WHATSAPP:
            _parse_whatsapp_entry(entry, parsed)
        else:
            _parse_messenger_entry(entry, parsed)
    return parsed


def _ts(value: Any, *, millis: bool = False) -> dt.datetime:
    """A Meta timestamp (seconds as a string for WhatsApp, milliseconds for Messenger)."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError("timestamp")
    number = int(value)
    if millis:
        number //= 1000
    if number <= 0:
        raise ValueError("timestamp")
    return dt.datetime.fromtimestamp(number, tz=dt.UTC)


def _str(value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or str(value) == "":
        raise ValueError("expected a non-empty string")
    return str(value)


def _parse_whatsapp_entry(entry: dict, parsed: Parsed) -> None:
    changes = entry.get("changes")
    if not isinstance(changes, list):
        parsed.malformed += 1
        return
    for change in changes:
        if not isinstance(change, dict) or not isinstance(change.get("value"), dict):
            parsed.malformed += 1
            continue
        if change.get("field") != "messages":
            parsed.skipped += 1
            continue
        value = change["value"]
        metadata = value.get("metadata")
        phone_number_id = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
        if not phone_number_id:
            parsed.malformed += 1
            continue
        names = {}
        for contact in value.get("contacts") or []:
            if isinstance(contact, dict) and isinstance(contact.get("profile"), dict):
                names[str(contact.get("wa_id", ""))] = str(contact["profile"].get("name") or "")
        for message in value.get("messages") or []:
            try:
                parsed.messages.append(_whatsapp_message(str(phone_number_id), message, names))
            except (ValueError, TypeError, KeyError, AttributeError):
                parsed.malformed += 1
                logger.warning("malformed WhatsApp message skipped: %.300r", message)
        for status in value.get("statuses") or []:
            try:
                parsed.statuses.append(
                    StatusUpdate(
                        account_external_id=str(phone_number_id),
                        message_id=_str(status["id"]),
                        status=_str(status["status"]),
                        at=_ts(status.get("timestamp")),
                        error="; ".join(
                            str(e.get("title") or e.get("message") or e.get("code"))
                            for e in status.get("errors") or []
                            if isinstance(e, dict)
                        ),
                    )
                )
            except (ValueError, TypeError, KeyError, AttributeError):
                parsed.malformed += 1
                logger.warning("malformed WhatsApp status skipped: %.300r", status)


def _whatsapp_message(phone_number_id: str, message: dict, names: dict[str, str]) -> Incoming:
    sender = _str(message["from"])
    kind = _str(message["type"])
    body = message.get(kind) if isinstance(message.get(kind), dict) else {}
    if kind == "text":
        text = _str(body["body"])
    elif kind == "interactive":
        reply = body.get("button_reply") or body.get("list_reply") or {}
        text = str(reply.get("title", ""))
    elif kind == "button":
        text = str(body.get("text", ""))
    else:
        text = str(body.get("caption", "") or "")
    return Incoming(
        account_external_id=phone_number_id,
        external_id=_str(message["id"]),
        sender_id=sender,
        sender_name=names.get(sender, ""),
        message_type=kind,
        text=text,
        payload=message,
        sent_at=_ts(message["timestamp"]),
    )


def _parse_messenger_entry(entry: dict, parsed: Parsed) -> None:
    page_id = entry.get("id")
    events = entry.get("messaging")
    if not page_id or not isinstance(events, list):
        if isinstance(entry.get("standby"), list):  # another app owns the thread
            parsed.skipped += 1
            return
        parsed.malformed += 1
        return
    for event in events:
        try:
            item = _messenger_event(str(page_id), event)
        except (ValueError, TypeError, KeyError, AttributeError):
            parsed.malformed += 1
            logger.warning("malformed Messenger event skipped: %.300r", event)
            continue
        if item is None:
            parsed.skipped += 1
        else:
            parsed.messages.append(item)


def _messenger_event(page_id: str, event: dict) -> Incoming | None:
    """A message or postback; None for echoes, deliveries, reads, reactions and the like."""
    if "message" in event:
        message = event["message"]
        if message.get("is_echo"):
            return None
        attachments = [a for a in message.get("attachments") or [] if isinstance(a, dict)]
        kind = str(attachments[0].get("type", "file")) if attachments else "text"
        text = str(message.get("text") or "")
        mid = _str(message["mid"])
    elif "postback" in event:
        postback = event["postback"]
        kind, text = "postback", str(postback.get("title") or postback.get("payload") or "")
        mid = _str(postback.get("mid") or f"postback-{event['sender']['id']}-{event['timestamp']}")
    else:
        return None
    if kind == "text" and not text:
        raise ValueError("empty message")
    return Incoming(
        account_external_id=page_id,
        external_id=mid,
        sender_id=_str(event["sender"]["id"]),
        sender_name="",
        message_type=kind,
        text=text,
        payload=event,
        sent_at=_ts(event["timestamp"], millis=True),
    )
