"""Opening hours of a service point, in the Pemda's own time zone.

The rules, applied to one local date:

1. The point's weekly `OpeningRule` rows for that weekday whose period (`valid_from`,
   `valid_until`, both inclusive, either open-ended) contains the date. A point with no rules at
   all follows the Pemda's working hours (Perpres 21/2023 unless the Pemda set its own) as
   regular sessions.
2. On a holiday of the Pemda (national, cuti bersama, local; `pemda_calendar(...).holiday_name`)
   the weekly rules do not apply: the point is closed unless an exception opens it.
3. A closed `OpeningException` (`is_open=False`) closes *its session kind* on that date: the
   whole day for that kind when it has no hours, otherwise only the window it names. Other
   session kinds (e.g. the night service) stay open.
4. An open `OpeningException` adds its interval, holiday or not.
5. Overlapping or touching intervals of the same session kind are merged.

Every function takes and returns aware datetimes; results are in the Pemda's zone. For many
days or many points build a `Schedule` once with `schedule_for` (rules, exceptions and the
calendar are loaded then; prefetched `opening_rules` / `opening_exceptions` are used as given).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from balai.core.calendars import WorkingCalendar

from .choices import SessionKind

Interval = tuple[dt.datetime, dt.datetime, str]  # (start, end, session_kind)

SEARCH_DAYS = 60  # how far `next_opening` and `open_now` look ahead


@dataclass(frozen=True)
class _Rule:
    weekday: int
    start: dt.time
    end: dt.time
    kind: str
    valid_from: dt.date | None
    valid_until: dt.date | None

    def applies(self, day: dt.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


@dataclass(frozen=True)
class _Exception:
    is_open: bool
    kind: str
    start: dt.time | None
    end: dt.time | None
    note: str


@dataclass(frozen=True)
class DaySchedule:
    """One local date of a point's week: its intervals and, on a holiday, the holiday's name."""

    day: dt.date
    intervals: list[Interval]
    holiday: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return bool(self.intervals)

    @property
    def has_night_session(self) -> bool:
        return any(kind == SessionKind.NIGHT for _, _, kind in self.intervals)


@dataclass(frozen=True)
class Schedule:
    """Everything needed to compute a point's hours on any date, without further queries."""

    tz: ZoneInfo
    calendar: WorkingCalendar
    rules: tuple[_Rule, ...]
    exceptions: dict[dt.date, tuple[_Exception, ...]]

    def intervals_on(self, day: dt.date) -> list[Interval]:
        tz = self.tz
        holiday = self.calendar.holiday_name(day)
        exceptions = self.exceptions.get(day, ())
        spans: dict[str, list[tuple[dt.time, dt.time]]] = defaultdict(list)
        if holiday is None:
            for rule in self.rules:
                if rule.applies(day):
                    spans[rule.kind].append((rule.start, rule.end))
        for exc in exceptions:
            if not exc.is_open:
                if exc.start is None or exc.end is None:
                    spans.pop(exc.kind, None)
                else:
                    spans[exc.kind] = _cut(spans.get(exc.kind, []), exc.start, exc.end)
        for exc in exceptions:
            if exc.is_open and exc.start is not None and exc.end is not None:
                spans[exc.kind].append((exc.start, exc.end))
        result: list[Interval] = []
        for kind, times in spans.items():
            for start, end in _merge(times):
                result.append(
                    (dt.datetime.combine(day, start, tz), dt.datetime.combine(day, end, tz), kind)
                )
        result.sort(key=lambda interval: (interval[0], interval[1]))
        return result

    def day(self, day: dt.date) -> DaySchedule:
        return DaySchedule(
            day=day,
            intervals=self.intervals_on(day),
            holiday=self.calendar.holiday_name(day),
            notes=[exc.note for exc in self.exceptions.get(day, ()) if exc.note],
        )

    def intervals_from(self, instant: dt.datetime, days: int = SEARCH_DAYS):
        """Intervals that end after `instant`, in order, over `days` local dates (unclipped)."""
        local = _local(instant, self.tz)
        first = local.date()
        for offset in range(days + 1):
            for interval in self.intervals_on(first + dt.timedelta(days=offset)):
                if interval[1] > local:
                    yield interval

    def open_now(self, at: dt.datetime) -> tuple[bool, str | None, dt.datetime | None]:
        local = _local(at, self.tz)
        for start, end, kind in self.intervals_on(local.date()):
            if start <= local < end:
                return True, kind, end
        following = self.next_opening(local)
        return False, None, following[0] if following else None

    def next_opening(self, after: dt.datetime) -> Interval | None:
        local = _local(after, self.tz)
        for interval in self.intervals_from(local):
            if interval[0] > local:
                return interval
        return None

    def week(self, from_day: dt.date, days: int = 7) -> list[DaySchedule]:
        return [self.day(from_day + dt.timedelta(days=offset)) for offset in range(days)]


