"""Staff pages of the logbook: choose a point, log visitors fast, paper pages and CSV files,
today's visits with undo, the visit list and the uptake evaluation.

Views parse, authorize, call one service or selector, and render.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balai.core import permissions
from balai.core.permissions import Scope
from balai.organizations.models import Pemda
from balai.outreach.selectors import events_of_day

from . import charts, selectors, services
from .forms import (
    BatchHeaderForm,
    CSVImportForm,
    PeriodForm,
    VisitForm,
    VisitListForm,
    batch_formset,
)
from .models import Visit
from .sessions import session_kind_now
from .uptake import SESSIONS, uptake_evaluation

DEFAULT_BATCH_ROWS = 10
MAX_BATCH_ROWS = 50
TODAY_LIST_LENGTH = 5  # the newest; the visit list has the rest


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug, is_active=True)


def roles_that(kind: str, which: int) -> tuple[str, ...]:
    """Roles with any scope (to see: 0, to change: 1) over a kind of object."""
    return tuple(
        role for role, scopes in permissions.RULES[kind].items() if scopes[which] != Scope.NONE
    )


def _may_see_visits(user, pemda) -> bool:
    return permissions.has_role(user, pemda.pk, *roles_that("visit", 0))


def _point_for_logging(request, pemda, slug):
    point = selectors.point_get(pemda, slug)
    if point is None:
        raise Http404
    if not services.visit_may_log(request.user, point):
        raise PermissionDenied
    return point


@login_required
def visit_home(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    points = selectors.points_for_logging(request.user, pemda)
    may_see = _may_see_visits(request.user, pemda)
    if not points and not may_see:
        raise PermissionDenied
    return render(
        request,
        "visits/home.html",
        {
            "pemda": pemda,
            "points": points,
            "may_see": may_see,
            "may_survey": permissions.has_role(
                request.user, pemda.pk, *roles_that("survey_response", 0)
            ),
        },
    )


def _entry_context(request, pemda, point, tz):
    offered = selectors.point_services(point)
    top = selectors.point_top_services(point, offered)
    others = [s for s in offered if s not in top]
    villages = selectors.village_choices(point)
    return top, others, villages


@login_required
def visit_entry(request, pemda_slug: str, point_slug: str):
    """The fast entry page: one visitor in a few taps; Enter saves; the form comes back empty."""
    pemda = _pemda(pemda_slug)
    point = _point_for_logging(request, pemda, point_slug)
    tz = ZoneInfo(pemda.timezone)
    top, others, villages = _entry_context(request, pemda, point, tz)
    now = timezone.now()
    initial = {
        "session_kind": session_kind_now(point, now),
        "village": selectors.common_village(point) or "",
    }
    events = events_of_day(pemda=pemda, day=now.astimezone(tz).date())
    if len(events) == 1:
        initial["event"] = str(events[0].pk)
    kwargs = {
        "top_services": top,
        "other_services": others,
        "villages": villages,
        "events": events,
    }
    if request.method == "POST":
        form = VisitForm(request.POST, initial=initial, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                visit = services.visit_log(
                    actor=request.user,
                    point=point,
                    services=data["service_objects"],
                    occupation=data["occupation"],
                    outcome=data["outcome"],
                    session_kind=data["session_kind"],
                    village=data["village_object"],
                    rw=data["rw"],
                    rt=data["rt"],
                    event=data["event_object"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = reverse("staff:visit_entry", args=[pemda.slug, point.slug])
                return redirect(f"{url}?{urlencode({'tercatat': visit.pk})}")
    else:
        form = VisitForm(initial=initial, **kwargs)
    today = list(selectors.visits_today(point, tz)[:TODAY_LIST_LENGTH])
    today_count = selectors.visits_today(point, tz).count()
    saved = _saved_line(request, point, tz)
    for visit in today:
        visit.can_undo = services.visit_can_undo(visit, request.user, now)
    return render(
        request,
        "visits/entry.html",
        {
            "pemda": pemda,
            "point": point,
            "form": form,
            "today": today,
            "today_count": today_count,
            "saved": saved,
            "undone": request.GET.get("dibatalkan") == "1",
            "list_query": urlencode(
                {
                    "point": point.slug,
                    "start": f"{now.astimezone(tz):%Y-%m-%d}",
                    "end": f"{now.astimezone(tz):%Y-%m-%d}",
                }
            ),
        },
    )


def _saved_line(request, point, tz) -> dict | None:
    """After a save: "visit no. N today logged", N counted from the day's first visit."""
    raw = request.GET.get("tercatat", "")
    if not raw.isdigit():
        return None
    visit = Visit.objects.filter(pk=int(raw), point=point, entered_by=request.user.pk).first()
    if visit is None:
        return None
    start, _end = selectors.local_day_bounds(visit.visited_at.astimezone(tz).date(), tz)
    number = Visit.objects.filter(
        Q(visited_at__lt=visit.visited_at) | Q(visited_at=visit.visited_at, pk__lte=visit.pk),
        point=point,
        visited_at__gte=start,
    ).count()
    return {"visit": visit, "number": number}


