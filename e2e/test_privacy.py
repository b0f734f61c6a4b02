"""A Pemda administrator answers an erasure request on a phone: search, confirm, erase.

`pytest e2e/test_privacy.py --screenshots` writes privacy-erase-phone.png into docs/screenshots/.
"""

import pytest

from balai.accounts.choices import Role
from balai.complaints.models import Complaint
from balai.core.models import AuditLog
from balai.privacy.tests.conftest import at, close, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def scene(bontang, make_member):
    operator = make_member(bontang, Role.OPERATOR)
    make_member(bontang, Role.PEMDA_ADMIN, username="admin", full_name="Rina (admin)")
    for when in (at(2025, 1, 5), at(2025, 2, 7)):
        complaint = submit(bontang, when, reporter_name="Made", reporter_phone="+6281234567890")
        close(complaint, operator, at(2025, 3, 1))
    submit(bontang, at(2025, 1, 5), reporter_name="Ketut", reporter_phone="+6285700001111")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_erasure_on_a_phone(live_server, new_page, log_in, screenshot_dir, scene):
    page = new_page(viewport=PHONE)
    log_in(page, "admin")
    page.goto(f"{live_server.url}/staf/bontang/privasi/orang/")
    page.get_by_label("Nomor telepon").fill("0812 3456 7890")
    page.get_by_role("button", name="Cari").click()
    assert "+62812****7890" in page.content()
    assert fits(page)
    page.get_by_role("button", name="Hapus…").click()
    page.get_by_label("Dasar hukum").fill("Permohonan tertulis 3 Maret, UU 27/2022 pasal 8")
    page.get_by_label("Saya sudah memeriksa").check()
    assert fits(page)
    page.screenshot(path=str(screenshot_dir / "privacy-erase-phone.png"), full_page=True)
    page.get_by_role("button", name="Hapus", exact=True).click()
    assert "Dihapus: 2 baris" in page.content()
    assert Complaint.objects.filter(reporter_name="").count() == 2
    assert Complaint.objects.filter(reporter_name="Ketut").count() == 1
    assert AuditLog.objects.filter(action="privacy.erase").count() == 1
