"""A tiny Kota Bontang (WITA, UTC+8), written by hand, for November 2026 (and October before it).

Now: Thu 26 Nov 2026 12.00 WITA.

Complaints (received; first response; status; OPD; deadlines)
  c1 2 Nov 08.00  whatsapp  +2 h    closed      Dinkes  response due 3 Nov 08.00
  c2 5 Nov 09.00  phone     +30 h   responded   Dinkes  resolution due 20 Nov: open, past it
  c3 10 Nov 20.00 whatsapp  none    assigned    Kec.    response due 11 Nov 20.00: past it
  c4 20 Nov 07.00 portal    +1 h    rejected    -       (not handled)
  c5 25 Nov 10.00 phone     +4 h    responded   Kec.    resolution due 5 Dec
  c6 15 Nov 10.00 whatsapp  +1 h    paused      Dinkes  resolution due 20 Nov (paused: waits)
  c7 10 Oct 10.00 phone     +10 h   closed      Dinkes
  c8 20 Oct 10.00 whatsapp  +48 h   responded   Kec.    resolution due 30 Oct: open, past it
Service requests (ready; due): r1 3 Nov / 5 Nov, r2 12 Nov / 10 Nov (late), r3 20 Nov 10.00 /
  20 Nov 10.00 (on time: ready at the due moment), r4 not ready, r5 15 Oct / 14 Oct (late).
  r1, r2 at the kecamatan office; r3 at the Tanjung Laut Indah office.
SKM: unit Kecamatan: all 4, all 3; unit Tanjung Laut Indah: all 2 (November); October: all 4.
Outreach: program "Layanan Keliling" at kecamatan level (3 kecamatan, target: all), held on
  6 Oct at 64.74.01, 10 Nov (40 people) and 17 Nov (25) at
  64.74.02; planned 8 Dec at 64.74.03 (published). Event visits in November: KTP-el x2, KK x1.
Announcements: campaign "Layanan malam" delivered 3 in November (1 read), 1 in October,
  1 still queued.
Night visits: kecamatan office 3 Nov 19.30 x2, 10 Nov 19.30, 24 Nov 20.00 x2; Tanjung Laut
  Indah 17 Nov 19.00; regular hours at the kecamatan office 3 Nov 10.00 x2; October: 14 Oct
  at the kecamatan office. Threshold: 1 night visit a week.
"""

import datetime as dt
from decimal import Decimal

import pytest

from balai.accounts.choices import Role
from balai.catalog.models import Service, StandardVersion
from balai.complaints.models import Complaint
from balai.evaluation.periods import Period
from balai.organizations.models import OPD, OpeningRule, ServicePoint, Unit
from balai.service_requests.models import ServiceRequest
from balai.visits.models import SurveyResponse, UptakeSettings, Visit

WITA = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=WITA)
NOVEMBER = Period.containing("month", dt.date(2026, 11, 1))
H = dt.timedelta(hours=1)


def at(month, day, hour, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WITA)


@pytest.fixture
def opds(bontang):
    return {o.short_name: o for o in OPD.objects.filter(pemda=bontang)}


@pytest.fixture
def points(bontang, opds):
    kec = opds["Kec. Bontang Selatan"]
    made = {}
    for key, name, code, kind in [
        ("kec", "Kantor Kecamatan Bontang Selatan", "64.74.02", "kantor_kecamatan"),
        ("tli", "Kantor Kelurahan Tanjung Laut Indah", "64.74.02.1006", "kantor_kelurahan"),
    ]:
        unit = Unit.objects.create(
            pemda=bontang, opd=kec, name=f"Unit {name}", kind=kind, region_id=code
        )
        point = ServicePoint.objects.create(
            pemda=bontang, unit=unit, slug=key, name=name, kind=kind, region_id=code
        )
        OpeningRule.objects.create(
            point=point, session_kind="night", weekday=1, start=dt.time(19), end=dt.time(22)
        )
        made[key] = point
    return made


