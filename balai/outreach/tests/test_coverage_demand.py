"""Coverage (reached / planned / not yet, curve, map, never reached) and demand (services
ranked, what to bring, suggested days a week), and their staff pages."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from balai.accounts.choices import Role
from balai.outreach import coverage, demand
from balai.outreach.choices import EventStatus
from balai.outreach.services import event_schedule
from balai.regions.models import Region, RegionBoundary

SQUARE = {"type": "Polygon", "coordinates": [[[107, -6], [107.1, -6], [107.1, -6.1], [107, -6]]]}


def _desa(n):
    return list(
        Region.objects.filter(code__startswith="32.16.", level=4, kind="desa").order_by("code")
    )[:n]


@pytest.fixture
def events(village_program, admin):
    a, b, c, d = _desa(4)
    Region.objects.filter(code=d.code).update(distance_to_seat_km=55.5)
    Region.objects.filter(code=c.code).update(distance_to_seat_km=12.0)
    made = {}
    for key, venue, day, status in [
        ("a", a, dt.date(2024, 7, 9), EventStatus.HELD),
        ("b", b, dt.date(2024, 7, 11), EventStatus.HELD),
        ("b0", b, dt.date(2023, 3, 7), EventStatus.HELD),
        ("c", c, dt.date(2024, 8, 6), EventStatus.PLANNED),
        ("d0", d, dt.date(2023, 5, 9), EventStatus.HELD),
        ("x", d, dt.date(2024, 9, 3), EventStatus.CANCELLED),
    ]:
        made[key] = event_schedule(
            actor=admin, program=village_program, date=day, venue=venue, status=status
        )
    return made


def test_coverage_summary_counts_the_year(village_program, events):
    total = Region.objects.filter(code__startswith="32.16.", level=4, kind="desa").count()
    s = coverage.coverage_summary(village_program, 2024)
    assert (s.total, s.reached, s.planned, s.not_yet) == (total, 2, 1, total - 3)
    assert s.target == total
    assert s.reached_before == 1  # desa d: held in 2023, not in 2024
    assert s.curve[0] == (dt.date(2024, 1, 1), 0, 0)
    assert s.curve[-1] == (dt.date(2024, 12, 31), 2, 3)
    assert s.target_on(dt.date(2024, 7, 1)) == pytest.approx(total * 182 / 365)
    never = s.never_reached
    codes = [p.code for p in never]
    assert events["a"].venue_id not in codes and events["b"].venue_id not in codes
    assert events["d0"].venue_id not in codes  # reached in 2023
    assert never[0].code == events["c"].venue_id  # planned, 12 km: the only distance left
    assert never[0].status == coverage.PLANNED
    chart = coverage.curve_chart(s, today=dt.date(2024, 7, 20))
    assert chart.today_x is not None and len(chart.months) == 12
    assert len(chart.reached.split()) < len(chart.planned.split())  # reached stops today


def test_coverage_summary_of_2023_and_a_count_target(village_program, events):
    village_program.target_all = False
    village_program.target_count = 24
    village_program.save()
    s = coverage.coverage_summary(village_program, 2023)
    assert (s.reached, s.planned, s.target) == (2, 0, 24)


def test_coverage_map_has_the_status_of_each_bounded_place(village_program, events):
    RegionBoundary.objects.create(region_id=events["a"].venue_id, geometry=SQUARE)
    RegionBoundary.objects.create(region_id=events["c"].venue_id, geometry=SQUARE)
    s = coverage.coverage_summary(village_program, 2024)
    data = coverage.coverage_map(village_program, s)
    status = {f["properties"]["code"]: f["properties"]["status"] for f in data["features"]}
    assert status == {events["a"].venue_id: "reached", events["c"].venue_id: "planned"}


def test_coverage_page(client, village_program, events, admin, django_assert_max_num_queries):
    RegionBoundary.objects.create(region_id=events["a"].venue_id, geometry=SQUARE)
    client.force_login(admin)
    url = reverse("staff:outreach_coverage", args=["bekasi", village_program.slug])
    with django_assert_max_num_queries(16):
        response = client.get(url + "?tahun=2024")
    body = response.content.decode()
    assert response.status_code == 200
    total = Region.objects.filter(code__startswith="32.16.", level=4, kind="desa").count()
    assert f"2 / {total}" in body
    assert "balai-coverage-data" in body and "<svg" in body
    assert "<script>" not in body.replace('<script type="application/json"', "")
    response = client.get(url + "?tahun=abc")
    assert response.status_code == 200


def test_coverage_page_needs_a_role(client, village_program, bekasi, make_member):
    outsider = make_member(bekasi, Role.OPERATOR)
    client.force_login(outsider)
    url = reverse("staff:outreach_coverage", args=["bekasi", village_program.slug])
    assert client.get(url).status_code == 403


# -- demand ------------------------------------------------------------------------------------


@pytest.fixture
def services(bekasi):
    from balai.catalog.models import Service

    opd = bekasi.opds.first()
    return [
        Service.objects.create(pemda=bekasi, code=f"s{n}", name=name, category="adminduk", opd=opd)
        for n, name in enumerate(["KTP-el", "KK", "Akta kelahiran", "Cek kesehatan", "IKD"])
    ]


def _visits(pemda, day, village, service, n, event=None):
    from balai.visits.models import Visit

    tz = ZoneInfo(pemda.timezone)
    for k in range(n):
        visit = Visit.objects.create(
            pemda=pemda,
            visited_at=dt.datetime.combine(day, dt.time(9, k % 60), tz),
            session_kind="event",
            village=village,
            occupation="swasta",
            event=event,
        )
        visit.services.add(service)


def test_demand_ranks_services_and_suggests_days(bekasi, village_program, admin, services):
    a, b = _desa(2)
    village_program.services.set(services[:2] + services[4:])
    e1 = event_schedule(
        actor=admin, program=village_program, date=dt.date(2024, 7, 9), venue=a, status="held"
    )
    e2 = event_schedule(
        actor=admin, program=village_program, date=dt.date(2024, 7, 16), venue=b, status="held"
    )
    ktp, kk, akta, cek, _ikd = services
    _visits(bekasi, dt.date(2024, 7, 9), a, ktp, 200, e1)
    _visits(bekasi, dt.date(2024, 7, 9), a, kk, 60, e1)
    _visits(bekasi, dt.date(2024, 7, 16), b, ktp, 100, e2)
    _visits(bekasi, dt.date(2024, 7, 16), b, akta, 30, e2)
    _visits(bekasi, dt.date(2024, 7, 16), b, cek, 10, e2)
    _visits(bekasi, dt.date(2024, 7, 17), b, cek, 7)  # linked to no event: not counted
    _visits(bekasi, dt.date(2024, 7, 16), b, kk, 4)  # event day, but not linked: not counted

    report = demand.program_demand(village_program, 2024, capacity=150)
    assert report.visits == 400
    assert report.unattributed == 11
    assert [s.service.name for s in report.services][:4] == [
        "KTP-el",
        "KK",
        "Akta kelahiran",
        "Cek kesehatan",
    ]
    assert [s.visits for s in report.services][:4] == [300, 60, 30, 10]
    # 75% after KTP-el, 90% after KK: those two make up 80% of the demand
    assert [s.service.name for s in report.to_bring] == ["KTP-el", "KK"]
    assert not next(s for s in report.services if s.service.name == "Akta kelahiran").offered
    assert report.services[-1].service.name == "IKD" and report.services[-1].visits == 0
    first = next(d for d in report.events if d.event.pk == e1.pk)
    assert first.visits == 260 and first.top_services[0] == ("KTP-el", 200)
    # 2 event days in 2 weeks (1 a week), 200 visitors each against 150 a day -> 2 a week
    assert report.days_per_week == 1.0 and report.suggested_days_per_week == 2


def test_demand_on_a_shared_day_follows_the_event_link(
    bekasi, village_program, kecamatan_program, admin, services
):
    a = _desa(1)[0]
    other = Region.objects.filter(code__startswith="32.16.", level=3).exclude(code=a.parent_id)[0]
    far = other.children.filter(kind="desa").first()
    day = dt.date(2024, 7, 13)
    mine = event_schedule(actor=admin, program=village_program, date=day, venue=a, status="held")
    theirs = event_schedule(
        actor=admin, program=kecamatan_program, date=day, venue=other, status="held"
    )
    _visits(bekasi, day, a, services[0], 5, mine)
    _visits(bekasi, day, far, services[0], 7, theirs)
    _visits(bekasi, day, a, services[1], 3, theirs)  # from desa a, but at the kecamatan event
    _visits(bekasi, day, None, services[0], 2)  # no event chosen: not attributed
    report = demand.program_demand(village_program, 2024)
    assert report.visits == 5
    assert [(s.service.pk, s.visits) for s in report.services if s.visits] == [(services[0].pk, 5)]
    report = demand.program_demand(kecamatan_program, 2024)
    assert report.visits == 10 and report.unattributed == 2
    assert {s.service.pk: s.visits for s in report.services if s.visits} == {
        services[0].pk: 7,
        services[1].pk: 3,
    }


def test_demand_query_count_is_constant(
    bekasi, village_program, admin, services, django_assert_num_queries
):
    desas = _desa(3)
    for k, desa in enumerate(desas):
        event = event_schedule(
            actor=admin,
            program=village_program,
            date=dt.date(2024, 7, 9 + 7 * k),
            venue=desa,
            status="held",
        )
        _visits(bekasi, event.date, desa, services[k], 2 + k, event)
    village_program.refresh_from_db()
    assert village_program.pemda == bekasi
    with django_assert_num_queries(6):
        report = demand.program_demand(village_program, 2024)
    assert report.visits == 2 + 3 + 4


def test_demand_page(client, village_program, admin, services, django_assert_max_num_queries):
    a = _desa(1)[0]
    event = event_schedule(
        actor=admin, program=village_program, date=dt.date(2024, 7, 9), venue=a, status="held"
    )
    _visits(village_program.pemda, dt.date(2024, 7, 9), a, services[0], 3, event)
    client.force_login(admin)
    url = reverse("staff:outreach_demand", args=["bekasi", village_program.slug])
    with django_assert_max_num_queries(16):
        response = client.get(url + "?tahun=2024")
    assert response.status_code == 200
    assert "KTP-el" in response.content.decode()
