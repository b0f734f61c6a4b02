"""The two clocks of a complaint: response (around the clock) and resolution (working days)."""

from __future__ import annotations

import datetime as dt

from balai.core.calendars import WorkingCalendar
from balai.organizations.selectors import pemda_calendar

from .models import Category, Complaint, ComplaintSettings

EMERGENCY_MIN_HOURS = 4


def complaint_settings(pemda) -> ComplaintSettings:
    settings, _ = ComplaintSettings.objects.get_or_create(pemda=pemda)
    return settings


def response_due(
    *,
    received_at: dt.datetime,
    category: Category | None,
    settings: ComplaintSettings,
    calendar: WorkingCalendar,
) -> dt.datetime:
    """Due time of the first response: N hours around the clock; emergencies the same day.

    An emergency is due at the end of the local day it arrived, but never sooner than four
    hours after it arrived (a report at 23.00 is due at 03.00).
    """
    hours = (
        category.response_hours if category and category.response_hours else None
    ) or settings.response_hours
    due = calendar.add_clock_hours(received_at, hours)
    if category is not None and category.is_emergency:
        local = received_at.astimezone(calendar.tz)
        end_of_day = dt.datetime.combine(
            local.date() + dt.timedelta(days=1), dt.time(0), calendar.tz
        )
        floor = calendar.add_clock_hours(received_at, EMERGENCY_MIN_HOURS)
        due = min(due, max(end_of_day.astimezone(dt.UTC), floor))
    return due


def resolution_due(
    *,
    start: dt.datetime,
    category: Category | None,
    settings: ComplaintSettings,
    calendar: WorkingCalendar,
) -> dt.datetime:
    days = (
        category.resolution_working_days if category and category.resolution_working_days else None
    ) or settings.resolution_working_days
    return calendar.add_working_days(start, days)


def durations(complaint: Complaint, now: dt.datetime) -> dict[str, float | None]:
    """Raw and net (pause-excluded) hours from receipt to first response and to resolution."""
    paused = complaint.paused_seconds + (
        (now - complaint.paused_at).total_seconds() if complaint.paused_at else 0
    )

    def hours(end):
        return None if end is None else (end - complaint.received_at).total_seconds() / 3600

    resolved_raw = hours(complaint.resolved_at)
    return {
        "response_hours": hours(complaint.first_response_at),
        "resolution_hours_raw": resolved_raw,
        "resolution_hours_net": None if resolved_raw is None else resolved_raw - paused / 3600,
        "paused_hours": paused / 3600,
    }


def calendar_for(complaint: Complaint) -> WorkingCalendar:
    return pemda_calendar(complaint.pemda)
