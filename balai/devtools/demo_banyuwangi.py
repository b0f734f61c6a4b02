"""Simulated service certainty at the kantor kecamatan of Kabupaten Banyuwangi.

"Certain requirements, certain processing time, friendly service": ten services with a full
Standar Pelayanan (all 14 components), a Maklumat Pelayanan and opening hours at four kantor
kecamatan (Banyuwangi, Giri, Glagah, Kalipuro), about two months of logbook entries, the
service requests filed at the counter during those visits (most ready on time, a few late,
some waiting for documents), and the SKM answers the visitors gave. Dates are relative to the
day the demo is loaded; the random draws are fixed by the seed.
"""

from __future__ import annotations

import datetime as dt
import random

import time_machine
from django.utils import timezone

from balai.accounts.models import User
from balai.catalog.choices import DurationUnit
from balai.catalog.models import Maklumat
from balai.catalog.selectors import local_today, standard_in_force
from balai.catalog.services import maklumat_create
from balai.core.audit import audit_record
from balai.organizations.choices import ServicePointKind, SessionKind
from balai.organizations.hours import schedule_for
from balai.organizations.models import Pemda, ServicePoint, Unit
from balai.organizations.selectors import pemda_calendar
from balai.regions.choices import Level
from balai.regions.models import Region
from balai.service_requests import services as requests
from balai.service_requests.choices import Channel
from balai.visits.choices import Education, Outcome, Sex, SurveyChannel
from balai.visits.ikm import krejcie_morgan
from balai.visits.models import ELEMENTS, SurveyResponse, Visit
from balai.visits.services import VisitRow, visits_log_batch

from .demo_offices import catalog_ensure, morning_moment, pick, point_ensure, working_moment_between
from .demo_standards import BANYUWANGI_SERVICES, common_internal, complaints_text

STANDARDS_FROM = dt.date(2024, 1, 2)
DAYS = 60  # the logbook covers the 60 days before the demo is loaded

# The four kantor kecamatan: visitors per working day and who they are.
OFFICES = {
    "35.10.16": (  # Banyuwangi, the town
        12.0,
        {
            "swasta": 24,
            "wiraswasta": 22,
            "irt": 12,
            "pns": 10,
            "pelajar": 10,
            "buruh": 8,
            "pensiunan": 4,
            "tidak_bekerja": 4,
            "nelayan": 3,
            "lainnya": 3,
        },
    ),
    "35.10.17": (  # Giri
        9.0,
        {
            "swasta": 20,
            "wiraswasta": 20,
            "irt": 14,
            "buruh": 12,
            "petani": 10,
            "pelajar": 10,
            "pns": 7,
            "tidak_bekerja": 4,
            "lainnya": 3,
        },
    ),
    "35.10.15": (  # Glagah: farming villages and village tourism
        8.0,
        {
            "petani": 26,
            "wiraswasta": 20,
            "buruh": 14,
            "irt": 14,
            "swasta": 10,
            "pelajar": 8,
            "pns": 4,
            "tidak_bekerja": 4,
        },
    ),
    "35.10.21": (  # Kalipuro: the port, fishing and labour
        9.0,
        {
            "buruh": 22,
            "wiraswasta": 18,
            "nelayan": 14,
            "swasta": 14,
            "irt": 12,
            "petani": 10,
            "pelajar": 6,
            "pns": 4,
        },
    ),
}
SOUGHT = {
    "ktp-el": 20,
    "kk": 18,
    "akta-kelahiran": 10,
    "akta-kematian": 4,
    "kia": 6,
    "sku": 10,
    "domisili": 10,
    "izin-usaha-mikro": 5,
    "pengantar-skck": 8,
    "legalisir": 9,
}
OUTCOMES = {
    Outcome.SERVED: 84,
    Outcome.INCOMPLETE: 7,
    Outcome.INFORMATION: 7,
    Outcome.REFERRED: 2,
}
REQUEST_SHARE = 0.2  # of served/incomplete visits, the ones filed as a tracked request
ON_TIME = 0.9
NAMES = (
    "Agus",
    "Bambang",
    "Dewi",
    "Eko",
    "Fitri",
    "Hadi",
    "Indah",
    "Joko",
    "Lestari",
    "Nur",
    "Rina",
    "Rizky",
    "Siti",
    "Slamet",
    "Wahyu",
    "Yuli",
)
REJECTIONS = (
    "Pemohon berdomisili di kecamatan lain; diarahkan ke kantor kecamatan domisilinya.",
    "Data pada dokumen tidak sama dengan data kependudukan; pemohon diminta membetulkan "
    "data di Disdukcapil lebih dahulu.",
)
# SKM: the chance of a 4 and of a 2 per element (U1-U9); a 1 is rare; the rest are 3.
TOP = (0.42, 0.38, 0.30, 0.85, 0.40, 0.44, 0.55, 0.30, 0.33)
LOW = (0.07, 0.08, 0.12, 0.02, 0.07, 0.06, 0.05, 0.10, 0.10)
SURVEY_CHANNELS = {SurveyChannel.PAPER: 45, SurveyChannel.QR: 35, SurveyChannel.WHATSAPP: 20}
EDUCATION = {
    Education.SD: 10,
    Education.SMP: 15,
    Education.SMA: 42,
    Education.DIPLOMA: 10,
    Education.BACHELOR: 20,
    Education.POSTGRADUATE: 3,
}


