"""The 24-hour program's evaluation for a period: the figures Bangli's leadership asked for.

Everything is computed from the complaints themselves; nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import OPEN_STATUSES, Channel, PauseReason, Status
from .models import Complaint

HANDLED = ~Q(status__in=[Status.REJECTED, Status.FORWARDED])
RESOLVED = Q(status__in=[Status.APPROVED, Status.CLOSED])


@dataclass
class ComplaintEvaluation:
    start: dt.date
    end: dt.date  # exclusive
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    handled: int = 0  # received minus rejected and forwarded
    responded: int = 0
    responded_within_24h: int = 0
    median_response_hours: float | None = None
    p90_response_hours: float | None = None
    resolved: int = 0
    paused: int = 0
    paused_by_reason: dict[str, int] = field(default_factory=dict)
    breaches_by_opd: list[tuple[str, int]] = field(default_factory=list)
    breaches_by_category: list[tuple[str, int]] = field(default_factory=list)
    breaches_by_kecamatan: list[tuple[str, int]] = field(default_factory=list)
    by_opd: list[tuple[str, int]] = field(default_factory=list)

    @property
    def share_within_24h(self) -> float | None:
        return self.responded_within_24h / self.handled if self.handled else None

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def summary(self) -> str:
        """One sentence, in the active language, like the program's own evaluation."""
        if not self.received:
            return _("No complaints in this period.")
        parts = [
            ngettext(
                "%(n)d complaint in %(days)d days",
                "%(n)d complaints in %(days)d days",
                self.received,
            )
            % {"n": self.received, "days": self.days}
        ]
        if self.handled and self.responded == self.handled:
            parts.append(_("all of them responded to"))
        else:
            parts.append(
                _("%(r)d of %(h)d responded to") % {"r": self.responded, "h": self.handled}
            )
        if self.share_within_24h is not None:
            parts.append(
                _("%(pct)d%% within 24 hours") % {"pct": round(self.share_within_24h * 100)}
            )
        parts.append(_("%(n)d resolved") % {"n": self.resolved})
        if self.paused:
            parts.append(_("%(n)d waiting for budget, procurement or others") % {"n": self.paused})
        if self.by_opd:
            parts.append(_("busiest OPD: %(opd)s") % {"opd": self.by_opd[0][0]})
        return ", ".join(parts) + "."


def breach_q(now: dt.datetime) -> Q:
    """Complaints that missed a deadline: answered or resolved late, or still overdue now."""
    running = Q(status__in=OPEN_STATUSES - {Status.PAUSED, Status.RESOLVED})
    return (
        Q(first_response_at__gt=F("response_due_at"))
        | Q(first_response_at__isnull=True, response_due_at__lt=now) & running
        | Q(resolved_at__gt=F("resolution_due_at"))
        | Q(resolved_at__isnull=True, resolution_due_at__lt=now) & running
    )


def complaint_evaluation(
    *, pemda, start: dt.date, end: dt.date, tz, now: dt.datetime | None = None
) -> ComplaintEvaluation:
    """Figures for complaints received from `start` up to (not including) `end`, local dates."""
    since = dt.datetime.combine(start, dt.time(0), tz)
    until = dt.datetime.combine(end, dt.time(0), tz)
    period = Complaint.objects.filter(pemda=pemda, received_at__gte=since, received_at__lt=until)
    result = ComplaintEvaluation(start=start, end=end)
    totals = period.aggregate(
        received=Count("id"),
        handled=Count("id", filter=HANDLED),
        responded=Count("id", filter=HANDLED & Q(first_response_at__isnull=False)),
        within=Count(
            "id",
            filter=HANDLED & Q(first_response_at__lte=F("received_at") + dt.timedelta(hours=24)),
        ),
        resolved=Count("id", filter=RESOLVED),
        paused=Count("id", filter=Q(status=Status.PAUSED)),
    )
    result.received = totals["received"]
    result.handled = totals["handled"]
    result.responded = totals["responded"]
    result.responded_within_24h = totals["within"]
    result.resolved = totals["resolved"]
    result.paused = totals["paused"]
    channels = dict(period.values_list("channel").annotate(n=Count("id")).order_by())
    result.by_channel = {value: channels.get(value, 0) for value in Channel.values}
    reasons = dict(
        period.filter(status=Status.PAUSED)
        .values_list("pause_reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    result.paused_by_reason = {
        value: reasons[value] for value in PauseReason.values if reasons.get(value)
    }
    hours = sorted(
        (responded - received).total_seconds() / 3600
        for received, responded in period.filter(first_response_at__isnull=False).values_list(
            "received_at", "first_response_at"
        )
    )
    if hours:
        result.median_response_hours = statistics.median(hours)
        result.p90_response_hours = _percentile(hours, 0.9)
    result.by_opd = _ranked(period.filter(opd__isnull=False), "opd__short_name")
    breached = period.filter(breach_q(now or timezone.now()))
    result.breaches_by_opd = _ranked(breached.filter(opd__isnull=False), "opd__short_name")
    result.breaches_by_category = _ranked(breached.filter(category__isnull=False), "category__name")
    result.breaches_by_kecamatan = _ranked(
        breached.filter(region__isnull=False), "region__parent__name"
    )
    return result


def _ranked(queryset, field_name: str) -> list[tuple[str, int]]:
    rows = queryset.values_list(field_name).annotate(n=Count("id")).order_by("-n", field_name)
    return [(name, n) for name, n in rows]


def _percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (the same as numpy's default)."""
    position = (len(sorted_values) - 1) * q
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def kecamatan_map(*, pemda, start: dt.date, end: dt.date, tz, now=None) -> dict:
    """A GeoJSON FeatureCollection of the Pemda's kecamatan with complaints and breaches."""
    from balai.regions.models import Region, RegionBoundary

    since = dt.datetime.combine(start, dt.time(0), tz)
    until = dt.datetime.combine(end, dt.time(0), tz)
    period = Complaint.objects.filter(pemda=pemda, received_at__gte=since, received_at__lt=until)
    breach = breach_q(now or timezone.now())
    counts: dict[str, list[int]] = {}
    for field_name, level in (("region__parent_id", 4), ("region_id", 3)):
        rows = (
            period.filter(region__level=level)
            .values_list(field_name)
            .annotate(n=Count("id"), late=Count("id", filter=breach))
            .order_by()
        )
        for code, n, late in rows:
            total = counts.setdefault(code, [0, 0])
            total[0] += n
            total[1] += late
    kecamatan = Region.objects.filter(parent=pemda.region_id, level=3).only("code", "name")
    shapes = dict(
        RegionBoundary.objects.filter(region__in=kecamatan).values_list("region_id", "geometry")
    )
    features = [
        {
            "type": "Feature",
            "geometry": shapes[k.code],
            "properties": {
                "code": k.code,
                "name": k.name,
                "complaints": counts.get(k.code, [0, 0])[0],
                "breaches": counts.get(k.code, [0, 0])[1],
            },
        }
        for k in kecamatan
        if k.code in shapes
    ]
    return {"type": "FeatureCollection", "features": features}
