"""Kabupaten Bangli (51.06, WITA) with two active categories, an inactive one and a client key."""

import pytest

from balai.accounts.choices import Role
from balai.complaints.models import Category
from balai.open311.services import open311_client_create
from balai.organizations.choices import OPDKind
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import


@pytest.fixture
def bangli(db):
    regions_import(only="51.06")
    pemda = pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")
    pupr = opd_create(
        actor=None, pemda=pemda, name="Dinas PUPR Perkim", short_name="PUPR", kind=OPDKind.DINAS
    )
    pdam = opd_create(
        actor=None, pemda=pemda, name="Perumda Air Minum", short_name="PDAM", kind=OPDKind.DINAS
    )
    Category.objects.create(
        pemda=pemda, code="jalan", name="Jalan rusak", description="Lubang", default_opd=pupr
    )
    Category.objects.create(pemda=pemda, code="air", name="Air minum", default_opd=pdam)
    Category.objects.create(
        pemda=pemda, code="lama", name="Kategori lama", default_opd=pdam, is_active=False
    )
    return pemda


@pytest.fixture
def category(bangli):
    return {c.code: c for c in Category.objects.filter(pemda=bangli)}


@pytest.fixture
def operator(bangli, make_member):
    return make_member(bangli, Role.OPERATOR)


@pytest.fixture
def api_key(bangli):
    _client, raw_key = open311_client_create(pemda=bangli, name="Aplikasi warga", actor=None)
    return raw_key
