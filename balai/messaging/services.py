"""From stored messages to complaints: conversations, media, locations and "cek <kode>".

Messages from one sender within the Pemda's `conversation_window_minutes` (measured on the
times the messages were sent, so late or out-of-order deliveries still join) make one
`Conversation` and one complaint: the first message submits the complaint, the later ones add
timeline messages. "cek <kode>" is answered with the complaint's public status and is not a
complaint. Processing is idempotent: the message row is locked, `processed_at` is set in the
same transaction as the complaint work, and a processed message is left alone. Messages of one
account are processed one at a time (the account row is locked) so two messages of one sender
cannot open two conversations.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from balai.complaints.attachments import clean_upload
from balai.complaints.choices import AWAITING_RESPONSE, OPEN_STATUSES
from balai.complaints.clocks import complaint_settings
from balai.complaints.models import Complaint, normalize_tracking_code
from balai.complaints.services import complaint_add_message, complaint_submit
from balai.core.audit import audit_record
from balai.regions.choices import WIB, WIT, WITA

from . import hooks
from .choices import ChannelKind
from .graph import GraphClient, GraphError
from .models import ChannelAccount, Conversation, InboundMessage
from .outbound import outbox_enqueue

logger = logging.getLogger(__name__)

# Message kinds that carry nothing to act on.
IGNORED_TYPES = frozenset(
    {"reaction", "sticker", "unsupported", "system", "ephemeral", "request_welcome", "fallback"}
)
ATTACHABLE = frozenset({"image", "document", "file"})
# "cek ABCD-EFGH" (any case, with or without the dash) or a bare "cek"; a longer text that
# merely starts with "cek" ("cek lampu jalan di ...") is an ordinary message.
CHECK = re.compile(r"^\s*cek\s*(?P<code>[a-z0-9][a-z0-9 -]{6,10}[a-z0-9])?[\s.!?]*$", re.IGNORECASE)
# Media errors that may pass are retried this many times; then the message goes on without it.
MEDIA_ATTEMPTS = 3
ZONE_NAMES = {WIB: "WIB", "Asia/Pontianak": "WIB", WITA: "WITA", WIT: "WIT"}


@dataclass
class Media:
    files: list[tuple[bytes, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# -- accounts ---------------------------------------------------------------------------------
@transaction.atomic
def channel_account_create(
    *,
    actor,
    pemda,
    kind: str,
    external_id: str,
    verify_token: str,
    label: str = "",
    app_secret_env: str = "",
    access_token_env: str = "",
) -> ChannelAccount:
    """Connect a WhatsApp number or a Facebook Page to a Pemda (secrets stay in the env)."""
    account = ChannelAccount(
        pemda=pemda,
        kind=kind,
        external_id=external_id.strip(),
        verify_token=verify_token,
        label=label.strip(),
        app_secret_env=app_secret_env.strip(),
        access_token_env=access_token_env.strip(),
    )
    account.full_clean()
    account.save()
    audit_record(
        actor=actor,
        action="channel_account.create",
        target=account,
        changes={"kind": kind, "external_id": account.external_id},
    )
    return account


# -- processing -------------------------------------------------------------------------------
def inbound_process(*, message_id: int) -> str:
    """Turn one stored message into a complaint, a timeline message or a status reply.

    Returns what was done: "complaint", "message", "status", "ignored" or "done before".
    """
    message = InboundMessage.objects.select_related("account__pemda").get(pk=message_id)
    if message.processed_at is not None:
        return "done before"
    InboundMessage.objects.filter(pk=message_id).update(attempts=F("attempts") + 1)
    try:
        media = Media() if _is_command_or_ignored(message) else _collect_media(message)
        return _process(message_id, media)
    except Exception as exc:
        InboundMessage.objects.filter(pk=message_id, processed_at__isnull=True).update(
            error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise


def _is_command_or_ignored(message: InboundMessage) -> bool:
    if message.message_type in IGNORED_TYPES or CHECK.match(message.text):
        return True
    return hooks.inbound_command(message, run=False) is not None


def _process(message_id: int, media: Media) -> str:
    with transaction.atomic():
        message = InboundMessage.objects.select_for_update().get(pk=message_id)
        if message.processed_at is not None:
            return "done before"
        account = (
            ChannelAccount.objects.select_for_update()
            .select_related("pemda")
            .get(pk=message.account_id)
        )
        message.account = account
        if message.message_type in IGNORED_TYPES:
            outcome = "ignored"
        elif match := CHECK.match(message.text):
            _reply_status(message, match["code"] or "")
            outcome = "status"
        elif (command := hooks.inbound_command(message, run=True)) is not None:
            outcome = command  # another app's command (e.g. "daftar"): not a complaint
        else:
            outcome = _join_conversation(message, media)
        message.processed_at = timezone.now()
        message.error = ""
        message.save(update_fields=["processed_at", "error", "conversation", "complaint"])
    return outcome


def _join_conversation(message: InboundMessage, media: Media) -> str:
    account = message.account
    pemda = account.pemda
    settings = complaint_settings(pemda)
    window = dt.timedelta(minutes=settings.conversation_window_minutes)
    conversation = (
        Conversation.objects.filter(
            account=account,
            sender_id=message.sender_id,
            complaint__status__in=OPEN_STATUSES,
            last_message_at__gte=message.sent_at - window,
            started_at__lte=message.sent_at + window,
        )
        .select_related("complaint")
        .order_by("-last_message_at")
        .first()
    )
    lat, lng = _location(message)
    text = _message_text(message, media, lat, lng)
    if conversation is not None:
        complaint_add_message(
            complaint=conversation.complaint, text=text, files=media.files, lat=lat, lng=lng
        )
        conversation.last_message_at = max(conversation.last_message_at, message.sent_at)
        conversation.started_at = min(conversation.started_at, message.sent_at)
        conversation.save(update_fields=["last_message_at", "started_at"])
        message.conversation, message.complaint = conversation, conversation.complaint
        return "message"
    complaint = complaint_submit(
        pemda=pemda,
        channel=account.kind,
        description=text or _placeholder(message),
        reporter_name=message.sender_name,
        reporter_phone=e164(message.sender_id) if account.kind == ChannelKind.WHATSAPP else "",
        reporter_channel_id=message.sender_id,
        lat=lat,
        lng=lng,
        files=media.files,
        received_at=min(message.sent_at, timezone.now()),
    )
    conversation = Conversation.objects.create(
        account=account,
        sender_id=message.sender_id,
        started_at=message.sent_at,
        last_message_at=message.sent_at,
        complaint=complaint,
    )
    message.conversation, message.complaint = conversation, complaint
    with translation.override("id"):
        reply = _(
            "Thank you, your complaint has been received with code %(code)s. Messages you send "
            "in the next %(minutes)d minutes are added to it. Reply 'cek %(code)s' to see its "
            "status."
        ) % {"code": complaint.tracking_code, "minutes": settings.conversation_window_minutes}
    outbox_enqueue(
        pemda=pemda,
        channel=account.kind,
        recipient=message.sender_id,
        text=reply,
        idempotency_key=f"complaint-{complaint.pk}-received",
    )
    return "complaint"


def _message_text(message: InboundMessage, media: Media, lat, lng) -> str:
    parts = [message.text.strip()] if message.text.strip() else []
    with translation.override("id"):
        if lat is not None:
            place = _location_label(message)
            parts.append(
                _("Location: %(lat).6f, %(lng).6f") % {"lat": lat, "lng": lng}
                + (f" ({place})" if place else "")
            )
        parts.extend(media.notes)
    return "\n".join(parts)


def _placeholder(message: InboundMessage) -> str:
    with translation.override("id"):
        if message.message_type == "image":
            return _("(a photo without text)")
        return _("(a %(type)s message without text)") % {"type": message.message_type}


def _e164_once(wa_id: str) -> str:
    try:
        number = phonenumbers.parse("+" + wa_id.lstrip("+"))
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164(wa_id: str) -> str:
    """A WhatsApp id (digits with the country code) as an E.164 number, or ''.

    Only a number of at most 15 digits that reads back as itself is kept: a few impossible digit
    strings (e.g. a leading zero after +81) would otherwise change each time they are read."""
    number = _e164_once(wa_id)
    if not number or len(number) > 16 or _e164_once(number) != number:  # "+" and <= 15 digits
        return ""
    return number


# -- locations and media ----------------------------------------------------------------------
def _location(message: InboundMessage) -> tuple[float | None, float | None]:
    payload = message.payload
    if message.channel == ChannelKind.WHATSAPP:
        place = payload.get("location") if message.message_type == "location" else None
        raw = (place.get("latitude"), place.get("longitude")) if isinstance(place, dict) else None
    else:
        raw = None
        for attachment in _messenger_attachments(message):
            if attachment.get("type") == "location":
                coords = (attachment.get("payload") or {}).get("coordinates") or {}
                raw = (coords.get("lat"), coords.get("long"))
    if raw is None:
        return None, None
    try:
        lat, lng = float(raw[0]), float(raw[1])
    except (TypeError, ValueError):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, None
    return lat, lng


def _location_label(message: InboundMessage) -> str:
    place = message.payload.get("location") if message.channel == ChannelKind.WHATSAPP else None
    if not isinstance(place, dict):
        return ""
    return ", ".join(str(place[k]) for k in ("name", "address") if place.get(k))


def _messenger_attachments(message: InboundMessage) -> list[dict]:
    inner = message.payload.get("message") or {}
    return [a for a in inner.get("attachments") or [] if isinstance(a, dict)]


def _collect_media(message: InboundMessage) -> Media:
    """Download the photos and documents of a message (before any transaction is opened)."""
    media = Media()
    client = GraphClient(token=message.account.access_token())
    if message.channel == ChannelKind.WHATSAPP:
        kind = message.message_type
        body = message.payload.get(kind) if isinstance(message.payload.get(kind), dict) else {}
        if kind in ATTACHABLE and body.get("id"):
            name = str(body.get("filename") or f"{kind}")
            _fetch(media, message, lambda: client.whatsapp_media(str(body["id"]))[0], name)
        elif kind in ("audio", "video"):
            media.notes.append(_not_attachable(kind))
    else:
        for attachment in _messenger_attachments(message):
            kind = attachment.get("type")
            url = (attachment.get("payload") or {}).get("url")
            if kind in ATTACHABLE and isinstance(url, str):
                _fetch(media, message, lambda u=url: client.download(u, authorized=False), kind)
            elif kind in ("audio", "video"):
                media.notes.append(_not_attachable(kind))
    return media


def _fetch(media: Media, message: InboundMessage, get, name: str) -> None:
    try:
        data = get()
    except GraphError as exc:
        if exc.retriable and message.attempts + 1 < MEDIA_ATTEMPTS:
            raise
        logger.warning("media of %s dropped: %s", message.external_id, exc)
        with translation.override("id"):
            media.notes.append(_("(an attachment could not be downloaded)"))
        return
    try:
        clean_upload(data, name)
    except ValidationError:
        with translation.override("id"):
            media.notes.append(_("(an attachment was refused: only photos and PDF files)"))
        return
    media.files.append((data, name))


def _not_attachable(kind: str) -> str:
    with translation.override("id"):
        return _("(a %(type)s was sent: only photos and PDF files can be attached)") % {
            "type": kind
        }


# -- "cek <kode>" -----------------------------------------------------------------------------
def _reply_status(message: InboundMessage, code_text: str) -> None:
    account = message.account
    outbox_enqueue(
        pemda=account.pemda,
        channel=account.kind,
        recipient=message.sender_id,
        text=status_reply(pemda=account.pemda, code_text=code_text),
        idempotency_key=f"inbound-{message.pk}-status",
    )


def status_reply(*, pemda, code_text: str) -> str:
    """The public status of a complaint, in Indonesian: status and due time, nothing personal."""
    code = normalize_tracking_code(code_text.strip())
    complaint = (
        Complaint.objects.filter(pemda=pemda, tracking_code=code).first()
        if len(code) == 9
        else None
    )
    with translation.override("id"):
        if not code:
            return _("Send 'cek' followed by your complaint code, for example: cek ABCD-EFGH.")
        if complaint is None:
            return _("No complaint with code %(code)s was found.") % {"code": code}
        lines = [
            _("Complaint %(code)s: %(status)s.")
            % {"code": complaint.tracking_code, "status": complaint.get_status_display()}
        ]
        if complaint.status in OPEN_STATUSES:
            awaiting = complaint.first_response_at is None and complaint.status in (
                AWAITING_RESPONSE
            )
            if awaiting and complaint.response_due_at:
                lines.append(
                    _("A response is due by %(time)s.")
                    % {"time": _local_time(complaint.response_due_at, pemda)}
                )
            elif complaint.resolution_due_at:
                lines.append(
                    _("Resolution is due by %(time)s.")
                    % {"time": _local_time(complaint.resolution_due_at, pemda)}
                )
        return "\n".join(lines)


def _local_time(moment: dt.datetime, pemda) -> str:
    local = moment.astimezone(ZoneInfo(pemda.timezone))
    zone = ZONE_NAMES.get(pemda.timezone, pemda.timezone)
    return f"{formats.date_format(local, 'j F Y H.i')} {zone}"


def inbound_retry(*, older_than: dt.timedelta = dt.timedelta(minutes=2), max_attempts: int = 5):
    """Process messages left unprocessed (a lost task, a failure that may have passed)."""
    cutoff = timezone.now() - older_than
    pending = InboundMessage.objects.filter(
        processed_at__isnull=True, received_at__lt=cutoff, attempts__lt=max_attempts
    ).order_by("sent_at")
    counts: dict[str, int] = {}
    for message_id in list(pending.values_list("pk", flat=True)):
        try:
            outcome = inbound_process(message_id=message_id)
        except Exception:
            logger.exception("inbound message %s failed again", message_id)
            outcome = "error"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
