"""Who may see and change outreach programs, events and plan runs.

The Pemda admin edits everything; leadership and event staff read everything of their Pemda;
area staff read the events held inside their area (kecamatan or desa code prefix) and the
programs those events belong to.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from balai.accounts.choices import Role
from balai.core.permissions import has_role

EDIT_ROLES = (Role.PEMDA_ADMIN,)
READ_ALL_ROLES = (Role.PEMDA_ADMIN, Role.LEADERSHIP, Role.EVENT_STAFF)
READ_ROLES = (*READ_ALL_ROLES, Role.AREA_STAFF)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_edit(user, pemda) -> bool:
    return _active(user) and has_role(user, pemda.pk, *EDIT_ROLES)


def can_read(user, pemda) -> bool:
    return _active(user) and has_role(user, pemda.pk, *READ_ROLES)


def reads_everything(user, pemda) -> bool:
    return _active(user) and has_role(user, pemda.pk, *READ_ALL_ROLES)


def area_codes(user, pemda) -> list[str]:
    """Region codes of the user's area-staff memberships in this Pemda."""
    if not _active(user):
        return []
    cached = getattr(user, "_outreach_areas", None)
    if cached is None:
        cached = {}
        user._outreach_areas = cached
    if pemda.pk not in cached:
        cached[pemda.pk] = list(
            user.memberships.filter(
                pemda=pemda, role=Role.AREA_STAFF, is_active=True, region__isnull=False
            ).values_list("region_id", flat=True)
        )
    return cached[pemda.pk]


def _ancestors(code: str) -> list[str]:
    """The kecamatan of a desa code (an event there concerns the desa's staff too)."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(3, len(parts))]


def _area_q(codes: list[str], field: str = "venue") -> Q:
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(**{f"{field}_id": code}) | Q(**{f"{field}__code__startswith": code + "."})
        q |= Q(**{f"{field}_id__in": _ancestors(code)})
    return q


def events_visible(user, pemda, queryset: QuerySet) -> QuerySet:
    """Filter a queryset of this Pemda's events to what the user may read."""
    queryset = queryset.filter(pemda=pemda)
    if reads_everything(user, pemda):
        return queryset
    codes = area_codes(user, pemda)
    if not codes:
        return queryset.none()
    return queryset.filter(_area_q(codes))


def event_visible(user, event) -> bool:
    if reads_everything(user, event.pemda):
        return True
    return any(
        event.venue_id == code
        or event.venue_id.startswith(code + ".")
        or event.venue_id in _ancestors(code)
        for code in area_codes(user, event.pemda)
    )
