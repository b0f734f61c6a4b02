"""Reads about services and their Standar Pelayanan.

The standard in force on a date is the *published* version with the latest `effective_from` on
or before that date; drafts never count. A service is public when it is active and has a
published standard in force.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from .choices import StandardStatus
from .models import Maklumat, Requirement, Service, StandardVersion


def local_today(pemda) -> dt.date:
    """Today's date in the Pemda's own zone."""
    from zoneinfo import ZoneInfo

    return timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()


def standard_in_force(*, service: Service, on: dt.date) -> StandardVersion | None:
    """The published version with the latest `effective_from` on or before `on` (one query)."""
    return (
        StandardVersion.objects.filter(
            service=service, status=StandardStatus.PUBLISHED, effective_from__lte=on
        )
        .order_by("-effective_from", "-version")
        .prefetch_related(Prefetch("requirements", queryset=Requirement.objects.order_by("order")))
        .first()
    )


def standard_history(*, service: Service) -> QuerySet[StandardVersion]:
    """Every published version of a service, newest first (drafts are not history)."""
    return StandardVersion.objects.filter(
        service=service, status=StandardStatus.PUBLISHED
    ).order_by("-effective_from", "-version")


def service_list_public(*, pemda, q: str = "", category: str = "", on: dt.date | None = None):
    """Active services of a Pemda with a published standard in force today (or on `on`).

    `q` searches the name, the summary and the search words (every word must match somewhere).
    Each row carries the in-force standard's `current_fee`, `current_time`, `current_unit`.
    """
    on = on or local_today(pemda)
    in_force = StandardVersion.objects.filter(
        service=OuterRef("pk"), status=StandardStatus.PUBLISHED, effective_from__lte=on
    ).order_by("-effective_from", "-version")
    services = (
        Service.objects.filter(pemda=pemda, is_active=True)
        .filter(Exists(in_force))
        .annotate(
            current_fee=Subquery(in_force.values("fee")[:1]),
            current_time=Subquery(in_force.values("processing_time")[:1]),
            current_unit=Subquery(in_force.values("processing_unit")[:1]),
        )
        .select_related("opd")
        .order_by("name")
    )
    for word in q.split()[:8]:
        services = services.filter(
            Q(name__icontains=word) | Q(summary__icontains=word) | Q(keywords__icontains=word)
        )
    if category:
        services = services.filter(category=category)
    return services


def service_get_public(*, pemda, code: str) -> Service | None:
    """One active service of a Pemda by its code, with its OPD (None when unknown/inactive)."""
    return (
        Service.objects.filter(pemda=pemda, code=code, is_active=True)
        .select_related("opd", "pemda")
        .first()
    )


def maklumat_in_force(*, service: Service, on: dt.date) -> list[Maklumat]:
    """The Maklumat Pelayanan in force on a date of each unit of the service's OPD (one query)."""
    latest: dict[int, Maklumat] = {}
    rows = (
        Maklumat.objects.filter(unit__opd_id=service.opd_id, effective_from__lte=on)
        .select_related("unit")
        .order_by("unit__name", "unit_id", "-effective_from", "-id")
    )
    for row in rows:
        latest.setdefault(row.unit_id, row)
    return list(latest.values())


def service_points_offering(*, service: Service):
    """The active points where a service is offered, with their area (one query)."""
    from balai.organizations.models import ServicePoint

    return (
        ServicePoint.objects.filter(services=service, is_active=True)
        .select_related("region")
        .order_by("name")
    )
