"""Lists of the outreach app: program venue levels, event and plan-run statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueLevel(models.TextChoices):
    KECAMATAN = "kecamatan", _("Kecamatan")
    VILLAGE = "village", _("Village (desa/kelurahan)")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CONFIRMED = "confirmed", _("Confirmed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    POSTPONED = "postponed", _("Postponed")


# A reason must be given for these.
STATUSES_NEEDING_REASON = (EventStatus.CANCELLED, EventStatus.POSTPONED)


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SolverStatus(models.TextChoices):
    OPTIMAL = "optimal", _("Proven optimal")
    FEASIBLE = "feasible", _("Feasible (not proven optimal)")
    INFEASIBLE = "infeasible", _("Infeasible")
    UNKNOWN = "unknown", _("Unknown")
