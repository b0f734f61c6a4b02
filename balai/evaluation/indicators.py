"""The leadership indicators: one small object per number on the dashboard.

Each indicator has an `id`, a translatable `label`, and for a period:

- `compute(scope, period)`: the `Value` (the headline number, the rows behind it, a breakdown),
  from aggregate queries only (grouped and counted in the database; Python arranges the few
  grouped rows, never the rows of the period);
- `rows(scope, period)`: the queryset of the list behind the number (the drill-down);
- `row(obj, scope)` / `export_rows(scope, period)`: the list's rows for the page and the exports,
  never with personal data (no names, phone numbers, descriptions).

`Value.count` is always the length of the drill-down list, so the dashboard, the list and the
export can be checked against each other (`tests/test_crosscheck.py`). For a share, `part` is
the numerator and the list is the denominator with a yes/no column.

Outreach and socialization indicators live in `indicators_outreach.py` and are registered when
those apps are installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from balai.complaints.choices import OPEN_STATUSES, Channel, Status
from balai.complaints.evaluation import HANDLED
from balai.complaints.models import Complaint
from balai.organizations.choices import SessionKind
from balai.organizations.models import ServicePoint
from balai.service_requests.models import ServiceRequest
from balai.service_requests.selectors import on_time_rate
from balai.visits import ikm
from balai.visits.models import ELEMENTS, SurveyResponse, Visit
from balai.visits.uptake import uptake_settings_for

from .periods import Period

YES, NO = "Ya", "Tidak"
# With a context: another app's catalog translates a bare "Share" otherwise ("Porsi").
SHARE = pgettext_lazy("evaluation table", "Share")


@dataclass(frozen=True)
class Scope:
    """Whose figures, and at what moment (open breaches depend on the clock)."""

    pemda: object
    now: dt.datetime

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.pemda.timezone)

    def bounds(self, period: Period) -> tuple[dt.datetime, dt.datetime]:
        return period.bounds(self.tz)


@dataclass
class Value:
    """An indicator's figure for one period. Plain data: it is cached."""

    number: Decimal | int | None  # the headline; None when there is nothing to compute from
    count: int  # rows in the drill-down list
    part: int | None = None  # the numerator of a share
    note: str = ""  # e.g. the IKM grade
    breakdown: list[tuple] = field(default_factory=list)
    # (label, value) for a chart; outreach coverage: (place never reached, km or None)
    series: list[tuple] = field(default_factory=list)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def local(value: dt.datetime | None, tz: ZoneInfo) -> str:
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M") if value else ""


class Indicator:
    id: str = ""
    program: str = ""
    label = ""
    unit = "count"  # count | percent | hours | ikm
    higher_is_better: bool | None = True  # None: neither (e.g. complaints received)
    columns: tuple = ()
    breakdown_columns: tuple = ()
    method = ""  # how the number is computed, shown wherever it is (e.g. the IKM weight)

    @property
    def is_count(self) -> bool:
        """The headline number is the length of the list behind it."""
        return self.unit == "count"

    def compute(self, scope: Scope, period: Period) -> Value:
        raise NotImplementedError

    def rows(self, scope: Scope, period: Period) -> QuerySet:
        raise NotImplementedError

    def row(self, obj, scope: Scope) -> list:
        raise NotImplementedError

    def export_rows(self, scope: Scope, period: Period) -> Iterable[list]:
        for obj in self.rows(scope, period).iterator(chunk_size=2000):
            yield self.row(obj, scope)


# -- complaints ---------------------------------------------------------------------------------
WITHIN_24H = HANDLED & Q(first_response_at__lte=F("received_at") + dt.timedelta(hours=24))
RUNNING = OPEN_STATUSES - {Status.PAUSED, Status.RESOLVED}


def open_breach_q(now: dt.datetime) -> Q:
    """Still open, and past the response or the resolution deadline now (paused ones wait)."""
    return Q(status__in=RUNNING) & (
        Q(first_response_at__isnull=True, response_due_at__lt=now)
        | Q(resolved_at__isnull=True, resolution_due_at__lt=now)
    )


def complaints_in(scope: Scope, period: Period) -> QuerySet[Complaint]:
    since, until = scope.bounds(period)
    return Complaint.objects.filter(
        pemda=scope.pemda, received_at__gte=since, received_at__lt=until
    )


