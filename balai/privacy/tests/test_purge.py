"""Retention purge: exactly the eligible rows older than the period, once, statistics kept."""

import datetime as dt

import time_machine
from django.db.models import Count

from balai.complaints.models import Complaint
from balai.core.models import AuditLog
from balai.messaging.models import Conversation, InboundMessage, OutboundMessage
from balai.privacy.services import privacy_purge, purge_preview, retention_days
from balai.visits.models import ELEMENTS

from .conftest import at, close, file_request, submit, whatsapp_complaint

NOW = at(2027, 1, 10, 3, 0)


def counts(result):
    return {entry.kind.key: entry.count for entry in result}


def stats(pemda):
    return list(
        Complaint.objects.filter(pemda=pemda)
        .values("status", "channel", "category", "region")
        .annotate(n=Count("id"))
        .order_by("status", "channel")
    )


def test_purge_anonymises_exactly_the_closed_complaints_past_the_period(bontang, operator):
    days = retention_days(bontang)["complaints.reporter"]
    assert days == 730
    cutoff = NOW - dt.timedelta(days=days)
    old = submit(bontang, at(2024, 1, 5), reporter_name="Made", reporter_phone="+6281111111111")
    close(old, operator, cutoff - dt.timedelta(minutes=1))  # closed just before the cutoff
    recent = submit(bontang, at(2024, 1, 5), reporter_name="Ketut", reporter_email="k@example.id")
    close(recent, operator, cutoff + dt.timedelta(minutes=1))  # closed just after
    still_open = submit(bontang, at(2023, 1, 5), reporter_name="Wayan", reporter_phone="+628122")
    before = stats(bontang)
    description = old.description

    with time_machine.travel(NOW, tick=False):
        assert counts(purge_preview(pemda=bontang))["complaints.reporter"] == 1
        result = counts(privacy_purge(pemda=bontang))
    assert result["complaints.reporter"] == 1

    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_phone, old.reporter_email) == ("", "", "")
    assert old.description == description  # what the citizen reported stays
    assert old.received_at == at(2024, 1, 5) and old.closed_at is not None
    recent.refresh_from_db()
    assert recent.reporter_name == "Ketut" and recent.reporter_email == "k@example.id"
    still_open.refresh_from_db()
    assert still_open.reporter_name == "Wayan"  # open: never purged, however old
    assert stats(bontang) == before  # the statistics do not change

    audit = AuditLog.objects.get(action="privacy.purge", pemda=bontang)
    assert audit.changes["counts"]["complaints.reporter"] == 1
    assert audit.changes["days"]["complaints.reporter"] == 730


def test_purge_is_idempotent_and_dry_run_changes_nothing(bontang, operator, account):
    for n in range(3):
        complaint = whatsapp_complaint(account, at(2024, 1, 1 + n), wa_id=f"62811000000{n}")
        close(complaint, operator, at(2024, 2, 1))
    with time_machine.travel(NOW, tick=False):
        dry = counts(privacy_purge(pemda=bontang, dry_run=True))
        assert dry["complaints.reporter"] == 3
        assert Complaint.objects.filter(reporter_name="Made").count() == 3
        assert not AuditLog.objects.filter(action="privacy.purge").exists()

        first = counts(privacy_purge(pemda=bontang, batch_size=2))
        second = counts(privacy_purge(pemda=bontang, batch_size=2))
    mine = {
        "complaints.reporter": 3,
        "messaging.conversation": 3,
        "messaging.inbound": 3,
        "messaging.outbound": 3,
    }
    assert {key: first[key] for key in mine} == mine
    assert not any(n for key, n in first.items() if key not in mine)
    assert set(second.values()) == {0}
    assert not Complaint.objects.exclude(reporter_channel_id="").exists()
    assert not Conversation.objects.exclude(sender_id="").exists()
    message = InboundMessage.objects.first()
    assert (message.sender_id, message.sender_name, message.payload) == ("", "", {})
    assert message.text == "Sampah menumpuk"  # the content stays
    assert not OutboundMessage.objects.exists()  # sent replies are deleted
    assert Complaint.objects.count() == 3
    assert AuditLog.objects.filter(action="privacy.purge").count() == 2


