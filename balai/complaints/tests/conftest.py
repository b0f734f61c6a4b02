"""Fixtures for complaints: Kabupaten Bangli (WITA) with categories, routing and staff."""

import pytest

from balai.accounts.choices import Role
from balai.complaints.models import Category, RoutingRule
from balai.organizations.choices import OPDKind
from balai.organizations.models import OPD
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import


@pytest.fixture
def bangli(db):
    regions_import(only="51.06")
    pemda = pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")
    for name, short in [
        ("Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman", "PUPR Perkim"),
        ("Perumda Air Minum Tirta Danu Arta", "PDAM"),
        ("Dinas Kesehatan", "Dinkes"),
        ("Kecamatan Kintamani", "Kec. Kintamani"),
    ]:
        opd_create(actor=None, pemda=pemda, name=name, short_name=short, kind=OPDKind.DINAS)
    return pemda


@pytest.fixture
def opd(bangli):
    return {o.short_name: o for o in OPD.objects.filter(pemda=bangli)}


@pytest.fixture
def categories(bangli, opd):
    roads = Category.objects.create(
        pemda=bangli, code="jalan", name="Jalan rusak", default_opd=opd["PUPR Perkim"]
    )
    water = Category.objects.create(
        pemda=bangli,
        code="air",
        name="Air minum",
        default_opd=opd["PDAM"],
        resolution_working_days=3,
    )
    emergency = Category.objects.create(
        pemda=bangli,
        code="darurat",
        name="Kesehatan darurat",
        default_opd=opd["Dinkes"],
        is_emergency=True,
    )
    RoutingRule.objects.create(
        pemda=bangli,
        category=roads,
        region=Region.objects.get(code="51.06.04"),
        opd=opd["Kec. Kintamani"],
    )
    return {"jalan": roads, "air": water, "darurat": emergency}


@pytest.fixture
def staff(bangli, opd, make_member):
    return {
        "operator": make_member(bangli, Role.OPERATOR, email="operator@bangli.test"),
        "trc": make_member(bangli, Role.OPD_STAFF, opd=opd["PUPR Perkim"], email="trc@bangli.test"),
        "head": make_member(
            bangli, Role.OPD_HEAD, opd=opd["PUPR Perkim"], email="kepala@bangli.test"
        ),
        "leader": make_member(bangli, Role.LEADERSHIP, email="bupati@bangli.test"),
        "pdam": make_member(bangli, Role.OPD_STAFF, opd=opd["PDAM"]),
    }


@pytest.fixture
def database_queue(settings):
    """The real django-tasks-db backend instead of the immediate one (tasks stay queued)."""
    from asgiref.local import Local
    from django_tasks import task_backends

    def reset():
        task_backends.__dict__.pop("settings", None)
        task_backends._connections = Local(task_backends.thread_critical)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    reset()
    yield
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    reset()
