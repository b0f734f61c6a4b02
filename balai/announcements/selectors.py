"""Reads of the announcements app: published announcements per area, staff lists, area choices."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from balai.regions.choices import Level
from balai.regions.models import Region, SubVillageUnit

from .choices import CampaignStatus
from .models import Campaign, Contact
from .targeting import ancestor_codes

PUBLISHED = (CampaignStatus.SENDING, CampaignStatus.SENT)


def announcements_published(pemda, *, area: Region | None = None):
    """Announcements on the portal, newest first; for an area: those targeted at the area, at
    an area containing it (up to the whole Pemda) or at a place inside it (down to RT)."""
    rows = Campaign.objects.filter(
        pemda=pemda, status__in=PUBLISHED, published_at__isnull=False
    ).order_by("-published_at", "-pk")
    if area is not None:
        code = area.code
        rows = rows.filter(
            Q(targets__region__code__in=ancestor_codes(code))
            | Q(targets__region__code__startswith=code + ".")
            | Q(targets__unit__village__code=code)
            | Q(targets__unit__village__code__startswith=code + ".")
        ).distinct()
    return rows


def announcement_public_get(pemda, pk: int) -> Campaign | None:
    return (
        Campaign.objects.filter(pemda=pemda, pk=pk, status__in=PUBLISHED)
        .select_related("service_point", "service", "program", "event__program", "event__venue")
        .first()
    )


def outreach_links_public(campaign: Campaign, today) -> dict:
    """Links to the public schedule for the campaign's program and service day: the program's
    page when the program is public, the day on it when it is published and not past."""
    links = {"program_url": "", "event_url": ""}
    event = campaign.event
    program = event.program if event is not None else campaign.program
    if program is None or not (program.is_public and program.is_active):
        return links
    url = reverse("portal:outreach_program_schedule", args=[campaign.pemda.slug, program.slug])
    links["program_url"] = url
    if event is not None and event.published and event.date >= today:
        links["event_url"] = f"{url}#acara-{event.pk}"
    return links


def area_choices(pemda) -> list[Region]:
    """The Pemda's kecamatan and desa/kelurahan in code order (kecamatan before its villages)."""
    return list(
        Region.objects.filter(
            code__startswith=pemda.region_id + ".",
            level__in=(Level.KECAMATAN, Level.DESA_KELURAHAN),
            is_active=True,
        )
        .only("code", "name", "level", "kind")
        .order_by("code")
    )


def area_get(pemda, code: str) -> Region | None:
    if code == pemda.region_id or code.startswith(pemda.region_id + "."):
        return Region.objects.filter(code=code).first()
    return None


def units_of(pemda, village_code: str):
    return (
        SubVillageUnit.objects.filter(pemda=pemda, village_id=village_code)
        .select_related("parent")
        .order_by("kind", "name")
    )


def campaign_list(pemda, *, query: str = "", status: str = "", area_codes=None):
    rows = (
        Campaign.objects.filter(pemda=pemda)
        .annotate(
            n_deliveries=Count("deliveries", distinct=True),
            n_targets=Count("targets", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )
    if query:
        rows = rows.filter(Q(title__icontains=query) | Q(body__icontains=query))
    if status:
        rows = rows.filter(status=status)
    return rows


def campaign_get(pemda, pk: int) -> Campaign | None:
    return (
        Campaign.objects.filter(pemda=pemda, pk=pk)
        .select_related(
            "service_point", "service", "program", "event__program", "event__venue", "created_by"
        )
        .first()
    )


def campaign_targets(campaign: Campaign):
    return list(campaign.targets.select_related("region", "unit__village").order_by("pk"))


def contact_list(pemda, *, query: str = ""):
    rows = Contact.objects.filter(pemda=pemda).select_related("unit__village", "region")
    if query:
        rows = rows.filter(
            Q(name__icontains=query)
            | Q(phone__icontains=query)
            | Q(unit__village__name__icontains=query)
            | Q(region__name__icontains=query)
        )
    return rows.order_by("region_id", "unit__village_id", "unit__name", "name")
