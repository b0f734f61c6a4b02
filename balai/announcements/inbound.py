"""WhatsApp commands of citizens: "daftar" subscribes, "berhenti" (or "stop") opts out.

Hooked into the messaging app through `balai.messaging.hooks` (see `apps.py`): such messages are
answered and never become complaints. "daftar" alone subscribes to the whole Pemda;
"daftar <kecamatan or desa/kelurahan name>" to that area. A "daftar ..." whose words name no
area of the Pemda is not a command (it may be a complaint: "daftar antrean KTP panjang").
Delivery statuses of announcement messages arrive through the `whatsapp_status` signal.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _

from balai.messaging.choices import ChannelKind
from balai.messaging.outbound import outbox_enqueue
from balai.regions.choices import Level
from balai.regions.models import Region

from .choices import ConsentMethod
from .phones import normalize_phone
from .sending import delivery_status_apply
from .services import subscriber_opt_out, subscription_subscribe

DAFTAR = re.compile(r"^\s*daftar(?:\s+(?P<area>[^\W\d][\w .'/-]{1,60}?))?\s*[.!]*\s*$", re.I)
STOP = re.compile(r"^\s*(?:berhenti|stop)\s*[.!]*\s*$", re.I)
AREA_PREFIX = re.compile(r"^(?:kecamatan|kec\.?|kelurahan|kel\.?|desa|ds\.?)\s+", re.I)
TEXT_TYPES = frozenset({"text", "button", "interactive"})


def _area_named(pemda, words: str) -> Region | None:
    name = AREA_PREFIX.sub("", " ".join(words.split()))
    return (
        Region.objects.filter(
            code__startswith=pemda.region_id + ".",
            level__in=(Level.KECAMATAN, Level.DESA_KELURAHAN),
            name__iexact=name,
            is_active=True,
        )
        .order_by("-level", "code")
        .first()
    )


def whatsapp_command(message, run: bool) -> str | None:
    """The messaging hook: "subscribe", "unsubscribe" or None (not ours)."""
    if message.channel != ChannelKind.WHATSAPP or message.message_type not in TEXT_TYPES:
        return None
    pemda = message.account.pemda
    if STOP.match(message.text):
        if run:
            subscriber_opt_out(pemda=pemda, phone=message.sender_id, via="whatsapp")
            with translation.override("id"):
                text = _(
                    "You will receive no more announcements from %(pemda)s. Send 'daftar' to "
                    "subscribe again."
                ) % {"pemda": pemda.name}
            _reply(message, text, "stop")
        return "unsubscribe"
    match = DAFTAR.match(message.text)
    if match is None:
        return None
    words = match["area"] or ""
    area = _area_named(pemda, words) if words else pemda.region
    if area is None:
        return None
    if not normalize_phone_or_none(message.sender_id):
        return None
    if run:
        subscription_subscribe(
            pemda=pemda,
            areas=[area],
            phone=message.sender_id,
            consent_method=ConsentMethod.WHATSAPP,
        )
        with translation.override("id"):
            text = _(
                "Thank you, you will receive announcements of %(pemda)s for %(area)s. Your number "
                "is used only for these announcements. Send 'berhenti' to stop."
            ) % {"pemda": pemda.name, "area": area.name}
        _reply(message, text, "daftar")
    return "subscribe"


def normalize_phone_or_none(raw: str) -> str | None:
    from django.core.exceptions import ValidationError

    try:
        return normalize_phone(raw) or None
    except ValidationError:
        return None


def _reply(message, text: str, kind: str) -> None:
    outbox_enqueue(
        pemda=message.account.pemda,
        channel=ChannelKind.WHATSAPP,
        recipient=message.sender_id,
        text=text,
        idempotency_key=f"inbound-{message.pk}-{kind}",
    )


def on_whatsapp_status(sender, account, update, **kwargs) -> None:
    """The messaging signal: a status for a message we may have sent (a campaign delivery)."""
    delivery_status_apply(
        channel="whatsapp",
        message_id=update.message_id,
        status=update.status,
        at=update.at,
        error=update.error,
        pemda_id=account.pemda_id,
    )