def complaint(pemda, opd, received, response_after, status, channel, **extra):
    return Complaint.objects.create(
        pemda=pemda,
        opd=opd,
        channel=channel,
        description="(isi aduan)",
        reporter_name="Warga Rahasia",
        reporter_phone="+6281200000000",
        status=status,
        received_at=received,
        first_response_at=received + response_after if response_after is not None else None,
        response_due_at=received + 24 * H,
        resolution_due_at=extra.pop("resolution_due", received + 24 * 14 * H),
        **extra,
    )


@pytest.fixture
def complaints(bontang, opds):
    dinkes, kec = opds["Dinkes"], opds["Kec. Bontang Selatan"]
    return {
        "c1": complaint(
            bontang, dinkes, at(11, 2, 8), 2 * H, "closed", "whatsapp", resolved_at=at(11, 3, 8)
        ),
        "c2": complaint(
            bontang,
            dinkes,
            at(11, 5, 9),
            30 * H,
            "responded",
            "phone",
            resolution_due=at(11, 20, 9),
        ),
        "c3": complaint(bontang, kec, at(11, 10, 20), None, "assigned", "whatsapp"),
        "c4": complaint(bontang, None, at(11, 20, 7), 1 * H, "rejected", "portal"),
        "c5": complaint(
            bontang,
            kec,
            at(11, 25, 10),
            4 * H,
            "responded",
            "phone",
            resolution_due=at(12, 5, 10),
        ),
        "c6": complaint(
            bontang,
            dinkes,
            at(11, 15, 10),
            1 * H,
            "paused",
            "whatsapp",
            resolution_due=at(11, 20, 10),
            paused_at=at(11, 16, 10),
            pause_reason="budget",
        ),
        "c7": complaint(
            bontang, dinkes, at(10, 10, 10), 10 * H, "closed", "phone", resolved_at=at(10, 11, 8)
        ),
        "c8": complaint(
            bontang,
            kec,
            at(10, 20, 10),
            48 * H,
            "responded",
            "whatsapp",
            resolution_due=at(10, 30, 10),
        ),
    }


@pytest.fixture
def requests_(bontang, opds, points):
    service = Service.objects.create(
        pemda=bontang,
        code="ktp",
        name="KTP-el",
        category="adminduk",
        opd=opds["Kec. Bontang Selatan"],
    )
    standard = StandardVersion.objects.create(
        service=service,
        version=1,
        status="published",
        effective_from=dt.date(2026, 1, 1),
        procedure="-",
        processing_time=2,
        processing_unit="working_days",
        product="KTP-el",
        complaints_handling="-",
    )
    rows = {}
    for key, point, submitted, due, ready in [
        ("r1", "kec", at(11, 2, 9), at(11, 5, 9), at(11, 3, 9)),
        ("r2", "kec", at(11, 6, 9), at(11, 10, 9), at(11, 12, 9)),
        ("r3", "tli", at(11, 18, 10), at(11, 20, 10), at(11, 20, 10)),
        ("r4", "tli", at(11, 24, 10), at(11, 26, 10), None),
        ("r5", "kec", at(10, 12, 10), at(10, 14, 10), at(10, 15, 10)),
    ]:
        rows[key] = ServiceRequest.objects.create(
            pemda=bontang,
            service=service,
            standard=standard,
            point=points[point],
            channel="counter",
            applicant_name="Pemohon Rahasia",
            applicant_phone="+6281299999999",
            status="ready" if ready else "in_process",
            submitted_at=submitted,
            clock_started_at=submitted,
            due_at=due,
            ready_at=ready,
        )
    return rows


