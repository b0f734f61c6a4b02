"""Who keeps an office's spaces, activities and bookings.

The staff who keep an office (the "service_point" change rule of `balai.core.permissions`)
keep its community spaces too: the Pemda administrator every office of the Pemda, area staff
(kecamatan/kelurahan/desa) the offices inside their area. Everyone else has no staff access.
"""

from __future__ import annotations

from django.db.models import QuerySet

from balai.core import permissions
from balai.organizations.models import ServicePoint


def may_manage(user, point: ServicePoint) -> bool:
    """Whether `user` keeps the spaces of `point` (decides bookings, edits activities)."""
    return permissions.can_change(user, point)


def points_managed(user, pemda) -> QuerySet[ServicePoint]:
    """The Pemda's active offices whose spaces `user` keeps."""
    return permissions.changeable(
        user, ServicePoint.objects.filter(pemda=pemda, is_active=True)
    ).order_by("name")


def may_work_here(user, pemda) -> bool:
    """Whether the staff pages of community spaces are for `user` in this Pemda at all."""
    return points_managed(user, pemda).exists()
