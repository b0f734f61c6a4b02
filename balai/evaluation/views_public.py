"""The Pemda's public transparency page: only the sections its administrator published, only
aggregate figures (no names, contacts, complaint texts or tracking codes)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from balai.organizations.models import Pemda

from .models import TransparencySetting
from .periods import Period
from .present import present_card
from .selectors import dashboard, upcoming_schedule

# Which indicators each published section shows.
SECTION_INDICATORS = {
    "show_complaints": (
        "complaints_received",
        "complaints_within_24h",
        "complaints_median_response",
    ),
    "show_ikm": ("ikm",),
    "show_on_time": ("requests_on_time",),
    "show_night_service": ("night_uptake",),
    "show_outreach": ("outreach_coverage", "outreach_events"),
}


def transparency_page(request, pemda_slug: str):
    pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
    setting = TransparencySetting.objects.filter(pemda=pemda).first()
    published = setting.published if setting else []
    today = timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()
    period = Period.containing("year", today)
    cards = {}
    if any(name in SECTION_INDICATORS for name in published):
        for program_cards in dashboard(pemda, period).values():
            for card in program_cards:
                cards[card.indicator.id] = card
    sections = []
    for name in published:
        shown = [
            present_card(cards[key], period.previous().label)
            for key in SECTION_INDICATORS.get(name, ())
            if key in cards
        ]
        if shown:
            sections.append((name, TransparencySetting._meta.get_field(name).verbose_name, shown))
    schedule = upcoming_schedule(pemda, today) if "show_schedule" in published else None
    return render(
        request,
        "evaluation/transparency.html",
        {
            "pemda": pemda,
            "period": period,
            "sections": sections,
            "schedule": schedule,
            "published": published,
        },
    )
