"""Browser tests: Playwright for Python driving the system's Chromium (never a downloaded one).

Run them with `pytest e2e`; add `--screenshots` to write the reference screenshots into
docs/screenshots/ (without it they go to a temporary directory).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "rahasia-123"  # what the root conftest's make_member gives every user
SCREENSHOTS_DIR = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="write the browser tests' screenshots into docs/screenshots/",
    )


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """new_page(viewport=..., locale="id-ID") -> a page in a fresh context (own cookies).

    The locale sets the browser's Accept-Language, which Django's LocaleMiddleware honours on a
    first visit: "id-ID" is a phone in Indonesia; pass "en-US" to see what an English one gets.
    """
    contexts = []

    def make(viewport=None, locale="id-ID"):
        context = browser.new_context(viewport=viewport or DESKTOP, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot_dir(request, tmp_path) -> Path:
    if request.config.getoption("--screenshots"):
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        return SCREENSHOTS_DIR
    return tmp_path


@pytest.fixture
def log_in(live_server):
    """log_in(page, username, password) through the login form; ends on the staff home."""

    def run(page, username: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/staf/")

    return run
