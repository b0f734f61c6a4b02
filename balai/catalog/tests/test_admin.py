"""Staff edit the catalog in the admin, scoped by the permission rules."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from balai.accounts.choices import Role
from balai.catalog.models import StandardVersion
from balai.core.models import AuditLog
from balai.organizations.models import OPD

from .builders import disdukcapil, draft, make_service, published

NOW = dt.datetime(2025, 5, 5, 2, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def staff(bontang, make_member):
    def make(role, opd=None):
        user = make_member(bontang, role, opd=opd, is_staff=True)
        return user

    return make


@pytest.fixture
def ktp(bontang):
    service = make_service(bontang)
    published(service, dt.date(2025, 1, 1))
    return service


def test_a_pemda_admin_publishes_a_draft_with_the_admin_action(client, staff, ktp):
    client.force_login(staff(Role.PEMDA_ADMIN))
    new = draft(ktp, dt.date(2025, 6, 1), time=5)
    response = client.post(
        reverse("admin:catalog_standardversion_changelist"),
        {"action": "publish", "_selected_action": [new.pk]},
        follow=True,
    )
    assert response.status_code == 200
    new.refresh_from_db()
    assert new.status == "published"
    assert AuditLog.objects.filter(action="standard.publish", target_id=str(new.pk)).exists()


def test_an_incomplete_draft_is_refused_with_a_message(client, staff, ktp):
    client.force_login(staff(Role.PEMDA_ADMIN))
    new = draft(ktp, dt.date(2025, 6, 1), requirements=())
    response = client.post(
        reverse("admin:catalog_standardversion_changelist"),
        {"action": "publish", "_selected_action": [new.pk]},
        follow=True,
    )
    assert "tidak dipublikasikan" in response.content.decode()
    assert StandardVersion.objects.get(pk=new.pk).status == "draft"


def test_a_published_version_is_read_only(client, staff, ktp):
    client.force_login(staff(Role.PEMDA_ADMIN))
    v1 = ktp.standards.get(version=1)
    url = reverse("admin:catalog_standardversion_change", args=[v1.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"procedure": "changed"}).status_code == 403
    v1.refresh_from_db()
    assert v1.procedure != "changed"


def test_an_opd_head_changes_only_the_services_of_their_opd(client, staff, bontang, ktp):
    dinkes = OPD.objects.get(pemda=bontang, short_name="Dinkes")
    head = staff(Role.OPD_HEAD, opd=dinkes)
    client.force_login(head)
    own = make_service(bontang, "imunisasi", name="Imunisasi", opd=dinkes)
    own_page = client.get(reverse("admin:catalog_service_change", args=[own.pk]))
    other_page = client.get(reverse("admin:catalog_service_change", args=[ktp.pk]))
    assert 'name="_save"' in own_page.content.decode()
    assert other_page.status_code == 200  # everyone in the Pemda may see the catalog
    assert 'name="_save"' not in other_page.content.decode()
    assert disdukcapil(bontang) != dinkes


def test_the_service_point_admin_lists_points_with_their_hours(client, staff, bontang, ktp):
    from balai.organizations.tests.builders import office

    point = office(bontang, "64.74.02", "MPP Bontang", slug="mpp", services=[ktp])
    client.force_login(staff(Role.PEMDA_ADMIN))
    changelist = client.get(reverse("admin:organizations_servicepoint_changelist"))
    assert "MPP Bontang" in changelist.content.decode()
    page = client.get(reverse("admin:organizations_servicepoint_change", args=[point.pk]))
    assert 'name="opening_rules-TOTAL_FORMS"' in page.content.decode()
