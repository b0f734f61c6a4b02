"""How the night service is taken up, per office: the evaluation Bontang's leadership asked for.

Everything comes from aggregate queries (counts grouped in the database, weeks and hours taken
in the Pemda's zone); Python only arranges the grouped rows. Findings are sentences computed
from the figures, each with the filter of the visit list behind it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractHour, TruncWeek
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from balai.core import permissions
from balai.core.choices import Occupation
from balai.organizations.choices import SessionKind
from balai.organizations.models import ServicePoint

from .models import AreaPopulation, UptakeSettings, Visit
from .selectors import period_bounds

SESSIONS = (SessionKind.REGULAR, SessionKind.NIGHT, SessionKind.EVENT)
TREND_WEEKS = 2  # the trend compares the last two full weeks with the two before


@dataclass
class OfficeUptake:
    point: ServicePoint
    by_session: dict[str, int]
    by_week_night: dict[dt.date, int]
    occupations: Counter
    population: int | None
    night_rules: int
    night_per_week: Decimal = Decimal(0)
    night_per_1000: Decimal | None = None
    visits_per_1000: Decimal | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_session.values())

    @property
    def night(self) -> int:
        return self.by_session.get(SessionKind.NIGHT, 0)

    @property
    def regular(self) -> int:
        return self.by_session.get(SessionKind.REGULAR, 0)

    @property
    def event(self) -> int:
        return self.by_session.get(SessionKind.EVENT, 0)


@dataclass(frozen=True)
class Finding:
    text: str
    link: dict[str, str]  # query of the visit list behind it
    severity: str = "info"  # "warning" for a low-uptake flag


@dataclass
class Uptake:
    start: dt.date
    end: dt.date
    weeks: Decimal
    settings: UptakeSettings
    offices: list[OfficeUptake]
    weeks_axis: list[dt.date]
    by_week: dict[dt.date, dict[str, int]]
    by_hour: dict[int, dict[str, int]]
    occupation_mix: list[tuple[str, str, Decimal, Decimal, int, int]]
    launch: dt.date | None
    trend: list[tuple[dt.date, int]]
    findings: list[Finding]

    @property
    def total(self) -> int:
        return sum(o.total for o in self.offices)

    @property
    def night_total(self) -> int:
        return sum(o.night for o in self.offices)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _share(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _per_1000(count: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return (Decimal(count) * 1000 / population).quantize(Decimal("0.01"), ROUND_HALF_UP)


def uptake_settings_for(pemda) -> UptakeSettings:
    """The Pemda's thresholds; the defaults (unsaved) when it has not set its own."""
    return UptakeSettings.objects.filter(pemda=pemda).first() or UptakeSettings(pemda=pemda)


def _visible_points(user, pemda) -> list[tuple[ServicePoint, int]]:
    points = (
        ServicePoint.objects.filter(pemda=pemda, is_active=True)
        .select_related("region", "unit")
        .annotate(
            night_rules=Count(
                "opening_rules", filter=Q(opening_rules__session_kind=SessionKind.NIGHT)
            )
        )
        .order_by("name")
    )
    return [
        (point, point.night_rules)
        for point in points
        if permissions.can_view(user, Visit(pemda_id=pemda.pk, point=point))
    ]


