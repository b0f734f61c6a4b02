from django.db import models
from django.utils.translation import gettext_lazy as _


class ChannelKind(models.TextChoices):
    """The messaging channels; the values equal the complaint channels of the same name."""

    WHATSAPP = "whatsapp", _("WhatsApp")
    MESSENGER = "messenger", _("Facebook Messenger")


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The provider was called and the worker stopped before the answer was recorded: the text
    # may or may not have reached the citizen. Never resent automatically; staff decide.
    UNKNOWN = "unknown", _("Outcome unknown")


# Environment variables read when an account names none of its own.
DEFAULT_APP_SECRET_ENV = {
    ChannelKind.WHATSAPP: "BALAI_WHATSAPP_APP_SECRET",
    ChannelKind.MESSENGER: "BALAI_MESSENGER_APP_SECRET",
}
DEFAULT_ACCESS_TOKEN_ENV = {
    ChannelKind.WHATSAPP: "BALAI_WHATSAPP_ACCESS_TOKEN",
    ChannelKind.MESSENGER: "BALAI_MESSENGER_ACCESS_TOKEN",
}
