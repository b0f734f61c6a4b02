"""Demo: Kabupaten Bekasi's Botram service days, July 2024 onwards (simulated).

"Botram" (Berkolaborasi Terus Melayani) brings many OPD and partner agencies to a kecamatan every
Saturday (Botram Kecamatan: 13 July 2024 Tarumajaya, 20 July Muaragembong, 27 July Setu, the
published dates) and, from 9 July 2024, to villages on Tuesdays and Thursdays (Botram Masuk Desa,
starting at Desa Ciantra, Kecamatan Cikarang Selatan). The rest of 2024 is proposed by the
planner. The catalog entries, the attendance and the visits per service are simulated for the
demo (not official figures) and are marked so. Deterministic; a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from balai.accounts.choices import Role
from balai.accounts.models import Membership, User
from balai.catalog.choices import DurationUnit, ServiceCategory
from balai.core.choices import Occupation
from balai.organizations.choices import OPDKind, ServicePointKind, SessionKind, UnitKind
from balai.organizations.models import OPD, Unit
from balai.regions.models import Region

from .demo_offices import SIMULATED, ServiceSpec, catalog_ensure, point_ensure
from .demo_standards import ADMINDUK_LAW, SIAK_COMPETENCE, common_internal, complaints_text

KECAMATAN_SLUG = "botram-kecamatan"
VILLAGE_SLUG = "botram-masuk-desa"
KECAMATAN_EVENTS = (  # the published 2024 schedule of host kecamatan
    (dt.date(2024, 7, 13), "32.16.01"),  # Tarumajaya
    (dt.date(2024, 7, 20), "32.16.17"),  # Muaragembong
    (dt.date(2024, 7, 27), "32.16.18"),  # Setu
)
FIRST_VILLAGE = (dt.date(2024, 7, 9), "32.16.19.2003")  # Desa Ciantra, Kec. Cikarang Selatan
PLAN_END = dt.date(2024, 12, 31)
HELD_UNTIL = dt.date(2024, 7, 31)  # the demo's July is over: those events were held

PARTNERS = (
    ("BPJS Kesehatan Cabang Cikarang (mitra, simulasi)", "BPJS Kesehatan", OPDKind.OTHER),
    ("Samsat Kabupaten Bekasi (mitra Bapenda Provinsi, simulasi)", "Samsat", OPDKind.OTHER),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", OPDKind.DINAS),
    ("Dinas Kesehatan", "Dinkes", OPDKind.DINAS),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", OPDKind.DINAS),
    ("Dinas Sosial", "Dinsos", OPDKind.DINAS),
)


def _spec(
    code,
    name,
    category,
    opd,
    summary,
    requirements,
    product,
    time=1,
    unit=DurationUnit.WORKING_DAYS,
):
    return ServiceSpec(
        code=code,
        name=name,
        category=category,
        opd=opd,
        summary=f"{summary} ({SIMULATED}.)",
        keywords="botram keliling",
        requirements=requirements,
        procedure=(
            "Datang ke lokasi Botram dan ambil nomor antrean di meja informasi.",
            "Serahkan persyaratan ke petugas; berkas diperiksa saat itu juga.",
            "Terima produk atau tanda terima dengan tanggal pengambilan.",
        ),
        time=time,
        unit=unit,
        product=product,
        legal_basis=(*ADMINDUK_LAW[:2],)
        if category == ServiceCategory.ADMINDUK
        else (ADMINDUK_LAW[1],),
        staff_competence=SIAK_COMPETENCE,
        staff_count="2 sampai 4 petugas per acara",
    )


SERVICES = (
    _spec(
        "botram-ktp-el",
        "KTP-el (perekaman dan pencetakan)",
        ServiceCategory.ADMINDUK,
        "Disdukcapil",
        "Perekaman biometrik dan pencetakan KTP-el di lokasi",
        (
            "Kartu Keluarga (fotokopi)",
            "Berusia 17 tahun atau sudah/pernah kawin",
            ("KTP-el lama (untuk penggantian)", False),
        ),
        "KTP-el",
        time=60,
        unit=DurationUnit.MINUTES,
    ),
    _spec(
        "botram-kk",
        "Kartu Keluarga (perubahan data)",
        ServiceCategory.ADMINDUK,
        "Disdukcapil",
        "Penerbitan KK karena perubahan data",
        ("KK lama", "Dokumen pendukung perubahan (akta, surat nikah, surat pindah)"),
        "Kartu Keluarga",
    ),
    _spec(
        "botram-akta-lahir",
        "Akta kelahiran",
        ServiceCategory.ADMINDUK,
        "Disdukcapil",
        "Pencatatan kelahiran dan penerbitan akta",
        (
            "Surat keterangan lahir dari bidan/rumah sakit",
            "Kartu Keluarga",
            "Buku nikah/akta perkawinan orang tua",
            ("SPTJM bila tidak ada surat nikah", False),
        ),
        "Akta kelahiran",
    ),
    _spec(
        "botram-kia",
        "Kartu Identitas Anak (KIA)",
        ServiceCategory.ADMINDUK,
        "Disdukcapil",
        "Penerbitan KIA untuk anak di bawah 17 tahun",
        (
            "Akta kelahiran anak",
            "Kartu Keluarga",
            ("Pas foto anak 2x3 (usia 5 tahun ke atas)", False),
        ),
        "KIA",
        time=60,
        unit=DurationUnit.MINUTES,
    ),
    _spec(
        "botram-bpjs",
        "BPJS Kesehatan (pendaftaran dan perubahan data)",
        ServiceCategory.HEALTH,
        "BPJS Kesehatan",
        "Pendaftaran peserta, perubahan data dan aktivasi kartu",
        ("KTP-el", "Kartu Keluarga", ("Nomor rekening (peserta mandiri)", False)),
        "Kartu/nomor peserta aktif",
        time=60,
        unit=DurationUnit.MINUTES,
    ),
    _spec(
        "botram-samsat",
        "Samsat keliling (pajak kendaraan tahunan)",
        ServiceCategory.TAX,
        "Samsat",
        "Pembayaran pajak kendaraan bermotor tahunan",
        ("KTP-el pemilik", "STNK asli"),
        "STNK disahkan dan bukti bayar",
        time=30,
        unit=DurationUnit.MINUTES,
    ),
    _spec(
        "botram-cek-kesehatan",
        "Pemeriksaan kesehatan gratis",
        ServiceCategory.HEALTH,
        "Dinkes",
        "Cek tekanan darah, gula darah dan konsultasi",
        (("KTP-el atau KIA", False),),
        "Hasil pemeriksaan",
        time=20,
        unit=DurationUnit.MINUTES,
    ),
    _spec(
        "botram-nib",
        "NIB untuk UMKM (OSS)",
        ServiceCategory.LICENSING,
        "DPMPTSP",
        "Pendampingan pendaftaran Nomor Induk Berusaha di OSS",
        ("KTP-el", "Nomor HP dan e-mail aktif", ("NPWP", False)),
        "NIB",
        time=60,
        unit=DurationUnit.MINUTES,
    ),
    _spec(
        "botram-dtks",
        "Pendaftaran DTKS/bansos",
        ServiceCategory.SOCIAL,
        "Dinsos",
        "Usulan masuk Data Terpadu Kesejahteraan Sosial",
        ("KTP-el", "Kartu Keluarga"),
        "Tanda terima usulan",
    ),
)
VILLAGE_SERVICES = (
    "botram-ktp-el",
    "botram-kk",
    "botram-akta-lahir",
    "botram-kia",
    "botram-bpjs",
    "botram-cek-kesehatan",
)
# Relative demand per service at the events (simulated; adminduk first, as Bekasi observed).
DEMAND = {
    "botram-ktp-el": 30,
    "botram-kk": 18,
    "botram-akta-lahir": 12,
    "botram-kia": 10,
    "botram-bpjs": 12,
    "botram-samsat": 9,
    "botram-cek-kesehatan": 14,
    "botram-nib": 4,
    "botram-dtks": 5,
}
OCCUPATIONS = {
    Occupation.HOMEMAKER: 26,
    Occupation.LABOURER: 22,
    Occupation.PRIVATE_EMPLOYEE: 16,
    Occupation.ENTREPRENEUR: 12,
    Occupation.FARMER: 8,
    Occupation.STUDENT: 8,
    Occupation.NOT_WORKING: 5,
    Occupation.FISHER: 3,
}


def _opds(pemda) -> dict[str, OPD]:
    from balai.organizations.services import opd_create

    existing = {o.short_name: o for o in OPD.objects.filter(pemda=pemda)}
    for name, short, kind in PARTNERS:
        if short not in existing:
            existing[short] = opd_create(
                actor=None, pemda=pemda, name=name, short_name=short, kind=kind
            )
    return existing


def _event_staff(pemda) -> User:
    user = User.objects.filter(username=f"{pemda.slug}.acara").first()
    if user is None:
        user = User.objects.create_user(username=f"{pemda.slug}.acara", password=None)
    Membership.objects.get_or_create(
        user=user, pemda=pemda, role=Role.EVENT_STAFF, opd=None, region=None
    )
    return user


def _point(pemda, opds, services):
    unit, _created = Unit.objects.get_or_create(
        pemda=pemda,
        opd=opds["Disdukcapil"],
        name="Tim Layanan Keliling Botram",
        defaults={"kind": UnitKind.OTHER, "region": pemda.region},
    )
    return point_ensure(
        pemda,
        unit,
        kind=ServicePointKind.OPD_COUNTER,
        region=pemda.region,
        services=list(services.values()),
        actor=None,
    )


def _programs(pemda, opds, services):
    from balai.outreach.models import Program
    from balai.outreach.services import program_create

    programs = {}
    kecamatan = Program.objects.filter(pemda=pemda, slug=KECAMATAN_SLUG).first()
    if kecamatan is None:
        kecamatan = program_create(
            actor=None,
            pemda=pemda,
            name="Botram Kecamatan",
            slug=KECAMATAN_SLUG,
            description=(
                "Berkolaborasi Terus Melayani: layanan terpadu OPD dan mitra di satu kecamatan "
                "setiap Sabtu (adminduk, BPJS, Samsat, kesehatan, perizinan UMKM, bansos), "
                "dengan hiburan rakyat. (Data demo, disimulasikan.)"
            ),
            venue_level="kecamatan",
            weekdays=[5],
            slots_per_day=1,
            start_time=dt.time(8, 0),
            end_time=dt.time(14, 0),
            target_year=2024,
            target_all=True,
            budget_notes=(
                "Satu kecamatan per Sabtu; tenda, kursi dan genset dari kecamatan tuan rumah."
            ),
            opds=[opds[s] for _n, s, _k in PARTNERS],
            services=list(services.values()),
        )
    programs["kecamatan"] = kecamatan
    village = Program.objects.filter(pemda=pemda, slug=VILLAGE_SLUG).first()
    if village is None:
        village = program_create(
            actor=None,
            pemda=pemda,
            name="Botram Masuk Desa",
            slug=VILLAGE_SLUG,
            description=(
                "Botram di desa setiap Selasa dan Kamis: layanan yang paling banyak diminta "
                "dibawa ke balai desa. (Data demo, disimulasikan.)"
            ),
            venue_level="village",
            weekdays=[1, 3],
            slots_per_day=1,
            start_time=dt.time(9, 0),
            end_time=dt.time(13, 0),
            target_year=2024,
            budget_notes="Dua desa sepekan; tim kecil Disdukcapil, BPJS dan puskesmas setempat.",
            opds=[opds[s] for s in ("Disdukcapil", "Dinkes", "BPJS Kesehatan")],
            services=[services[c] for c in VILLAGE_SERVICES],
        )
    programs["village"] = village
    return programs


def _first_events(programs, rng) -> None:
    from balai.outreach.choices import EventStatus
    from balai.outreach.models import Event
    from balai.outreach.services import event_schedule

    kecamatan = programs["kecamatan"]
    if not Event.objects.filter(program=kecamatan).exists():
        for day, code in KECAMATAN_EVENTS:
            region = Region.objects.get(code=code)
            event_schedule(
                actor=None,
                program=kecamatan,
                date=day,
                venue=region,
                place=f"Kantor Kecamatan {region.name}",
                host=f"Camat {region.name}",
                locked=True,
                published=True,
                status=EventStatus.HELD,
                attendance=rng.randint(420, 760),
                notes="Jadwal tuan rumah sesuai pengumuman; kehadiran disimulasikan.",
            )
    village = programs["village"]
    if not Event.objects.filter(program=village).exists():
        day, code = FIRST_VILLAGE
        region = Region.objects.get(code=code)
        event_schedule(
            actor=None,
            program=village,
            date=day,
            venue=region,
            place=f"Balai Desa {region.name}",
            host=f"Kepala Desa {region.name}",
            locked=True,
            published=True,
            status=EventStatus.HELD,
            attendance=rng.randint(110, 190),
            notes="Acara pertama Botram Masuk Desa; kehadiran disimulasikan.",
        )


def _plan(program, start: dt.date) -> None:
    from balai.outreach.models import PlanRun
    from balai.outreach.services import events_publish, plan_run_create
    from balai.outreach.tasks import plan_run_apply

    if PlanRun.objects.filter(program=program).exists():
        return
    run = plan_run_create(
        actor=None,
        program=program,
        period_start=start,
        period_end=PLAN_END,
        weights={"remoteness": 0.5, "population": 0.2, "since_visit": 0.2, "demand": 0.1},
        enqueue=False,
    )
    plan_run_apply(run)
    events_publish(actor=None, program=program, start=start, end=PLAN_END)


def _hold_july(programs, rng) -> None:
    """Events of July 2024 the planner proposed were held: status and attendance."""
    from balai.outreach.choices import EventStatus
    from balai.outreach.models import Event

    for event in Event.objects.filter(
        program__in=programs.values(), date__lte=HELD_UNTIL, status=EventStatus.PLANNED
    ).order_by("date", "pk"):
        event.status = EventStatus.HELD
        event.attendance = rng.randint(80, 170)
        event.place = event.place or f"Balai Desa {event.venue.name}"
        event.notes = "Kehadiran disimulasikan."
        event.save(update_fields=["status", "attendance", "place", "notes", "updated_at"])


def _visits(pemda, point, services, actor, rng) -> int:
    from balai.outreach.choices import EventStatus
    from balai.outreach.models import Event
    from balai.visits.models import Visit
    from balai.visits.services import VisitRow, visits_log_batch

    held = list(
        Event.objects.filter(pemda=pemda, status=EventStatus.HELD, date__lte=HELD_UNTIL)
        .select_related("venue")
        .prefetch_related("services")
        .order_by("date", "pk")
    )
    tz = ZoneInfo(pemda.timezone)
    if (
        not held
        or Visit.objects.filter(pemda=pemda, session_kind=SessionKind.EVENT, point=point).exists()
    ):
        return 0
    desa_by_kecamatan: dict[str, list[Region]] = {}
    for desa in Region.objects.filter(code__startswith=pemda.region_id + ".", level=4).order_by(
        "code"
    ):
        desa_by_kecamatan.setdefault(desa.parent_id, []).append(desa)
    rows = []
    occupations, occupation_weights = zip(*OCCUPATIONS.items(), strict=True)
    for event in held:
        offered = [s for s in event.services.all() if s.code in DEMAND]
        weights = [DEMAND[s.code] for s in offered]
        kecamatan = event.venue_id if event.venue.level == 3 else event.venue.parent_id
        nearby = desa_by_kecamatan.get(kecamatan, [])
        visitors = round((event.attendance or 0) * rng.uniform(0.55, 0.75))
        start = dt.datetime.combine(event.date, event.start_time or dt.time(8, 0), tz)
        for _i in range(visitors):
            chosen = {rng.choices(offered, weights)[0] for _k in range(1 + (rng.random() < 0.3))}
            if event.venue.level == 4 and rng.random() < 0.8:
                village = event.venue
            else:
                village = rng.choice(nearby) if nearby else None
            rows.append(
                VisitRow(
                    services=sorted(chosen, key=lambda s: s.code),
                    occupation=rng.choices(occupations, occupation_weights)[0],
                    session_kind=SessionKind.EVENT,
                    visited_at=start + dt.timedelta(minutes=rng.randint(0, 240)),
                    village=village,
                    event=event,
                )
            )
    return len(visits_log_batch(actor=actor, point=point, rows=rows, source="demo"))


REQUESTS_PER_EVENT = 2  # simulated service requests filed at each of the first held events
EVENTS_WITH_REQUESTS = 3


def _event_requests(pemda, actor, rng) -> int:
    """A few simulated service requests filed at the first held events (channel "event")."""
    from balai.outreach.choices import EventStatus
    from balai.outreach.models import Event
    from balai.service_requests.choices import Channel
    from balai.service_requests.models import ServiceRequest
    from balai.service_requests.services import service_request_submit

    held = list(
        Event.objects.filter(pemda=pemda, status=EventStatus.HELD, date__lte=HELD_UNTIL)
        .prefetch_related("services")
        .order_by("date", "pk")[:EVENTS_WITH_REQUESTS]
    )
    if not held or ServiceRequest.objects.filter(pemda=pemda, event__in=held).exists():
        return 0
    tz = ZoneInfo(pemda.timezone)
    filed = 0
    for event in held:
        offered = sorted(
            (s for s in event.services.all() if s.code in DEMAND), key=lambda s: s.code
        )
        start = dt.datetime.combine(event.date, event.start_time or dt.time(8, 0), tz)
        for _i in range(REQUESTS_PER_EVENT if offered else 0):
            service_request_submit(
                pemda=pemda,
                service=rng.choice(offered),
                channel=Channel.EVENT,
                applicant_name="Pemohon simulasi",
                checklist={},
                actor=actor,
                at=start + dt.timedelta(minutes=rng.randint(0, 240)),
                event=event,
            )
            filed += 1
    return filed


def demo_bekasi_botram(pemda, rng: random.Random) -> dict:
    """Create the Botram programs, their July 2024 events, the planned rest of 2024 and the
    simulated visits at the held events. Returns the two programs."""
    opds = _opds(pemda)
    admin = User.objects.filter(username=f"{pemda.slug}.admin").first()
    services = catalog_ensure(
        pemda,
        SERVICES,
        actor=admin,
        effective_from=dt.date(2024, 1, 2),
        decree="Keputusan Bupati Bekasi tentang Standar Pelayanan Botram (simulasi demo)",
        common=common_internal("lokasi Botram"),
        complaints_handling=complaints_text("lokasi Botram atau kantor OPD"),
    )
    point = _point(pemda, opds, services)
    programs = _programs(pemda, opds, services)
    _first_events(programs, rng)
    _plan(programs["kecamatan"], dt.date(2024, 7, 28))
    _plan(programs["village"], dt.date(2024, 7, 10))
    _hold_july(programs, rng)
    _visits(pemda, point, services, _event_staff(pemda), rng)
    _event_requests(pemda, _event_staff(pemda), rng)
    return programs
