"""The citizen's side: the portal form, tracking by code, rating and reopening."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from balai.complaints import services as svc
from balai.complaints.choices import Channel, Status
from balai.complaints.models import Attachment, Complaint
from balai.complaints.tests.test_workflow import jpeg_with_gps


def form_data(**extra):
    data = {
        "description": "Lampu jalan mati di depan balai banjar sejak seminggu",
        "village": "51.06.02.1004",
        "address": "Jl. Merdeka",
        "name": "Wayan Sudarsana",
        "phone": "0812-3456-7890",
        "email": "",
        "website": "",
    }
    data.update(extra)
    return data


def test_portal_form_creates_a_complaint_with_photo_and_gives_the_code(client, bangli, categories):
    url = reverse("portal:complaint_new", args=[bangli.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "Kecamatan Bangli" in page.content.decode()  # villages grouped without JavaScript
    photo = SimpleUploadedFile("lampu.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = client.post(url, {**form_data(category=categories["jalan"].pk), "photos": photo})
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:complaint_track", args=[complaint.tracking_code])
    assert complaint.channel == Channel.PORTAL
    assert complaint.reporter_phone == "+6281234567890"
    assert complaint.region_id == "51.06.02.1004"
    assert Attachment.objects.filter(complaint=complaint).count() == 1
    assert complaint.is_secret and complaint.is_anonymous


@pytest.mark.parametrize(
    ("field", "value"),
    [("description", "short"), ("phone", "12"), ("village", "17.01.01.2001"), ("email", "no-at")],
)
def test_bad_input_gets_a_message_and_stores_nothing(client, bangli, field, value):
    url = reverse("portal:complaint_new", args=[bangli.slug])
    response = client.post(url, form_data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Complaint.objects.exists()


def test_a_bad_photo_is_refused_and_nothing_is_stored(client, bangli):
    url = reverse("portal:complaint_new", args=[bangli.slug])
    bad = SimpleUploadedFile("x.jpg", b"not really an image", content_type="image/jpeg")
    response = client.post(url, {**form_data(), "photos": bad})
    assert response.status_code == 200
    assert "Only photos" in response.content.decode() or "Hanya foto" in response.content.decode()
    assert not Complaint.objects.exists()


def test_honeypot_stores_nothing(client, bangli):
    client.post(reverse("portal:complaint_new", args=[bangli.slug]), form_data(website="spam"))
    assert not Complaint.objects.exists()


def test_tracking_shows_public_progress_but_never_identity_or_notes(
    client, bangli, categories, staff
):
    complaint = svc.complaint_submit(
        pemda=bangli,
        channel=Channel.PHONE,
        description="Air mati",
        reporter_name="Ni Luh Sekar",
        reporter_phone="+6281299998888",
    )
    svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=False,
        is_anonymous=False,
    )
    svc.complaint_note(complaint=complaint, actor=staff["trc"], text="CATATAN-INTERNAL rahasia")
    svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Petugas menuju lokasi")
    lookup = client.get(
        reverse("portal:complaint_lookup"),
        {"code": complaint.tracking_code.lower().replace("-", "")},
    )
    assert lookup.status_code == 302
    html = client.get(lookup["Location"]).content.decode()
    assert "Petugas menuju lokasi" in html
    for secret in ("Ni Luh Sekar", "6281299998888", "CATATAN-INTERNAL"):
        assert secret not in html
    assert client.get(reverse("portal:complaint_track", args=["AAAA-AAAA"])).status_code == 404
    missing = client.get(reverse("portal:complaint_lookup"), {"code": "AAAA-AAAA"})
    assert missing.status_code == 200 and missing.context["form"].errors


def test_rating_and_reopen_after_resolution(client, bangli, categories, staff):
    complaint = svc.complaint_submit(
        pemda=bangli, channel=Channel.PORTAL, description="Jalan rusak"
    )
    complaint = svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=True,
        is_anonymous=True,
    )
    svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Diterima")
    svc.complaint_resolve(
        complaint=complaint, actor=staff["trc"], actions="Ditambal", done_on=timezone.localdate()
    )
    svc.complaint_approve(complaint=complaint, actor=staff["head"])
    url = reverse("portal:complaint_track", args=[complaint.tracking_code])
    assert client.post(url, {"score": "5", "comment": "Mantap"}).status_code == 302
    assert complaint.__class__.objects.get(pk=complaint.pk).rating.score == 5
    client.post(url, {"reason": "Lubang muncul lagi"})
    assert Complaint.objects.get(pk=complaint.pk).status == Status.IN_PROGRESS


def test_map_pin_sets_the_location_and_a_half_pin_is_refused(client, bangli):
    url = reverse("portal:complaint_new", args=[bangli.slug])
    assert "leaflet/leaflet.js" in client.get(url).content.decode()
    client.post(url, form_data(lat="-8.4543", lng="115.3549"))
    complaint = Complaint.objects.get()
    assert (complaint.lat, complaint.lng) == (-8.4543, 115.3549)
    response = client.post(url, form_data(lat="-8.45", lng=""))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    response = client.post(url, form_data(lat="48.85", lng="2.35"))  # Paris is not in Indonesia
    assert response.context["form"].errors["lat"]
    assert Complaint.objects.count() == 1
