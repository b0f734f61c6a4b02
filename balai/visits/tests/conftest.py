"""Kecamatan Bontang Selatan's night service: the kecamatan office and two kelurahan offices,
services, front-office staff (WITA, UTC+8)."""

import datetime as dt

import pytest

from balai.accounts.choices import Role
from balai.catalog.models import Service
from balai.organizations.models import OPD, OpeningRule, ServicePoint, Unit
from balai.regions.models import Region

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def kecamatan(bontang):
    return OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")


@pytest.fixture
def services(bontang, kecamatan):
    rows = [
        ("ktp", "KTP-el", "adminduk"),
        ("kk", "Kartu Keluarga", "adminduk"),
        ("sku", "Surat keterangan usaha", "surat"),
        ("sktm", "Surat keterangan tidak mampu", "surat"),
        ("domisili", "Surat keterangan domisili", "surat"),
        ("akta", "Akta kelahiran", "adminduk"),
        ("nib", "NIB untuk UMKM", "perizinan"),
    ]
    return {
        code: Service.objects.create(
            pemda=bontang, code=code, name=name, category=category, opd=kecamatan
        )
        for code, name, category in rows
    }


def _point(pemda, opd, slug, name, region_code, kind, services, night=True):
    unit = Unit.objects.create(
        pemda=pemda, opd=opd, name=f"Unit {name}", kind=kind, region_id=region_code
    )
    point = ServicePoint.objects.create(
        pemda=pemda, unit=unit, slug=slug, name=name, kind=kind, region_id=region_code
    )
    point.services.set(services)
    if night:
        for weekday in range(5):
            OpeningRule.objects.create(
                point=point,
                session_kind="night",
                weekday=weekday,
                start=dt.time(19, 0),
                end=dt.time(22, 0),
            )
    return point


@pytest.fixture
def points(bontang, kecamatan, services):
    every = list(services.values())
    return {
        "kecamatan": _point(
            bontang,
            kecamatan,
            "kec-bontang-selatan",
            "Kantor Kecamatan Bontang Selatan",
            "64.74.02",
            "kantor_kecamatan",
            every,
        ),
        "tli": _point(
            bontang,
            kecamatan,
            "kel-tanjung-laut-indah",
            "Kantor Kelurahan Tanjung Laut Indah",
            "64.74.02.1006",
            "kantor_kelurahan",
            every[:5],
        ),
    }


@pytest.fixture
def front_office(bontang, make_member):
    """Kecamatan Bontang Selatan staff: logs at the kecamatan office and its kelurahan."""
    return make_member(
        bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.02"), username="loket"
    )


@pytest.fixture
def leader(bontang, make_member):
    return make_member(bontang, Role.LEADERSHIP, username="walikota")
