from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a staff member may do, always within one Pemda (and an OPD or area where named)."""

    PEMDA_ADMIN = "pemda_admin", _("Pemda administrator")
    LEADERSHIP = "leadership", _("Leadership (read-only)")
    OPD_HEAD = "opd_head", _("OPD head")
    OPD_STAFF = "opd_staff", _("OPD staff / TRC member")
    AREA_STAFF = "area_staff", _("Kecamatan / kelurahan / desa staff")
    OPERATOR = "operator", _("Call-center operator")
    EVENT_STAFF = "event_staff", _("Event staff")


OPD_ROLES = frozenset({Role.OPD_HEAD, Role.OPD_STAFF})
AREA_ROLES = frozenset({Role.AREA_STAFF})