def test_messages_of_an_open_complaint_are_kept(bontang, account):
    whatsapp_complaint(account, at(2024, 1, 1))  # never closed
    with time_machine.travel(NOW, tick=False):
        result = counts(privacy_purge(pemda=bontang))
    assert result["messaging.inbound"] == result["messaging.conversation"] == 0
    assert InboundMessage.objects.get().sender_id == "6281234567890"


def test_purge_touches_only_its_own_pemda(bontang, bangli_pemda, make_member):
    operator_b = make_member(bangli_pemda, "operator")
    operator_a = make_member(bontang, "operator")
    mine = submit(bontang, at(2024, 1, 1), reporter_name="Made")
    close(mine, operator_a, at(2024, 1, 2))
    theirs = submit(bangli_pemda, at(2024, 1, 1), reporter_name="Nyoman")
    close(theirs, operator_b, at(2024, 1, 2))
    with time_machine.travel(NOW, tick=False):
        privacy_purge(pemda=bontang)
    theirs.refresh_from_db()
    assert theirs.reporter_name == "Nyoman"
    mine.refresh_from_db()
    assert mine.reporter_name == ""


def test_settings_override_the_default_period(bontang, operator, settings):
    settings.BALAI_PRIVACY_RETENTION_DAYS = {"complaints.reporter": 90}
    complaint = submit(bontang, at(2026, 9, 1), reporter_name="Made")
    close(complaint, operator, at(2026, 9, 2))
    assert retention_days(bontang)["complaints.reporter"] == 90
    with time_machine.travel(NOW, tick=False):
        assert counts(privacy_purge(pemda=bontang))["complaints.reporter"] == 1


def test_visits_and_skm_keep_their_statistics(bontang):
    from balai.visits.models import SurveyResponse, Visit

    def visit(when):
        return Visit.objects.create(
            pemda=bontang, visited_at=when, occupation="petani", rw="003", rt="011"
        )

    def answer(when):
        scores = {f"u{i}": 1 + i % 4 for i in range(1, 10)}
        return SurveyResponse.objects.create(
            pemda=bontang, channel="paper", answered_at=when, age=34, sex="P", **scores
        )

    old_visit, new_visit = visit(at(2024, 1, 1)), visit(at(2026, 6, 1))
    old_answer, new_answer = answer(at(2023, 12, 1)), answer(at(2026, 6, 1))
    scores_before = list(SurveyResponse.objects.order_by("pk").values_list(*ELEMENTS))
    with time_machine.travel(NOW, tick=False):
        result = counts(privacy_purge(pemda=bontang))
    assert result["visits.residence"] == 1 and result["visits.skm_profile"] == 1
    old_visit.refresh_from_db()
    new_visit.refresh_from_db()
    assert (old_visit.rw, old_visit.rt, old_visit.occupation) == ("", "", "petani")
    assert (new_visit.rw, new_visit.rt) == ("003", "011")
    old_answer.refresh_from_db()
    new_answer.refresh_from_db()
    assert (old_answer.age, old_answer.sex) == (None, "")
    assert (new_answer.age, new_answer.sex) == (34, "P")
    assert list(SurveyResponse.objects.order_by("pk").values_list(*ELEMENTS)) == scores_before


def test_service_requests_are_anonymised_after_collection_or_rejection(bontang, operator, service):
    from balai.service_requests import services as requests_svc
    from balai.service_requests.models import ServiceRequest

    rejected = file_request(service, at(2024, 1, 2))
    with time_machine.travel(at(2024, 1, 3), tick=False):
        requests_svc.service_request_reject(request=rejected, actor=operator, reason="Ditolak")
    in_process = file_request(service, at(2024, 1, 2), name="Ketut")
    recent = file_request(service, at(2026, 12, 1), name="Wayan")
    with time_machine.travel(at(2026, 12, 2), tick=False):
        requests_svc.service_request_reject(request=recent, actor=operator, reason="Ditolak")
    with time_machine.travel(NOW, tick=False):
        assert counts(privacy_purge(pemda=bontang))["service_requests.applicant"] == 1
    names = dict(ServiceRequest.objects.values_list("pk", "applicant_name"))
    assert names == {rejected.pk: "", in_process.pk: "Ketut", recent.pk: "Wayan"}
