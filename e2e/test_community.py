"""Banyuwangi's kecamatan hall on a phone: the community calendar, a group's booking request
through the form (no JavaScript needed), and the office approving it.

`pytest e2e/test_community.py --screenshots` writes community-calendar-phone.png (the office's
week of activities and bookings at 375 px), community-booking-form-phone.png and
community-queue-phone.png into docs/screenshots/.
"""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from balai.accounts.choices import Role
from balai.community.choices import BookingStatus
from balai.community.models import Booking, Space
from balai.devtools.demo_community import demo_banyuwangi_community

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def hall_scene(db, make_member):
    from balai.organizations.choices import OPDKind, UnitKind
    from balai.organizations.models import OPD, Unit
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="35.10")
    pemda = pemda_create(
        actor=None, region=Region.objects.get(code="35.10"), slug="banyuwangi", is_demo=True
    )
    kecamatan = Region.objects.get(code="35.10.16")
    opd = OPD.objects.create(
        pemda=pemda,
        name="Kecamatan Banyuwangi",
        short_name="Kec. Banyuwangi",
        kind=OPDKind.KECAMATAN,
        region=kecamatan,
    )
    Unit.objects.create(
        pemda=pemda,
        opd=opd,
        name="Kantor Kecamatan Banyuwangi",
        kind=UnitKind.KANTOR_KECAMATAN,
        region=kecamatan,
    )
    make_member(pemda, Role.PEMDA_ADMIN, username="banyuwangi.admin")
    make_member(pemda, Role.AREA_STAFF, region=kecamatan, username="camat")
    demo_banyuwangi_community(pemda, random.Random(20260101))  # noqa: S311 - demo data
    return pemda, Space.objects.get(name="Aula Kecamatan")


def test_calendar_on_a_phone_then_request_and_approval(
    live_server, new_page, log_in, screenshot_dir, hall_scene
):
    pemda, hall = hall_scene
    point = hall.point
    calendar = f"{live_server.url}/{pemda.slug}/ruang/{point.slug}/"

    page = new_page(viewport=PHONE)
    page.goto(calendar)
    assert page.get_by_role("heading", name="Kalender kegiatan warga").is_visible()
    assert page.get_by_text("Pengajian rutin Jumat").first.is_visible()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "community-calendar-phone.png"), full_page=True)

    # A group asks for Thursday evening two weeks ahead, by keyboard and taps only.
    tz = ZoneInfo(pemda.timezone)
    day = timezone.now().astimezone(tz).date() + dt.timedelta(days=15)
    page.get_by_role("link", name="Ajukan pemesanan ruang").first.click()
    page.select_option("select[name=space]", str(hall.pk))
    page.fill("input[name=date]", day.isoformat())
    page.fill("input[name=start]", "19:00")
    page.fill("input[name=end]", "21:00")
    page.fill("input[name=group_name]", "Kelompok Tani Rukun Santoso")
    page.select_option("select[name=group_kind]", "farmers")
    page.fill("input[name=purpose]", "Musyawarah jadwal tanam")
    page.fill("input[name=attendees]", "40")
    page.fill("input[name=contact_name]", "Pak Slamet")
    page.fill("input[name=contact_phone]", "0812 3456 7890")
    assert page.get_by_text("Data pribadi Anda").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "community-booking-form-phone.png"), full_page=True)
    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url("**/pesan-ruang/**")
    assert page.get_by_text("Menunggu persetujuan").first.is_visible()
    assert "Pak Slamet" not in page.content()
    booking = Booking.objects.get(group_name="Kelompok Tani Rukun Santoso")
    assert booking.tracking_code in page.content()
    status_url = page.url

    # The kecamatan's staff approve it from the queue on a phone.
    staff = new_page(viewport=PHONE)
    log_in(staff, "camat")
    staff.goto(f"{live_server.url}/staf/{pemda.slug}/ruang/")
    card = staff.locator(".card", has_text="Kelompok Tani Rukun Santoso")
    assert staff.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    staff.screenshot(path=str(screenshot_dir / "community-queue-phone.png"), full_page=True)
    card.get_by_role("button", name="Setujui").click()
    staff.wait_for_url(f"{live_server.url}/staf/{pemda.slug}/ruang/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.APPROVED

    # The group sees the decision with its code; the calendar shows it, without the contact.
    page.goto(status_url)
    assert page.get_by_text("Disetujui").first.is_visible()
    page.goto(f"{calendar}?minggu={day.isoformat()}")
    assert page.get_by_text("Musyawarah jadwal tanam").is_visible()
    assert "Pak Slamet" not in page.content() and "7890" not in page.content()
