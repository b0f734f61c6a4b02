"""The visitor logbook on a phone, by keyboard, and the uptake page that counts what was logged.

`pytest e2e/test_visits.py --screenshots` writes logbook-phone.png, uptake-phone.png and
uptake-desktop.png into docs/screenshots/.
"""

import re

import pytest

from balai.accounts.choices import Role
from balai.catalog.models import Service
from balai.organizations.models import ServicePoint, Unit
from balai.regions.models import Region
from balai.visits.models import AreaPopulation, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
OCCUPATIONS = ["nelayan", "wiraswasta", "swasta", "petani", "irt"]


@pytest.fixture
def logbook_scene(bontang, make_member):
    kecamatan = bontang.opds.get(short_name="Kec. Bontang Selatan")
    services = [
        Service.objects.create(pemda=bontang, code=code, name=name, category=cat, opd=kecamatan)
        for code, name, cat in [
            ("ktp", "KTP-el", "adminduk"),
            ("kk", "Kartu Keluarga", "adminduk"),
            ("sktm", "Surat keterangan tidak mampu", "surat"),
            ("sku", "Surat keterangan usaha", "surat"),
            ("domisili", "Surat keterangan domisili", "surat"),
        ]
    ]
    unit = Unit.objects.create(
        pemda=bontang,
        opd=kecamatan,
        name="Kantor Kelurahan Tanjung Laut Indah",
        kind="kantor_kelurahan",
        region_id="64.74.02.1006",
    )
    point = ServicePoint.objects.create(
        pemda=bontang,
        unit=unit,
        slug="kel-tanjung-laut-indah",
        name="Kantor Kelurahan Tanjung Laut Indah",
        kind="kantor_kelurahan",
        region_id="64.74.02.1006",
    )
    point.services.set(services)
    AreaPopulation.objects.create(
        pemda=bontang, region_id="64.74.02.1006", population=8_000, year=2022
    )
    make_member(
        bontang,
        Role.AREA_STAFF,
        region=Region.objects.get(code="64.74.02"),
        username="loket",
        full_name="Sari (loket)",
    )
    return point


def test_ten_visitors_by_keyboard_then_the_uptake_page(
    live_server, new_page, log_in, screenshot_dir, logbook_scene
):
    page = new_page(viewport=PHONE)
    log_in(page, "loket")
    entry = f"{live_server.url}/staf/bontang/kunjungan/kel-tanjung-laut-indah/catat/"
    page.goto(entry)
    keys_per_visitor = []
    for number in range(1, 11):
        keys = 0
        # The first service has the focus: Space ticks it.
        assert page.evaluate("document.activeElement.name") == "services"
        page.keyboard.press("Space")
        keys += 1
        # Tab on to the occupations; the arrow keys pick one.
        for _ in range(12):
            page.keyboard.press("Tab")
            keys += 1
            if page.evaluate("document.activeElement.name") == "occupation":
                break
        wanted = OCCUPATIONS[number % len(OCCUPATIONS)]
        order = page.evaluate(
            "Array.from(document.querySelectorAll('input[name=occupation]')).map(e => e.value)"
        )
        assert order[0] == "pns"  # Space picks the first; each arrow moves to the next
        page.keyboard.press("Space")
        for _ in range(order.index(wanted)):
            page.keyboard.press("ArrowRight")
        keys += 1 + order.index(wanted) + 1
        keys_per_visitor.append(keys)
        # Enter saves; the form comes back empty with the count of the day.
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert re.search(r"tercatat=\d+", page.url)
        assert f"Kunjungan ke-{number} hari ini tercatat" in page.inner_text("#saved-line")
        assert page.locator("input[name=services]:checked").count() == 0
        assert page.locator("input[name=occupation]:checked").count() == 0
    assert Visit.objects.filter(point=logbook_scene).count() == 10
    # Under 15 seconds a visitor: at most 15 keys each, even at one key a second.
    assert max(keys_per_visitor) <= 15, keys_per_visitor
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "logbook-phone.png"), full_page=True)

    # The uptake page on the same phone: the ten visits, nothing sticking out sideways.
    page.goto(f"{live_server.url}/staf/bontang/kunjungan/serapan/")
    assert page.inner_text("#uptake-total").strip() == "10"
    assert "Kantor Kelurahan Tanjung Laut Indah" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "uptake-phone.png"), full_page=True)

    desk = new_page(viewport=DESKTOP)
    log_in(desk, "loket")
    desk.goto(f"{live_server.url}/staf/bontang/kunjungan/serapan/")
    assert desk.inner_text("#uptake-total").strip() == "10"
    assert "Kantor Kelurahan Tanjung Laut Indah" in desk.inner_text("main")
    desk.screenshot(path=str(screenshot_dir / "uptake-desktop.png"), full_page=True)
