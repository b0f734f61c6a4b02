"""Service days in Chromium: plan a program, lock one event, re-plan, publish; the public
schedule on a phone shows the locked event.

`pytest e2e/test_outreach.py --screenshots` writes outreach-plan-desktop.png and
outreach-schedule-phone.png into docs/screenshots/. The test settings run tasks immediately, so
a plan run is complete when its page opens.
"""

import datetime as dt

import pytest

from balai.accounts.choices import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def botram(make_member):
    import random

    from balai.devtools.demo_outreach import demo_bekasi_botram
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="32.16")
    pemda = pemda_create(
        actor=None, region=Region.objects.get(code="32.16"), slug="bekasi", seat_name="Cikarang"
    )
    programs = demo_bekasi_botram(pemda, random.Random(7))  # noqa: S311 (demo data)
    make_member(pemda, Role.PEMDA_ADMIN, username="admin-bekasi", full_name="Admin Bekasi")
    return programs["village"]


def test_plan_lock_replan_publish(live_server, new_page, log_in, screenshot_dir, botram):
    from django.utils import timezone

    from balai.outreach.models import Event, PlanRun

    program = botram
    today = timezone.localdate()
    page = new_page(viewport=DESKTOP)
    log_in(page, "admin-bekasi")
    program_url = f"{live_server.url}/staf/bekasi/keliling/{program.slug}/"

    def plan():
        page.goto(program_url)
        page.get_by_role("link", name="Rencanakan").first.click()
        page.fill("input[name=period_start]", (today + dt.timedelta(days=1)).isoformat())
        page.fill("input[name=period_end]", (today + dt.timedelta(days=56)).isoformat())
        page.click("main form button[type=submit]")
        page.wait_for_url("**/rencana/*/")
        assert page.locator("#run-progress").get_by_text("100%").is_visible()
        page.get_by_role("link", name="Tinjau").click()
        page.wait_for_url(program_url)

    plan()
    first_run = PlanRun.objects.filter(program=program).latest("created_at")
    assert first_run.status == "done" and first_run.solver_status == "optimal"
    proposed = list(Event.objects.filter(program=program, plan_run=first_run).order_by("date"))
    assert 10 <= len(proposed) <= 16
    assert all(e.date.weekday() in (1, 3) for e in proposed)

    # Lock the second proposed event from its row on the calendar.
    chosen = proposed[1]
    row = page.locator(f"[data-event='{chosen.pk}']")
    row.get_by_role("button", name="Kunci").click()
    page.wait_for_load_state()
    chosen.refresh_from_db()
    assert chosen.locked

    plan()
    second_run = PlanRun.objects.filter(program=program).latest("created_at")
    assert second_run.pk != first_run.pk and second_run.status == "done"
    chosen.refresh_from_db()
    assert chosen.date == proposed[1].date and chosen.plan_run_id == first_run.pk
    assert not Event.objects.filter(plan_run=first_run).exclude(pk=chosen.pk).exists()

    page.get_by_role("button", name="Terbitkan").click()
    page.wait_for_load_state()
    chosen.refresh_from_db()
    assert chosen.published
    page.locator(f"[data-event='{chosen.pk}'] details").evaluate("d => d.open = true")
    page.screenshot(path=str(screenshot_dir / "outreach-plan-desktop.png"), full_page=False)

    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/bekasi/jadwal/{program.slug}/")
    card = phone.locator(f"#acara-{chosen.pk}")
    assert card.is_visible()
    assert chosen.venue.name in card.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(screenshot_dir / "outreach-schedule-phone.png"), full_page=False)