def maklumat_text(office: str) -> str:
    return (
        f"Kami, seluruh pelaksana pelayanan {office}, berjanji:\n"
        "1. meminta persyaratan yang pasti, hanya yang tercantum dalam standar pelayanan;\n"
        "2. menyelesaikan setiap layanan dalam waktu yang tercantum dalam standar pelayanan;\n"
        "3. melayani dengan ramah dan menjelaskan dengan sabar kepada warga yang belum paham;\n"
        "4. tidak meminta imbalan atau biaya di luar ketentuan;\n"
        "5. membuka kantor kecamatan bagi kegiatan dan kreasi warga, termasuk internet kantor "
        "bagi pelajar, pelaku UMKM dan petani.\n"
        "Bila kami tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
        "perundang-undangan."
    )


def demo_banyuwangi_certainty(pemda: Pemda, rng: random.Random) -> dict[str, int]:
    """Create the catalog, pledges, offices and two months of activity once; returns counts
    of what was created (zeros when the activity exists already)."""
    admin = User.objects.get(username=f"{pemda.slug}.admin")
    services = catalog_ensure(
        pemda,
        BANYUWANGI_SERVICES,
        actor=admin,
        effective_from=STANDARDS_FROM,
        decree="Peraturan Bupati Banyuwangi tentang Standar Pelayanan Kecamatan (simulasi demo)",
        common=common_internal("kantor kecamatan"),
        complaints_handling=complaints_text("kantor kecamatan"),
    )
    points = _offices(pemda, services, admin)
    if Visit.objects.filter(pemda=pemda).exists():
        return {"visits": 0, "requests": 0, "responses": 0}
    today = local_today(pemda)
    first, last = today - dt.timedelta(days=DAYS), today
    visits = _visits(pemda, points, services, rng, first, last, admin)
    filed = _requests(pemda, visits, rng, admin)
    answered = _survey(pemda, points, services, rng, first, last, len(visits), admin)
    return {"visits": len(visits), "requests": filed, "responses": answered}


def _offices(pemda, services, actor) -> dict[str, ServicePoint]:
    units = {
        u.region_id: u
        for u in Unit.objects.filter(pemda=pemda, region_id__in=OFFICES).select_related("region")
    }
    points = {}
    for code in OFFICES:
        unit = units[code]
        if not Maklumat.objects.filter(unit=unit).exists():
            maklumat_create(
                actor=actor,
                unit=unit,
                text=maklumat_text(unit.name),
                signed_by=f"Camat {unit.region.name}",
                effective_from=STANDARDS_FROM,
            )
        points[code] = point_ensure(
            pemda,
            unit,
            kind=ServicePointKind.KANTOR_KECAMATAN,
            region=unit.region,
            services=list(services.values()),
            actor=actor,
        )
    return points