def _local(instant: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("Opening hours need an aware datetime.")
    return instant.astimezone(tz)


def _merge(times: Iterable[tuple[dt.time, dt.time]]) -> list[tuple[dt.time, dt.time]]:
    merged: list[tuple[dt.time, dt.time]] = []
    for start, end in sorted(times):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _cut(
    times: Iterable[tuple[dt.time, dt.time]], cut_start: dt.time, cut_end: dt.time
) -> list[tuple[dt.time, dt.time]]:
    kept = []
    for start, end in times:
        if end <= cut_start or start >= cut_end:
            kept.append((start, end))
            continue
        if start < cut_start:
            kept.append((start, cut_start))
        if end > cut_end:
            kept.append((cut_end, end))
    return kept


def _prefetched(point, name: str):
    cache = getattr(point, "_prefetched_objects_cache", {})
    return cache.get(name)


def schedule_for(
    point,
    *,
    calendar: WorkingCalendar | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Schedule:
    """Load a point's hours once: rules, exceptions (within `since`..`until` when given) and
    the Pemda's calendar (pass `calendar` to share one between points of the same Pemda).

    Queries: rules 1, exceptions 1 (0 each when prefetched), calendar 2 unless given, and the
    point's Pemda 1 unless loaded (`select_related("pemda")`).
    """
    from .selectors import pemda_calendar

    if calendar is None:
        calendar = pemda_calendar(point.pemda)
    rule_rows = _prefetched(point, "opening_rules")
    if rule_rows is None:
        rule_rows = point.opening_rules.all()
    rules = tuple(
        _Rule(r.weekday, r.start, r.end, r.session_kind, r.valid_from, r.valid_until)
        for r in rule_rows
    )
    if not rules:
        rules = tuple(
            _Rule(weekday, start, end, SessionKind.REGULAR, None, None)
            for weekday, intervals in calendar.weekly.items()
            for start, end in intervals
        )
    exception_rows = _prefetched(point, "opening_exceptions")
    if exception_rows is None:
        exception_rows = point.opening_exceptions.all()
        if since is not None:
            exception_rows = exception_rows.filter(date__gte=since)
        if until is not None:
            exception_rows = exception_rows.filter(date__lte=until)
    exceptions: dict[dt.date, list[_Exception]] = defaultdict(list)
    for e in exception_rows:
        exceptions[e.date].append(_Exception(e.is_open, e.session_kind, e.start, e.end, e.note))
    return Schedule(
        tz=ZoneInfo(calendar.timezone),
        calendar=calendar,
        rules=rules,
        exceptions={day: tuple(rows) for day, rows in exceptions.items()},
    )


# -- one-call helpers -------------------------------------------------------------------------


def intervals_on(point, day: dt.date, *, calendar: WorkingCalendar | None = None) -> list[Interval]:
    """The point's open intervals on a local date: [(start, end, session_kind)], in order."""
    return schedule_for(point, calendar=calendar, since=day, until=day).intervals_on(day)


def open_now(
    point, at: dt.datetime, *, calendar: WorkingCalendar | None = None
) -> tuple[bool, str | None, dt.datetime | None]:
    """(open?, session kind, until): when open, the end of the current interval; when closed,
    the start of the next opening within 60 days (None if there is none)."""
    local_day = _local(at, ZoneInfo(point.pemda.timezone)).date()
    schedule = schedule_for(
        point,
        calendar=calendar,
        since=local_day,
        until=local_day + dt.timedelta(days=SEARCH_DAYS),
    )
    return schedule.open_now(at)


def next_opening(
    point, after: dt.datetime, *, calendar: WorkingCalendar | None = None
) -> Interval | None:
    """The first interval starting strictly after `after`, within 60 days, or None."""
    local_day = _local(after, ZoneInfo(point.pemda.timezone)).date()
    schedule = schedule_for(
        point,
        calendar=calendar,
        since=local_day,
        until=local_day + dt.timedelta(days=SEARCH_DAYS),
    )
    return schedule.next_opening(after)


def week_schedule(
    point, from_day: dt.date, *, days: int = 7, calendar: WorkingCalendar | None = None
) -> list[DaySchedule]:
    """`days` local dates from `from_day`: intervals, holiday name and exception notes."""
    schedule = schedule_for(
        point, calendar=calendar, since=from_day, until=from_day + dt.timedelta(days=days)
    )
    return schedule.week(from_day, days)
