"""Fixtures of the outreach tests: Kabupaten Bekasi (real region tree) with two programs."""

import datetime as dt

import pytest

from balai.accounts.choices import Role


@pytest.fixture
def bekasi(db):
    from balai.organizations.choices import OPDKind
    from balai.organizations.services import opd_create, pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="32.16")
    pemda = pemda_create(
        actor=None, region=Region.objects.get(code="32.16"), slug="bekasi", seat_name="Cikarang"
    )
    opd_create(
        actor=None,
        pemda=pemda,
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        kind=OPDKind.DINAS,
    )
    opd_create(
        actor=None, pemda=pemda, name="Dinas Kesehatan", short_name="Dinkes", kind=OPDKind.DINAS
    )
    return pemda


@pytest.fixture
def admin(bekasi, make_member):
    return make_member(bekasi, Role.PEMDA_ADMIN)


@pytest.fixture
def village_program(bekasi, admin):
    from balai.outreach.services import program_create

    return program_create(
        actor=admin,
        pemda=bekasi,
        name="Botram Masuk Desa",
        venue_level="village",
        weekdays=[1, 3],
        slots_per_day=1,
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        opds=list(bekasi.opds.all()),
    )


@pytest.fixture
def kecamatan_program(bekasi, admin):
    from balai.outreach.services import program_create

    return program_create(
        actor=admin,
        pemda=bekasi,
        name="Botram Kecamatan",
        venue_level="kecamatan",
        weekdays=[5],
        slots_per_day=1,
        start_time=dt.time(8, 0),
        end_time=dt.time(14, 0),
    )


def _fake_candidates(program, period_start, weights):
    """Candidates without the real priority data: farther (higher code) first."""
    from balai.outreach import planner
    from balai.regions.models import Region

    if program.venue_level == "kecamatan":
        regions = Region.objects.filter(parent_id=program.pemda.region_id, level=3)
        return [
            planner.Candidate(
                key=r.code,
                group=r.code,
                weight=1 + i / 10,
                components={"remoteness": 0.5},
                name=r.name,
            )
            for i, r in enumerate(regions.order_by("code"))
        ]
    regions = Region.objects.filter(code__startswith="32.16.19.", level=4).order_by("code")
    return [
        planner.Candidate(
            key=r.code,
            group=r.parent_id,
            weight=1 + i / 10,
            components={"remoteness": 0.5},
            name=r.name,
        )
        for i, r in enumerate(regions)
    ]


@pytest.fixture
def fake_candidates(monkeypatch):
    """Use the real solver with simple candidates (the priority data is the planner's)."""
    from balai.outreach import planner

    monkeypatch.setattr(planner, "candidates_for", _fake_candidates, raising=False)
    return _fake_candidates
