"""Channel adapters behind one interface: WhatsApp template messages, an SMS gateway, e-mail.

Every adapter takes an `Outgoing` (address, texts, link, idempotency key) and returns the
provider's message id, or raises `SendError` saying whether trying again later may help.

- **WhatsApp** reuses the messaging app's Graph API client and channel account (access token
  from the environment). Announcements reach people who did not write first, so they go out
  as an approved *template* (`BALAI_ANNOUNCEMENT_WA_TEMPLATE`, default "balai_pengumuman", in
  `BALAI_ANNOUNCEMENT_WA_LANGUAGE`, default "id") with three body parameters: the title, a
  short text and the link to the announcement page. The template's fixed text is approved by
  Meta; it should end with the opt-out instruction ("Balas BERHENTI untuk berhenti"), which the
  inbound "berhenti" command honours.
- **SMS** posts to a plain HTTP gateway (`BALAI_SMS_GATEWAY_URL`; token in the environment
  variable `BALAI_SMS_GATEWAY_TOKEN`, sent as `Authorization: Bearer`):

      POST <url>  {"to": "+62812...", "text": "...", "reference": "<idempotency key>"}
      2xx  {"id": "<gateway message id>"}      4xx refused (408/429: later)   5xx later

  A gateway should ignore a repeated `reference`; Balai does not count on it (a message whose
  outcome is unknown is left to staff) unless `BALAI_SMS_GATEWAY_DEDUPES` is True.
  Inbound SMS is not supported, so the text ends with the portal's opt-out link (never cut off
  by the length limit: the summary is shortened instead).
- **E-mail** uses Django's mail backend (`EMAIL_BACKEND`, `DEFAULT_FROM_EMAIL`); the
  provider id is the Message-ID. It carries a `List-Unsubscribe` header and a footer line, both
  with the portal's opt-out link.

The opt-out texts are in Indonesian (the language of the recipients), whatever the language of
the worker that sends them.
"""

from __future__ import annotations

import json
import os
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from balai.messaging.choices import ChannelKind
from balai.messaging.graph import GraphClient, GraphError
from balai.messaging.models import ChannelAccount

from .choices import Channel
from .phones import wa_id

TIMEOUT_SECONDS = 15
SMS_MAX_CHARS = 459  # three concatenated GSM-7 parts
MESSAGE_LANGUAGE = "id"


class SendError(Exception):
    def __init__(self, message: str, *, retriable: bool = True):
        super().__init__(message)
        self.retriable = retriable


@dataclass(frozen=True)
class Outgoing:
    pemda_id: int
    address: str
    title: str
    summary: str
    url: str
    idempotency_key: str
    pemda_name: str = ""
    opt_out_url: str = ""

    @property
    def short_text(self) -> str:
        return f"{self.title}\n{self.summary}\n{self.url}"

    def sms_opt_out_line(self) -> str:
        with translation.override(MESSAGE_LANGUAGE):
            return _("Stop: %(url)s") % {"url": self.opt_out_url}

    def sms_text(self, limit: int = SMS_MAX_CHARS) -> str:
        """Title, summary, link and the opt-out link; the summary (then the title) is shortened
        so the links always fit."""
        tail = f"\n{self.url}" + (f"\n{self.sms_opt_out_line()}" if self.opt_out_url else "")
        room = limit - len(tail)
        title = self.title[: max(room, 0)]
        room -= len(title) + 1
        summary = self.summary
        if len(summary) > room:
            summary = summary[: max(room - 1, 0)].rstrip() + "…" if room > 1 else ""
        head = f"{title}\n{summary}" if summary else title
        return head + tail

    def email_footer(self) -> str:
        with translation.override(MESSAGE_LANGUAGE):
            return _(
                "You receive this announcement of %(pemda)s because you subscribed to its "
                "announcements or are its RT/RW contact. To receive no more: %(url)s"
            ) % {"pemda": self.pemda_name, "url": self.opt_out_url}


