"""The steps of a service request: the clock, the standard kept, notifications, refusals."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from balai.accounts.choices import Role
from balai.catalog.choices import DurationUnit
from balai.core.models import AuditLog
from balai.messaging.models import OutboundMessage
from balai.service_requests import services
from balai.service_requests.choices import Channel, EventKind, Status
from balai.service_requests.models import ServiceRequest

from .conftest import add_standard, full, without

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def admin(bontang, make_member):
    return make_member(bontang, Role.PEMDA_ADMIN)


@pytest.fixture
def service(bontang, make_service):
    return make_service(bontang, time=2, unit=DurationUnit.WORKING_DAYS)


def submit(pemda, service, checklist, at, **kwargs):
    return services.service_request_submit(
        pemda=pemda,
        service=service,
        channel=Channel.COUNTER,
        checklist=checklist,
        at=at,
        **kwargs,
    )


def test_incomplete_documents_start_no_clock_and_completing_starts_it(bontang, service, admin):
    standard = service.standards.get()
    filed = dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA)  # Monday
    request = submit(bontang, service, without(standard, "Kartu Keluarga"), filed, actor=admin)
    assert request.status == Status.INCOMPLETE
    assert request.missing == ["Kartu Keluarga"]
    assert request.clock_started_at is None
    assert request.due_at is None
    assert request.created_by == admin

    # Thursday: the applicant brings the KK (the optional photo is still not there).
    back = dt.datetime(2025, 6, 5, 10, 0, tzinfo=WITA)
    checklist = {r.pk: r.is_mandatory for r in standard.requirements.all()}
    with time_machine.travel(back, tick=False):
        request = services.service_request_complete(
            request=request, actor=admin, checklist=checklist
        )
    request.refresh_from_db()
    assert request.status == Status.IN_PROCESS
    assert request.missing == []
    assert request.clock_started_at == back
    # Two working days from Thursday 5 June: Fri 6 is Idul Adha, Mon 9 its cuti bersama, so
    # Tue 10 (1) and Wed 11 June (2), close of business.
    assert request.due_at == dt.datetime(2025, 6, 11, 16, 0, tzinfo=WITA)
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [EventKind.SUBMITTED, EventKind.INCOMPLETE, EventKind.STARTED]


def test_completing_with_documents_still_missing_keeps_the_clock_stopped(bontang, service, admin):
    standard = service.standards.get()
    at = dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA)
    request = submit(bontang, service, {}, at)
    assert request.missing == ["Fotokopi KTP-el", "Kartu Keluarga"]
    request = services.service_request_complete(
        request=request, actor=admin, checklist=without(standard, "Kartu Keluarga")
    )
    request.refresh_from_db()
    assert request.status == Status.INCOMPLETE
    assert request.missing == ["Kartu Keluarga"]
    assert request.clock_started_at is None
    ktp = standard.requirements.get(text="Fotokopi KTP-el")
    assert request.checklist[str(ktp.pk)] is True


def test_the_standard_in_force_at_filing_is_kept(bontang, make_service, admin):
    service = make_service(
        bontang, time=5, unit=DurationUnit.WORKING_DAYS, effective_from=dt.date(2025, 1, 1)
    )
    old = service.standards.get()
    filed = dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA)
    request = submit(bontang, service, without(old, "Kartu Keluarga"), filed)
    assert request.standard == old

    # A new version is published later, in force from 16 June, faster and asking for less.
    new = add_standard(
        service,
        version=2,
        effective_from=dt.date(2025, 6, 16),
        time=1,
        unit=DurationUnit.WORKING_DAYS,
        requirements=(("Fotokopi KTP-el", True),),
    )
    back = dt.datetime(2025, 6, 17, 9, 0, tzinfo=WITA)  # Tuesday, the new one is in force
    with time_machine.travel(back, tick=False):
        request = services.service_request_complete(
            request=request, actor=admin, checklist=full(old)
        )
        later = submit(bontang, service, full(new), back)
    request.refresh_from_db()
    assert request.standard == old
    # Five working days of the old standard from Tue 17 June: Wed 18 ... Tue 24 June.
    assert request.due_at == dt.datetime(2025, 6, 24, 16, 0, tzinfo=WITA)
    assert later.standard == new
    assert later.due_at == dt.datetime(2025, 6, 18, 16, 0, tzinfo=WITA)
    # The new standard's requirements do not fit the old request's checklist.
    with pytest.raises(ValidationError):
        services.service_request_complete(request=request, actor=admin, checklist=full(new))


def test_the_filing_date_is_the_pemda_local_date(bontang, make_service):
    service = make_service(bontang, effective_from=dt.date(2025, 1, 1), time=3)
    add_standard(service, version=2, effective_from=dt.date(2025, 7, 1), time=1)
    # 30 June 23.30 WITA is still June in Bontang (15.30 UTC).
    june = submit(bontang, service, {}, dt.datetime(2025, 6, 30, 15, 30, tzinfo=dt.UTC))
    # 1 July 00.30 WITA is already July (16.30 UTC on 30 June).
    july = submit(bontang, service, {}, dt.datetime(2025, 6, 30, 16, 30, tzinfo=dt.UTC))
    assert (june.standard.version, july.standard.version) == (1, 2)


def test_drafts_and_future_versions_do_not_count(bontang, make_service):
    service = make_service(bontang, effective_from=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError) as error:
        submit(bontang, service, {}, dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA))
    assert "service" in error.value.error_dict
    assert not ServiceRequest.objects.exists()


def test_ready_notifies_the_applicant_once(
    bontang, service, admin, django_capture_on_commit_callbacks
):
    standard = service.standards.get()
    request = submit(
        bontang,
        service,
        full(standard),
        dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA),
        applicant_name="Siti",
        applicant_phone="0812 3456 7890",
    )
    assert request.applicant_phone == "+6281234567890"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = services.service_request_ready(request=request, actor=admin)
    assert len(callbacks) >= 1
    key = f"service-request-ready-{request.pk}"
    message = OutboundMessage.objects.get(idempotency_key=key)
    assert message.channel == "whatsapp"
    assert message.recipient == "6281234567890"
    assert request.tracking_code in message.text
    assert service.name in message.text
    assert "sudah siap" in message.text  # in Bahasa Indonesia, whatever the staff's language
    # A retry of the notification (e.g. the callback run twice) sends nothing more.
    services._notify_ready(request.pk)
    assert OutboundMessage.objects.filter(idempotency_key=key).count() == 1


def test_ready_without_a_phone_sends_nothing(
    bontang, service, admin, django_capture_on_commit_callbacks
):
    request = submit(
        bontang, service, full(service.standards.get()), dt.datetime(2025, 6, 2, tzinfo=WITA)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.service_request_ready(request=request, actor=admin)
    assert not OutboundMessage.objects.exists()


def test_a_full_run_with_audit_rows(bontang, service, admin):
    request = submit(
        bontang, service, full(service.standards.get()), dt.datetime(2025, 6, 2, tzinfo=WITA)
    )
    with time_machine.travel(dt.datetime(2025, 6, 3, 10, 0, tzinfo=WITA), tick=False):
        request = services.service_request_ready(request=request, actor=admin)
    assert request.is_on_time is True
    with time_machine.travel(dt.datetime(2025, 6, 4, 10, 0, tzinfo=WITA), tick=False):
        request = services.service_request_collect(request=request, actor=admin)
    request.refresh_from_db()
    assert request.status == Status.COLLECTED
    assert request.collected_at == dt.datetime(2025, 6, 4, 10, 0, tzinfo=WITA)
    actions = list(audit_rows(request).order_by("id").values_list("action", flat=True))
    assert actions == [
        "service_request.submit",
        "service_request.ready",
        "service_request.collect",
    ]


def audit_rows(request):
    return AuditLog.objects.filter(
        target_type=ContentType.objects.get_for_model(ServiceRequest), target_id=str(request.pk)
    )


def snapshot(request):
    request = ServiceRequest.objects.get(pk=request.pk)
    return (
        request.status,
        request.checklist,
        request.missing,
        request.clock_started_at,
        request.due_at,
        request.ready_at,
        request.collected_at,
        request.reject_reason,
        request.events.count(),
        audit_rows(request).count(),
    )


@pytest.mark.parametrize(
    ("status", "step"),
    [
        (Status.INCOMPLETE, "ready"),
        (Status.INCOMPLETE, "collect"),
        (Status.IN_PROCESS, "complete"),
        (Status.IN_PROCESS, "collect"),
        (Status.READY, "ready"),
        (Status.READY, "reject"),
        (Status.COLLECTED, "reject"),
        (Status.REJECTED, "complete"),
        (Status.REJECTED, "ready"),
    ],
)
def test_refused_transitions_change_nothing(bontang, service, admin, status, step):
    standard = service.standards.get()
    at = dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA)
    complete = status != Status.INCOMPLETE
    request = submit(bontang, service, full(standard) if complete else {}, at)
    if status in (Status.READY, Status.COLLECTED):
        request = services.service_request_ready(request=request, actor=admin)
    if status == Status.COLLECTED:
        request = services.service_request_collect(request=request, actor=admin)
    if status == Status.REJECTED:
        request = services.service_request_reject(request=request, actor=admin, reason="Bukan")
    assert request.status == status
    before = snapshot(request)
    calls = {
        "complete": lambda: services.service_request_complete(
            request=request, actor=admin, checklist=full(standard)
        ),
        "ready": lambda: services.service_request_ready(request=request, actor=admin),
        "collect": lambda: services.service_request_collect(request=request, actor=admin),
        "reject": lambda: services.service_request_reject(
            request=request, actor=admin, reason="Tidak memenuhi syarat"
        ),
    }
    with pytest.raises(ValidationError):
        calls[step]()
    assert snapshot(request) == before


def test_reject_needs_a_reason(bontang, service, admin):
    request = submit(bontang, service, {}, dt.datetime(2025, 6, 2, tzinfo=WITA))
    before = snapshot(request)
    with pytest.raises(ValidationError) as error:
        services.service_request_reject(request=request, actor=admin, reason="  ")
    assert "reason" in error.value.error_dict
    assert snapshot(request) == before
    request = services.service_request_reject(
        request=request, actor=admin, reason="Bukan warga Bontang"
    )
    assert request.status == Status.REJECTED
    assert request.events.filter(kind=EventKind.REJECTED, is_public=True).exists()


def test_submit_checks_pemda_point_phone_and_checklist(
    bontang, service, make_point, make_service, jayapura
):
    at = dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA)
    elsewhere = make_service(jayapura, code="ktp")
    with pytest.raises(ValidationError) as error:
        submit(bontang, elsewhere, {}, at)
    assert "service" in error.value.error_dict
    point = make_point(jayapura, "abepura", "91.71.01")
    with pytest.raises(ValidationError) as error:
        submit(bontang, service, {}, at, point=point)
    assert "point" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        submit(bontang, service, {}, at, applicant_phone="12")
    assert "applicant_phone" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        submit(bontang, service, {999999: True}, at)
    assert "checklist" in error.value.error_dict
    # A point that lists its services must offer this one.
    office = make_point(bontang, "bontang-selatan", "64.74.02")
    office.services.add(make_service(bontang, code="lain"))
    with pytest.raises(ValidationError) as error:
        submit(bontang, service, {}, at, point=office)
    assert "point" in error.value.error_dict
    assert not ServiceRequest.objects.exists()


def test_tracking_codes_are_readable_and_unique(bontang, service):
    at = dt.datetime(2025, 6, 2, 9, 0, tzinfo=WITA)
    codes = {submit(bontang, service, {}, at).tracking_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 9
        assert code[4] == "-"
        assert not set(code) & set("0O1IL2Z5S8B")
