"""A plausible evaluation scene for one Pemda (simulated, deterministic from the random seed):
complaints across OPDs and channels, service requests, SKM answers and night-service visits
over this month and the one before; mobile service days (a kecamatan program with a coverage
target, a kelurahan program without one) with the visits logged there; and two announcement
campaigns with their deliveries (simulated addresses). Used by the browser test's
screenshots; never in production code paths.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from balai.announcements.models import Campaign, Delivery
from balai.catalog.models import Service, StandardVersion
from balai.complaints.models import Complaint, new_tracking_code
from balai.evaluation.cache import data_changed
from balai.organizations.models import OPD, OpeningRule, ServicePoint, Unit
from balai.outreach.models import Event, Program
from balai.regions.models import Region
from balai.service_requests.models import ServiceRequest
from balai.visits.models import SurveyResponse, UptakeSettings, Visit

H = dt.timedelta(hours=1)
SERVICES = [
    ("ktp", "KTP-el", "adminduk"),
    ("kk", "Kartu Keluarga", "adminduk"),
    ("akta", "Akta kelahiran", "adminduk"),
    ("sktm", "Surat keterangan tidak mampu", "surat"),
    ("sku", "Surat keterangan usaha", "surat"),
    ("domisili", "Surat keterangan domisili", "surat"),
]
OPDS = [("PUPR Perkim", 30), ("PDAM", 18), ("DLH", 14), ("Dishub", 10), ("Dinkes", 8)]


def evaluation_scene(pemda, rng: random.Random, *, kecamatan_code: str, now=None) -> None:
    now = now or timezone.now()
    kecamatan = OPD.objects.filter(pemda=pemda, kind="kecamatan").first() or OPD.objects.create(
        pemda=pemda, name="Kecamatan", short_name="Kecamatan", kind="kecamatan"
    )
    opds = {}
    for name, _weight in OPDS:
        opds[name] = OPD.objects.filter(pemda=pemda, short_name=name).first() or (
            OPD.objects.create(pemda=pemda, name=name, short_name=name, kind="dinas")
        )
    villages = list(Region.objects.filter(parent_id=kecamatan_code).order_by("code"))
    points = []
    for i, region in enumerate([Region.objects.get(code=kecamatan_code), *villages[:5]]):
        kind = "kantor_kecamatan" if i == 0 else "kantor_kelurahan"
        prefix = "Kantor Kecamatan" if i == 0 else "Kantor Kelurahan"
        unit = Unit.objects.create(
            pemda=pemda, opd=kecamatan, name=f"{prefix} {region.name}", kind=kind, region=region
        )
        point = ServicePoint.objects.create(
            pemda=pemda,
            unit=unit,
            slug=f"p{i}",
            name=f"{prefix} {region.name}",
            kind=kind,
            region=region,
        )
        for weekday in range(5):
            OpeningRule.objects.create(
                point=point,
                session_kind="night",
                weekday=weekday,
                start=dt.time(19),
                end=dt.time(22),
            )
        points.append(point)
    UptakeSettings.objects.update_or_create(pemda=pemda, defaults={"min_night_visits_per_week": 3})
    services = [
        Service.objects.create(pemda=pemda, code=c, name=n, category=k, opd=kecamatan)
        for c, n, k in SERVICES
    ]
    standards = {
        s.pk: StandardVersion.objects.create(
            service=s,
            version=1,
            status="published",
            effective_from=dt.date(2020, 1, 1),
            procedure="-",
            processing_time=3,
            processing_unit="working_days",
            product=s.name,
            complaints_handling="-",
        )
        for s in services
    }
    days = 55
    complaints = []
    names, weights = zip(*OPDS, strict=True)
    for _ in range(150):
        received = now - dt.timedelta(minutes=rng.randint(60, days * 24 * 60))
        answered = rng.random() < 0.93
        hours = rng.choice([rng.uniform(0.3, 8), rng.uniform(8, 23), rng.uniform(24, 60)])
        first = received + hours * H if answered and received + hours * H < now else None
        status = (
            rng.choice(["closed", "approved", "in_progress", "responded"]) if first else "assigned"
        )
        if first and rng.random() < 0.06:
            status = "paused"
        complaints.append(
            Complaint(
                pemda=pemda,
                tracking_code=new_tracking_code(),
                channel=rng.choices(["whatsapp", "phone", "messenger", "portal"], [45, 35, 12, 8])[
                    0
                ],
                description="(simulasi)",
                opd=opds[rng.choices(names, weights)[0]],
                region=rng.choice(villages) if villages else None,
                status=status,
                received_at=received,
                first_response_at=first,
                response_due_at=received + 24 * H,
                resolution_due_at=received + rng.choice([7, 10, 14]) * 24 * H,
                resolved_at=received + 5 * 24 * H if status in ("closed", "approved") else None,
                paused_at=(first + H) if status == "paused" else None,
                pause_reason="budget" if status == "paused" else "",
            )
        )
    Complaint.objects.bulk_create(complaints)
    visits = []
    night_weights = [30, 12, 8, 5, 2, 1]
    for _ in range(420):
        when = now - dt.timedelta(days=rng.uniform(0, days))
        night = rng.random() < 0.45
        point = rng.choices(points, night_weights if night else [30, 20, 15, 15, 10, 10])[0]
        local = when.astimezone(dt.timezone(dt.timedelta(hours=8)))
        hour = rng.randint(19, 21) if night else rng.randint(8, 14)
        when = local.replace(hour=hour, minute=rng.randint(0, 59))
        if when > now:
            when -= dt.timedelta(days=1)
        visits.append(
            Visit(
                pemda=pemda,
                point=point,
                visited_at=when,
                session_kind="night" if night else "regular",
                occupation=rng.choice(["swasta", "pns", "wiraswasta", "nelayan", "irt"]),
                village=point.region if point.region.level == 4 else None,
            )
        )
    Visit.objects.bulk_create(visits)
    _outreach(pemda, rng, kecamatan_code, villages, now)
    through = Visit.services.through
    through.objects.bulk_create(
        [
            through(visit_id=v.pk, service_id=rng.choices(services, [40, 25, 10, 10, 8, 7])[0].pk)
            for v in Visit.objects.filter(pemda=pemda)
        ]
    )
    responses = []
    for _ in range(120):
        point = rng.choice(points)
        base = rng.choice([3, 3, 4, 4, 2]) if point != points[2] else rng.choice([2, 3])
        responses.append(
            SurveyResponse(
                pemda=pemda,
                point=point,
                unit=point.unit,
                channel="paper",
                answered_at=now - dt.timedelta(days=rng.uniform(0, days)),
                **{f"u{i}": max(1, min(4, base + rng.choice([0, 0, 1, -1]))) for i in range(1, 10)},
            )
        )
    SurveyResponse.objects.bulk_create(responses)
    requests = []
    for _ in range(90):
        service = rng.choice(services)
        submitted = now - dt.timedelta(days=rng.uniform(3, days))
        due = submitted + 3 * 24 * H
        ready = submitted + rng.uniform(1, 4.2) * 24 * H
        requests.append(
            ServiceRequest(
                pemda=pemda,
                service=service,
                standard=standards[service.pk],
                point=rng.choice(points),
                channel="counter",
                tracking_code=new_tracking_code(),
                status="ready" if ready < now else "in_process",
                submitted_at=submitted,
                clock_started_at=submitted,
                due_at=due,
                ready_at=ready if ready < now else None,
            )
        )
    ServiceRequest.objects.bulk_create(requests)
    _announcements(pemda, rng, now)
    data_changed(pemda.id)


WITA = dt.timezone(dt.timedelta(hours=8))


def _outreach(pemda, rng: random.Random, kecamatan_code: str, villages, now) -> None:
    """Service days: "Adminduk Keliling" goes to every kecamatan once a year (2 of 3 reached,
    the third planned next month); "Layanan Keliling Kelurahan" (no target) visits kelurahan.
    Each held day in the last weeks has visits logged (session "event"; services follow)."""
    today = now.astimezone(WITA).date()
    kecamatan = list(
        Region.objects.filter(code__startswith=f"{pemda.region_id}.", level=3).order_by("code")
    )
    adminduk = Program.objects.create(
        pemda=pemda,
        name="Adminduk Keliling",
        slug="adminduk-keliling",
        venue_level="kecamatan",
        target_year=today.year,
        target_all=True,
    )
    kelurahan = Program.objects.create(
        pemda=pemda, name="Layanan Keliling Kelurahan", slug="keliling-kelurahan"
    )
    others = [k for k in kecamatan if k.code != kecamatan_code]
    this_year = (today - dt.date(today.year, 1, 1)).days  # the first visit: earlier this year
    days = [
        # (program, venue, days ago (negative: ahead), status, attendance)
        (adminduk, others[0], min(230, this_year), "held", 140),
        (adminduk, Region.objects.get(code=kecamatan_code), 12, "held", 95),
        (adminduk, others[-1], -11, "planned", None),
    ]
    for i, village in enumerate(villages[:5]):
        days.append((kelurahan, village, 45 - 9 * i, "held", rng.randint(30, 70)))
    days.append((kelurahan, villages[0], -4, "confirmed", None))
    for program, venue, ago, status, people in days:
        event = Event.objects.create(
            pemda=pemda,
            program=program,
            date=today - dt.timedelta(days=ago),
            start_time=dt.time(8),
            end_time=dt.time(13),
            venue=venue,
            status=status,
            attendance=people,
            published=True,
        )
        if status != "held" or ago > 55:
            continue
        logged = []
        for _ in range(int(people * rng.uniform(0.45, 0.7))):
            when = dt.datetime.combine(event.date, dt.time(8), WITA) + dt.timedelta(
                minutes=rng.randint(0, 290)
            )
            logged.append(
                Visit(
                    pemda=pemda,
                    event=event,
                    visited_at=when,
                    session_kind="event",
                    occupation=rng.choice(["petani", "nelayan", "irt", "swasta", "pelajar"]),
                    village=venue if venue.level == 4 else rng.choice(villages),
                )
            )
        Visit.objects.bulk_create(logged)


def _announcements(pemda, rng: random.Random, now) -> None:
    """Two campaigns sent to RT/RW heads and subscribers (WhatsApp, SMS, e-mail): most messages
    delivered, some read, a few failed; the addresses are simulated."""
    for title, ago, recipients in [
        ("Kantor kelurahan kini buka malam", 38, 160),
        ("Jadwal Adminduk Keliling dan layanan malam", 9, 260),
    ]:
        sent = now - dt.timedelta(days=ago, hours=rng.randint(0, 6))
        campaign = Campaign.objects.create(
            pemda=pemda,
            title=title,
            body="(simulasi)",
            status="sent",
            session_kind="night",
            published_at=sent,
            sent_at=sent,
            is_simulated=True,
        )
        rows = []
        for i in range(recipients):
            channel = rng.choices(["whatsapp", "sms", "email"], [70, 20, 10])[0]
            at = sent + dt.timedelta(minutes=rng.randint(1, 240))
            failed = rng.random() < 0.05
            read = not failed and channel != "sms" and rng.random() < 0.55
            rows.append(
                Delivery(
                    campaign=campaign,
                    channel=channel,
                    address=f"sim-{campaign.pk}-{i}@contoh.invalid"
                    if channel == "email"
                    else f"+628110{campaign.pk:03d}{i:04d}",
                    idempotency_key=f"sim:{campaign.pk}:{i}",
                    status="failed" if failed else "read" if read else "delivered",
                    attempts=1,
                    created_at=sent,
                    sent_at=sent,
                    delivered_at=None if failed else at,
                    read_at=at + dt.timedelta(hours=rng.uniform(0.2, 20)) if read else None,
                    failed_at=at if failed else None,
                )
            )
        Delivery.objects.bulk_create(rows)
