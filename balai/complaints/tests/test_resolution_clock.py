"""The resolution clock's escalation ladder: holidays, pauses and reopening (time-machine)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction

from balai.complaints import services as svc
from balai.complaints.choices import Channel, EventKind, Status
from balai.complaints.models import Complaint, Escalation, Notification
from balai.core.models import AuditLog

WITA = ZoneInfo("Asia/Makassar")


def wita(*args):
    return dt.datetime(*args, tzinfo=WITA)


def handled(pemda, staff, category, at):
    """Submitted, verified (routed to the OPD) and answered at `at`: the resolution clock runs."""
    with time_machine.travel(at, tick=False):
        complaint = svc.complaint_submit(
            pemda=pemda, channel=Channel.PHONE, description="Jalan berlubang di depan pasar"
        )
        svc.complaint_verify(
            complaint=complaint,
            actor=staff["operator"],
            category=category,
            is_secret=False,
            is_anonymous=False,
        )
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Akan kami tinjau")
    return Complaint.objects.get(pk=complaint.pk)


def run(complaint, at):
    """What fires at `at`; the sweep and a second check at the same moment fire nothing more."""
    with time_machine.travel(at, tick=False):
        fired = svc.complaint_escalate(complaint=complaint)
        assert svc.complaints_sweep()["escalations"] == 0
        assert svc.complaint_escalate(complaint=complaint) == []
    return fired


def sweep(at):
    with time_machine.travel(at, tick=False):
        return svc.complaints_sweep()["escalations"]


def resolve_and_approve(complaint, staff, at):
    with time_machine.travel(at, tick=False):
        svc.complaint_resolve(
            complaint=complaint, actor=staff["trc"], actions="Ditambal", done_on=at.date()
        )
        svc.complaint_approve(complaint=complaint, actor=staff["head"])


def reopen(complaint, at):
    with time_machine.travel(at, tick=False):
        svc.complaint_reopen(complaint=complaint, reason="Lubang muncul lagi")
    return Complaint.objects.get(pk=complaint.pk)


def ladder_notes(user):
    kinds = ("warn", "breach", "leadership")
    return list(
        Notification.objects.filter(user=user, kind__in=kinds)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def rounds(complaint):
    return sorted(
        Escalation.objects.filter(complaint=complaint, clock="resolution").values_list(
            "round", "step"
        )
    )


def test_resolution_ladder_fires_each_step_once_across_lebaran_and_cuti_bersama(
    bangli, categories, staff
):
    # Thursday 27 March 2025: cuti bersama Nyepi, Nyepi, Idul Fitri and its cuti bersama, and
    # Good Friday are not working days. 10 working days end on Tuesday 22 April, 16.00.
    complaint = handled(bangli, staff, categories["jalan"], wita(2025, 3, 27, 10, 0))
    assert complaint.resolution_due_at == wita(2025, 4, 22, 16, 0)
    assert run(complaint, wita(2025, 4, 7, 12, 0)) == []  # 10 weekdays, holidays not skipped
    assert run(complaint, wita(2025, 4, 10, 16, 0)) == []  # ten working days without cuti
    assert run(complaint, wita(2025, 4, 22, 11, 59)) == []
    assert run(complaint, wita(2025, 4, 22, 12, 0)) == ["resolution:warn"]  # 4 hours before
    assert run(complaint, wita(2025, 4, 22, 15, 59)) == []
    assert run(complaint, wita(2025, 4, 22, 16, 0)) == ["resolution:breach"]
    assert run(complaint, wita(2025, 4, 23, 15, 59)) == []
    assert run(complaint, wita(2025, 4, 23, 16, 0)) == ["resolution:leadership"]  # a day on
    assert run(complaint, wita(2025, 5, 5, 9, 0)) == []
    assert rounds(complaint) == [(0, "breach"), (0, "leadership"), (0, "warn")]
    assert not Escalation.objects.filter(complaint=complaint, clock="response").exists()
    assert ladder_notes(staff["trc"]) == ["warn"]
    assert ladder_notes(staff["head"]) == ["breach"]
    assert ladder_notes(staff["leader"]) == ["leadership"]
    assert ladder_notes(staff["pdam"]) == []
    escalated = complaint.events.filter(kind=EventKind.ESCALATED)
    assert [(e.data["clock"], e.data["step"]) for e in escalated.order_by("created_at")] == [
        ("resolution", "warn"),
        ("resolution", "breach"),
        ("resolution", "leadership"),
    ]


def test_nothing_escalates_while_paused_and_the_ladder_follows_the_moved_deadline(
    bangli, categories, staff
):
    # Monday 2 June 2025; Idul Adha (6 June) and its cuti bersama (9 June) are skipped.
    complaint = handled(bangli, staff, categories["jalan"], wita(2025, 6, 2, 8, 0))
    assert complaint.resolution_due_at == wita(2025, 6, 18, 16, 0)
    with time_machine.travel(wita(2025, 6, 17, 16, 0), tick=False):  # before the warning
        svc.complaint_pause(
            complaint=complaint,
            actor=staff["trc"],
            reason="procurement",
            expected_until=dt.date(2025, 6, 19),
        )
    # The old warning (18 June 12.00), breach (16.00) and leadership (19 June 16.00) pass.
    for at in [wita(2025, 6, 18, 12, 0), wita(2025, 6, 18, 16, 0), wita(2025, 6, 19, 15, 59)]:
        assert run(complaint, at) == []
    assert not complaint.escalations.exists()
    assert not Notification.objects.filter(kind__in=("warn", "breach", "leadership")).exists()

    # Resumed after two working days (15 working hours): due on Friday 20 June at 16.30.
    with time_machine.travel(wita(2025, 6, 19, 16, 0), tick=False):
        resumed = svc.complaint_resume(complaint=complaint, actor=staff["trc"])
    assert resumed.resolution_due_at == wita(2025, 6, 20, 16, 30)
    assert run(complaint, wita(2025, 6, 19, 16, 0)) == []  # the old leadership time: nothing
    assert run(complaint, wita(2025, 6, 20, 12, 29)) == []
    assert run(complaint, wita(2025, 6, 20, 12, 30)) == ["resolution:warn"]
    assert run(complaint, wita(2025, 6, 20, 16, 29)) == []
    assert run(complaint, wita(2025, 6, 20, 16, 30)) == ["resolution:breach"]
    assert run(complaint, wita(2025, 6, 21, 16, 30)) == ["resolution:leadership"]
    assert run(complaint, wita(2025, 6, 30, 9, 0)) == []
    assert rounds(complaint) == [(0, "breach"), (0, "leadership"), (0, "warn")]


def test_reopening_restarts_the_resolution_clock_and_its_ladder_fires_again_once(
    bangli, categories, staff
):
    complaint = handled(bangli, staff, categories["jalan"], wita(2025, 1, 6, 8, 0))
    first_due = complaint.resolution_due_at
    assert first_due == wita(2025, 1, 20, 16, 0)
    assert sweep(wita(2025, 1, 22, 8, 0)) == 3  # late: the whole first ladder fired
    resolve_and_approve(complaint, staff, wita(2025, 1, 22, 9, 0))

    # Reopened on Friday 24 January 10.00: 10 working days from then on the Pemda's calendar
    # (Isra Mi'raj 27 January, cuti bersama 28 January and Imlek 29 January are skipped).
    complaint = reopen(complaint, wita(2025, 1, 24, 10, 0))
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.resolution_due_at == wita(2025, 2, 12, 16, 0)
    assert complaint.resolution_round == 1
    assert run(complaint, wita(2025, 1, 24, 10, 0)) == []  # the old, passed deadline is gone
    assert run(complaint, wita(2025, 2, 12, 11, 59)) == []
    assert run(complaint, wita(2025, 2, 12, 12, 0)) == ["resolution:warn"]
    assert run(complaint, wita(2025, 2, 12, 16, 0)) == ["resolution:breach"]
    assert run(complaint, wita(2025, 2, 13, 15, 59)) == []
    assert run(complaint, wita(2025, 2, 13, 16, 0)) == ["resolution:leadership"]
    assert run(complaint, wita(2025, 2, 20, 9, 0)) == []
    assert rounds(complaint) == [
        (0, "breach"),
        (0, "leadership"),
        (0, "warn"),
        (1, "breach"),
        (1, "leadership"),
        (1, "warn"),
    ]
    assert ladder_notes(staff["trc"]) == ["warn", "warn"]
    assert ladder_notes(staff["head"]) == ["breach", "breach"]
    assert ladder_notes(staff["leader"]) == ["leadership", "leadership"]

    # History: the first round's escalations stay, and the old deadline is on the record.
    escalated = complaint.events.filter(kind=EventKind.ESCALATED).order_by("created_at")
    assert [e.data["round"] for e in escalated] == [0, 0, 0, 1, 1, 1]
    reopened = complaint.events.get(kind=EventKind.REOPENED)
    assert reopened.is_public and reopened.text == "Lubang muncul lagi"
    assert reopened.data == {
        "round": 1,
        "previous_due": first_due.isoformat(),
        "resolution_due": wita(2025, 2, 12, 16, 0).astimezone(dt.UTC).isoformat(),
    }
    audit = AuditLog.objects.get(action="complaint.reopen")
    assert audit.changes["previous_due"] == first_due.isoformat()
    assert audit.changes["round"] == 1


def test_a_reopened_complaint_whose_ladder_never_fired_does_not_fire_all_at_once(
    bangli, categories, staff
):
    complaint = handled(bangli, staff, categories["jalan"], wita(2025, 1, 6, 8, 0))
    resolve_and_approve(complaint, staff, wita(2025, 1, 14, 9, 0))  # early: nothing fired
    assert not complaint.escalations.exists()
    # Reopened after the first deadline (20 January 16.00) and its leadership step had passed.
    complaint = reopen(complaint, wita(2025, 1, 23, 9, 0))
    assert complaint.resolution_due_at == wita(2025, 2, 11, 16, 0)
    assert sweep(wita(2025, 1, 23, 9, 0)) == 0
    assert run(complaint, wita(2025, 2, 11, 12, 0)) == ["resolution:warn"]
    assert run(complaint, wita(2025, 2, 11, 16, 0)) == ["resolution:breach"]
    assert rounds(complaint) == [(1, "breach"), (1, "warn")]


def test_a_reopened_complaint_reopened_again_starts_a_third_round(bangli, categories, staff):
    complaint = handled(bangli, staff, categories["air"], wita(2025, 1, 6, 8, 0))
    for day in (7, 8):
        resolve_and_approve(complaint, staff, wita(2025, 1, day, 9, 0))
        complaint = reopen(complaint, wita(2025, 1, day, 10, 0))
    assert complaint.resolution_round == 2
    # 3 working days after Wednesday 8 January.
    assert complaint.resolution_due_at == wita(2025, 1, 13, 16, 0)
    assert run(complaint, wita(2025, 1, 13, 16, 0)) == ["resolution:warn", "resolution:breach"]
    assert rounds(complaint) == [(2, "breach"), (2, "warn")]


def test_the_once_per_round_guarantee_is_in_the_database(bangli, categories, staff):
    complaint = handled(bangli, staff, categories["jalan"], wita(2025, 1, 6, 8, 0))
    now = wita(2025, 1, 21, 8, 0)
    Escalation.objects.create(
        complaint=complaint, clock="resolution", step="breach", round=0, fired_at=now
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Escalation.objects.create(
            complaint=complaint, clock="resolution", step="breach", round=0, fired_at=now
        )
    Escalation.objects.create(
        complaint=complaint, clock="resolution", step="breach", round=1, fired_at=now
    )
    assert complaint.escalations.count() == 2


def test_reopening_schedules_clock_checks_at_the_new_ladder_times(
    bangli, categories, staff, database_queue, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    complaint = handled(bangli, staff, categories["jalan"], wita(2025, 1, 6, 8, 0))
    resolve_and_approve(complaint, staff, wita(2025, 1, 22, 9, 0))
    DBTaskResult.objects.all().delete()
    with (
        time_machine.travel(wita(2025, 1, 24, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        svc.complaint_reopen(complaint=complaint, reason="Lubang muncul lagi")
    runs = sorted(
        DBTaskResult.objects.filter(task_path__endswith="check_clock").values_list(
            "run_after", flat=True
        )
    )
    assert runs == [wita(2025, 2, 12, 12, 0), wita(2025, 2, 12, 16, 0), wita(2025, 2, 13, 16, 0)]