def _visits(pemda, points, services, rng, first, last, actor) -> list[tuple[Visit, VisitRow]]:
    villages = {
        code: list(
            Region.objects.filter(
                parent_id=code, level=Level.DESA_KELURAHAN, is_active=True
            ).order_by("code")
        )
        for code in OFFICES
    }
    saved = []
    # Today's visits up to a little before now (a request filed then is not in the future).
    cutoff = timezone.now() - dt.timedelta(minutes=20)
    base = rng.randrange(10**9)
    for code, point in points.items():
        mean, occupations = OFFICES[code]
        schedule = schedule_for(point)
        rows = []
        day = first
        while day <= last:
            # One generator per office and date: a date's visits do not depend on the others.
            day_rng = random.Random(f"{base}:{code}:{day.isoformat()}")
            regular = [
                (s, min(e, cutoff))
                for s, e, kind in schedule.intervals_on(day)
                if kind == SessionKind.REGULAR and s < cutoff - dt.timedelta(minutes=10)
            ]
            if regular:
                share = sum((e - s).total_seconds() for s, e in regular) / (7.5 * 3600)
                for _ in range(max(0, round(day_rng.gauss(mean, mean * 0.3) * min(1, share)))):
                    sought = [pick(day_rng, SOUGHT)]
                    if day_rng.random() < 0.12:
                        sought.append(pick(day_rng, SOUGHT))
                    rows.append(
                        VisitRow(
                            services=[services[c] for c in dict.fromkeys(sought)],
                            occupation=pick(day_rng, occupations),
                            outcome=pick(day_rng, OUTCOMES),
                            session_kind=SessionKind.REGULAR,
                            visited_at=morning_moment(day_rng, regular),
                            village=day_rng.choice(villages[code]),
                        )
                    )
            day += dt.timedelta(days=1)
        rows.sort(key=lambda row: row.visited_at)
        created = visits_log_batch(actor=actor, point=point, rows=rows, source="demo")
        saved.extend(zip(created, rows, strict=True))
    return saved


def _requests(pemda, visits, rng, actor) -> int:
    """Requests filed at the counter during some visits, walked through at simulated times."""
    calendar = pemda_calendar(pemda)
    now = timezone.now()
    requirements = {}
    filed = 0
    for visit, row in visits:
        if row.outcome not in (Outcome.SERVED, Outcome.INCOMPLETE):
            continue
        if rng.random() >= REQUEST_SHARE:
            continue
        service = row.services[0]
        if service.pk not in requirements:
            standard = standard_in_force(service=service, on=STANDARDS_FROM)
            requirements[service.pk] = list(standard.requirements.all())
        checklist = {r.pk: r.is_mandatory or rng.random() < 0.5 for r in requirements[service.pk]}
        incomplete = row.outcome == Outcome.INCOMPLETE
        if incomplete:
            mandatory = [r.pk for r in requirements[service.pk] if r.is_mandatory]
            checklist[rng.choice(mandatory)] = False
        at = visit.visited_at + dt.timedelta(minutes=rng.randint(2, 15))
        with time_machine.travel(at, tick=False):
            request = requests.service_request_submit(
                pemda=pemda,
                service=service,
                point=visit.point,
                channel=Channel.COUNTER,
                applicant_name=f"{rng.choice(NAMES)} {rng.choice('ABDHKMRSTW')}.",
                checklist=checklist,
                actor=actor,
                at=at,
            )
        filed += 1
        _walk(request, rng, calendar, now, actor, incomplete=incomplete)
    return filed


