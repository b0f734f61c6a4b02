"""The Buji'an Dusun demo: 11 desa held in 2022, the planner's 2023 plan for the other 131."""

import datetime as dt
import random
from collections import Counter

import pytest

from balai.outreach.tests.test_planner import bengkulu_selatan  # noqa: F401 (fixture)


@pytest.mark.django_db
def test_demo_bujian_dusun_plans_every_desa_remote_first_and_is_idempotent(bengkulu_selatan):  # noqa: F811
    from balai.devtools.demo_bengkulu import demo_bengkulu_bujian_dusun
    from balai.outreach.choices import EventStatus
    from balai.outreach.models import Event, PlanRun

    program = demo_bengkulu_bujian_dusun(bengkulu_selatan, random.Random(17))
    held = Event.objects.filter(program=program, status=EventStatus.HELD)
    planned = Event.objects.filter(program=program, status=EventStatus.PLANNED)
    assert held.count() == 11
    assert all(e.date.year == 2022 and e.date.weekday() == 2 for e in held)
    assert planned.count() == 131
    assert all(e.date.year == 2023 and e.date.weekday() in (1, 2, 3) for e in planned)
    venues = set(held.values_list("venue_id", flat=True)) | set(
        planned.values_list("venue_id", flat=True)
    )
    assert len(venues) == 142
    run = PlanRun.objects.get(program=program)
    assert run.solver_status == "optimal"
    first = planned.order_by("date").first()
    last = planned.order_by("date").last()
    assert first.venue.distance_to_seat_km > last.venue.distance_to_seat_km
    assert "km" in first.explanation["reason"]
    weeks = Counter((e.venue.parent_id, e.date.isocalendar()[:2]) for e in planned)
    assert max(weeks.values()) == 1
    snapshot = sorted(Event.objects.values_list("venue_id", "date", "status"))

    demo_bengkulu_bujian_dusun(bengkulu_selatan, random.Random(17))
    assert sorted(Event.objects.values_list("venue_id", "date", "status")) == snapshot
    assert PlanRun.objects.count() == 1
    assert first.date >= dt.date(2023, 1, 3)
