"""The coverage page of Buji'an Dusun (Bengkulu Selatan) in Chromium: cards, curve, map.

The demo's program: 11 desa reached in 2022 and the planner's 2023 plan for the other 131;
here the events up to the end of May 2023 are marked held, as if the year were under way.
`pytest e2e/test_outreach_coverage.py --screenshots` writes outreach-coverage-desktop.png.
"""

import datetime as dt
import io
import random

import pytest
from PIL import Image

from balai.accounts.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _blank_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (226, 232, 226)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def bujian_dusun(make_member):
    from balai.devtools.demo_bengkulu import demo_bengkulu_bujian_dusun
    from balai.organizations.services import pemda_create
    from balai.outreach.choices import EventStatus
    from balai.outreach.models import Event
    from balai.regions.geo import geo_import_file, seed_file, village_distances_update
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="17.01")
    geo_import_file(path=seed_file("boundaries.geojson"), only="17.01")
    seat = Region.objects.get(code="17.01.05.1017")
    pemda = pemda_create(
        actor=None,
        region=Region.objects.get(code="17.01"),
        slug="bengkulu-selatan",
        seat_name="Manna",
        seat_lat=seat.lat,
        seat_lng=seat.lng,
    )
    village_distances_update(pemda=pemda)
    program = demo_bengkulu_bujian_dusun(pemda, random.Random(17))  # noqa: S311 (demo data)
    Event.objects.filter(program=program, date__year=2023, date__lte=dt.date(2023, 5, 31)).update(
        status=EventStatus.HELD
    )
    admin = make_member(pemda, Role.PEMDA_ADMIN, username="bs.admin")
    return pemda, program, admin


def test_coverage_page_with_curve_and_map(
    page, new_page, live_server, log_in, bujian_dusun, screenshot_dir
):
    from balai.outreach.coverage import coverage_summary

    pemda, program, admin = bujian_dusun
    summary = coverage_summary(program, 2023)
    assert summary.total == 142 and summary.reached_before == 11
    assert summary.reached + summary.planned == 131

    tile = _blank_tile()
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
    )
    log_in(page, admin.username)
    page.goto(f"{live_server.url}/staf/{pemda.slug}/keliling/{program.slug}/cakupan/?tahun=2023")
    assert page.inner_text("[data-test=reached]") == f"{summary.reached} / 142"
    assert page.inner_text("[data-test=planned]") == str(summary.planned)
    page.wait_for_selector(".balai-coverage-map[data-ready='1']")
    paths = page.locator(".balai-coverage-map path.leaflet-interactive")
    assert paths.count() == 142  # every desa drawn from its boundary
    assert page.locator(".balai-coverage-curve polyline").count() == 3
    assert "Belum pernah dikunjungi" in page.inner_text("main")  # the Indonesian UI
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "outreach-coverage-desktop.png"), full_page=True)

    phone = new_page(viewport={"width": 375, "height": 740})
    phone.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
    )
    log_in(phone, admin.username)
    phone.goto(f"{live_server.url}/staf/{pemda.slug}/keliling/{program.slug}/cakupan/?tahun=2023")
    phone.wait_for_selector(".balai-coverage-map[data-ready='1']")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375  # fits a phone
