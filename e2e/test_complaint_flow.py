"""A complaint's whole journey in Chromium: a citizen files it with a photo on the portal, the
call center verifies and assigns it, the TRC responds, and the citizen's tracking page shows it.

`pytest e2e/test_complaint_flow.py --screenshots` writes complaint-form-phone.png and
complaint-tracking-phone.png into docs/screenshots/.
"""

import io

import pytest
from PIL import Image

from balai.accounts.choices import Role
from balai.complaints.models import Category, Complaint
from balai.organizations.choices import OPDKind
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


def photo_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (110, 110, 105)).save(out, format="JPEG")
    return out.getvalue()


def test_citizen_to_call_center_to_trc_and_back(
    live_server, new_page, log_in, make_member, screenshot_dir
):
    regions_import(only="51.06")
    bangli = pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")
    pupr = opd_create(
        actor=None,
        pemda=bangli,
        short_name="PUPR Perkim",
        kind=OPDKind.DINAS,
        name="Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman",
    )
    Category.objects.create(pemda=bangli, code="jalan", name="Jalan rusak", default_opd=pupr)
    make_member(bangli, Role.OPERATOR, username="operator")
    make_member(bangli, Role.OPD_STAFF, opd=pupr, username="trc")

    # 1. The citizen, on a phone, without an account.
    citizen = new_page(viewport=PHONE)
    citizen.goto(f"{live_server.url}/{bangli.slug}/")
    citizen.click("main a[href$='/aduan/baru/']")
    citizen.fill(
        "textarea[name=description]", "Jalan berlubang besar di depan SD, berbahaya bagi anak-anak"
    )
    citizen.select_option("select[name=village]", "51.06.02.1004")
    citizen.set_input_files(
        "input[name=photos]",
        files=[{"name": "jalan.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}],
    )
    citizen.fill("input[name=name]", "Ni Kadek Sari")
    citizen.fill("input[name=phone]", "0812 3456 7890")
    citizen.screenshot(path=str(screenshot_dir / "complaint-form-phone.png"), full_page=True)
    citizen.click("main form button[type=submit]")
    citizen.wait_for_url("**/aduan/*/")
    complaint = Complaint.objects.get()
    assert complaint.tracking_code in citizen.inner_text("h1")
    assert complaint.attachments.count() == 1
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # 2. The call center verifies it; the category routes it to PUPR Perkim.
    operator = new_page()
    log_in(operator, "operator")
    operator.goto(f"{live_server.url}/staf/{bangli.slug}/aduan/{complaint.tracking_code}/")
    operator.locator("details#verifikasi").evaluate("el => el.open = true")
    verify = operator.locator("form[action$='/verifikasi/']")
    verify.locator("select[name=verifikasi-category]").select_option(
        label="Jalan rusak (PUPR Perkim)"
    )
    verify.locator("input[name=verifikasi-is_secret]").first.check()
    verify.locator("input[name=verifikasi-is_anonymous]").first.check()
    verify.locator("button[type=submit]").click()
    operator.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.opd == pupr and complaint.status == "assigned"

    # 3. The TRC responds.
    trc = new_page()
    log_in(trc, "trc")
    trc.goto(f"{live_server.url}/staf/{bangli.slug}/aduan/{complaint.tracking_code}/")
    trc.locator("details#tanggapi").evaluate("el => el.open = true")
    respond = trc.locator("form[action$='/tanggapi/']")
    respond.locator("textarea[name=tanggapi-text]").fill(
        "Tim PUPR akan menambal lubang besok pagi."
    )
    respond.locator("button[type=submit]").click()
    trc.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.first_response_at is not None

    # 4. The citizen sees the response, and nothing of their identity is on the public page.
    citizen.reload()
    text = citizen.inner_text("main")
    assert "Tim PUPR akan menambal lubang besok pagi." in text
    assert "Ni Kadek Sari" not in citizen.content() and "3456" not in citizen.content()
    citizen.screenshot(path=str(screenshot_dir / "complaint-tracking-phone.png"), full_page=True)
