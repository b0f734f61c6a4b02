"""Staff pages of a program's coverage (villages reached in a year, curve, map) and of the
demand for its services (which to bring, how often).

Views parse, authorize, call the read-only modules `coverage` and `demand`, and render.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.functions import ExtractYear
from django.shortcuts import render
from django.utils.translation import gettext as _

from balai.catalog.selectors import local_today

from . import coverage as coverage_module
from . import demand as demand_module
from .models import Event
from .views_staff import _program, _readable

NEVER_REACHED_PER_PAGE = 25


def _year(request, program, today) -> int:
    default = program.target_year or today.year
    raw = request.GET.get("tahun") or request.GET.get("year")
    if not raw:
        return default
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        messages.warning(
            request,
            _("%(value)s is not a year; showing %(year)d.") % {"value": raw[:10], "year": default},
        )
        return default
    return year


def _years(program, year: int) -> list[int]:
    years = set(
        Event.objects.filter(program=program)
        .annotate(y=ExtractYear("date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(years | {year})


@login_required
def coverage(request, pemda_slug: str, program_slug: str):
    pemda = _readable(request, pemda_slug)
    program = _program(pemda, program_slug)
    today = local_today(pemda)
    year = _year(request, program, today)
    summary = coverage_module.coverage_summary(program, year)
    page = Paginator(summary.never_reached, NEVER_REACHED_PER_PAGE).get_page(
        request.GET.get("page")
    )
    target_now = summary.target_on(today) if today.year == year else None
    return render(
        request,
        "outreach/coverage.html",
        {
            "pemda": pemda,
            "program": program,
            "here": _("Coverage"),
            "year": year,
            "years": _years(program, year),
            "summary": summary,
            "share_pct": round(100 * summary.share),
            "planned_pct": round(100 * summary.share_with_planned),
            "target_now": round(target_now) if target_now is not None else None,
            "chart": coverage_module.curve_chart(summary, today),
            "map_data": coverage_module.coverage_map(program, summary),
            "map_tiles": settings.MAP_TILES_URL,
            "map_attribution": settings.MAP_TILES_ATTRIBUTION,
            "page": page,
        },
    )


@login_required
def demand(request, pemda_slug: str, program_slug: str):
    pemda = _readable(request, pemda_slug)
    program = _program(pemda, program_slug)
    today = local_today(pemda)
    year = _year(request, program, today)
    report = demand_module.program_demand(program, year)
    return render(
        request,
        "outreach/demand.html",
        {
            "pemda": pemda,
            "program": program,
            "here": _("Demand"),
            "year": year,
            "years": _years(program, year),
            "report": report,
        },
    )