@login_required
@require_POST
def visit_undo(request, pemda_slug: str, point_slug: str, pk: int):
    pemda = _pemda(pemda_slug)
    point = _point_for_logging(request, pemda, point_slug)
    visit = get_object_or_404(Visit, pk=pk, point=point)
    try:
        services.visit_undo(actor=request.user, visit=visit)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("staff:visit_entry", pemda.slug, point.slug)
    url = reverse("staff:visit_entry", args=[pemda.slug, point.slug])
    return redirect(f"{url}?dibatalkan=1")


@login_required
def visit_batch(request, pemda_slug: str, point_slug: str):
    """A paper logbook page typed in: N lines, empty lines skipped, all saved or none."""
    pemda = _pemda(pemda_slug)
    point = _point_for_logging(request, pemda, point_slug)
    tz = ZoneInfo(pemda.timezone)
    offered = selectors.point_services(point)
    villages = selectors.village_choices(point)
    try:
        rows = int(request.GET.get("baris", DEFAULT_BATCH_ROWS))
    except ValueError:
        rows = DEFAULT_BATCH_ROWS
    rows = min(max(rows, 1), MAX_BATCH_ROWS)
    formset_class = batch_formset(rows)
    kwargs = {"services": offered, "villages": villages}
    today = timezone.now().astimezone(tz).date()
    problems: list[str] = []
    if request.method == "POST":
        header = BatchHeaderForm(request.POST)
        formset = formset_class(request.POST, prefix="r", **kwargs)
        if header.is_valid() and formset.is_valid():
            day = header.cleaned_data["day"]
            visit_rows = []
            for number, form in enumerate(formset.forms, start=1):
                if not form.has_changed():
                    continue
                data = form.cleaned_data
                chosen = [data["service"], data["service2"]]
                visit_rows.append(
                    services.VisitRow(
                        services=[form.services[pk] for pk in dict.fromkeys(chosen) if pk],
                        occupation=data["occupation"],
                        outcome=data["outcome"],
                        session_kind=data["session_kind"],
                        visited_at=dt.datetime.combine(day, data["time"], tz),
                        village=form.villages.get(data["village"] or ""),
                        rw=data["rw"],
                        rt=data["rt"],
                        line=number,
                    )
                )
            try:
                saved = services.visits_log_batch(actor=request.user, point=point, rows=visit_rows)
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s visit from the paper logbook saved.",
                        "%(count)s visits from the paper logbook saved.",
                        len(saved),
                    )
                    % {"count": len(saved)},
                )
                return redirect("staff:visit_batch", pemda.slug, point.slug)
    else:
        header = BatchHeaderForm(initial={"day": today})
        formset = formset_class(prefix="r", **kwargs)
    return render(
        request,
        "visits/batch.html",
        {
            "pemda": pemda,
            "point": point,
            "header": header,
            "formset": formset,
            "problems": problems,
            "rows": rows,
            "more_rows": min(rows + 10, MAX_BATCH_ROWS),
        },
    )


