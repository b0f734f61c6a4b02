"""The leadership dashboard on a desktop and a phone, the drill-down behind a card, and every
page of the meeting report.

`pytest e2e/test_evaluation.py --screenshots` writes evaluation-dashboard-desktop.png,
evaluation-dashboard-phone.png, evaluation-drilldown-phone.png and (with poppler's pdftoppm)
the report's pages, evaluation-report.png (page 1), evaluation-report-p2.png, -p3.png, ...
into docs/screenshots/.
"""

import random
import re
import shutil
import subprocess

import pytest
from PIL import Image

from balai.accounts.choices import Role
from balai.evaluation.tests.scene import evaluation_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
# The cards the simulated outreach days and announcement campaigns must fill.
OUTREACH_CARDS = (
    "outreach_coverage",
    "outreach_events",
    "outreach_event_visits",
    "socialization_reach",
)


@pytest.fixture
def scene(bontang, make_member):
    evaluation_scene(
        bontang,
        random.Random(7),  # noqa: S311
        kecamatan_code="64.74.02",
    )
    return make_member(bontang, Role.LEADERSHIP, username="walikota")


def inked(path) -> float:
    """The share of the page above the footer that is not blank paper."""
    image = Image.open(path).convert("L")
    body = image.crop((0, 0, image.width, int(image.height * 0.9)))
    dark = sum(body.histogram()[:200])
    return dark / (body.width * body.height)


def test_dashboard_desktop_phone_and_report(
    live_server, new_page, log_in, screenshot_dir, scene, tmp_path
):
    desk = new_page(viewport=DESKTOP)
    log_in(desk, "walikota")
    desk.goto(f"{live_server.url}/staf/bontang/evaluasi/")
    assert desk.locator("#card-complaints_received [data-value]").inner_text().strip() != "—"
    for key in OUTREACH_CARDS:
        shown = desk.locator(f"#card-{key} [data-value]").inner_text().strip()
        assert shown not in ("0", "—"), f"{key} shows {shown}: the scene has no data for it"
    desk.screenshot(path=str(screenshot_dir / "evaluation-dashboard-desktop.png"), full_page=True)

    phone = new_page(viewport=PHONE)
    log_in(phone, "walikota")
    phone.goto(f"{live_server.url}/staf/bontang/evaluasi/")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a 375 px phone"
    phone.screenshot(path=str(screenshot_dir / "evaluation-dashboard-phone.png"), full_page=True)

    shown = phone.locator("#card-complaints_open_breaches [data-value]").inner_text().strip()
    phone.click("#card-complaints_open_breaches [data-value]")
    assert phone.locator("#row-count").inner_text().strip() == shown
    phone.screenshot(path=str(screenshot_dir / "evaluation-drilldown-phone.png"), full_page=False)

    response = desk.request.get(f"{live_server.url}/staf/bontang/evaluasi/laporan.pdf")
    assert response.ok and response.body().startswith(b"%PDF")
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        pytest.skip("poppler-utils (pdftoppm) is not installed: the report pages were not rendered")
    # every printed page, rendered and checked: none blank
    (tmp_path / "report.pdf").write_bytes(response.body())
    subprocess.run(  # noqa: S603
        [pdftoppm, "-png", "-r", "70", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
        check=True,
    )
    pages = sorted(tmp_path.glob("page-*.png"), key=lambda p: int(re.findall(r"\d+", p.stem)[-1]))
    assert len(pages) >= 2, "the report fits on one page: the tables behind it are missing"
    for stale in screenshot_dir.glob("evaluation-report-p*.png"):
        stale.unlink()
    for number, page in enumerate(pages, start=1):
        assert inked(page) > 0.01, f"page {number} of the report is blank"
        name = "evaluation-report.png" if number == 1 else f"evaluation-report-p{number}.png"
        shutil.copyfile(page, screenshot_dir / name)
