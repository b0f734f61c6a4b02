"""Catalog states for tests, built by calling the services (shared with organizations tests)."""

import datetime as dt

import time_machine

from balai.catalog.choices import DurationUnit, ServiceCategory
from balai.catalog.services import service_create, standard_draft_create, standard_publish
from balai.organizations.choices import OPDKind
from balai.organizations.models import OPD
from balai.organizations.services import opd_create

KTP_REQUIREMENTS = (
    "Kartu Keluarga (KK)",
    "Surat pengantar RT/RW",
    ("Akta kelahiran", False),
)


def disdukcapil(pemda) -> OPD:
    opd = OPD.objects.filter(pemda=pemda, short_name="Disdukcapil").first()
    return opd or opd_create(
        actor=None,
        pemda=pemda,
        name="Dinas Kependudukan dan Pencatatan Sipil",
        short_name="Disdukcapil",
        kind=OPDKind.DINAS,
    )


def make_service(
    pemda,
    code="ktp-el",
    *,
    name="Perekaman KTP-el",
    summary="Kartu Tanda Penduduk elektronik untuk warga berusia 17 tahun.",
    keywords="ktp e-ktp kartu penduduk",
    category=ServiceCategory.ADMINDUK,
    opd=None,
    actor=None,
):
    return service_create(
        actor=actor,
        pemda=pemda,
        code=code,
        name=name,
        category=category,
        opd=opd or disdukcapil(pemda),
        summary=summary,
        keywords=keywords,
    )


def draft(
    service,
    effective_from: dt.date,
    *,
    fee=0,
    time=14,
    unit=DurationUnit.WORKING_DAYS,
    requirements=KTP_REQUIREMENTS,
    actor=None,
    **components,
):
    values = {
        "procedure": "1. Ambil nomor antrean.\n2. Serahkan berkas.\n3. Foto dan sidik jari.",
        "product": "KTP-el",
        "complaints_handling": "Lapor melalui Balai, WhatsApp, atau kotak saran di loket.",
    }
    values.update(components)
    return standard_draft_create(
        actor=actor,
        service=service,
        effective_from=effective_from,
        processing_time=time,
        processing_unit=unit,
        fee=fee,
        requirements=requirements,
        **values,
    )


def published(service, effective_from: dt.date, *, actor=None, **kwargs):
    """A version published on its own start date (the clock is moved there to publish it)."""
    standard = draft(service, effective_from, actor=actor, **kwargs)
    with time_machine.travel(dt.datetime.combine(effective_from, dt.time(9), dt.UTC), tick=False):
        return standard_publish(standard=standard, actor=actor)