@pytest.fixture
def survey(bontang, points):
    def answer(point, when, score):
        return SurveyResponse.objects.create(
            pemda=bontang,
            point=point,
            unit=point.unit,
            channel="paper",
            answered_at=when,
            occupation="swasta",
            **{f"u{i}": score for i in range(1, 10)},
        )

    return [
        answer(points["kec"], at(11, 3, 10), 4),
        answer(points["kec"], at(11, 4, 10), 3),
        answer(points["tli"], at(11, 5, 10), 2),
        answer(points["kec"], at(10, 5, 10), 4),
    ]


@pytest.fixture
def night(bontang, points):
    UptakeSettings.objects.create(pemda=bontang, min_night_visits_per_week=Decimal(1))
    made = []
    for point, when, session, n in [
        ("kec", at(11, 3, 19, 30), "night", 2),
        ("kec", at(11, 10, 19, 30), "night", 1),
        ("kec", at(11, 24, 20), "night", 2),
        ("tli", at(11, 17, 19), "night", 1),
        ("kec", at(11, 3, 10), "regular", 2),
        ("kec", at(10, 14, 19, 30), "night", 1),
    ]:
        for _ in range(n):
            made.append(
                Visit.objects.create(
                    pemda=bontang,
                    point=points[point],
                    visited_at=when,
                    session_kind=session,
                    occupation="swasta",
                    village_id=points[point].region_id if point == "tli" else None,
                )
            )
    return made


@pytest.fixture
def outreach(bontang, points):
    from balai.outreach.models import Event, Program

    program = Program.objects.create(
        pemda=bontang,
        name="Layanan Keliling",
        slug="keliling",
        venue_level="kecamatan",
        target_year=2026,
        target_all=True,
    )
    for day, code, status, people in [
        (dt.date(2026, 10, 6), "64.74.01", "held", 30),
        (dt.date(2026, 11, 10), "64.74.02", "held", 40),
        (dt.date(2026, 11, 17), "64.74.02", "held", 25),
        (dt.date(2026, 12, 8), "64.74.03", "planned", None),
    ]:
        Event.objects.create(
            pemda=bontang,
            program=program,
            date=day,
            venue_id=code,
            status=status,
            attendance=people,
            published=True,
        )
    ktp = Service.objects.get_or_create(
        pemda=bontang,
        code="ktp",
        defaults={"name": "KTP-el", "category": "adminduk", "opd": points["kec"].unit.opd},
    )[0]
    kk = Service.objects.create(
        pemda=bontang,
        code="kk",
        name="Kartu Keluarga",
        category="adminduk",
        opd=points["kec"].unit.opd,
    )
    for when, service in [(at(11, 10, 9), ktp), (at(11, 10, 10), ktp), (at(11, 17, 9), kk)]:
        visit = Visit.objects.create(
            pemda=bontang,
            point=points["kec"],
            visited_at=when,
            session_kind="event",
            occupation="petani",
        )
        visit.services.add(service)
    return program


@pytest.fixture
def announcements(bontang):
    from balai.announcements.models import Campaign, Delivery

    campaign = Campaign.objects.create(
        pemda=bontang, title="Layanan malam", body="Kantor buka malam", status="sent"
    )
    for i, (delivered, read) in enumerate(
        [
            (at(11, 2, 10), at(11, 2, 11)),
            (at(11, 2, 10), None),
            (at(11, 3, 10), None),
            (at(10, 30, 10), None),
            (None, None),
        ]
    ):
        Delivery.objects.create(
            campaign=campaign,
            channel="whatsapp",
            address=f"+62812000000{i}",
            idempotency_key=f"k{i}",
            status="read" if read else "delivered" if delivered else "queued",
            delivered_at=delivered,
            read_at=read,
        )
    return campaign


@pytest.fixture
def everything(complaints, requests_, survey, night, outreach, announcements):
    return True


@pytest.fixture
def leader(bontang, make_member):
    return make_member(bontang, Role.LEADERSHIP, username="walikota")


@pytest.fixture
def admin(bontang, make_member):
    return make_member(bontang, Role.PEMDA_ADMIN, username="admin-bontang")
