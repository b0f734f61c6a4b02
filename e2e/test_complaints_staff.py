"""The staff side of complaint handling in a real browser, as a TRC member of PUPR in Bangli.

`pytest e2e/test_complaints_staff.py --screenshots` writes complaints-inbox-phone.png and
complaint-detail-desktop.png into docs/screenshots/.
"""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image, ImageDraw

from balai.accounts.choices import Role
from balai.complaints import services as svc
from balai.complaints.choices import Channel, PauseReason
from balai.complaints.models import Category
from balai.organizations.choices import OPDKind
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}


def road_photo() -> bytes:
    """A made-up photo of a pothole (grey road, dark hole), as a camera would send it."""
    image = Image.new("RGB", (800, 600), (120, 120, 118))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 800, 180), fill=(150, 190, 230))
    draw.rectangle((0, 180, 800, 220), fill=(70, 140, 60))
    draw.ellipse((300, 330, 520, 450), fill=(45, 42, 40))
    draw.line((0, 400, 800, 400), fill=(230, 230, 230), width=6)
    out = io.BytesIO()
    image.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def bangli_scene(make_member):
    """Kabupaten Bangli with PUPR's TRC and a day's worth of complaints in every state."""
    regions_import(only="51.06")
    pemda = pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")
    for name, short in [
        ("Dinas Pekerjaan Umum, Penataan Ruang, Perumahan dan Kawasan Permukiman", "PUPR Perkim"),
        ("Perumda Air Minum Tirta Danu Arta", "PDAM"),
    ]:
        opd_create(actor=None, pemda=pemda, name=name, short_name=short, kind=OPDKind.DINAS)
    pupr = pemda.opds.get(short_name="PUPR Perkim")
    roads = Category.objects.create(pemda=pemda, code="jalan", name="Jalan rusak", default_opd=pupr)
    drains = Category.objects.create(
        pemda=pemda, code="drainase", name="Drainase tersumbat", default_opd=pupr
    )
    operator = make_member(pemda, Role.OPERATOR, username="wayan", full_name="Wayan Sudarma")
    trc = make_member(
        pemda, Role.OPD_STAFF, opd=pupr, username="komang", full_name="Komang Ayu Lestari"
    )
    villages = list(Region.objects.filter(code__startswith="51.06.", level=4).order_by("code"))
    now = timezone.now()

    def complaint(hours_ago, text, category=roads, village=0, **kwargs):
        made = svc.complaint_submit(
            pemda=pemda,
            channel=kwargs.pop("channel", Channel.WHATSAPP),
            description=text,
            region=villages[village],
            received_at=now - dt.timedelta(hours=hours_ago),
            **kwargs,
        )
        return svc.complaint_verify(
            complaint=made,
            actor=operator,
            category=category,
            is_secret=kwargs.get("reporter_name", "") != "",
            is_anonymous=True,
        )

    overdue = complaint(
        27, "Jalan amblas di tikungan dekat pura, sudah dua motor jatuh.", village=12
    )
    main = complaint(
        19,
        "Lubang besar di Jalan Raya Kintamani depan pasar, dalam sekitar 20 cm. "
        "Saat hujan tidak terlihat dan berbahaya bagi pengendara motor.",
        village=40,
        reporter_name="Ni Luh Sekar Wangi",
        reporter_phone="+6281234567890",
        address="Jl. Raya Kintamani, depan Pasar Kintamani",
        files=[(road_photo(), "IMG_20250602.jpg")],
    )
    complaint(6, "Got di depan SD tersumbat sampah, air meluap ke jalan.", drains, village=3)
    complaint(2, "Marka jalan pudar di simpang empat Bebalang.", village=7)
    started = complaint(30, "Aspal mengelupas sepanjang 50 m di jalan desa.", village=20)
    svc.complaint_respond(complaint=started, actor=trc, text="Tim sudah meninjau lokasi.")
    waiting = complaint(50, "Jembatan kecil retak, perlu diperbaiki.", village=30)
    svc.complaint_respond(complaint=waiting, actor=trc, text="Perbaikan perlu anggaran.")
    svc.complaint_pause(
        complaint=waiting,
        actor=trc,
        reason=PauseReason.BUDGET,
        expected_until=timezone.localdate() + dt.timedelta(days=45),
        note="Menunggu APBD perubahan.",
    )
    svc.complaint_respond(
        complaint=main,
        actor=trc,
        text="Terima kasih. Tim TRC PUPR akan meninjau lokasi hari ini.",
    )
    svc.complaint_note(
        complaint=main, actor=trc, text="Perlu aspal dingin sekitar 2 karung; cek stok gudang."
    )
    return {"pemda": pemda, "trc": trc, "main": main, "overdue": overdue}


def test_trc_inbox_on_a_phone_and_complaint_on_a_desktop(
    live_server, new_page, log_in, screenshot_dir, bangli_scene
):
    pemda, main = bangli_scene["pemda"], bangli_scene["main"]

    page = new_page(viewport=PHONE)
    log_in(page, "komang")
    page.goto(f"{live_server.url}/staf/{pemda.slug}/aduan/")
    rows = page.locator("table.balai-inbox tbody tr")
    assert rows.count() == 6
    assert bangli_scene["overdue"].tracking_code in rows.first.inner_text()
    assert rows.first.locator(".balai-breached").count() == 1
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the inbox is {width}px wide on a 360px phone"
    inbox_shot = screenshot_dir / "complaints-inbox-phone.png"
    page.screenshot(path=inbox_shot, full_page=True)
    rows.nth(4).get_by_role("link").click()  # the complaint page fits the phone too
    page.wait_for_url(f"**/aduan/{main.tracking_code}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the complaint page is {width}px wide on a 360px phone"

    page = new_page(viewport=DESKTOP)
    log_in(page, "komang")
    page.goto(f"{live_server.url}/staf/{pemda.slug}/aduan/{main.tracking_code}/")
    main_text = page.locator("main").inner_text()
    assert "Sekar Wangi" not in main_text and "81234567890" not in main_text
    assert page.locator(".balai-reporter-hidden").count() == 1
    thumb = page.locator("img.balai-thumb").first
    thumb.scroll_into_view_if_needed()
    assert thumb.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    page.evaluate("window.scrollTo(0, 0)")
    detail_shot = screenshot_dir / "complaint-detail-desktop.png"
    page.screenshot(path=detail_shot, full_page=True)

    for path in (inbox_shot, detail_shot):
        assert path.stat().st_size > 5_000, path
