"""The Banyuwangi community demo: simulated, deterministic in shape, idempotent, valid."""

import random

import pytest
from django.utils import timezone

from balai.community.choices import BookingStatus
from balai.community.models import Activity, Booking, Space
from balai.community.schedule import overlaps
from balai.devtools.demo_community import demo_banyuwangi_community


@pytest.fixture
def banyuwangi(db, make_member):
    from balai.accounts.choices import Role
    from balai.organizations.choices import OPDKind, UnitKind
    from balai.organizations.models import OPD, Unit
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="35.10")
    pemda = pemda_create(
        actor=None, region=Region.objects.get(code="35.10"), slug="banyuwangi", is_demo=True
    )
    kecamatan = Region.objects.get(code="35.10.16")
    opd = OPD.objects.create(
        pemda=pemda,
        name="Kecamatan Banyuwangi",
        short_name="Kec. Banyuwangi",
        kind=OPDKind.KECAMATAN,
        region=kecamatan,
    )
    Unit.objects.create(
        pemda=pemda,
        opd=opd,
        name="Kantor Kecamatan Banyuwangi",
        kind=UnitKind.KANTOR_KECAMATAN,
        region=kecamatan,
    )
    make_member(pemda, Role.PEMDA_ADMIN, username="banyuwangi.admin")
    return pemda


def counts():
    return (Space.objects.count(), Activity.objects.count(), Booking.objects.count())


def test_demo_builds_the_hall_schedule_once(banyuwangi, client):
    created = demo_banyuwangi_community(banyuwangi, random.Random(1))
    assert created == {"spaces": 3, "activities": 6, "bookings": 14}
    before = counts()
    assert demo_banyuwangi_community(banyuwangi, random.Random(1)) == {
        "spaces": 0,
        "activities": 0,
        "bookings": 0,
    }
    assert counts() == before

    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == set(BookingStatus.values)
    assert (
        Booking.objects.filter(status=BookingStatus.REFUSED).exclude(refusal_reason="").count() == 2
    )
    assert Booking.objects.filter(starts_at__lt=timezone.now()).count() == 0
    kinds = set(Booking.objects.values_list("group_kind", flat=True))
    assert {"umkm", "students", "farmers"} <= kinds
    titles = set(Activity.objects.values_list("title", flat=True))
    assert {"Pengajian rutin Jumat", "Latihan tari Gandrung", "Pasar UMKM Minggu pagi"} <= titles
    assert all("simulasi" in s.notes.lower() for s in Space.objects.all())
    approved = list(Booking.objects.filter(status=BookingStatus.APPROVED))
    for a in approved:
        for b in approved:
            if a.pk != b.pk and a.space_id == b.space_id:
                assert not overlaps(a.starts_at, a.ends_at, b.starts_at, b.ends_at)

    point = Space.objects.first().point
    page = client.get(f"/banyuwangi/ruang/{point.slug}/?tampilan=daftar").content.decode()
    assert "Paguyuban UMKM Batik Gajah Oling" in page
    assert "0812" not in page and "+62812" not in page
