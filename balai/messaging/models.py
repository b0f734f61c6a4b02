"""Complaints by WhatsApp (Cloud API) and Facebook Messenger: accounts, messages in and out.

Secrets never live in the database. An account names the *environment variables* that hold its
Meta app secret (to check webhook signatures) and its access token (to call the Graph API); when
it names none, `BALAI_WHATSAPP_APP_SECRET` / `BALAI_MESSENGER_APP_SECRET` and
`BALAI_WHATSAPP_ACCESS_TOKEN` / `BALAI_MESSENGER_ACCESS_TOKEN` are read. The one exception is
the published demo secret (`DEMO_APP_SECRET`), used only for accounts of a demo Pemda and only
while the environment variable is unset, so the demo can be driven with signed requests.
"""

import os

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DEFAULT_ACCESS_TOKEN_ENV, DEFAULT_APP_SECRET_ENV, ChannelKind, OutboundStatus

# Published on purpose (docs, demo output): never protects anything but demo data.
DEMO_APP_SECRET = "balai-demo-app-secret"  # noqa: S105


class ChannelAccount(models.Model):
    """A WhatsApp business phone number or a Facebook Page through which a Pemda is reached."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="channel_accounts"
    )
    kind = models.CharField(_("channel"), max_length=12, choices=ChannelKind.choices)
    external_id = models.CharField(
        _("phone number ID or page ID"),
        max_length=64,
        help_text=_("WhatsApp: the phone_number_id. Messenger: the Facebook page ID."),
    )
    label = models.CharField(_("label"), max_length=120, blank=True)
    verify_token = models.CharField(
        _("verify token"),
        max_length=128,
        help_text=_("The token entered in the Meta app's webhook settings."),
    )
    app_secret_env = models.CharField(
        _("app secret environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable holding the Meta app secret."),
    )
    access_token_env = models.CharField(
        _("access token environment variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable holding the access token."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("channel account")
        verbose_name_plural = _("channel accounts")
        ordering = ["pemda", "kind", "external_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "external_id"], name="channel_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label or self.external_id}"

    @property
    def app_secret_variable(self) -> str:
        return self.app_secret_env or DEFAULT_APP_SECRET_ENV[self.kind]

    @property
    def access_token_variable(self) -> str:
        return self.access_token_env or DEFAULT_ACCESS_TOKEN_ENV[self.kind]

    def app_secret(self) -> str:
        """The Meta app secret from the environment ('' when unset: every signature fails)."""
        secret = os.environ.get(self.app_secret_variable, "")
        if not secret and self.pemda.is_demo:
            return DEMO_APP_SECRET
        return secret

    def access_token(self) -> str:
        return os.environ.get(self.access_token_variable, "")


class Conversation(models.Model):
    """Messages from one sender close together in time: they make one complaint."""

    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, related_name="conversations"
    )
    sender_id = models.CharField(_("sender"), max_length=64)
    started_at = models.DateTimeField(_("started"))
    last_message_at = models.DateTimeField(_("last message"))
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at"]
        indexes = [
            models.Index(
                fields=["account", "sender_id", "last_message_at"], name="conversation_sender"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.sender_id} {self.started_at:%Y-%m-%d %H:%M}"


class InboundMessage(models.Model):
    """One message received through a webhook, stored exactly once (unique by its Meta id)."""

    account = models.ForeignKey(
        ChannelAccount, on_delete=models.PROTECT, related_name="inbound_messages"
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ChannelKind.choices)
    external_id = models.CharField(_("message ID"), max_length=255, help_text="wamid or mid")
    sender_id = models.CharField(_("sender"), max_length=64, help_text="wa_id or PSID")
    sender_name = models.CharField(_("sender's name"), max_length=120, blank=True)
    message_type = models.CharField(_("type"), max_length=20)
    text = models.TextField(_("text"), blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    sent_at = models.DateTimeField(_("sent"))
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("processing attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound_messages",
    )

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="inbound_message_once")
        ]
        indexes = [models.Index(fields=["processed_at", "received_at"], name="inbound_pending")]

    def __str__(self) -> str:
        return self.external_id


class OutboundMessage(models.Model):
    """The outbox: a text to send to a citizen, sent at most once per idempotency key."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="outbound_messages"
    )
    account = models.ForeignKey(
        ChannelAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    channel = models.CharField(_("channel"), max_length=12, choices=ChannelKind.choices)
    recipient = models.CharField(_("recipient"), max_length=64, help_text="wa_id or PSID")
    text = models.TextField(_("text"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboundStatus.choices,
        default=OutboundStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The lease of the current attempt: set by the claim, required by every later update of
    # that attempt, so a worker whose claim was swept away cannot overwrite the row.
    attempt_id = models.UUIDField(null=True, blank=True, editable=False)
    # Committed just before the Graph API is called: a stale "sending" row without it was
    # never handed to Meta (safe to send), with it the outcome is unknown (never resent).
    provider_called_at = models.DateTimeField(_("handed to the provider"), null=True, blank=True)
    external_id = models.CharField(_("message ID"), max_length=255, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return self.idempotency_key
