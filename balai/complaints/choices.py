from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal")
    PHONE = "phone", _("Phone (call center)")
    WHATSAPP = "whatsapp", _("WhatsApp")
    MESSENGER = "messenger", _("Facebook Messenger")
    OPEN311 = "open311", _("Open311")
    API = "api", _("API")


class Kind(models.TextChoices):
    PENGADUAN = "pengaduan", _("Complaint")
    ASPIRASI = "aspirasi", _("Aspiration")
    INFORMASI = "informasi", _("Request for information")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded")
    ASSIGNED = "assigned", _("Assigned to OPD")
    RESPONDED = "responded", _("Responded")
    IN_PROGRESS = "in_progress", _("In progress")
    PAUSED = "paused", _("Paused")
    RESOLVED = "resolved", _("Resolved, awaiting approval")
    APPROVED = "approved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(
    {
        Status.RECEIVED,
        Status.VERIFIED,
        Status.ASSIGNED,
        Status.RESPONDED,
        Status.IN_PROGRESS,
        Status.PAUSED,
        Status.RESOLVED,
    }
)
AWAITING_RESPONSE = frozenset({Status.RECEIVED, Status.VERIFIED, Status.ASSIGNED})


class RejectReason(models.TextChoices):
    NOT_COMPLAINT = "not_complaint", _("Not a complaint")
    DUPLICATE = "duplicate", _("Duplicate")
    SPAM = "spam", _("Spam")


class PauseReason(models.TextChoices):
    BUDGET = "budget", _("Waiting for budget")
    PROCUREMENT = "procurement", _("Waiting for procurement")
    THIRD_PARTY = "third_party", _("Waiting for a third party")
    REPORTER = "reporter", _("Waiting for the reporter")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    MESSAGE = "message", _("Message from the reporter")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded")
    ASSIGNED = "assigned", _("Assigned")
    RESPONDED = "responded", _("Response")
    NOTE = "note", _("Internal note")
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    RESOLVED = "resolved", _("Handling report")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Handling report returned")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Escalated")
    RATED = "rated", _("Rated")
