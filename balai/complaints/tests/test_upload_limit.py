"""Uploads are limited to `attachments.MAX_BYTES` (10 MB): a file over it is refused with a clear
message before anything is stored; a file of exactly the limit is accepted."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.complaints import attachments
from balai.complaints.models import Attachment, Complaint
from balai.complaints.tests.test_portal import form_data
from balai.complaints.tests.test_workflow import jpeg_with_gps

TOO_LARGE = "Ukuran berkas lebih dari 10 MB."


def stored_files(path: str = "") -> set[str]:
    """Every file in the (in-memory) default storage, by path."""
    try:
        dirs, files = default_storage.listdir(path)
    except FileNotFoundError:
        return set()
    found = {f"{path}{name}" for name in files}
    for name in dirs:
        found |= stored_files(f"{path}{name}/")
    return found


def post_photo(client, pemda, photo: bytes):
    upload = SimpleUploadedFile("foto.jpg", photo, content_type="image/jpeg")
    return client.post(
        reverse("portal:complaint_new", args=[pemda.slug]), {**form_data(), "photos": upload}
    )


def test_the_limit_is_10_mb_and_checked_before_the_file_is_read():
    assert attachments.MAX_BYTES == 10 * 1024 * 1024
    # Not an image at all: the size is what refuses it, not the decoder.
    with pytest.raises(ValidationError) as refused:
        attachments.clean_upload(b"\0" * (attachments.MAX_BYTES + 1), "besar.jpg")
    assert refused.value.messages == [TOO_LARGE]


def test_a_photo_just_over_the_limit_is_refused_and_nothing_is_stored(client, bangli, monkeypatch):
    photo = jpeg_with_gps()
    monkeypatch.setattr(attachments, "MAX_BYTES", len(photo) - 1)
    before = stored_files()
    response = post_photo(client, bangli, photo)
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert not Complaint.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files() == before


def test_a_photo_of_exactly_the_limit_is_accepted(client, bangli, monkeypatch):
    photo = jpeg_with_gps()
    monkeypatch.setattr(attachments, "MAX_BYTES", len(photo))
    before = stored_files()
    response = post_photo(client, bangli, photo)
    assert response.status_code == 302
    attachment = Attachment.objects.get(complaint=Complaint.objects.get())
    assert stored_files() - before == {attachment.file.name}
