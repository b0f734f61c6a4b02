"""Banyuwangi's kecamatan office as a citizens' creativity space (simulated demo data).

The Kantor Kecamatan Banyuwangi (35.10.16) opens its hall, yard and an internet room: weekly
activities (Friday pengajian, Saturday Gandrung dance practice, Tuesday senam lansia, a Sunday
UMKM market in the yard, afternoon study hours for pupils) and bookings by groups (UMKM,
students, farmers' groups, PKK, karang taruna), approved, refused with a reason, pending or
cancelled, over the current and the next two weeks relative to today.

Every group, name and phone number here is invented ("simulasi"); phone numbers use the
0812-0000-xxxx block. Everything goes through the community services. Idempotent: when the
office has spaces already, nothing is created.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from balai.accounts.models import User
from balai.community import services
from balai.community.models import Space
from balai.organizations.choices import ServicePointKind
from balai.organizations.models import ServicePoint, Unit

from .demo_offices import SIMULATED, point_ensure

OFFICE_REGION = "35.10.16"  # Kecamatan Banyuwangi, the town

SPACES = (
    # key, name, capacity, facilities, bookable, notes
    (
        "aula",
        "Aula Kecamatan",
        120,
        ["internet", "projector", "sound_system", "chairs_tables", "toilet", "parking"],
        True,
        "Kunci diambil di loket pelayanan. " + SIMULATED + ".",
    ),
    (
        "halaman",
        "Halaman Kantor",
        300,
        ["parking", "toilet"],
        True,
        "Untuk pasar warga dan kegiatan terbuka. " + SIMULATED + ".",
    ),
    (
        "internet",
        "Ruang Internet Warga",
        24,
        ["internet", "chairs_tables", "air_conditioning"],
        True,
        "Internet kantor gratis untuk pelajar, pelaku UMKM dan petani. " + SIMULATED + ".",
    ),
)

ACTIVITIES = (
    # space, title, organiser, weekdays, start, end, public
    (
        "aula",
        "Pengajian rutin Jumat",
        "Majelis Taklim Kecamatan (simulasi)",
        [4],
        "15:30",
        "17:30",
        True,
    ),
    (
        "aula",
        "Latihan tari Gandrung",
        "Sanggar Seni Gandrung (simulasi)",
        [5],
        "08:00",
        "11:00",
        True,
    ),
    (
        "aula",
        "Senam sehat lansia",
        "Posyandu Lansia Kecamatan (simulasi)",
        [1],
        "06:30",
        "08:00",
        True,
    ),
    (
        "halaman",
        "Pasar UMKM Minggu pagi",
        "Paguyuban UMKM Kecamatan (simulasi)",
        [6],
        "06:00",
        "10:00",
        True,
    ),
    (
        "internet",
        "Belajar bersama pelajar",
        "Relawan TIK Kecamatan (simulasi)",
        [0, 1, 2, 3],
        "14:00",
        "17:00",
        True,
    ),
    ("aula", "Rapat koordinasi kecamatan", "Sekretariat Kecamatan", [0], "08:00", "10:00", False),
)


@dataclass(frozen=True)
class BookingSpec:
    ahead: int  # days from today
    slot: str  # "morning" | "afternoon" | "evening"
    space: str
    group: str
    kind: str
    purpose: str
    attendees: int
    outcome: str  # approved | refused | requested | cancelled
    reason: str = ""


BOOKINGS = (
    BookingSpec(
        1,
        "evening",
        "aula",
        "Paguyuban UMKM Batik Gajah Oling",
        "umkm",
        "Pelatihan foto produk dan jualan daring",
        40,
        "approved",
    ),
    BookingSpec(
        2,
        "morning",
        "aula",
        "Kelompok Tani Sumber Makmur",
        "farmers",
        "Sosialisasi pupuk bersubsidi dan kartu tani",
        60,
        "approved",
    ),
    BookingSpec(
        2,
        "morning",
        "aula",
        "PKK Kelurahan Tukangkayu",
        "pkk",
        "Demo masak olahan ikan",
        35,
        "refused",
        "Aula sudah dipakai Kelompok Tani pada jam itu; silakan ajukan hari lain.",
    ),
    BookingSpec(
        3,
        "afternoon",
        "aula",
        "OSIS SMA Negeri (simulasi)",
        "students",
        "Latihan lomba debat",
        30,
        "approved",
    ),
    BookingSpec(
        4,
        "evening",
        "aula",
        "Karang Taruna Kelurahan Kepatihan",
        "youth",
        "Rapat persiapan festival kampung",
        25,
        "requested",
    ),
    BookingSpec(
        5,
        "morning",
        "halaman",
        "Komunitas Sepeda Blambangan (simulasi)",
        "other",
        "Kumpul sebelum gowes bersama",
        80,
        "approved",
    ),
    BookingSpec(
        6,
        "afternoon",
        "internet",
        "Kelompok Belajar SMP (simulasi)",
        "students",
        "Mengerjakan tugas daring",
        18,
        "approved",
    ),
    BookingSpec(
        7,
        "evening",
        "aula",
        "CV Promosi Jaya (simulasi)",
        "other",
        "Presentasi penjualan produk",
        100,
        "refused",
        "Ruang warga tidak untuk promosi usaha perorangan.",
    ),
    BookingSpec(
        8,
        "morning",
        "aula",
        "Kelompok Tani Hutan Lestari",
        "farmers",
        "Pelatihan pembuatan pupuk organik",
        45,
        "requested",
    ),
    BookingSpec(
        9,
        "evening",
        "aula",
        "Remaja Masjid Al-Hidayah (simulasi)",
        "religious",
        "Rapat panitia peringatan hari besar",
        20,
        "cancelled",
    ),
    BookingSpec(
        10,
        "afternoon",
        "aula",
        "Mahasiswa KKN (simulasi)",
        "students",
        "Penyuluhan literasi digital untuk UMKM",
        50,
        "approved",
    ),
    BookingSpec(
        11,
        "morning",
        "internet",
        "Pelaku UMKM Kuliner (simulasi)",
        "umkm",
        "Mendaftar NIB lewat OSS bersama pendamping",
        15,
        "requested",
    ),
    BookingSpec(
        12,
        "evening",
        "aula",
        "Karang Taruna Kelurahan Singonegaran",
        "youth",
        "Latihan band untuk festival",
        20,
        "approved",
    ),
    BookingSpec(
        13,
        "morning",
        "aula",
        "Kelompok Wanita Tani Melati",
        "farmers",
        "Pelatihan olahan hasil kebun",
        30,
        "requested",
    ),
)

CONTACTS = ("Siti", "Ahmad", "Dewi", "Rudi", "Nur", "Agus", "Wulan", "Hadi", "Rina", "Bayu")


SLOTS = {
    "morning": (dt.time(9, 0), dt.time(12, 0)),
    "afternoon": (dt.time(13, 0), dt.time(15, 0)),
    "evening": (dt.time(19, 0), dt.time(21, 30)),
}


def _slot(space, day: dt.date, slot: str, tz) -> tuple[dt.datetime, dt.datetime]:
    """The preferred slot of the day, or the next one that misses the weekly activities."""
    for name in (slot, *SLOTS):
        start, end = (dt.datetime.combine(day, t, tz) for t in SLOTS[name])
        if not services.conflicts(space, start, end):
            return start, end
    raise LookupError(f"No free slot on {day} in {space}")


def _office(pemda, admin) -> ServicePoint:
    point = ServicePoint.objects.filter(pemda=pemda, unit__region_id=OFFICE_REGION).first()
    if point is not None:
        return point
    unit = Unit.objects.get(pemda=pemda, region_id=OFFICE_REGION, kind="kantor_kecamatan")
    return point_ensure(
        pemda,
        unit,
        kind=ServicePointKind.KANTOR_KECAMATAN,
        region=unit.region,
        services=[],
        actor=admin,
    )


def demo_banyuwangi_community(pemda, rng: random.Random) -> dict[str, int]:
    """Create the spaces, activities and bookings once; returns what was created."""
    admin = User.objects.get(username=f"{pemda.slug}.admin")
    point = _office(pemda, admin)
    if Space.objects.filter(point=point).exists():
        return {"spaces": 0, "activities": 0, "bookings": 0}
    tz = ZoneInfo(pemda.timezone)
    today = timezone.now().astimezone(tz).date()
    spaces = {}
    for key, name, capacity, facilities, bookable, notes in SPACES:
        spaces[key] = services.space_create(
            actor=admin,
            point=point,
            name=name,
            capacity=capacity,
            facilities=facilities,
            is_bookable=bookable,
            notes=notes,
        )
    since = today - dt.timedelta(days=today.weekday() + 56)  # running for two months
    activities = 0
    for key, title, organiser, weekdays, start, end, public in ACTIVITIES:
        services.activity_create(
            actor=admin,
            space=spaces[key],
            title=title,
            organiser=organiser,
            weekdays=weekdays,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
            valid_from=since,
            description=SIMULATED,
            is_public=public,
        )
        activities += 1
    requested = []
    for spec in BOOKINGS:
        day = today + dt.timedelta(days=spec.ahead)
        starts_at, ends_at = _slot(spaces[spec.space], day, spec.slot, tz)
        booking = services.booking_request(
            space=spaces[spec.space],
            group_name=spec.group,
            group_kind=spec.kind,
            contact_name=f"{rng.choice(CONTACTS)} (simulasi)",
            contact_phone=f"0812 0000 {rng.randrange(10_000):04d}",
            purpose=spec.purpose,
            attendees=spec.attendees,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        requested.append((spec, booking))
    # Decisions after every request is in: two groups may ask for the same morning.
    for spec, booking in sorted(requested, key=lambda pair: pair[0].outcome != "approved"):
        if spec.outcome == "approved":
            services.booking_approve(booking=booking, actor=admin)
        elif spec.outcome == "refused":
            services.booking_refuse(booking=booking, actor=admin, reason=spec.reason)
        elif spec.outcome == "cancelled":
            services.booking_cancel(booking=booking, confirm=True, reason="Acara diundur.")
    return {"spaces": len(spaces), "activities": activities, "bookings": len(requested)}
