"""Outreach (mobile service days) and socialization indicators, built on the outreach and
announcements apps (`outreach.coverage.coverage_summary` for the target line).

- coverage: places (desa for village programs, kecamatan for kecamatan programs) reached by a
  held event of each targeted program from 1 January up to the end of the period, against the
  program's target line on that day;
- events held in the period, per program;
- visits at events in the period, and the services most sought there;
- socialization reach: announcement messages delivered in the period, per campaign.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from balai.announcements.models import Delivery
from balai.organizations.choices import SessionKind
from balai.outreach.choices import EventStatus, VenueLevel
from balai.outreach.coverage import PLANNED, coverage_summary
from balai.outreach.models import Event, Program
from balai.regions.choices import Kind, Level
from balai.visits.models import Visit

from .indicators import Indicator, Value, local, register

TOP = 5


def _n(value, places: int = 0) -> str:
    """A number written the Indonesian way in the report's sentences (1.234; 2,7)."""
    return number_format(value, places, force_grouping=True, use_l10n=True)


def _never_reached(place: str, distance: float | None, planned: dt.date | None) -> str:
    """ "Desa X (Kec. Y), 17 km dari pusat pemerintahan; dijadwalkan 08-12-2026" """
    text = place
    if distance is not None:  # unknown for kecamatan, and for desa without a centroid
        text += f", {_n(round(distance))} km dari pusat pemerintahan"
    if planned:
        text += f"; dijadwalkan {planned:%d-%m-%Y}"
    return text


def _targeted(pemda):
    return Program.objects.filter(pemda=pemda, is_active=True).filter(
        Q(target_all=True) | Q(target_count__isnull=False)
    )


def _place_q(pemda) -> Q:
    """The venue is one of the places its program covers (as `coverage.places_of`)."""
    inside = Q(venue__code__startswith=f"{pemda.region_id}.", venue__is_active=True)
    kecamatan = Q(program__venue_level=VenueLevel.KECAMATAN, venue__level=Level.KECAMATAN)
    village = (
        ~Q(program__venue_level=VenueLevel.KECAMATAN)
        & Q(venue__level=Level.DESA_KELURAHAN)
        & ~Q(venue__kind=Kind.KELURAHAN)
    )
    return inside & (kecamatan | village)