@login_required
def visit_import(request, pemda_slug: str, point_slug: str):
    pemda = _pemda(pemda_slug)
    point = _point_for_logging(request, pemda, point_slug)
    problems: list[str] = []
    if request.method == "POST":
        form = CSVImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = services.visits_import_csv(
                    actor=request.user, point=point, text=form.cleaned_data["content"]
                )
            except ValidationError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    ngettext("%(count)s visit imported.", "%(count)s visits imported.", len(saved))
                    % {"count": len(saved)},
                )
                return redirect("staff:visit_import", pemda.slug, point.slug)
    else:
        form = CSVImportForm()
    return render(
        request,
        "visits/import.html",
        {
            "pemda": pemda,
            "point": point,
            "form": form,
            "problems": problems,
            "header": ",".join(services.CSV_HEADER),
            "example_service": next(iter(selectors.point_services(point)), None),
        },
    )


def _period(request, tz, form_class=PeriodForm, days: int = 28, **form_kwargs):
    today = timezone.now().astimezone(tz).date()
    default = {"start": today - dt.timedelta(days=days - 1), "end": today}
    form = form_class(request.GET or None, initial=default, **form_kwargs)
    if request.GET and form.is_valid():
        return form, form.cleaned_data
    return form, {**default, **{k: v for k, v in form.initial.items() if k not in default}}


@login_required
def visit_list(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    if not _may_see_visits(request.user, pemda):
        raise PermissionDenied
    tz = ZoneInfo(pemda.timezone)
    form, data = _period(request, tz, VisitListForm)
    point = None
    if data.get("point"):
        point = selectors.point_get(pemda, data["point"])
    flt = selectors.VisitFilter(
        start=data["start"],
        end=data["end"],
        point=point,
        session_kind=data.get("session", ""),
        occupation=data.get("occupation", ""),
        village=data.get("village", ""),
    )
    page = Paginator(selectors.visit_list(request.user, pemda, flt), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "visits/list.html",
        {"pemda": pemda, "form": form, "page": page, "flt": flt, "point": point},
    )


@login_required
def uptake_page(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    if not _may_see_visits(request.user, pemda):
        raise PermissionDenied
    tz = ZoneInfo(pemda.timezone)
    form, data = _period(request, tz)
    uptake = uptake_evaluation(request.user, pemda, start=data["start"], end=data["end"])
    labels = {key: str(label) for key, label in Visit._meta.get_field("session_kind").choices}
    series = [(key, labels[key]) for key in SESSIONS]
    weekly = charts.column_chart(
        [f"{week:%d/%m}" for week in uptake.weeks_axis],
        [
            (key, label, [uptake.by_week.get(w, {}).get(key, 0) for w in uptake.weeks_axis])
            for key, label in series
        ],
    )
    hourly = charts.column_chart(
        [f"{hour:02d}" for hour in range(24)],
        [(key, label, [uptake.by_hour[h][key] for h in range(24)]) for key, label in series],
        every=3,
    )
    trend = charts.column_chart(
        [f"{week:%d/%m}" for week, _n in uptake.trend],
        [("night", labels["night"], [n for _w, n in uptake.trend])],
        threshold=float(uptake.settings.min_night_visits_per_week) * len(uptake.offices) or None,
        threshold_label=_("the weekly minimum for all offices together"),
    )
    return render(
        request,
        "visits/uptake.html",
        {
            "pemda": pemda,
            "form": form,
            "uptake": uptake,
            "weekly": weekly,
            "hourly": hourly,
            "trend": trend,
            "period_query": urlencode(
                {"start": f"{uptake.start:%Y-%m-%d}", "end": f"{uptake.end:%Y-%m-%d}"}
            ),
            "findings": [(finding, urlencode(finding.link)) for finding in uptake.findings],
        },
    )