def _walk(request, rng, calendar, now, actor, *, incomplete: bool) -> None:
    """Documents brought later, rejection, ready (on time or late) and collection."""
    if incomplete:
        if rng.random() < 0.4:
            return  # the applicant has not come back with the missing document yet
        back = working_moment_between(
            rng,
            calendar,
            request.submitted_at + dt.timedelta(days=1),
            request.submitted_at + dt.timedelta(days=6),
        )
        if back is None or back >= now:
            return
        with time_machine.travel(back, tick=False):
            complete = dict.fromkeys(request.checklist, True)
            request = requests.service_request_complete(
                request=request, actor=actor, checklist=complete
            )
    started, due = request.clock_started_at, request.due_at
    if rng.random() < 0.015:
        at = started + dt.timedelta(minutes=rng.randint(10, 60))
        if at < now:
            with time_machine.travel(at, tick=False):
                requests.service_request_reject(
                    request=request, actor=actor, reason=rng.choice(REJECTIONS)
                )
        return
    on_time = rng.random() < ON_TIME
    if request.standard.processing_unit == DurationUnit.MINUTES:
        span = (due - started).total_seconds() / 60
        minutes = span * rng.uniform(0.3, 0.95) if on_time else span + rng.uniform(5, 45)
        ready = started + dt.timedelta(minutes=minutes)
        collected = ready + dt.timedelta(minutes=rng.randint(1, 20))
    else:
        if on_time:
            ready = working_moment_between(rng, calendar, started + dt.timedelta(minutes=30), due)
        else:
            ready = working_moment_between(rng, calendar, due, due + dt.timedelta(days=3))
        if ready is None:
            return
        collected = working_moment_between(
            rng, calendar, ready + dt.timedelta(hours=1), ready + dt.timedelta(days=7)
        )
    if ready >= now:
        return  # still in process
    with time_machine.travel(ready, tick=False):
        request = requests.service_request_ready(request=request, actor=actor)
    if collected is None or collected >= now or rng.random() < 0.1:
        return  # waiting to be collected
    with time_machine.travel(collected, tick=False):
        requests.service_request_collect(request=request, actor=actor)


def _survey(pemda, points, services, rng, first, last, transactions: int, actor) -> int:
    """SKM answers from visitors: a few more than the Krejcie-Morgan sample of the period.

    Written in one bulk insert (and one audit row), like a batch of paper questionnaires typed
    in: the scores are in range by construction, and one `survey_response_submit` per answer
    would spend seconds on its nine range checks.
    """
    calendar = pemda_calendar(pemda)
    since = dt.datetime.combine(first, dt.time(0), calendar.tz)
    until = min(
        timezone.now(), dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), calendar.tz)
    )
    target = krejcie_morgan(transactions) + rng.randint(5, 20)
    weights = {code: OFFICES[code][0] for code in points}
    rows = []
    for _ in range(target):
        code = pick(rng, weights)
        mood = rng.uniform(-0.15, 0.15)
        answers = {}
        for number, name in enumerate(ELEMENTS):
            top = min(0.95, max(0.05, TOP[number] + mood))
            low = LOW[number] + (0.05 if code == "35.10.21" and name == "u9" else 0)
            draw = rng.random()
            if draw < 0.01:
                answers[name] = 1
            elif draw < 0.01 + low:
                answers[name] = 2
            elif draw < 0.01 + low + top:
                answers[name] = 4
            else:
                answers[name] = 3
        channel = pick(rng, SURVEY_CHANNELS)
        point = points[code]
        rows.append(
            SurveyResponse(
                pemda=pemda,
                point=point,
                unit_id=point.unit_id,
                service=services[pick(rng, SOUGHT)],
                channel=channel,
                answered_at=working_moment_between(rng, calendar, since, until),
                age=int(rng.triangular(17, 72, 34)),
                sex=rng.choice((Sex.MALE, Sex.FEMALE)),
                education=pick(rng, EDUCATION),
                occupation=pick(rng, OFFICES[code][1]),
                entered_by=actor if channel == SurveyChannel.PAPER else None,
                **answers,
            )
        )
    rows.sort(key=lambda row: row.answered_at)
    SurveyResponse.objects.bulk_create(rows)
    audit_record(actor=actor, action="skm.demo", pemda=pemda, changes={"count": len(rows)})
    return len(rows)
