"""A kecamatan office in Bontang Selatan (WITA, UTC+8) with a hall, and its staff."""

import datetime as dt

import pytest

from balai.accounts.choices import Role
from balai.community import services
from balai.organizations.models import OPD, ServicePoint, Unit
from balai.regions.models import Region

WITA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def office(bontang):
    opd = OPD.objects.get(pemda=bontang, short_name="Kec. Bontang Selatan")
    unit = Unit.objects.create(
        pemda=bontang,
        opd=opd,
        name="Kantor Kecamatan Bontang Selatan",
        kind="kantor_kecamatan",
        region_id="64.74.02",
    )
    return ServicePoint.objects.create(
        pemda=bontang,
        unit=unit,
        slug="kec-bontang-selatan",
        name="Kantor Kecamatan Bontang Selatan",
        kind="kantor_kecamatan",
        region_id="64.74.02",
    )


@pytest.fixture
def other_office(bontang):
    """An office in another kecamatan (Bontang Utara)."""
    return ServicePoint.objects.create(
        pemda=bontang,
        slug="kec-bontang-utara",
        name="Kantor Kecamatan Bontang Utara",
        kind="kantor_kecamatan",
        region_id="64.74.01",
    )


@pytest.fixture
def admin(bontang, make_member):
    return make_member(bontang, Role.PEMDA_ADMIN, username="admin")


@pytest.fixture
def area_staff(bontang, make_member):
    return make_member(
        bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.02"), username="camat"
    )


@pytest.fixture
def hall(office, admin):
    return services.space_create(
        actor=admin,
        point=office,
        name="Aula",
        capacity=80,
        facilities=["internet", "sound_system"],
    )


@pytest.fixture
def book(hall):
    """book(start, end, **overrides) -> a request by a group (times aware, WITA by default)."""

    def make(start, end, *, space=None, **overrides):
        values = {
            "space": space or hall,
            "group_name": "Karang Taruna Tanjung Laut",
            "group_kind": "youth",
            "contact_name": "Rina",
            "contact_phone": "0812 3456 7890",
            "purpose": "Rapat bulanan",
            "attendees": 30,
            "starts_at": start,
            "ends_at": end,
        }
        values.update(overrides)
        return services.booking_request(**values)

    return make


def at(day: dt.date, hour: int, minute: int = 0, tz=WITA) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tz)
