"""The photos a reporter sent go with the reporter's identity (retention purge, erasure on
request, UU 27/2022 data minimisation); the handling-report photos taken by staff stay."""

import datetime as dt
import importlib
import io
import json
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from balai.complaints import services as svc
from balai.complaints.choices import Channel, EventKind
from balai.complaints.models import Attachment, Complaint
from balai.core.models import AuditLog
from balai.privacy.registry import register_builtin_kinds
from balai.privacy.services import person_key, privacy_erase, privacy_export, privacy_purge

UTC = dt.UTC
PHONE = "+6281234567890"
HANDLED = dt.datetime(2024, 3, 4, 2, 0, tzinfo=UTC)
PAST_RETENTION = HANDLED + dt.timedelta(days=731)


@pytest.fixture(autouse=True)
def _kinds():
    register_builtin_kinds()


def photo(colour: str) -> tuple[bytes, str]:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, format="JPEG")
    return out.getvalue(), f"{colour}.jpg"


@pytest.fixture
def handled(bangli, categories, staff):
    """An approved complaint: a photo at intake, one in a later message, one in the report."""
    with time_machine.travel(HANDLED - dt.timedelta(days=2), tick=False):
        complaint = svc.complaint_submit(
            pemda=bangli,
            channel=Channel.WHATSAPP,
            description="Sampah menumpuk di depan rumah saya",
            reporter_name="Made",
            reporter_phone=PHONE,
            files=[photo("red")],
        )
        svc.complaint_add_message(complaint=complaint, text="Ini fotonya", files=[photo("blue")])
        svc.complaint_verify(
            complaint=complaint,
            actor=staff["operator"],
            category=categories["jalan"],
            is_secret=False,
            is_anonymous=False,
        )
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Diterima")
    with time_machine.travel(HANDLED, tick=False):
        svc.complaint_resolve(
            complaint=complaint,
            actor=staff["trc"],
            actions="Sampah diangkut",
            done_on=HANDLED.date(),
            files=[photo("green")],
        )
        svc.complaint_approve(complaint=complaint, actor=staff["head"])
    return complaint


def files_of(complaint):
    return {
        a.source: sorted(b.file.name for b in complaint.attachments.filter(source=a.source))
        for a in complaint.attachments.all()
    }


def test_each_attachment_knows_who_sent_it(handled):
    sources = dict(handled.attachments.values_list("event__kind", "source").order_by("event__kind"))
    assert sources == {
        EventKind.RECEIVED: Attachment.Source.REPORTER,
        EventKind.MESSAGE: Attachment.Source.REPORTER,
        EventKind.RESOLVED: Attachment.Source.STAFF,
    }


def test_purge_deletes_the_reporters_photos_and_keeps_the_handling_report(
    bangli, handled, django_capture_on_commit_callbacks
):
    reporter = files_of(handled)[Attachment.Source.REPORTER]
    [report_photo] = files_of(handled)[Attachment.Source.STAFF]
    assert len(reporter) == 2 and all(default_storage.exists(name) for name in reporter)

    with (
        time_machine.travel(PAST_RETENTION, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = {e.kind.key: (e.count, e.files) for e in privacy_purge(pemda=bangli)}
    assert result["complaints.reporter"] == (1, 2)
    handled.refresh_from_db()
    assert (handled.reporter_name, handled.reporter_phone) == ("", "")
    assert list(handled.attachments.values_list("file", flat=True)) == [report_photo]
    assert not any(default_storage.exists(name) for name in reporter)  # gone from the storage
    assert default_storage.exists(report_photo)  # the evidence of the work stays
    audit = AuditLog.objects.get(action="privacy.purge", pemda=bangli)
    assert audit.changes["files_deleted"] == {"complaints.reporter": 2}

    with time_machine.travel(PAST_RETENTION, tick=False):  # idempotent
        again = {e.kind.key: (e.count, e.files) for e in privacy_purge(pemda=bangli)}
    assert again["complaints.reporter"] == (0, 0)


def test_erasure_deletes_the_reporters_photos_and_audits_the_count(
    bangli, handled, staff, make_member, django_capture_on_commit_callbacks
):
    from balai.accounts.choices import Role

    admin = make_member(bangli, Role.PEMDA_ADMIN)
    person = person_key(phone=PHONE)
    reporter = files_of(handled)[Attachment.Source.REPORTER]
    [report_photo] = files_of(handled)[Attachment.Source.STAFF]
    archive, _counts = privacy_export(pemda=bangli, actor=admin, person=person)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert sorted(n.rsplit("/", 1)[-1] for n in names if n.startswith("files/")) == sorted(
        name.rsplit("/", 1)[-1] for name in reporter
    )  # the export holds what the person sent, not the staff's photo

    with django_capture_on_commit_callbacks(execute=True):
        counts = privacy_erase(pemda=bangli, actor=admin, person=person, reason="Surat 3 Maret")
    assert counts["complaints.reporter"] == 1
    assert list(handled.attachments.values_list("file", flat=True)) == [report_photo]
    assert not any(default_storage.exists(name) for name in reporter)
    assert default_storage.exists(report_photo)
    audit = AuditLog.objects.get(action="privacy.erase")
    assert audit.changes["files_deleted"] == {"complaints.reporter": 2}
    assert PHONE[3:] not in json.dumps(audit.changes)


def test_purge_catches_up_with_complaints_anonymised_before(
    bangli, handled, django_capture_on_commit_callbacks
):
    """A complaint whose identity was blanked earlier (or never given) but still has the
    reporter's photos is taken again by the purge once past the period."""
    Complaint.objects.filter(pk=handled.pk).update(
        reporter_name="", reporter_phone="", reporter_email="", reporter_channel_id=""
    )
    with (
        time_machine.travel(PAST_RETENTION, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = {e.kind.key: (e.count, e.files) for e in privacy_purge(pemda=bangli)}
    assert result["complaints.reporter"] == (1, 2)
    assert list(handled.attachments.values_list("source", flat=True)) == ["staff"]


def test_a_rolled_back_erasure_keeps_the_files(handled):
    reporter = files_of(handled)[Attachment.Source.REPORTER]
    with pytest.raises(RuntimeError), transaction.atomic():
        assert svc.reporter_attachments_delete([handled.pk]) == 2
        raise RuntimeError("something failed later in the erasure")
    assert handled.attachments.filter(source=Attachment.Source.REPORTER).count() == 2
    assert all(default_storage.exists(name) for name in reporter)


def test_migration_classifies_existing_attachments(handled):
    """Existing rows: at intake or with a reporter's message -> reporter; with the handling
    report -> staff; with no event -> reporter."""
    orphan = Attachment.objects.create(
        complaint=handled, content_type="image/jpeg", size=1, sha256="0" * 64, file="x.jpg"
    )
    Attachment.objects.update(source="reporter")  # as the column's default left them
    migration = importlib.import_module("balai.complaints.migrations.0006_attachment_source")
    migration.classify(apps, None)
    sources = dict(Attachment.objects.values_list("event__kind", "source"))
    assert sources == {
        EventKind.RECEIVED: "reporter",
        EventKind.MESSAGE: "reporter",
        EventKind.RESOLVED: "staff",
        None: "reporter",
    }
    orphan.refresh_from_db()
    assert orphan.source == "reporter"
