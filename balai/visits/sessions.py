"""Which session (regular hours, night service, event) a visit logged now belongs to.

One function, `session_kind_now`, so the rule can be swapped in one place. It asks the point's
opening hours (`balai.organizations.hours.open_now`): inside an open interval, that interval's
session kind. Outside any (a visitor served after closing time, or hours not entered), a plain
clock rule: 17.00-05.00 local time is the night service, otherwise regular hours.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from balai.organizations.choices import SessionKind

NIGHT_FROM = dt.time(17, 0)
NIGHT_UNTIL = dt.time(5, 0)


def session_kind_by_clock(local: dt.datetime) -> str:
    moment = local.time()
    night = moment >= NIGHT_FROM or moment < NIGHT_UNTIL
    return SessionKind.NIGHT if night else SessionKind.REGULAR


def session_kind_now(point, at: dt.datetime) -> str:
    """The session kind to preselect for a visit at `point` at the aware moment `at`."""
    return SessionGuesser(point)(at)


class SessionGuesser:
    """`session_kind_now` for many moments at one point: the hours are loaded once."""

    def __init__(self, point):
        self.point = point
        self._schedule = None

    def __call__(self, at: dt.datetime) -> str:
        try:
            from balai.organizations.hours import schedule_for
        except ImportError:  # opening hours not available: the clock rule alone
            schedule_for = None
        if schedule_for is not None:
            if self._schedule is None:
                self._schedule = schedule_for(self.point)
            is_open, kind, _until = self._schedule.open_now(at)
            if is_open and kind:
                return kind
        return session_kind_by_clock(at.astimezone(ZoneInfo(self.point.pemda.timezone)))