class Adapter:
    channel: str = ""

    def send(self, message: Outgoing) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class TemplateGraphClient(GraphClient):
    """The messaging app's Graph client plus WhatsApp template messages."""

    def send_whatsapp_template(
        self, *, phone_number_id: str, to: str, name: str, language: str, params: list[str]
    ) -> str:
        data = self._json(
            "POST",
            f"{self.base_url}/{urllib.parse.quote(phone_number_id, safe='')}/messages",
            payload={
                "messaging_product": "whatsapp",
                "to": to,
                "type": "template",
                "template": {
                    "name": name,
                    "language": {"code": language},
                    "components": [
                        {
                            "type": "body",
                            "parameters": [{"type": "text", "text": p} for p in params],
                        }
                    ],
                },
            },
        )
        try:
            return str(data["messages"][0]["id"])
        except (KeyError, IndexError, TypeError) as exc:
            raise GraphError("no message id in the answer", retriable=False) from exc


class WhatsAppAdapter(Adapter):
    channel = Channel.WHATSAPP

    def send(self, message: Outgoing) -> str:
        account = (
            ChannelAccount.objects.filter(
                pemda_id=message.pemda_id, kind=ChannelKind.WHATSAPP, is_active=True
            )
            .order_by("pk")
            .first()
        )
        if account is None:
            raise SendError("This Pemda has no active WhatsApp account.", retriable=False)
        client = TemplateGraphClient(token=account.access_token())
        try:
            return client.send_whatsapp_template(
                phone_number_id=account.external_id,
                to=wa_id(message.address),
                name=getattr(settings, "BALAI_ANNOUNCEMENT_WA_TEMPLATE", "balai_pengumuman"),
                language=getattr(settings, "BALAI_ANNOUNCEMENT_WA_LANGUAGE", "id"),
                params=[message.title[:200], message.summary[:600], message.url],
            )
        except GraphError as exc:
            raise SendError(str(exc), retriable=exc.retriable) from exc


class SMSAdapter(Adapter):
    channel = Channel.SMS

    def send(self, message: Outgoing) -> str:
        url = getattr(settings, "BALAI_SMS_GATEWAY_URL", "")
        if not url:
            raise SendError(
                "No SMS gateway is configured (BALAI_SMS_GATEWAY_URL).", retriable=False
            )
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise SendError("The SMS gateway URL is not HTTP.", retriable=False)
        token = os.environ.get(
            getattr(settings, "BALAI_SMS_GATEWAY_TOKEN_ENV", "BALAI_SMS_GATEWAY_TOKEN"), ""
        )
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = json.dumps(
            {
                "to": message.address,
                "text": message.sms_text(),
                "reference": message.idempotency_key,
            }
        ).encode()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                raw = response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            retriable = exc.code >= 500 or exc.code in (408, 429)
            raise SendError(f"SMS gateway: HTTP {exc.code}", retriable=retriable) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SendError(f"SMS gateway: {exc}") from exc
        try:
            data = json.loads(raw or b"{}")
            return str(data["id"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SendError("SMS gateway: no message id in the answer", retriable=False) from exc


class EmailAdapter(Adapter):
    channel = Channel.EMAIL

    def send(self, message: Outgoing) -> str:
        message_id = make_msgid(domain=getattr(settings, "BALAI_EMAIL_DOMAIN", "balai.local"))
        headers = {"Message-ID": message_id, "X-Balai-Reference": message.idempotency_key}
        body = f"{message.summary}\n\n{message.url}\n"
        if message.opt_out_url:
            headers["List-Unsubscribe"] = f"<{message.opt_out_url}>"
            body += f"\n-- \n{message.email_footer()}\n"
        email = EmailMessage(
            subject=message.title, body=body, to=[message.address], headers=headers
        )
        try:
            email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            raise SendError(f"e-mail refused: {exc}", retriable=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"e-mail: {exc}") from exc
        return message_id


ADAPTERS: dict[str, Adapter] = {
    Channel.WHATSAPP: WhatsAppAdapter(),
    Channel.SMS: SMSAdapter(),
    Channel.EMAIL: EmailAdapter(),
}


def adapter_for(channel: str) -> Adapter:
    return ADAPTERS[channel]
