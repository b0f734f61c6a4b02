"""Export and erasure of one person's data: their rows only, audited, refused while open."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from balai.complaints.models import Complaint
from balai.core.models import AuditLog
from balai.messaging.models import Conversation, InboundMessage, OutboundMessage
from balai.privacy.services import (
    person_key,
    person_label,
    person_rows,
    privacy_erase,
    privacy_export,
)
from balai.service_requests.models import ServiceRequest

from .conftest import OTHER_PHONE, PHONE, at, close, file_request, submit, whatsapp_complaint


def unzip(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return json.loads(archive.read("data.json"))


@pytest.mark.parametrize(
    "written", ["0812 3456 7890", "081234567890", "+62 812-3456-7890", "6281234567890"]
)
def test_phone_numbers_are_normalised(written):
    person = person_key(phone=written)
    assert PHONE in person.phones and "6281234567890" in person.wa_ids
    assert person_label(person) == "+62812****7890"


def test_bad_search_keys_are_refused():
    with pytest.raises(ValidationError):
        person_key()
    with pytest.raises(ValidationError):
        person_key(phone="12")
    with pytest.raises(ValidationError):
        person_key(email="not-an-address")


@pytest.fixture
def made(bontang, bangli_pemda, operator, account, service):
    """Made's complaints (phone, WhatsApp), request; Ketut's; Made's in another Pemda."""
    by_phone = submit(bontang, at(2026, 1, 5), reporter_name="Made", reporter_phone=PHONE)
    by_wa = whatsapp_complaint(account, at(2026, 2, 1))
    by_mail = submit(
        bontang, at(2026, 2, 3), reporter_name="Made", reporter_email="Made@Example.id"
    )
    ketut = submit(bontang, at(2026, 1, 6), reporter_name="Ketut", reporter_phone=OTHER_PHONE)
    whatsapp_complaint(account, at(2026, 2, 2), wa_id="6285700001111", name="Ketut")
    elsewhere = submit(bangli_pemda, at(2026, 1, 7), reporter_name="Made", reporter_phone=PHONE)
    request = file_request(service, at(2026, 1, 8))
    file_request(service, at(2026, 1, 9), phone=OTHER_PHONE, name="Ketut")
    return {
        "complaints": [by_phone, by_wa, by_mail],
        "ketut": ketut,
        "elsewhere": elsewhere,
        "request": request,
    }


def test_export_holds_the_persons_rows_and_no_one_elses(bontang, admin, made):
    person = person_key(phone="0812-3456-7890", email="made@example.id")
    data, counts = privacy_export(pemda=bontang, actor=admin, person=person)
    exported = unzip(data)
    complaints = exported["data"]["complaints.reporter"]["rows"]
    assert sorted(c["tracking_code"] for c in complaints) == sorted(
        c.tracking_code for c in made["complaints"]
    )
    assert counts["complaints.reporter"] == 3
    assert counts["messaging.conversation"] == counts["messaging.inbound"] == 1
    assert counts["messaging.outbound"] == 1
    assert counts["service_requests.applicant"] == 1
    text = json.dumps(exported)
    assert "Ketut" not in text and "85700001111" not in text
    assert made["elsewhere"].tracking_code not in text  # another Pemda's row
    assert exported["data"]["visits.residence"]["rows"] == []
    assert complaints[0]["events"][0]["kind"]["value"] == "received"

    audit = AuditLog.objects.get(action="privacy.export")
    assert audit.pemda == bontang and audit.actor == admin
    assert audit.changes["counts"] == counts
    assert "81234567890" not in json.dumps(audit.changes)  # only masked and hashed
    assert audit.changes["person"] == "+62812****7890, m***@example.id"


def test_erasure_is_refused_while_a_complaint_is_open(bontang, admin, made):
    person = person_key(phone=PHONE)
    rows = {e.kind.key: e for e in person_rows(pemda=bontang, person=person)}
    assert len(rows["complaints.reporter"].blocking) == 2  # received, not closed
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        privacy_erase(pemda=bontang, actor=admin, person=person, reason="Permintaan 3 Maret")
    message = refused.value.messages[0]
    assert "still being handled" in message and made["complaints"][0].tracking_code in message
    assert "81234567890" not in message
    assert Complaint.objects.filter(reporter_phone=PHONE, pemda=bontang).count() == 2
    assert not AuditLog.objects.filter(action="privacy.erase").exists()


def test_erasure_anonymises_after_closure_and_is_audited(bontang, admin, operator, made):
    from balai.service_requests import services as requests_svc

    for complaint in made["complaints"]:
        close(complaint, operator, at(2026, 3, 1))
    requests_svc.service_request_reject(request=made["request"], actor=operator, reason="Ditolak")
    person = person_key(phone=PHONE, email="made@example.id")
    with pytest.raises(ValidationError):
        privacy_erase(pemda=bontang, actor=admin, person=person, reason="  ")

    counts = privacy_erase(pemda=bontang, actor=admin, person=person, reason="UU 27/2022 psl 8")

    assert counts == {
        "complaints.reporter": 3,
        "messaging.conversation": 1,
        "messaging.inbound": 1,
        "messaging.outbound": 1,
        "service_requests.applicant": 1,
    }
    for complaint in made["complaints"]:
        complaint.refresh_from_db()
        assert not (complaint.reporter_name or complaint.reporter_phone)
        assert not (complaint.reporter_email or complaint.reporter_channel_id)
        assert complaint.description  # content stays
    assert ServiceRequest.objects.get(pk=made["request"].pk).applicant_phone == ""
    assert not Conversation.objects.filter(sender_id="6281234567890").exists()
    assert not InboundMessage.objects.filter(sender_id="6281234567890").exists()
    assert not OutboundMessage.objects.filter(recipient="6281234567890").exists()
    # Ketut and the other Pemda are untouched.
    made["ketut"].refresh_from_db()
    made["elsewhere"].refresh_from_db()
    assert made["ketut"].reporter_phone == OTHER_PHONE
    assert made["elsewhere"].reporter_phone == PHONE
    assert OutboundMessage.objects.filter(recipient="6285700001111").exists()
    assert ServiceRequest.objects.filter(applicant_phone=OTHER_PHONE).exists()

    audit = AuditLog.objects.get(action="privacy.erase")
    assert (audit.pemda, audit.actor) == (bontang, admin)
    assert audit.changes["reason"] == "UU 27/2022 psl 8"
    assert audit.changes["counts"] == counts
    # Nothing is left to find.
    assert all(e.count == 0 for e in person_rows(pemda=bontang, person=person))
