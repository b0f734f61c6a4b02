import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from balai.catalog.models import StandardVersion
from balai.catalog.services import service_create, standard_draft_copy, standard_publish
from balai.core.models import AuditLog
from balai.organizations.models import OPD

from .builders import draft, make_service, published

TODAY = dt.datetime(2025, 5, 5, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages below are matched in English
        yield


@pytest.fixture
def service(bontang):
    return make_service(bontang)


def test_service_create_writes_an_audit_row(service):
    row = AuditLog.objects.get(action="service.create")
    assert row.pemda_id == service.pemda_id
    assert row.target_id == str(service.pk)


def test_service_create_refuses_an_opd_of_another_pemda(bontang, service):
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="91.71")
    other = pemda_create(actor=None, region=Region.objects.get(code="91.71"))
    with pytest.raises(ValidationError):
        service_create(
            actor=None,
            pemda=other,
            code="x",
            name="x",
            category="lainnya",
            opd=OPD.objects.get(pemda=bontang, short_name="Dinkes"),
        )


@time_machine.travel(TODAY, tick=False)
def test_publish_makes_a_draft_effective_and_audits_it(service):
    standard = draft(service, dt.date(2025, 6, 1))
    standard_publish(standard=standard, actor=None)
    standard.refresh_from_db()
    assert standard.status == "published"
    row = AuditLog.objects.get(action="standard.publish")
    assert row.changes["version"] == 1
    assert row.changes["effective_from"] == "2025-06-01"


@time_machine.travel(TODAY, tick=False)
def test_publish_refuses_a_date_in_the_past_unless_backdated(service):
    standard = draft(service, dt.date(2025, 5, 4))
    with pytest.raises(ValidationError, match="past"):
        standard_publish(standard=standard, actor=None)
    standard_publish(standard=standard, actor=None, backdate=True)
    assert StandardVersion.objects.get(pk=standard.pk).status == "published"


@time_machine.travel(TODAY, tick=False)
def test_publish_refuses_an_incomplete_draft(service):
    standard = draft(service, dt.date(2025, 6, 1), requirements=())
    with pytest.raises(ValidationError, match="Persyaratan"):
        standard_publish(standard=standard, actor=None)
    assert StandardVersion.objects.get(pk=standard.pk).status == "draft"


def test_publish_refuses_two_versions_on_one_date_and_republishing(service):
    first = published(service, dt.date(2025, 6, 1))
    second = draft(service, dt.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="already"):
        standard_publish(standard=second, actor=None, backdate=True)
    with pytest.raises(ValidationError, match="Only a draft"):
        standard_publish(standard=first, actor=None, backdate=True)


def test_a_copy_is_the_next_draft_with_the_same_requirements(service):
    first = published(service, dt.date(2025, 1, 1), fee=5000)
    copy = standard_draft_copy(actor=None, standard=first, effective_from=dt.date(2026, 1, 1))
    assert (copy.version, copy.status, copy.fee) == (2, "draft", 5000)
    assert [r.text for r in copy.requirements.all()] == [r.text for r in first.requirements.all()]
