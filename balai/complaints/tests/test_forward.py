"""Forwarding to another Pemda of the installation carries the reporter's photos as new files."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from balai.complaints import services as svc
from balai.complaints.choices import Channel, EventKind, Status
from balai.complaints.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def photo(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), color).save(out, format="PNG")
    return out.getvalue()


def stored_bytes(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.file.name, "rb") as handle:
        return handle.read()


@pytest.fixture
def original(bangli):
    """A WhatsApp complaint with a photo and a PDF at intake, and a second photo sent later."""
    complaint = svc.complaint_submit(
        pemda=bangli,
        channel=Channel.WHATSAPP,
        description="Jalan longsor di perbatasan, lokasi sebenarnya di Bontang",
        reporter_name="Ni Made Ayu",
        reporter_phone="+6281337001122",
        reporter_channel_id="6281337001122",
        address="Jalan Poros",
        lat=0.13,
        lng=117.48,
        files=[(photo("red"), "longsor.png"), (PDF, "surat.pdf")],
    )
    svc.complaint_add_message(
        complaint=complaint, text="Foto lain", files=[(photo("blue"), "dekat.png")]
    )
    return complaint


def forward(complaint, staff, bontang):
    return svc.complaint_forward(
        complaint=complaint, actor=staff["operator"], note="Lokasi di Bontang", to_pemda=bontang
    )


def test_the_forwarded_complaint_has_the_photos_as_its_own_files(original, staff, bontang):
    originals = list(Attachment.objects.filter(complaint=original).order_by("created_at", "id"))
    assert len(originals) == 3
    copy = forward(original, staff, bontang)

    copies = list(Attachment.objects.filter(complaint=copy).order_by("created_at", "id"))
    assert len(copies) == 3
    assert {a.file.name for a in copies}.isdisjoint({a.file.name for a in originals})
    for source, copied in zip(originals, copies, strict=True):
        assert stored_bytes(copied) == stored_bytes(source)  # the same bytes, not re-encoded
        assert (copied.sha256, copied.size, copied.content_type) == (
            source.sha256,
            source.size,
            source.content_type,
        )
    assert [a.content_type for a in copies] == ["image/jpeg", "application/pdf", "image/jpeg"]
    # The copies belong to the new complaint's intake; the forwarding note counts them.
    intake = copy.events.get(kind=EventKind.RECEIVED)
    assert all(a.event_id == intake.pk for a in copies)
    note = copy.events.get(kind=EventKind.NOTE)
    assert note.data["attachments"] == 3 and note.data["code"] == original.tracking_code
    # Text, reporter and place came along as before.
    assert copy.description == original.description
    assert (copy.reporter_name, copy.reporter_channel_id) == ("Ni Made Ayu", "6281337001122")
    assert (copy.address, copy.lat, copy.lng) == ("Jalan Poros", 0.13, 117.48)


def test_confidentiality_is_decided_again_by_the_receiving_pemda(
    original, staff, bontang, categories
):
    """Even when Bangli had made the complaint open and named, the copy starts rahasia and
    anonim with private files, and a photo Bangli redacted is not carried over."""
    svc.complaint_verify(
        complaint=original,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=False,
        is_anonymous=False,
        assign=False,
    )
    Attachment.objects.filter(complaint=original).update(is_public=True)
    blue = Attachment.objects.filter(complaint=original, event__kind=EventKind.MESSAGE).get()
    svc.complaint_redact(complaint=original, actor=staff["operator"], remove_attachments=[blue.pk])
    original.refresh_from_db()
    assert original.status == Status.VERIFIED

    copy = forward(original, staff, bontang)
    assert copy.is_secret and copy.is_anonymous
    copies = list(Attachment.objects.filter(complaint=copy))
    assert len(copies) == 2 and not any(a.is_public for a in copies)
    assert sorted(a.sha256 for a in copies) == sorted(
        Attachment.objects.filter(complaint=original).values_list("sha256", flat=True)
    )
    assert blue.sha256 not in {a.sha256 for a in copies}


def test_redacting_or_deleting_the_original_files_keeps_the_copy(original, staff, bontang):
    copy = forward(original, staff, bontang)
    originals = list(Attachment.objects.filter(complaint=original))
    expected = {a.sha256: stored_bytes(a) for a in originals}

    # The call center redacts the original's photos: its files leave the storage.
    svc.complaint_redact(
        complaint=original,
        actor=staff["operator"],
        remove_attachments=[a.pk for a in originals[:2]],
    )
    assert not any(default_storage.exists(a.file.name) for a in originals[:2])
    # The original's identity is anonymised and its remaining file deleted (retention purge).
    original.refresh_from_db()
    original.reporter_name = original.reporter_phone = original.reporter_channel_id = ""
    original.save()
    for attachment in Attachment.objects.filter(complaint=original):
        attachment.file.delete(save=False)
        attachment.delete()
    assert not Attachment.objects.filter(complaint=original).exists()

    copies = list(Attachment.objects.filter(complaint=copy))
    assert len(copies) == 3
    for copied in copies:
        assert default_storage.exists(copied.file.name)
        assert stored_bytes(copied) == expected[copied.sha256]
    copy.refresh_from_db()
    assert copy.reporter_name == "Ni Made Ayu"


def test_a_file_missing_from_the_storage_does_not_stop_the_forwarding(original, staff, bontang):
    lost = Attachment.objects.filter(complaint=original).first()
    default_storage.delete(lost.file.name)
    copy = forward(original, staff, bontang)
    assert Attachment.objects.filter(complaint=copy).count() == 2
    assert copy.events.get(kind=EventKind.NOTE).data["attachments"] == 2


def test_forwarding_to_an_outside_body_copies_nothing(original, staff):
    assert (
        svc.complaint_forward(
            complaint=original, actor=staff["operator"], note="Wewenang BPN", to_body="BPN"
        )
        is None
    )
    assert Attachment.objects.count() == 3
