"""An announcement on a phone: the list for a kelurahan, the announcement page (readable at
375 px, no sideways scrolling), its view counted, and the subscribe form.

`pytest e2e/test_announcements.py --screenshots` writes announcement-phone.png into
docs/screenshots/.
"""

import io

import pytest
from django.db import transaction
from PIL import Image, ImageDraw

from balai.announcements import services
from balai.announcements.models import Campaign
from balai.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
TLI = "64.74.02.1006"


def _picture() -> bytes:
    image = Image.new("RGB", (1200, 700), (13, 110, 253))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1140, 640), outline=(255, 255, 255), width=12)
    draw.ellipse((880, 110, 1060, 290), fill=(255, 214, 102))  # the moon: night service
    draw.text((120, 300), "LAYANAN MALAM", fill=(255, 255, 255), font_size=96)
    draw.text((120, 440), "Senin-Kamis 19.00-21.00 WITA", fill=(255, 255, 255), font_size=56)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def announcement(bontang):
    with transaction.atomic():
        campaign = services.campaign_create(
            actor=None,
            pemda=bontang,
            title="Layanan malam di Kantor Kelurahan Tanjung Laut Indah",
            body=(
                "Kantor Kelurahan Tanjung Laut Indah kini juga buka pada malam hari, Senin sampai "
                "Kamis pukul 19.00-21.00 WITA, untuk warga yang bekerja atau melaut pada siang "
                "hari.\n\nLayanan: surat keterangan domisili, pengantar nikah, SKTM, kartu "
                "keluarga dan akta kelahiran. Bawa KTP-el dan kartu keluarga. Gratis.\n\n"
                "Mohon Ketua RT meneruskan pengumuman ini kepada warga."
            ),
            regions=[Region.objects.get(code=TLI)],
            session_kind="night",
            upload=(_picture(), "layanan-malam.png"),
        )
    services.campaign_send(actor=None, campaign=campaign)
    return campaign


def test_an_announcement_reads_well_on_a_phone(live_server, new_page, announcement, screenshot_dir):
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/bontang/pengumuman/?wilayah={TLI}")
    page.get_by_role("link", name=announcement.title).click()
    page.wait_for_url(f"**/bontang/pengumuman/{announcement.pk}/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == announcement.title
    assert page.locator("main img").evaluate("img => img.naturalWidth") > 0  # the picture loads
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a phone"
    font = page.locator(".balai-announcement-body p").first.evaluate(
        "p => parseFloat(getComputedStyle(p).fontSize)"
    )
    assert font >= 16
    page.screenshot(path=str(screenshot_dir / "announcement-phone.png"), full_page=True)
    announcement.refresh_from_db()
    assert announcement.view_count == 1
    page.get_by_role("link", name="Dapatkan pengumuman lewat WhatsApp atau e-mail").click()
    assert page.get_by_text("UU 27/2022").is_visible()
    assert Campaign.objects.get().status == "sent"
