"""Reference screenshots of the portal root and the staff home, at phone and desktop width.

`pytest e2e -k screenshot --screenshots` (or `make screenshots`) writes them to docs/screenshots/.
"""

import pytest

from balai.accounts.choices import Role
from balai.organizations.services import pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 800}}


def test_screenshots(live_server, new_page, log_in, screenshot_dir, bontang, make_member):
    regions_import(only="51.06")
    pemda_create(actor=None, region=Region.objects.get(code="51.06"), seat_name="Bangli")
    admin = make_member(bontang, Role.PEMDA_ADMIN, username="siti", full_name="Siti Rahma")
    kecamatan = bontang.opds.get(short_name="Kec. Bontang Selatan")
    admin.memberships.create(pemda=bontang, role=Role.AREA_STAFF, region=kecamatan.region)

    written = []
    for size, viewport in SIZES.items():
        page = new_page(viewport=viewport)
        page.goto(live_server.url + "/")
        written.append(screenshot_dir / f"portal-root-{size}.png")
        page.screenshot(path=written[-1], full_page=True)

        log_in(page, "siti")
        written.append(screenshot_dir / f"staff-home-{size}.png")
        page.screenshot(path=written[-1], full_page=True)

    for path in written:
        assert path.stat().st_size > 5_000, path
