"""Staff pages of complaint handling: inbox scope and order, the complaint page, workflow POSTs."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from balai.accounts.choices import Role
from balai.complaints import services as svc
from balai.complaints.choices import Channel, EventKind, PauseReason, Status
from balai.complaints.models import Attachment, Complaint, Notification, ResponseTemplate
from balai.regions.models import Region

REPORTER = {
    "reporter_name": "Ni Luh Sekar Wangi",
    "reporter_phone": "+6281234567890",
    "reporter_email": "sekar@contoh.id",
}


def submit(pemda, **kwargs):
    kwargs.setdefault("channel", Channel.PHONE)
    kwargs.setdefault("description", "Jalan berlubang di depan pasar")
    return svc.complaint_submit(pemda=pemda, **kwargs)


def verify(complaint, staff, category, *, secret=False, anonymous=False):
    return svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=category,
        is_secret=secret,
        is_anonymous=anonymous,
    )


def inbox(client, pemda, **params):
    return client.get(f"/staf/{pemda.slug}/aduan/", params)


def codes_in(response) -> list[str]:
    return [c.tracking_code for c in response.context["page"].object_list]


def detail_url(complaint, step=""):
    url = f"/staf/{complaint.pemda.slug}/aduan/{complaint.tracking_code}/"
    return f"{url}{step}/" if step else url


def photo(name="hasil.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def scene(bangli, categories, staff):
    """A road complaint (PUPR), a water complaint (PDAM) and one still unverified."""
    roads = verify(submit(bangli), staff, categories["jalan"])
    water = verify(submit(bangli, description="Air PDAM mati tiga hari"), staff, categories["air"])
    new = submit(bangli, description="Lampu jalan padam")
    return {"roads": roads, "water": water, "new": new}


# -- scope ------------------------------------------------------------------------------------
def test_opd_staff_see_only_their_opd(client, scene, staff, bangli):
    client.force_login(staff["pdam"])
    response = inbox(client, bangli)
    assert [t.key for t in response.context["tabs"]] == ["trc", "all"]
    assert codes_in(response) == [scene["water"].tracking_code]
    assert scene["roads"].tracking_code not in response.text
    assert codes_in(inbox(client, bangli, tab="all")) == [scene["water"].tracking_code]
    assert client.get(detail_url(scene["roads"])).status_code == 404
    assert client.get(detail_url(scene["water"])).status_code == 200

    client.force_login(staff["trc"])
    response = inbox(client, bangli)
    assert codes_in(response) == [scene["roads"].tracking_code]
    assert scene["water"].tracking_code not in response.text


def test_call_center_sees_new_first_and_everything(client, scene, staff, bangli):
    client.force_login(staff["operator"])
    response = inbox(client, bangli)
    assert response.context["current"].key == "new"
    assert codes_in(response) == [scene["new"].tracking_code]
    everything = codes_in(inbox(client, bangli, tab="all"))
    assert everything[0] == scene["new"].tracking_code
    assert set(everything) == {c.tracking_code for c in scene.values()}


def test_another_pemdas_complaints_are_absent(client, scene, staff, bangli, bontang, make_member):
    elsewhere = submit(bontang, description="Banjir di Bontang Selatan")
    client.force_login(staff["operator"])
    assert elsewhere.tracking_code not in inbox(client, bangli, tab="all").text
    assert client.get(f"/staf/{bangli.slug}/aduan/{elsewhere.tracking_code}/").status_code == 404
    assert client.get(detail_url(elsewhere)).status_code == 404
    assert inbox(client, bontang).status_code == 403
    client.force_login(make_member(bontang, Role.OPERATOR))
    assert client.get(detail_url(elsewhere)).status_code == 200
    assert client.get(detail_url(scene["roads"])).status_code == 404


def test_head_and_leadership_views(client, scene, staff, bangli):
    svc.complaint_respond(complaint=scene["roads"], actor=staff["trc"], text="Kami cek")
    svc.complaint_resolve(
        complaint=scene["roads"],
        actor=staff["trc"],
        actions="Ditambal",
        done_on=timezone.localdate(),
    )
    client.force_login(staff["head"])
    response = inbox(client, bangli)
    assert [t.key for t in response.context["tabs"]] == ["approval", "breached", "all"]
    assert codes_in(response) == [scene["roads"].tracking_code]

    client.force_login(staff["leader"])
    response = inbox(client, bangli, tab="overview")
    overview = response.context["overview"]
    counts = {row["status"]: row["count"] for row in overview["by_status"]}
    assert counts[Status.RECEIVED] == 1 and counts[Status.RESOLVED] == 1
    assert counts[Status.ASSIGNED] == 1 and overview["total"] == 3
    per_opd = {row["opd__short_name"]: row for row in overview["by_opd"]}
    assert per_opd["PUPR Perkim"]["awaiting_approval"] == 1
    assert per_opd["PDAM"]["open"] == 1
    assert per_opd[None]["total"] == 1


def test_filters(client, scene, staff, bangli, categories):
    client.force_login(staff["operator"])
    by_category = inbox(client, bangli, tab="all", category=categories["air"].pk)
    assert codes_in(by_category) == [scene["water"].tracking_code]
    by_code = inbox(client, bangli, tab="all", q=scene["roads"].tracking_code.lower())
    assert codes_in(by_code) == [scene["roads"].tracking_code]
    by_words = inbox(client, bangli, tab="all", q="pdam mati")
    assert codes_in(by_words) == [scene["water"].tracking_code]
    by_status = inbox(client, bangli, tab="all", status=Status.RECEIVED)
    assert codes_in(by_status) == [scene["new"].tracking_code]
    tomorrow = timezone.now().date() + dt.timedelta(days=2)
    assert codes_in(inbox(client, bangli, tab="all", date_from=tomorrow)) == []
    kintamani = Region.objects.filter(parent_id="51.06.04").first()
    up_the_hill = submit(bangli, region=kintamani, channel=Channel.WHATSAPP)
    by_place = inbox(client, bangli, tab="all", kecamatan="51.06.04")
    assert codes_in(by_place) == [up_the_hill.tracking_code]
    by_channel = inbox(client, bangli, tab="all", channel=Channel.WHATSAPP)
    assert codes_in(by_channel) == [up_the_hill.tracking_code]


# -- order and query count --------------------------------------------------------------------
def test_trc_inbox_is_ordered_by_time_left(client, bangli, categories, staff):
    now = timezone.now()

    def assigned(hours_ago, text):
        complaint = submit(
            bangli, description=text, received_at=now - dt.timedelta(hours=hours_ago)
        )
        return verify(complaint, staff, categories["jalan"])

    fresh = assigned(2, "fresh")  # response due in 22 h
    near = assigned(20, "near")  # response due in 4 h
    overdue = assigned(30, "overdue")  # response 6 h late
    answered = assigned(25, "answered")  # responded: the resolution clock (days) runs
    svc.complaint_respond(complaint=answered, actor=staff["trc"], text="Kami tinjau")
    waiting = assigned(1, "waiting")  # paused: no clock runs
    svc.complaint_respond(complaint=waiting, actor=staff["trc"], text="Menunggu anggaran")
    svc.complaint_pause(
        complaint=waiting,
        actor=staff["trc"],
        reason=PauseReason.BUDGET,
        expected_until=now.date() + dt.timedelta(days=30),
    )
    client.force_login(staff["trc"])
    response = inbox(client, bangli, tab="trc")
    expected = [overdue, near, fresh, answered, waiting]
    assert codes_in(response) == [c.tracking_code for c in expected]
    first_row = response.text.split("<tbody>")[1].split("</tr>")[0]
    assert "text-danger" in first_row and overdue.tracking_code in first_row
    assert "text-danger" not in response.text.split("</tr>")[3]  # near: not breached


def test_inbox_query_count_does_not_grow(client, bangli, categories, staff, opd):
    places = list(Region.objects.filter(parent_id="51.06.01")[:3])

    def make(n):
        for i in range(n):
            complaint = submit(bangli, region=places[i % 3], description=f"Aduan nomor {i}")
            if i % 2:
                verify(complaint, staff, categories["jalan" if i % 4 == 1 else "air"])

    make(5)
    client.force_login(staff["operator"])
    inbox(client, bangli, tab="all")  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert len(codes_in(inbox(client, bangli, tab="all"))) == 5
    make(25)
    with django_queries(len(few.captured_queries)):
        response = inbox(client, bangli, tab="all")
    assert len(codes_in(response)) == 25
    assert response.context["page"].paginator.count == 30


def django_queries(expected):
    """Like django_assert_num_queries, with the queries in the failure message."""

    class Check(CaptureQueriesContext):
        def __exit__(self, *exc):
            super().__exit__(*exc)
            queries = "\n".join(q["sql"] for q in self.captured_queries)
            assert len(self.captured_queries) == expected, queries

    return Check(connection)


# -- the complaint page -----------------------------------------------------------------------
def test_anonim_reporter_hidden_from_opd_shown_to_operator(client, bangli, categories, staff):
    complaint = submit(bangli, **REPORTER)
    verify(complaint, staff, categories["jalan"], secret=True, anonymous=True)
    client.force_login(staff["trc"])
    html = client.get(detail_url(complaint)).text
    assert "balai-reporter-hidden" in html
    for secret in ("Sekar", "81234567890", "sekar@contoh.id"):
        assert secret not in html
    client.force_login(staff["operator"])
    html = client.get(detail_url(complaint)).text
    assert "Ni Luh Sekar Wangi" in html and "+6281234567890" in html
    assert "balai-reporter-hidden" not in html


def test_verify_refuses_without_rahasia_and_anonim(client, bangli, categories, staff):
    complaint = submit(bangli, **REPORTER)
    client.force_login(staff["operator"])
    page = client.get(detail_url(complaint)).text
    radios = re.findall(r'<input[^>]*name="verifikasi-is_(?:secret|anonymous)"[^>]*>', page)
    assert len(radios) == 4 and not any("checked" in radio for radio in radios)
    response = client.post(
        detail_url(complaint, "verifikasi"),
        {"verifikasi-category": categories["jalan"].pk, "verifikasi-kind": "pengaduan"},
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["step"].slug == "verifikasi")
    assert set(form.errors) == {"is_secret", "is_anonymous"}
    complaint.refresh_from_db()
    assert complaint.status == Status.RECEIVED


def test_full_path_through_the_pages(client, bangli, categories, staff):
    complaint = submit(bangli, **REPORTER)
    client.force_login(staff["operator"])
    response = client.post(
        detail_url(complaint, "verifikasi"),
        {
            "verifikasi-category": categories["jalan"].pk,
            "verifikasi-kind": "pengaduan",
            "verifikasi-is_secret": "0",
            "verifikasi-is_anonymous": "1",
            "verifikasi-region": "51.06.01",
        },
    )
    assert response.status_code == 302 and response.url == detail_url(complaint)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.opd.short_name) == (Status.ASSIGNED, "PUPR Perkim")
    assert (complaint.is_secret, complaint.is_anonymous) == (False, True)

    client.force_login(staff["trc"])
    page = client.get(detail_url(complaint))
    assert "Sekar" not in page.text
    assert {a["step"].slug for a in page.context["actions"]} >= {"tanggapi", "disposisi"}
    assert "verifikasi" not in {a["step"].slug for a in page.context["actions"]}
    client.post(detail_url(complaint, "tanggapi"), {"tanggapi-text": "Tim kami meninjau."})
    client.post(detail_url(complaint, "catatan"), {"catatan-text": "Perlu aspal 2 m3"})
    response = client.post(
        detail_url(complaint, "selesaikan"),
        {
            "selesaikan-actions": "Lubang ditambal dengan aspal.",
            "selesaikan-done_on": timezone.localdate().isoformat(),
            "selesaikan-photos": [photo()],
        },
    )
    assert response.status_code == 302, response.context and response.context["actions"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    attachment = Attachment.objects.get(complaint=complaint, event__kind=EventKind.RESOLVED)
    file_url = f"{detail_url(complaint)}lampiran/{attachment.pk}/"
    assert client.get(file_url).headers["Content-Type"] == "image/jpeg"
    assert client.get(file_url, {"thumb": 1}).status_code == 200

    client.force_login(staff["head"])
    response = client.get(detail_url(complaint))
    assert response.context["actions"][0]["step"].slug == "setujui"
    assert "Perlu aspal 2 m3" in response.text  # internal notes are shown to staff, marked
    client.post(detail_url(complaint, "setujui"))
    complaint.refresh_from_db()
    assert complaint.status == Status.APPROVED
    assert list(complaint.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.VERIFIED,
        EventKind.ASSIGNED,
        EventKind.RESPONDED,
        EventKind.NOTE,
        EventKind.RESOLVED,
        EventKind.APPROVED,
    ]
    assert complaint.events.get(kind=EventKind.NOTE).is_public is False


def test_step_without_the_role_is_forbidden(client, scene, staff):
    roads = scene["roads"]
    svc.complaint_respond(complaint=roads, actor=staff["trc"], text="Kami cek")
    svc.complaint_resolve(
        complaint=roads, actor=staff["trc"], actions="Ditambal", done_on=timezone.localdate()
    )
    client.force_login(staff["trc"])
    assert client.post(detail_url(roads, "setujui")).status_code == 403
    client.force_login(staff["leader"])
    assert client.post(detail_url(roads, "tanggapi"), {"tanggapi-text": "x"}).status_code == 403
    client.force_login(staff["pdam"])
    assert client.post(detail_url(roads, "setujui")).status_code == 404
    roads.refresh_from_db()
    assert roads.status == Status.RESOLVED


def test_step_not_possible_from_the_status_is_reported(client, scene, staff):
    client.force_login(staff["operator"])
    response = client.post(detail_url(scene["roads"], "tanggapi"), {"tanggapi-text": " "})
    assert response.status_code == 400  # assigned: respond is possible, the form is shown again
    assert "tanggapi-text" in response.text and "is-invalid" in response.text
    response = client.post(detail_url(scene["new"], "tanggapi"), {"tanggapi-text": "Halo"})
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert len(messages) == 1
    scene["new"].refresh_from_db()
    assert scene["new"].status == Status.RECEIVED


def test_response_template_prefills_without_javascript(client, scene, staff, bangli):
    template = ResponseTemplate.objects.create(
        pemda=bangli, title="Peninjauan", text="Terima kasih, tim kami segera meninjau lokasi."
    )
    client.force_login(staff["trc"])
    response = client.get(detail_url(scene["roads"]), {"template": template.pk})
    form = next(a["form"] for a in response.context["actions"] if a["step"].slug == "tanggapi")
    assert form["text"].value() == template.text
    assert "Terima kasih, tim kami segera meninjau lokasi.</textarea>" in response.text


# -- bulk and notifications -------------------------------------------------------------------
def test_bulk_verify_three_and_report_each_failure(client, bangli, categories, staff):
    fresh = [submit(bangli, description=f"Jalan rusak {n}") for n in range(3)]
    done = verify(submit(bangli), staff, categories["jalan"])
    client.force_login(staff["operator"])
    url = f"/staf/{bangli.slug}/aduan/?tab=new"
    payload = {
        "complaints": [c.tracking_code for c in [*fresh, done]],
        "action": "verify",
        "category": categories["jalan"].pk,
    }
    refused = client.post(url, payload)
    assert refused.status_code == 200
    assert set(refused.context["bulk_form"].errors) == {"is_secret", "is_anonymous"}
    assert Complaint.objects.filter(status=Status.RECEIVED).count() == 3

    response = client.post(url, {**payload, "is_secret": "1", "is_anonymous": "0"}, follow=True)
    texts = [str(m) for m in response.context["messages"]]
    assert any("3" in text and fresh[0].tracking_code in text for text in texts)
    assert any(text.startswith(done.tracking_code) for text in texts)  # already verified
    for complaint in fresh:
        complaint.refresh_from_db()
        assert complaint.status == Status.ASSIGNED
        assert complaint.is_secret and not complaint.is_anonymous


def test_bulk_reject_as_spam(client, scene, staff, bangli):
    client.force_login(staff["operator"])
    response = client.post(
        f"/staf/{bangli.slug}/aduan/?tab=new",
        {"complaints": [scene["new"].tracking_code], "action": "spam"},
    )
    assert response.status_code == 302
    scene["new"].refresh_from_db()
    assert (scene["new"].status, scene["new"].reject_reason) == (Status.REJECTED, "spam")


def test_bulk_is_for_the_call_center_only(client, scene, staff, bangli):
    client.force_login(staff["trc"])
    response = client.post(
        f"/staf/{bangli.slug}/aduan/",
        {"complaints": [scene["new"].tracking_code], "action": "spam"},
    )
    assert response.status_code == 403


def test_notifications_count_and_mark_read(client, scene, staff):
    assert Notification.objects.filter(user=staff["trc"]).count() == 1  # roads assigned
    client.force_login(staff["trc"])
    home = client.get("/staf/")
    assert re.search(r"text-bg-danger\">1<", home.text)
    page = client.get("/staf/notifikasi/")
    assert scene["roads"].tracking_code in page.text
    client.post("/staf/notifikasi/")
    assert not Notification.objects.filter(user=staff["trc"], read_at__isnull=True).exists()
    assert not re.search(r"text-bg-danger\">\d+<", client.get("/staf/").text)


def test_call_center_redacts_text_and_photos_and_keeps_nothing(client, bangli, categories, staff):
    from balai.complaints.models import Attachment
    from balai.complaints.tests.test_workflow import jpeg_with_gps
    from balai.core.models import AuditLog

    complaint = svc.complaint_submit(
        pemda=bangli,
        channel="whatsapp",
        description="Saya Made dari rumah nomor 12, jalan rusak",
        files=[(jpeg_with_gps(), "a.jpg")],
    )
    photo = Attachment.objects.get(complaint=complaint)
    url = f"/staf/{bangli.slug}/aduan/{complaint.tracking_code}/redaksi/"
    client.force_login(staff["trc"])
    assert client.post(url, {"redaksi-description": "x"}).status_code in (403, 404)
    client.force_login(staff["operator"])
    response = client.post(
        url, {"redaksi-description": "Jalan rusak", "redaksi-remove_attachments": [photo.pk]}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.description == "Jalan rusak"
    assert not Attachment.objects.filter(pk=photo.pk).exists()
    entry = AuditLog.objects.get(action="complaint.redact")
    assert "Made" not in str(entry.changes) and entry.changes["attachments_removed"] == 1