def uptake_evaluation(user, pemda, *, start: dt.date, end: dt.date) -> Uptake:
    """Uptake per office and session in [start, end] (local dates, inclusive). Ten queries."""
    tz = ZoneInfo(pemda.timezone)
    since, until = period_bounds(start, end, tz)
    settings = uptake_settings_for(pemda)
    base = permissions.visible(user, Visit.objects.filter(pemda=pemda, point__isnull=False))
    period = base.filter(visited_at__gte=since, visited_at__lt=until)
    weekly = TruncWeek("visited_at", tzinfo=tz)

    # 1. per office, week and session
    grid = (
        period.annotate(week=weekly)
        .values("point_id", "week", "session_kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_point: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SESSIONS, 0))
    by_point_week_night: dict[int, dict[dt.date, int]] = defaultdict(dict)
    by_week: dict[dt.date, dict[str, int]] = {}
    for row in grid:
        week = _as_date(row["week"])
        by_point[row["point_id"]][row["session_kind"]] += row["n"]
        by_week.setdefault(week, dict.fromkeys(SESSIONS, 0))[row["session_kind"]] += row["n"]
        if row["session_kind"] == SessionKind.NIGHT:
            by_point_week_night[row["point_id"]][week] = row["n"]

    # 2. per hour of the day (local) and session
    by_hour = {hour: dict.fromkeys(SESSIONS, 0) for hour in range(24)}
    for row in (
        period.annotate(hour=ExtractHour("visited_at", tzinfo=tz))
        .values("hour", "session_kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_hour[row["hour"]][row["session_kind"]] += row["n"]

    # 3. occupations per office, and per session (night against regular hours)
    occupations_by_point: dict[int, Counter] = defaultdict(Counter)
    by_session_occupation: dict[str, Counter] = defaultdict(Counter)
    for row in (
        period.values("point_id", "session_kind", "occupation").annotate(n=Count("id")).order_by()
    ):
        occupations_by_point[row["point_id"]][row["occupation"]] += row["n"]
        by_session_occupation[row["session_kind"]][row["occupation"]] += row["n"]

    # 4-5. the offices and their areas' populations
    points = _visible_points(user, pemda)
    populations = dict(
        AreaPopulation.objects.filter(
            region_id__in={p.region_id for p, _rules in points}
        ).values_list("region_id", "population")
    )

    days = (end - start).days + 1
    weeks = (Decimal(days) / 7).quantize(Decimal("0.1"), ROUND_HALF_UP)
    offices = []
    for point, night_rules in points:
        sessions = by_point.get(point.pk, dict.fromkeys(SESSIONS, 0))
        if not night_rules and not any(sessions.values()):
            continue
        office = OfficeUptake(
            point=point,
            by_session=sessions,
            by_week_night=by_point_week_night.get(point.pk, {}),
            occupations=occupations_by_point.get(point.pk, Counter()),
            population=populations.get(point.region_id),
            night_rules=night_rules,
        )
        office.night_per_week = (Decimal(office.night) * 7 / days).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )
        office.night_per_1000 = _per_1000(office.night, office.population)
        office.visits_per_1000 = _per_1000(office.total, office.population)
        offers_night = night_rules > 0 or office.night > 0
        if offers_night and office.night_per_week < settings.min_night_visits_per_week:
            office.flags.append("per_week")
        if (
            offers_night
            and office.night_per_1000 is not None
            and office.night_per_1000 < settings.min_night_visits_per_1000
        ):
            office.flags.append("per_1000")
        offices.append(office)

    # 6-7. the launch (first night visit ever) and the weekly trend since
    launch_at = base.filter(session_kind=SessionKind.NIGHT).aggregate(first=Min("visited_at"))
    launch = launch_at["first"].astimezone(tz).date() if launch_at["first"] else None
    trend = []
    if launch is not None:
        counts = {
            _as_date(row["week"]): row["n"]
            for row in base.filter(
                session_kind=SessionKind.NIGHT,
                visited_at__gte=period_bounds(_week_start(launch), end, tz)[0],
                visited_at__lt=until,
            )
            .annotate(week=weekly)
            .values("week")
            .annotate(n=Count("id"))
            .order_by()
        }
        week = _week_start(launch)
        while week <= end:
            trend.append((week, counts.get(week, 0)))
            week += dt.timedelta(days=7)

    weeks_axis = []
    week = _week_start(start)
    while week <= end:
        weeks_axis.append(week)
        week += dt.timedelta(days=7)

    night_mix = by_session_occupation.get(SessionKind.NIGHT, Counter())
    day_mix = by_session_occupation.get(SessionKind.REGULAR, Counter())
    night_total, day_total = sum(night_mix.values()), sum(day_mix.values())
    occupation_mix = [
        (
            value,
            str(label),
            _share(night_mix[value], night_total),
            _share(day_mix[value], day_total),
            night_mix[value],
            day_mix[value],
        )
        for value, label in Occupation.choices
        if night_mix[value] or day_mix[value]
    ]
    uptake = Uptake(
        start=start,
        end=end,
        weeks=weeks,
        settings=settings,
        offices=offices,
        weeks_axis=weeks_axis,
        by_week=by_week,
        by_hour=by_hour,
        occupation_mix=occupation_mix,
        launch=launch,
        trend=trend,
        findings=[],
    )
    uptake.findings = _findings(uptake, night_total=night_total, day_total=day_total)
    return uptake


# -- findings ----------------------------------------------------------------------------------
def _occupation_label(value: str) -> str:
    return str(Occupation(value).label).lower() if value in Occupation.values else value


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return _("%(first)s and %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _number(value: Decimal) -> str:
    value = value.normalize() if value == value.to_integral() else value
    return number_format(value, force_grouping=True)


def _link(uptake: Uptake, **extra) -> dict[str, str]:
    query = {"start": f"{uptake.start:%Y-%m-%d}", "end": f"{uptake.end:%Y-%m-%d}"}
    query.update({key: str(value) for key, value in extra.items() if value})
    return query


def _findings(uptake: Uptake, *, night_total: int, day_total: int) -> list[Finding]:
    findings: list[Finding] = []
    settings = uptake.settings
    weeks = _number(uptake.weeks)
    if not night_total:
        findings.append(
            Finding(
                _("No night-service visit was logged in this period."),
                _link(uptake, session=SessionKind.NIGHT),
                "warning",
            )
        )
    low = sorted(
        (o for o in uptake.offices if o.flags), key=lambda o: (o.night_per_week, o.point.name)
    )
    for office in low:
        ranked = sorted(office.occupations.items(), key=lambda item: (-item[1], item[0]))
        top = [_occupation_label(value) for value, _n in ranked[:2]]
        text = ngettext(
            "%(office)s: %(count)s night-service visitor in %(weeks)s weeks",
            "%(office)s: %(count)s night-service visitors in %(weeks)s weeks",
            office.night,
        ) % {"office": office.point.name, "count": office.night, "weeks": weeks}
        if "per_1000" in office.flags:
            text += _(" (%(rate)s per 1,000 residents)") % {"rate": _number(office.night_per_1000)}
        if top:
            text += _("; most of its visitors are %(occupations)s") % {"occupations": _join(top)}
        text += "."
        findings.append(
            Finding(text, _link(uptake, point=office.point.slug, session="night"), "warning")
        )
    if night_total:
        busiest = max(uptake.offices, key=lambda o: (o.night, o.point.name))
        findings.append(
            Finding(
                _("Most night-service visitors: %(office)s, %(count)s (%(rate)s a week).")
                % {
                    "office": busiest.point.name,
                    "count": busiest.night,
                    "rate": _number(busiest.night_per_week),
                },
                _link(uptake, point=busiest.point.slug, session="night"),
            )
        )
    gap = Decimal(settings.occupation_gap_points)
    if night_total and day_total:
        more = [row for row in uptake.occupation_mix if row[2] - row[3] >= gap]
        fewer = [row for row in uptake.occupation_mix if row[3] - row[2] >= gap]
        for value, _label, night_share, day_share, _n, _d in more:
            findings.append(
                Finding(
                    _(
                        "Night service draws %(occupation)s: %(night)s%% of night visitors "
                        "against %(day)s%% in regular hours."
                    )
                    % {
                        "occupation": _occupation_label(value),
                        "night": _number(night_share),
                        "day": _number(day_share),
                    },
                    _link(uptake, session="night", occupation=value),
                )
            )
        for value, _label, night_share, day_share, _n, _d in fewer:
            findings.append(
                Finding(
                    _(
                        "Few %(occupation)s use the night service: %(night)s%% of night "
                        "visitors against %(day)s%% in regular hours."
                    )
                    % {
                        "occupation": _occupation_label(value),
                        "night": _number(night_share),
                        "day": _number(day_share),
                    },
                    _link(uptake, session="regular", occupation=value),
                    "warning",
                )
            )
    full_weeks = [
        (week, n) for week, n in uptake.trend if week + dt.timedelta(days=6) <= uptake.end
    ]
    if len(full_weeks) >= 2 * TREND_WEEKS:
        recent = sum(n for _w, n in full_weeks[-TREND_WEEKS:])
        before = sum(n for _w, n in full_weeks[-2 * TREND_WEEKS : -TREND_WEEKS])
        first_week = full_weeks[-2 * TREND_WEEKS][0]
        findings.append(
            Finding(
                _(
                    "Night visits in the last two full weeks: %(recent)s; in the two weeks "
                    "before: %(before)s."
                )
                % {"recent": recent, "before": before},
                {
                    "start": f"{first_week:%Y-%m-%d}",
                    "end": f"{full_weeks[-1][0] + dt.timedelta(days=6):%Y-%m-%d}",
                    "session": "night",
                },
                "warning" if recent < before else "info",
            )
        )
    return findings