class OutreachCoverage(Indicator):
    id = "outreach_coverage"
    program = "outreach"
    program_label = _("Outreach")
    label = _("Places reached this year")
    columns = ("Program", "Tempat", "Kecamatan", "Pertama kali (tahun ini)")
    breakdown_columns = (_("Program"), _("Reached"), _("Target line"), _("Places"))

    def _held(self, scope, period):
        return Event.objects.filter(
            pemda=scope.pemda,
            program__in=_targeted(scope.pemda),
            status=EventStatus.HELD,
            date__gte=dt.date(period.end.year, 1, 1),
            date__lte=period.end,
        ).filter(_place_q(scope.pemda))

    def compute(self, scope, period):
        reached = dict(
            self._held(scope, period)
            .values_list("program_id")
            .annotate(n=Count("venue_id", distinct=True))
            .order_by()
        )
        breakdown, line_total, places_total, far = [], Decimal(0), 0, []
        for program in _targeted(scope.pemda).select_related("pemda").order_by("name"):
            summary = coverage_summary(program, period.end.year)
            by_village = program.venue_level != VenueLevel.KECAMATAN
            # (place, km or None, the planned date or None); a desa is named with its kecamatan
            far += [
                (
                    f"{program.name}: {p.name}"
                    + (f" (Kec. {p.kecamatan})" if p.kecamatan and by_village else ""),
                    p.distance_km,
                    p.date if p.status == PLANNED else None,
                )
                for p in summary.never_reached[:TOP]
            ]
            line = Decimal(summary.target_on(period.end)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            breakdown.append((program.name, reached.get(program.pk, 0), line, summary.total))
            line_total += line
            places_total += summary.total
        total = sum(reached.values())
        note = ""
        if breakdown:
            note = str(_("target line %(line)s of %(places)s")) % {
                "line": _n(line_total, 1),
                "places": _n(places_total),
            }
        return Value(number=total, count=total, note=note, breakdown=breakdown, series=far)

    def rows(self, scope, period):
        return (
            self._held(scope, period)
            .values("program__name", "venue__name", "venue__parent__name")
            .annotate(first=Min("date"))
            .order_by("program__name", "first", "venue__name")
        )

    def row(self, r, scope):
        return [r["program__name"], r["venue__name"], r["venue__parent__name"] or "", r["first"]]

    def findings(self, value, period):
        """Villages not yet reached, farthest first, per targeted program (evidence: names)."""
        out = []
        for name, reached, line, places in value.breakdown:
            if reached < line:
                out.append(
                    (
                        f"Cakupan di bawah garis target: {name}",
                        [
                            f"{_n(reached)} dari {_n(places)} tempat sudah dikunjungi sampai "
                            f"{period.end:%d-%m-%Y}; garis target {_n(line, 1)}."
                        ],
                        "warning",
                    )
                )
        if value.series:
            out.append(
                (
                    "Tempat yang belum pernah dikunjungi (terjauh lebih dulu)",
                    [_never_reached(*place) for place in value.series],
                    "warning",
                )
            )
        return out

    def sentence(self, value, period):
        if not value.breakdown:
            return ""
        parts = [
            f"{name}: {_n(reached)} dari {_n(places)} tempat sudah dikunjungi tahun ini "
            f"(garis target {_n(line, 1)})"
            for name, reached, line, places in value.breakdown
        ]
        return "; ".join(parts) + "."


class OutreachEvents(Indicator):
    id = "outreach_events"
    program = "outreach"
    program_label = _("Outreach")
    label = _("Service days held")
    columns = ("Tanggal", "Program", "Tempat", "Pengunjung")
    breakdown_columns = (_("Program"), _("Held"), _("Attendance"))

    def _base(self, scope, period):
        return Event.objects.filter(
            pemda=scope.pemda,
            status=EventStatus.HELD,
            date__gte=period.start,
            date__lte=period.end,
        )

    def compute(self, scope, period):
        rows = (
            self._base(scope, period)
            .values_list("program__name")
            .annotate(n=Count("id"), people=Sum("attendance"))
            .order_by("program__name")
        )
        breakdown = [(name, n, people) for name, n, people in rows]
        total = sum(r[1] for r in breakdown)
        return Value(number=total, count=total, breakdown=breakdown)

    def sentence(self, value, period):
        if not value.number:
            return ""
        people = sum(p or 0 for _name, _n_held, p in value.breakdown)
        per_program = ", ".join(f"{name} {_n(held)}" for name, held, _p in value.breakdown)
        text = f"{_n(value.number)} hari layanan terlaksana pada {period.label}"
        if people:
            text += f" dengan {_n(people)} pengunjung tercatat"
        return f"{text} ({per_program})."

    def rows(self, scope, period):
        return (
            self._base(scope, period)
            .select_related("program", "venue")
            .only("date", "place", "attendance", "program__name", "venue__name")
            .order_by("date", "slot", "id")
        )

    def row(self, e, scope):
        return [
            e.date,
            e.program.name,
            e.venue.name if e.venue else e.place,
            e.attendance,
        ]


class EventVisits(Indicator):
    """Visits logged at mobile service events in the period, and the services most sought."""

    id = "outreach_event_visits"
    program = "outreach"
    program_label = _("Outreach")
    label = _("Visits at service days")
    columns = ("Waktu", "Tempat layanan", "Desa/kelurahan", "Pekerjaan", "Hasil")
    breakdown_columns = (_("Service most sought"), _("Visits"))

    def _base(self, scope, period):
        since, until = scope.bounds(period)
        return Visit.objects.filter(
            pemda=scope.pemda,
            session_kind=SessionKind.EVENT,
            visited_at__gte=since,
            visited_at__lt=until,
        )

    def compute(self, scope, period):
        total = self._base(scope, period).count()
        since, until = scope.bounds(period)
        top = (
            Visit.services.through.objects.filter(
                visit__pemda=scope.pemda,
                visit__session_kind=SessionKind.EVENT,
                visit__visited_at__gte=since,
                visit__visited_at__lt=until,
            )
            .values_list("service__name")
            .annotate(n=Count("id"))
            .order_by("-n", "service__name")[:TOP]
        )
        return Value(number=total, count=total, breakdown=[(name, n) for name, n in top])

    def sentence(self, value, period):
        if not value.number:
            return ""
        text = f"{_n(value.number)} kunjungan dilayani di hari layanan"
        if value.breakdown:
            sought = ", ".join(f"{name} ({_n(n)})" for name, n in value.breakdown[:3])
            text += f"; layanan yang paling banyak dicari: {sought}"
        return text + "."

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


class SocializationReach(Indicator):
    """Announcement messages delivered in the period (WhatsApp, SMS, e-mail), per campaign.
    The list names the campaign and channel only, never the address."""

    id = "socialization_reach"
    program = "socialization"
    program_label = _("Socialization")
    label = _("Announcement messages delivered")
    columns = ("Diterima", "Pengumuman", "Kanal", "Dibaca")
    breakdown_columns = (_("Campaign"), _("Delivered"), _("Read"))

    def _base(self, scope, period):
        since, until = scope.bounds(period)
        return Delivery.objects.filter(
            campaign__pemda=scope.pemda, delivered_at__gte=since, delivered_at__lt=until
        )

    def compute(self, scope, period):
        rows = (
            self._base(scope, period)
            .values_list("campaign__title")
            .annotate(n=Count("id"), read=Count("id", filter=Q(read_at__isnull=False)))
            .order_by("-n", "campaign__title")
        )
        breakdown = [(title, n, read) for title, n, read in rows]
        total = sum(r[1] for r in breakdown)
        return Value(number=total, count=total, breakdown=breakdown)

    def sentence(self, value, period):
        if not value.number:
            return ""
        read = sum(r for _title, _n_delivered, r in value.breakdown)
        campaigns = len(value.breakdown)
        title, most, _read = value.breakdown[0]
        text = (
            f"{_n(value.number)} pesan pengumuman diterima ({_n(read)} dibaca) "
            f"dari {_n(campaigns)} pengumuman"
        )
        if campaigns > 1:
            text += f"; terbanyak \u201c{title}\u201d ({_n(most)})"
        return text + "."

    def rows(self, scope, period):
        return (
            self._base(scope, period)
            .select_related("campaign")
            .only("delivered_at", "channel", "read_at", "campaign__title")
            .order_by("delivered_at", "id")
        )

    def row(self, d, scope):
        return [
            local(d.delivered_at, scope.tz),
            d.campaign.title,
            str(d.get_channel_display()),
            "Ya" if d.read_at else "Tidak",
        ]


def upcoming_events(pemda, today: dt.date, limit: int = 10) -> list[dict]:
    """Published, public, upcoming service days for the transparency page (no names)."""
    rows = (
        Event.objects.filter(
            pemda=pemda,
            published=True,
            program__is_public=True,
            date__gte=today,
            status__in=(EventStatus.PLANNED, EventStatus.CONFIRMED),
        )
        .select_related("program", "venue")
        .order_by("date", "slot", "id")[:limit]
    )
    return [
        {
            "date": e.date,
            "title": e.program.name,
            "place": e.venue.name if e.venue else e.place,
        }
        for e in rows
    ]


for _indicator in (OutreachCoverage(), OutreachEvents(), EventVisits(), SocializationReach()):
    register(_indicator)
