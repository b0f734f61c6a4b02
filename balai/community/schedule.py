"""Time arithmetic of community spaces: weekly activities unfolded into occurrences, overlaps.

Activities are kept as local wall-clock times ("every Friday 13.00-15.00") in the Pemda's zone;
bookings as UTC instants. An occurrence is an activity on one local date, as two aware
datetimes in the Pemda's zone, so both compare directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Occurrence:
    activity: object  # an Activity
    starts_at: dt.datetime
    ends_at: dt.datetime


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start, b_end) -> bool:
    """Half-open intervals [start, end): touching ends do not overlap."""
    return a_start < b_end and b_start < a_end


def runs_on(activity, day: dt.date) -> bool:
    if day < activity.valid_from or (activity.valid_until and day > activity.valid_until):
        return False
    return day.weekday() in activity.weekdays


def occurrences(
    activities: Iterable, first: dt.date, last: dt.date, tz: ZoneInfo
) -> list[Occurrence]:
    """Every occurrence of `activities` on the local dates first..last, in time order."""
    found = []
    activities = list(activities)
    day = first
    while day <= last:
        for activity in activities:
            if runs_on(activity, day):
                found.append(
                    Occurrence(
                        activity,
                        dt.datetime.combine(day, activity.start_time, tz),
                        dt.datetime.combine(day, activity.end_time, tz),
                    )
                )
        day += dt.timedelta(days=1)
    found.sort(key=lambda o: (o.starts_at, o.ends_at))
    return found


def occurrences_between(
    activities: Iterable, start: dt.datetime, end: dt.datetime, tz: ZoneInfo
) -> list[Occurrence]:
    """Occurrences that overlap the instant interval [start, end)."""
    first = start.astimezone(tz).date()
    last = end.astimezone(tz).date()
    return [
        o
        for o in occurrences(activities, first, last, tz)
        if overlaps(o.starts_at, o.ends_at, start, end)
    ]


def activities_clash(a, b) -> bool:
    """Whether two weekly activities ever run at the same time (same day, overlapping hours,
    overlapping periods)."""
    if not set(a.weekdays) & set(b.weekdays):
        return False
    if not (a.start_time < b.end_time and b.start_time < a.end_time):
        return False
    far = dt.date.max
    return a.valid_from <= (b.valid_until or far) and b.valid_from <= (a.valid_until or far)