class _ComplaintList(Indicator):
    program = "complaints"
    columns = (
        "Kode",
        "Diterima",
        "Kanal",
        "Kategori",
        "OPD",
        "Status",
        "Tanggapan pertama",
        "Jam sampai tanggapan",
    )

    def _base(self, scope: Scope, period: Period) -> QuerySet[Complaint]:
        return complaints_in(scope, period)

    def rows(self, scope, period):
        return (
            self._base(scope, period)
            .select_related("category", "opd")
            .only(
                "tracking_code",
                "received_at",
                "channel",
                "status",
                "first_response_at",
                "category__name",
                "opd__short_name",
            )
            .order_by("received_at", "id")
        )

    def row(self, c, scope):
        hours = None
        if c.first_response_at:
            hours = round((c.first_response_at - c.received_at).total_seconds() / 3600, 1)
        return [
            c.tracking_code,
            local(c.received_at, scope.tz),
            str(c.get_channel_display()),
            c.category.name if c.category else "",
            c.opd.short_name if c.opd else "",
            str(c.get_status_display()),
            local(c.first_response_at, scope.tz),
            hours,
        ]


class ComplaintsReceived(_ComplaintList):
    id = "complaints_received"
    label = _("Complaints received")
    higher_is_better = None
    breakdown_columns = (_("Channel"), _("Complaints"))

    def compute(self, scope, period):
        grouped = dict(
            complaints_in(scope, period).values_list("channel").annotate(n=Count("id")).order_by()
        )
        total = sum(grouped.values())
        breakdown = [(str(Channel(k).label), grouped[k]) for k in Channel.values if grouped.get(k)]
        return Value(number=total, count=total, breakdown=breakdown)


class ComplaintsWithin24h(_ComplaintList):
    """Of the complaints handled (not rejected or forwarded), the share with a first response
    within 24 hours of receipt: the same rule as the complaint evaluation page."""

    id = "complaints_within_24h"
    label = _("Answered within 24 hours")
    unit = "percent"
    columns = (*_ComplaintList.columns, "Dalam 24 jam")
    breakdown_columns = (_("OPD"), _("Handled"), _("Within 24 hours"), SHARE)

    def _base(self, scope, period):
        return complaints_in(scope, period).filter(HANDLED)

    def compute(self, scope, period):
        rows = (
            self._base(scope, period)
            .values_list("opd__short_name")
            .annotate(n=Count("id"), within=Count("id", filter=WITHIN_24H))
            .order_by("opd__short_name")
        )
        breakdown = [(name or "-", n, w, percent(w, n)) for name, n, w in rows]
        handled = sum(r[1] for r in breakdown)
        within = sum(r[2] for r in breakdown)
        return Value(
            number=percent(within, handled), count=handled, part=within, breakdown=breakdown
        )

    def rows(self, scope, period):
        return super().rows(scope, period).annotate(within=Count("id", filter=WITHIN_24H))

    def row(self, c, scope):
        return [*super().row(c, scope), YES if c.within else NO]


RESPONSE_TIME = ExpressionWrapper(F("first_response_at") - F("received_at"), DurationField())


