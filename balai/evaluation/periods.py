"""Evaluation periods (month, quarter, year, custom) in the Pemda's local dates, and the one
before each, which the dashboard compares with."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

KINDS = {
    "month": _("Month"),
    "quarter": _("Quarter"),
    "year": _("Year"),
    "custom": _("Custom"),
}
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def _month_start(day: dt.date, months_back: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """[start, end], both local dates, both included."""

    kind: str
    start: dt.date
    end: dt.date

    @classmethod
    def containing(cls, kind: str, day: dt.date) -> Period:
        if kind == "month":
            start = day.replace(day=1)
            return cls(kind, start, _month_start(day, -1) - dt.timedelta(days=1))
        if kind == "quarter":
            start = dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
            return cls(kind, start, _month_start(start, -3) - dt.timedelta(days=1))
        if kind == "year":
            return cls(kind, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
        raise ValueError(f"Unknown period kind {kind!r}.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: the previous month, quarter or year; for a custom period,
        as many days right before it."""
        if self.kind in ("month", "quarter", "year"):
            return Period.containing(self.kind, self.start - dt.timedelta(days=1))
        return Period(
            self.kind,
            self.start - dt.timedelta(days=self.days),
            self.start - dt.timedelta(days=1),
        )

    def next(self) -> Period:
        if self.kind in ("month", "quarter", "year"):
            return Period.containing(self.kind, self.end + dt.timedelta(days=1))
        return Period(
            self.kind, self.end + dt.timedelta(days=1), self.end + dt.timedelta(days=self.days)
        )

    def bounds(self, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[local start 00.00, local day after the end 00.00) as aware datetimes."""
        return (
            dt.datetime.combine(self.start, dt.time(0), tz),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(0), tz),
        )

    @property
    def key(self) -> str:
        """Stable text for cache keys and URLs."""
        return f"{self.kind}:{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    def query(self) -> dict[str, str]:
        """The GET parameters that select this period again."""
        if self.kind == "custom":
            return {
                "period": "custom",
                "start": f"{self.start:%Y-%m-%d}",
                "end": f"{self.end:%Y-%m-%d}",
            }
        return {"period": self.kind, "date": f"{self.start:%Y-%m-%d}"}

    @property
    def label(self) -> str:
        """Indonesian, as written in a report: "November 2026", "Triwulan IV 2026"."""
        if self.kind == "month":
            return f"{MONTHS_ID[self.start.month - 1]} {self.start.year}"
        if self.kind == "quarter":
            roman = ("I", "II", "III", "IV")[(self.start.month - 1) // 3]
            return f"Triwulan {roman} {self.start.year}"
        if self.kind == "year":
            return f"Tahun {self.start.year}"
        return f"{_day(self.start)} s.d. {_day(self.end)}"


def _day(day: dt.date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def period_from_query(params, today: dt.date) -> Period:
    """The period a query string asks for; the current month when it asks for nothing valid.
    A custom period longer than 3 years or ending before it starts falls back too."""
    kind = params.get("period") or "month"
    try:
        if kind == "custom":
            start = dt.date.fromisoformat(params.get("start", ""))
            end = dt.date.fromisoformat(params.get("end", ""))
            if end < start or (end - start).days > 366 * 3:
                raise ValueError
            return Period("custom", start, end)
        day = dt.date.fromisoformat(params["date"]) if params.get("date") else today
        return Period.containing(kind, day)
    except (ValueError, KeyError):
        return Period.containing("month", today)
