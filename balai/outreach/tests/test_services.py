import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from balai.accounts.choices import Role
from balai.core.calendars import national_holidays
from balai.core.models import AuditLog
from balai.outreach import services
from balai.outreach.models import Event, PlanRun
from balai.regions.models import Region

CIANTRA = "32.16.19.2003"


def _event(program, admin, day, code=CIANTRA, **kw):
    return services.event_schedule(
        actor=admin, program=program, date=day, venue=Region.objects.get(code=code), **kw
    )


def test_program_create_checks_and_audits(village_program, admin):
    assert village_program.slug == "botram-masuk-desa"
    assert village_program.weekdays == [1, 3]
    assert village_program.opds.count() == 2
    assert AuditLog.objects.filter(action="outreach.program.create").count() == 1
    with pytest.raises(ValidationError):
        services.program_create(actor=admin, pemda=village_program.pemda, name="Botram Masuk Desa")
    with pytest.raises(ValidationError):
        services.program_create(actor=admin, pemda=village_program.pemda, name="X", weekdays=[7])
    with pytest.raises(ValidationError):
        services.program_create(actor=admin, pemda=village_program.pemda, name="Baru")


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.EVENT_STAFF, Role.OPD_HEAD, Role.OPERATOR])
def test_only_the_pemda_admin_edits(bekasi, village_program, make_member, role):
    user = make_member(bekasi, role, opd=bekasi.opds.first() if role == Role.OPD_HEAD else None)
    with pytest.raises(PermissionDenied):
        services.program_update(actor=user, program=village_program, name="Lain")
    with pytest.raises(PermissionDenied):
        _event(village_program, user, dt.date(2024, 7, 9))


def test_event_schedule_checks_the_venue_level(village_program, kecamatan_program, admin):
    with pytest.raises(ValidationError):
        _event(village_program, admin, dt.date(2024, 7, 9), code="32.16.19")
    with pytest.raises(ValidationError):
        _event(kecamatan_program, admin, dt.date(2024, 7, 13), code=CIANTRA)
    with pytest.raises(ValidationError):  # another kabupaten
        Region.objects.create(
            code="32.75", name="Kota Bekasi", level=2, kind="kota", parent_id="32"
        )
        Region.objects.create(
            code="32.75.01", name="X", level=3, kind="kecamatan", parent_id="32.75"
        )
        _event(kecamatan_program, admin, dt.date(2024, 7, 13), code="32.75.01")
    event = _event(kecamatan_program, admin, dt.date(2024, 7, 13), code="32.16.01")
    assert event.start_time == dt.time(8, 0)


def test_cancel_and_postpone_need_a_reason(village_program, admin):
    event = _event(village_program, admin, dt.date(2024, 7, 9))
    for status in ("cancelled", "postponed"):
        with pytest.raises(ValidationError):
            services.event_update(actor=admin, event=event, status=status, reason="  ")
        event.refresh_from_db()
        assert event.status == "planned"
    services.event_update(actor=admin, event=event, status="postponed", reason="Banjir")
    event.refresh_from_db()
    assert (event.status, event.status_reason) == ("postponed", "Banjir")
    services.event_update(actor=admin, event=event, status="held", attendance=212)
    event.refresh_from_db()
    assert event.attendance == 212
    assert (
        AuditLog.objects.filter(action="outreach.event.update", target_id=str(event.pk)).count()
        == 2
    )


def test_move_warns_and_locks(village_program, admin):
    event = _event(village_program, admin, dt.date(2024, 7, 9))
    _event(village_program, admin, dt.date(2024, 7, 11), code="32.16.19.2001")
    # Saturday, and another Cikarang Selatan event that week: refused without confirmation.
    with pytest.raises(ValidationError) as error:
        services.event_move(actor=admin, event=event, date=dt.date(2024, 7, 13))
    assert len(error.value.messages) == 2
    event.refresh_from_db()
    assert event.date == dt.date(2024, 7, 9) and not event.locked
    # Holiday: 17 August 2024 (Saturday, Hari Kemerdekaan).
    assert any(
        "holiday" in w or "libur" in w for w in services.move_warnings(event, dt.date(2024, 8, 17))
    )
    warnings = services.event_move(actor=admin, event=event, date=dt.date(2024, 7, 16))
    assert warnings == []
    event.refresh_from_db()
    assert event.date == dt.date(2024, 7, 16) and event.locked


