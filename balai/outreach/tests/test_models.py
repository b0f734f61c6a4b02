import datetime

import pytest
from django.db import IntegrityError, transaction

from balai.outreach.models import Event, PlanRun, Program
from balai.regions.models import Region


@pytest.fixture
def program(bontang):
    return Program.objects.create(pemda=bontang, name="Keliling", slug="keliling")


def test_event_defaults(program):
    event = Event.objects.create(
        pemda=program.pemda,
        program=program,
        date=datetime.date(2024, 7, 13),
        venue=Region.objects.get(code="64.74.02"),
    )
    assert event.status == "planned"
    assert not event.locked and not event.published
    assert "Bontang Selatan" in str(event)


def test_program_slug_unique_per_pemda(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.create(pemda=program.pemda, name="Lain", slug="keliling")


def test_plan_run_period_must_be_ordered(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanRun.objects.create(
            pemda=program.pemda,
            program=program,
            period_start=datetime.date(2024, 7, 2),
            period_end=datetime.date(2024, 7, 1),
        )
