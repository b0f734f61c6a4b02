"""The leadership dashboard on a desktop and a phone, the drill-down behind a card, and the
meeting report's first page.

`pytest e2e/test_evaluation.py --screenshots` writes evaluation-dashboard-desktop.png,
evaluation-dashboard-phone.png, evaluation-drilldown-phone.png and (with poppler's pdftoppm)
evaluation-report.png into docs/screenshots/.
"""

import random
import shutil
import subprocess

import pytest

from balai.accounts.choices import Role
from balai.evaluation.tests.scene import evaluation_scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def scene(bontang, make_member):
    evaluation_scene(
        bontang,
        random.Random(7),  # noqa: S311
        kecamatan_code="64.74.02",
    )
    return make_member(bontang, Role.LEADERSHIP, username="walikota")


def test_dashboard_desktop_phone_and_report(
    live_server, new_page, log_in, screenshot_dir, scene, tmp_path
):
    desk = new_page(viewport=DESKTOP)
    log_in(desk, "walikota")
    desk.goto(f"{live_server.url}/staf/bontang/evaluasi/")
    assert desk.locator("#card-complaints_received [data-value]").inner_text().strip() != "—"
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
    if pdftoppm:  # poppler-utils: look at the printed pages too
        (tmp_path / "report.pdf").write_bytes(response.body())
        command = [pdftoppm, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile"]
        out = str(screenshot_dir / "evaluation-report")
        subprocess.run([*command, str(tmp_path / "report.pdf"), out], check=True)  # noqa: S603