class ComplaintsMedianResponse(_ComplaintList):
    """Median hours from receipt to the first response, over the complaints responded to.
    Two queries: the count, then the one or two middle rows in order of response time."""

    id = "complaints_median_response"
    label = _("Median time to first response")
    unit = "hours"
    higher_is_better = False

    def _base(self, scope, period):
        return complaints_in(scope, period).filter(first_response_at__isnull=False)

    def compute(self, scope, period):
        responded = self._base(scope, period)
        n = responded.count()
        if not n:
            return Value(number=None, count=0)
        middle = list(
            responded.annotate(took=RESPONSE_TIME)
            .order_by("took")
            .values_list("took", flat=True)[(n - 1) // 2 : n // 2 + 1]
        )
        seconds = sum(Decimal(d.total_seconds()) for d in middle) / len(middle)
        hours = (seconds / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return Value(number=hours, count=n)


class ComplaintsOpenBreaches(_ComplaintList):
    """Complaints received in the period, still open and past a deadline now, per OPD."""

    id = "complaints_open_breaches"
    label = _("Open complaints past their deadline")
    higher_is_better = False
    breakdown_columns = (_("OPD"), _("Past the deadline"))

    def _base(self, scope, period):
        return complaints_in(scope, period).filter(open_breach_q(scope.now))

    def compute(self, scope, period):
        rows = (
            self._base(scope, period)
            .values_list("opd__short_name")
            .annotate(n=Count("id"))
            .order_by("-n", "opd__short_name")
        )
        breakdown = [(name or "-", n) for name, n in rows]
        total = sum(n for _name, n in breakdown)
        return Value(number=total, count=total, breakdown=breakdown)


# -- service certainty -------------------------------------------------------------------------
class RequestsOnTime(Indicator):
    """Requests made ready in the period, and the share ready by their due date (the
    service requests app's on-time rate)."""

    id = "requests_on_time"
    program = "certainty"
    label = _("Service requests ready on time")
    unit = "percent"
    columns = ("Kode", "Layanan", "Tempat layanan", "Diajukan", "Tenggat", "Siap", "Tepat waktu")
    breakdown_columns = (_("Service point"), _("Ready"), _("On time"), SHARE)

    def compute(self, scope, period):
        rate = on_time_rate(pemda=scope.pemda, start=period.start, end=period.end)
        breakdown = [
            (r.name or "-", r.ready, r.on_time, percent(r.on_time, r.ready)) for r in rate.by_point
        ]
        return Value(
            number=percent(rate.total.on_time, rate.total.ready),
            count=rate.total.ready,
            part=rate.total.on_time,
            breakdown=breakdown,
        )

    def rows(self, scope, period):
        since, until = scope.bounds(period)
        return (
            ServiceRequest.objects.filter(
                pemda=scope.pemda, ready_at__gte=since, ready_at__lt=until
            )
            .select_related("service", "point")
            .only(
                "tracking_code",
                "submitted_at",
                "due_at",
                "ready_at",
                "service__name",
                "point__name",
            )
            .order_by("ready_at", "id")
        )

    def row(self, r, scope):
        on_time = r.due_at is not None and r.ready_at <= r.due_at
        return [
            r.tracking_code,
            r.service.name,
            r.point.name if r.point else "",
            local(r.submitted_at, scope.tz),
            local(r.due_at, scope.tz),
            local(r.ready_at, scope.tz),
            YES if on_time else NO,
        ]


_SUMS = {f"s_{name}": Sum(name) for name in ELEMENTS}


def _ikm(row: dict) -> ikm.IKMResult | None:
    return ikm.ikm_from_sums([row[f"s_{name}"] or 0 for name in ELEMENTS], row["n"] or 0)


class IKMScore(Indicator):
    """The converted IKM (25-100) of the SKM answers of the period, weight 0,11
    (PermenPAN-RB 14/2017), and the grade, in all and per unit."""

    id = "ikm"
    program = "certainty"
    label = _("IKM (community satisfaction index)")
    unit = "ikm"
    method = _("IKM weight: 0,11 per element (PermenPAN-RB 14/2017).")
    columns = (
        "Dijawab",
        "Unit",
        "Tempat layanan",
        "Layanan",
        "Cara",
        *(e.code for e in ikm.ELEMENTS),
    )
    breakdown_columns = (_("Unit"), _("Respondents"), _("IKM"), _("Grade"))

    def _base(self, scope, period):
        since, until = scope.bounds(period)
        return SurveyResponse.objects.filter(
            pemda=scope.pemda, answered_at__gte=since, answered_at__lt=until
        )

    def compute(self, scope, period):
        per_unit = (
            self._base(scope, period)
            .values("unit_id", "unit__name")
            .annotate(n=Count("id"), **_SUMS)
            .order_by("unit__name")
        )
        breakdown, totals = [], {"n": 0, **dict.fromkeys(_SUMS, 0)}
        for row in per_unit:
            result = _ikm(row)
            breakdown.append(
                (row["unit__name"] or "-", row["n"], result.converted, result.grade.letter)
            )
            for key in totals:
                totals[key] += row[key] or 0
        result = _ikm(totals)
        if result is None:
            return Value(number=None, count=0)
        return Value(
            number=result.converted,
            count=totals["n"],
            note=f"{result.grade.letter} ({result.grade.label})",
            breakdown=breakdown,
        )

    def rows(self, scope, period):
        return (
            self._base(scope, period)
            .select_related("unit", "point", "service")
            .only(
                "answered_at",
                "channel",
                *ELEMENTS,
                "unit__name",
                "point__name",
                "service__name",
            )
            .order_by("answered_at", "id")
        )

    def row(self, r, scope):
        return [
            local(r.answered_at, scope.tz),
            r.unit.name if r.unit else "",
            r.point.name if r.point else "",
            r.service.name if r.service else "",
            str(r.get_channel_display()),
            *(getattr(r, name) for name in ELEMENTS),
        ]


# -- night service -----------------------------------------------------------------------------
class NightUptake(Indicator):
    """Night-service visits in the period, per office (visits a week, low-uptake flag with the
    Pemda's threshold) and per week (the trend)."""

    id = "night_uptake"
    program = "night"
    label = _("Night-service visits")
    columns = ("Waktu", "Tempat layanan", "Desa/kelurahan", "Pekerjaan", "Hasil")
    breakdown_columns = (_("Office"), _("Night visits"), _("A week"), _("Low uptake"))

    def _base(self, scope, period):
        since, until = scope.bounds(period)
        return Visit.objects.filter(
            pemda=scope.pemda,
            session_kind=SessionKind.NIGHT,
            visited_at__gte=since,
            visited_at__lt=until,
        )

    def compute(self, scope, period):
        visits = self._base(scope, period)
        per_point = dict(visits.values_list("point_id").annotate(n=Count("id")).order_by())
        offering = (
            ServicePoint.objects.filter(pemda=scope.pemda)
            .filter(
                Q(opening_rules__session_kind=SessionKind.NIGHT)
                | Q(pk__in=[pk for pk in per_point if pk is not None])
            )
            .values_list("pk", "name")
            .distinct()
            .order_by("name")
        )
        threshold = uptake_settings_for(scope.pemda).min_night_visits_per_week
        breakdown = []
        for pk, name in offering:
            n = per_point.get(pk, 0)
            per_week = (Decimal(n) * 7 / period.days).quantize(Decimal("0.1"), ROUND_HALF_UP)
            breakdown.append((name, n, per_week, YES if per_week < threshold else NO))
        weekly = TruncWeek("visited_at", tzinfo=scope.tz)
        by_week = {
            (w.date() if isinstance(w, dt.datetime) else w): n
            for w, n in visits.annotate(week=weekly)
            .values_list("week")
            .annotate(n=Count("id"))
            .order_by()
        }
        series = []
        week = period.start - dt.timedelta(days=period.start.weekday())
        while week <= period.end:
            series.append((f"{week:%d/%m}", by_week.get(week, 0)))
            week += dt.timedelta(days=7)
        total = sum(per_point.values())
        return Value(number=total, count=total, breakdown=breakdown, series=series)

    def rows(self, scope, period):
        return (
            self._base(scope, period)
            .select_related("point", "village")
            .only("visited_at", "occupation", "outcome", "point__name", "village__name")
            .order_by("visited_at", "id")
        )

    def row(self, v, scope):
        return [
            local(v.visited_at, scope.tz),
            v.point.name if v.point else "",
            v.village.name if v.village else "",
            str(v.get_occupation_display()),
            str(v.get_outcome_display()),
        ]


PROGRAMS = {
    "complaints": _("Complaints (24-hour handling)"),
    "certainty": _("Service certainty"),
    "night": _("Night service"),
    "outreach": _("Outreach (mobile service days)"),
    "socialization": _("Socialization"),
}

INDICATORS: dict[str, Indicator] = {
    i.id: i
    for i in (
        ComplaintsReceived(),
        ComplaintsWithin24h(),
        ComplaintsMedianResponse(),
        ComplaintsOpenBreaches(),
        RequestsOnTime(),
        IKMScore(),
        NightUptake(),
    )
}


def register(indicator: Indicator) -> None:
    INDICATORS[indicator.id] = indicator


def indicator_get(indicator_id: str) -> Indicator | None:
    return INDICATORS.get(indicator_id)


def _register_outreach() -> None:
    """Outreach and socialization indicators, when those apps are installed."""
    from django.apps import apps

    if apps.is_installed("balai.outreach") and apps.is_installed("balai.announcements"):
        from . import indicators_outreach  # noqa: F401  (registers its indicators)


_register_outreach()
