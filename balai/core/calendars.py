"""Working time for a Pemda: every clock in Balai asks this module.

A `WorkingCalendar` answers, in the Pemda's own time zone:
- `add_clock_hours(start, n)`: N hours around the clock (Bangli's 24-hour rule);
- `add_working_hours(start, n)`: N hours counted only inside working hours;
- `add_working_days(start, n)`: the close of the N-th working day after the start's day;
- `is_working_moment(instant)` and `working_hours_between(a, b)`.
Holidays are the national days and cuti bersama (`holidays`, categories public and
government), plus the Pemda's own closed days, minus days it opened explicitly.
All inputs and outputs are aware datetimes; results are returned in UTC.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

Interval = tuple[dt.time, dt.time]

# Perpres 21/2023: 37.5 hours a week from 07.30, Monday to Friday, with a midday break
# (longer on Friday for the Friday prayer).
PERPRES_21_2023_HOURS: dict[int, tuple[Interval, ...]] = {
    **{
        day: ((dt.time(7, 30), dt.time(12, 0)), (dt.time(13, 0), dt.time(16, 0)))
        for day in range(4)
    },
    4: ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(16, 30))),
}

_MAX_DAYS = 3 * 366  # a clock that finds no working time in three years is misconfigured


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[dt.date, str]:
    """Indonesia's public holidays and cuti bersama for one year."""
    return dict(holidays.country_holidays("ID", years=year, categories=("public", "government")))


def _aware(instant: dt.datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("Working-time calculations need an aware datetime.")


@dataclass(frozen=True)
class WorkingCalendar:
    """The working calendar of one Pemda."""

    timezone: str
    weekly: Mapping[int, tuple[Interval, ...]] = field(
        default_factory=lambda: PERPRES_21_2023_HOURS
    )
    closed_days: frozenset[dt.date] = frozenset()
    open_days: frozenset[dt.date] = frozenset()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    # -- days -------------------------------------------------------------------------------
    def holiday_name(self, day: dt.date) -> str | None:
        if day in self.open_days:
            return None
        if day in self.closed_days:
            return "local"
        return national_holidays(day.year).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.weekly.get(day.weekday())) and self.holiday_name(day) is None

    def intervals_on(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The working intervals of a local date, as aware datetimes in the Pemda's zone."""
        if not self.is_working_day(day):
            return []
        tz = self.tz
        return [
            (dt.datetime.combine(day, start, tz), dt.datetime.combine(day, end, tz))
            for start, end in self.weekly[day.weekday()]
        ]

    def _intervals_from(self, instant: dt.datetime) -> Iterator[tuple[dt.datetime, dt.datetime]]:
        """Working intervals (clipped) from an instant onwards, in order."""
        local = instant.astimezone(self.tz)
        day = local.date()
        idle = 0  # days in a row without working time
        while idle < _MAX_DAYS:
            found = False
            for start, end in self.intervals_on(day):
                if end <= local:
                    continue
                found = True
                yield max(start, local), end
            idle = 0 if found else idle + 1
            day += dt.timedelta(days=1)
        raise ValueError("No working time found within three years: check the calendar.")

    # -- clocks -----------------------------------------------------------------------------
    def add_clock_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        _aware(start)
        return (start + dt.timedelta(hours=hours)).astimezone(dt.UTC)

    def add_working_hours(self, start: dt.datetime, hours: float) -> dt.datetime:
        _aware(start)
        if hours < 0:
            raise ValueError("hours must not be negative")
        remaining = dt.timedelta(hours=hours)
        if not remaining:
            return start.astimezone(dt.UTC)
        for begin, end in self._intervals_from(start):
            span = end - begin
            if remaining <= span:
                return (begin + remaining).astimezone(dt.UTC)
            remaining -= span
        raise AssertionError("unreachable")  # pragma: no cover

    def add_working_days(self, start: dt.datetime, days: int) -> dt.datetime:
        """The close of business of the N-th working day after the start's local date."""
        _aware(start)
        if days < 1:
            raise ValueError("days must be at least 1")
        day = start.astimezone(self.tz).date()
        counted = 0
        for _ in range(_MAX_DAYS):
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return self.intervals_on(day)[-1][1].astimezone(dt.UTC)
        raise ValueError("No working day found within three years: check the calendar.")

    def is_working_moment(self, instant: dt.datetime) -> bool:
        _aware(instant)
        local = instant.astimezone(self.tz)
        return any(start <= local < end for start, end in self.intervals_on(local.date()))

    def working_hours_between(self, start: dt.datetime, end: dt.datetime) -> float:
        """Working hours between two instants (0 when end is not after start)."""
        _aware(start)
        _aware(end)
        if end <= start:
            return 0.0
        total = dt.timedelta()
        for begin, stop in self._intervals_from(start):
            if begin >= end:
                break
            total += min(stop, end) - begin
        return total.total_seconds() / 3600


def weekly_from_rows(
    rows: Iterable[tuple[int, dt.time, dt.time]],
) -> dict[int, tuple[Interval, ...]]:
    weekly: dict[int, list[Interval]] = {}
    for weekday, start, end in sorted(rows):
        weekly.setdefault(weekday, []).append((start, end))
    return {day: tuple(intervals) for day, intervals in weekly.items()}
