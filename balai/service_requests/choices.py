from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    COUNTER = "counter", _("Counter")
    EVENT = "event", _("Outreach event")
    ONLINE = "online", _("Online")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    INCOMPLETE = "incomplete", _("Documents incomplete")
    IN_PROCESS = "in_process", _("In process")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    REJECTED = "rejected", _("Rejected")


# Statuses in which the processing clock has started.
CLOCK_STARTED = frozenset({Status.IN_PROCESS, Status.READY, Status.COLLECTED})
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.INCOMPLETE, Status.IN_PROCESS})


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Filed")
    INCOMPLETE = "incomplete", _("Documents incomplete")
    STARTED = "started", _("Documents complete, processing started")
    READY = "ready", _("Ready to collect")
    COLLECTED = "collected", _("Collected")
    REJECTED = "rejected", _("Rejected")
