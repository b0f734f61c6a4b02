"""An `anonim` complaint: the reporter's name and number appear in nothing an OPD user can open,
in no API or Open311 response and in no export. The test fetches every output and searches it.
"""

import datetime as dt

from rest_framework.test import APIClient

from balai.accounts.services import token_create
from balai.complaints import services as svc
from balai.complaints.choices import Channel
from balai.complaints.tests.test_workflow import jpeg_with_gps
from balai.regions.models import Region

NAME, PHONE, EMAIL = "Ni Wayan Rahasiawati", "+6281377778888", "rahasiawati@example.org"
NEEDLES = (NAME, "Rahasiawati", PHONE, "81377778888", "7777-8888", EMAIL)


def leaks(text: str) -> list[str]:
    return [needle for needle in NEEDLES if needle in text]


def test_anonim_reporter_is_hidden_everywhere_an_opd_user_looks(client, bangli, categories, staff):
    complaint = svc.complaint_submit(
        pemda=bangli,
        channel=Channel.WHATSAPP,
        description="Pipa bocor besar di jalan utama",
        reporter_name=NAME,
        reporter_phone=PHONE,
        reporter_email=EMAIL,
        reporter_channel_id=PHONE.lstrip("+"),
        region=Region.objects.get(code="51.06.02.1004"),
        files=[(jpeg_with_gps(), "bukti.jpg")],
    )
    complaint = svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=False,
        is_anonymous=True,
    )
    svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Sedang ditangani")
    svc.complaint_resolve(
        complaint=complaint, actor=staff["trc"], actions="Pipa diganti", done_on=dt.date(2025, 1, 1)
    )
    code, slug = complaint.tracking_code, bangli.slug
    outputs: dict[str, str] = {}

    for who in ("trc", "head"):
        user = staff[who]
        client.force_login(user)
        pages = [f"/staf/{slug}/aduan/?tab={tab}" for tab in ("trc", "approval", "breached", "all")]
        pages += [
            f"/staf/{slug}/aduan/?q={code}",
            f"/staf/{slug}/aduan/{code}/",
            "/staf/notifikasi/",
            "/staf/",
        ]
        for url in pages:
            response = client.get(url)
            assert response.status_code in (200, 403), url
            outputs[f"{who} {url}"] = response.content.decode()
        api = APIClient()
        _token, key = token_create(actor=user, name="t")
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        for url in (
            "/api/v1/complaints/",
            f"/api/v1/complaints/{code}/",
            f"/api/v1/complaints/?q={code}",
        ):
            response = api.get(url)
            assert response.status_code == 200, url
            outputs[f"{who} API {url}"] = response.content.decode()
        client.logout()

    for fmt in ("json", "xml"):
        for url in (f"/open311/v2/requests.{fmt}", f"/open311/v2/requests/{code}.{fmt}"):
            outputs[f"open311 {url}"] = client.get(
                url, {"jurisdiction_id": "51.06"}
            ).content.decode()
    outputs["portal"] = client.get(f"/aduan/{code}/").content.decode()

    leader = staff["leader"]
    client.force_login(leader)
    for export in ("csv", "xlsx"):
        response = client.get(f"/staf/{slug}/evaluasi/aduan/", {"export": export})
        body = response.content
        if export == "xlsx":
            import io

            from openpyxl import load_workbook

            book = load_workbook(io.BytesIO(body))
            body = "".join(
                str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r
            ).encode()
        outputs[f"export {export}"] = body.decode()

    assert code in outputs[f"trc /staf/{slug}/aduan/{code}/"]  # the pages did show the complaint
    assert code in outputs["trc API /api/v1/complaints/"]
    found = {where: leaks(text) for where, text in outputs.items() if leaks(text)}
    assert found == {}

    # ... while the call center, who must call back, does see who reported it.
    client.force_login(staff["operator"])
    assert NAME in client.get(f"/staf/{slug}/aduan/{code}/").content.decode()


def test_every_staff_view_of_an_identity_is_logged(client, bangli, categories, staff):
    from balai.core.models import AuditLog

    complaint = svc.complaint_submit(
        pemda=bangli, channel=Channel.PHONE, description="Sampah menumpuk", reporter_name=NAME
    )
    svc.complaint_verify(
        complaint=complaint,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=True,
        is_anonymous=True,
    )
    client.force_login(staff["operator"])
    client.get(f"/staf/{bangli.slug}/aduan/{complaint.tracking_code}/")
    api = APIClient()
    _token, key = token_create(actor=staff["operator"], name="t")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    api.get(f"/api/v1/complaints/{complaint.tracking_code}/")
    views = AuditLog.objects.filter(action="identity.view", target_id=str(complaint.pk))
    assert sorted(v.changes["via"] for v in views) == ["api", "staff page"]
    assert all(v.actor == staff["operator"] for v in views)
    client.force_login(staff["trc"])  # anonim: the OPD is not shown the identity, nothing logged
    client.get(f"/staf/{bangli.slug}/aduan/{complaint.tracking_code}/")
    assert views.count() == 2

    # A Messenger complaint without a name: the chat id (PSID) is its identity, shown on the
    # staff page and in the API, so looking at it is logged too.
    psid = "7390123456789012"
    chat = svc.complaint_submit(
        pemda=bangli,
        channel=Channel.MESSENGER,
        description="Drainase tersumbat di pasar",
        reporter_channel_id=psid,
    )
    svc.complaint_verify(
        complaint=chat,
        actor=staff["operator"],
        category=categories["jalan"],
        is_secret=True,
        is_anonymous=True,
    )
    client.force_login(staff["operator"])
    page = client.get(f"/staf/{bangli.slug}/aduan/{chat.tracking_code}/").content.decode()
    assert psid in page
    shown = api.get(f"/api/v1/complaints/{chat.tracking_code}/").json()
    assert shown["reporter_channel_id"] == psid
    chat_views = AuditLog.objects.filter(action="identity.view", target_id=str(chat.pk))
    assert sorted(v.changes["via"] for v in chat_views) == ["api", "staff page"]
    assert all(v.actor == staff["operator"] for v in chat_views)