def test_publish_only_planned_and_confirmed(village_program, admin):
    a = _event(village_program, admin, dt.date(2024, 7, 9))
    b = _event(village_program, admin, dt.date(2024, 7, 11), code="32.16.19.2001")
    services.event_update(actor=admin, event=b, status="cancelled", reason="Hujan")
    assert services.events_publish(actor=admin, program=village_program) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.published and not b.published


def test_plan_run_rejects_bad_input(village_program, admin):
    with pytest.raises(ValidationError):
        services.plan_run_create(
            actor=admin,
            program=village_program,
            period_start=dt.date(2024, 7, 2),
            period_end=dt.date(2024, 7, 1),
        )
    with pytest.raises(ValidationError):
        services.plan_run_create(
            actor=admin,
            program=village_program,
            period_start=dt.date(2024, 7, 1),
            period_end=dt.date(2024, 7, 31),
            weights={"remoteness": 0, "population": 0},
        )
    with pytest.raises(ValidationError):
        services.plan_run_create(
            actor=admin,
            program=village_program,
            period_start=dt.date(2024, 7, 1),
            period_end=dt.date(2024, 7, 31),
            constraints={"blackout": ["31-07-2024"]},
        )
    assert not PlanRun.objects.exists()


def _plan(program, admin, start, end, capture, **kw):
    with capture(execute=True):
        run = services.plan_run_create(
            actor=admin, program=program, period_start=start, period_end=end, **kw
        )
    run.refresh_from_db()
    return run


def test_plan_falls_on_allowed_days_and_keeps_locked_events(
    village_program, admin, fake_candidates, django_capture_on_commit_callbacks
):
    start, end = dt.date(2024, 7, 9), dt.date(2024, 12, 31)
    run = _plan(village_program, admin, start, end, django_capture_on_commit_callbacks)
    assert run.status == "done", run.message
    assert run.solver_status == "optimal"
    events = list(Event.objects.filter(program=village_program))
    assert len(events) == run.placed == len(fake_candidates(village_program, start, {}))
    holidays = set(national_holidays(2024))
    for event in events:
        assert event.date.weekday() in (1, 3)
        assert event.date not in holidays
        assert start <= event.date <= end
        assert event.explanation["reason"]
        assert event.plan_run_id == run.pk
        assert event.opds.count() == 2
    # One per kecamatan per week: all of these villages are in Cikarang Selatan.
    weeks = [e.date.isocalendar()[:2] for e in events]
    assert len(weeks) == len(set(weeks))

    # Lock one, move another by hand, then re-plan: both stay, the rest is replaced.
    first, second = events[0], events[1]
    services.event_lock(actor=admin, event=first)
    services.event_move(
        actor=admin, event=second, date=second.date + dt.timedelta(days=7), confirm=True
    )
    second.refresh_from_db()
    run2 = _plan(village_program, admin, start, end, django_capture_on_commit_callbacks)
    assert run2.status == "done", run2.message
    after = list(Event.objects.filter(program=village_program))
    assert {e.pk for e in after} >= {first.pk, second.pk}
    first.refresh_from_db()
    assert first.date == events[0].date and first.plan_run_id == run.pk
    assert sorted(e.venue_id for e in after) == sorted(e.venue_id for e in events)
    assert all(e.plan_run_id == run2.pk for e in after if e.pk not in (first.pk, second.pk))
    weeks = [e.date.isocalendar()[:2] for e in after]
    assert len(weeks) == len(set(weeks))


def test_plan_kecamatan_program_on_saturdays_without_holidays(
    kecamatan_program, admin, fake_candidates, django_capture_on_commit_callbacks
):
    run = _plan(
        kecamatan_program,
        admin,
        dt.date(2024, 7, 13),
        dt.date(2024, 12, 31),
        django_capture_on_commit_callbacks,
        constraints={"blackout": ["2024-07-20"]},
    )
    assert run.status == "done"
    days = list(Event.objects.filter(program=kecamatan_program).values_list("date", flat=True))
    assert len(days) == 23
    assert all(d.weekday() == 5 for d in days)
    assert dt.date(2024, 8, 17) not in days  # Hari Kemerdekaan falls on a Saturday
    assert dt.date(2024, 7, 20) not in days  # blackout
    assert AuditLog.objects.filter(action="outreach.plan.apply").count() == 1


def test_plan_command_waits(kecamatan_program, fake_candidates):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "plan",
        kecamatan_program.slug,
        "--pemda=bekasi",
        "--start=2024-07-01",
        "--end=2024-09-30",
        "--wait",
        stdout=out,
    )
    assert "optimal" in out.getvalue()
    assert Event.objects.filter(program=kecamatan_program).count() == 12
