"""The counter form for a service request on a phone, as kecamatan staff in Bontang.

`pytest e2e/test_service_requests.py --screenshots` writes service-request-counter-phone.png
into docs/screenshots/.
"""

import datetime as dt

import pytest

from balai.accounts.choices import Role
from balai.catalog.models import Requirement, Service, StandardVersion
from balai.organizations.models import ServicePoint
from balai.service_requests.models import ServiceRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def counter_scene(bontang, make_member):
    kecamatan = bontang.opds.get(short_name="Kec. Bontang Selatan")
    service = Service.objects.create(
        pemda=bontang,
        code="sktm",
        name="Surat Keterangan Tidak Mampu (SKTM)",
        category="surat",
        opd=kecamatan,
    )
    standard = StandardVersion.objects.create(
        service=service,
        version=1,
        status="published",
        effective_from=dt.date(2024, 1, 1),
        procedure="Serahkan berkas di loket; surat ditandatangani camat.",
        processing_time=2,
        processing_unit="working_days",
        product="Surat Keterangan Tidak Mampu",
        complaints_handling="Sampaikan melalui Balai atau kotak saran.",
    )
    for order, (text, mandatory) in enumerate(
        [
            ("Surat pengantar RT/RW", True),
            ("Fotokopi KTP-el pemohon", True),
            ("Fotokopi Kartu Keluarga", True),
            ("Foto rumah tampak depan", False),
        ]
    ):
        Requirement.objects.create(
            standard=standard, order=order, text=text, is_mandatory=mandatory
        )
    ServicePoint.objects.create(
        pemda=bontang,
        slug="kantor-kecamatan-bontang-selatan",
        name="Kantor Kecamatan Bontang Selatan",
        kind="kantor_kecamatan",
        region=kecamatan.region,
    )
    make_member(
        bontang, Role.AREA_STAFF, region=kecamatan.region, username="rina", full_name="Rina"
    )
    return service


def test_counter_form_on_a_phone(live_server, new_page, log_in, screenshot_dir, counter_scene):
    page = new_page(viewport=PHONE)
    log_in(page, "rina")
    page.goto(f"{live_server.url}/staf/bontang/permohonan/baru/")
    page.select_option("select[name=service]", str(counter_scene.pk))
    page.click("main form button[type=submit]")
    page.wait_for_selector("input[name=requirements]")
    boxes = page.locator("input[name=requirements]")
    assert boxes.count() == 4
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.fill("input[name=applicant_phone]", "0812 3456 7890")

    # Nothing may stick out sideways on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    path = screenshot_dir / "service-request-counter-phone.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 5_000

    page.click("main form[method=post] button[type=submit]")
    page.wait_for_url("**/staf/bontang/permohonan/*-*/")
    request = ServiceRequest.objects.get()
    assert request.status == "incomplete"
    assert request.missing == ["Fotokopi Kartu Keluarga"]
    assert request.point.slug == "kantor-kecamatan-bontang-selatan"
    assert request.tracking_code in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The applicant's tracking page: what is missing, never the phone number.
    page.goto(f"{live_server.url}/permohonan/{request.tracking_code}/")
    assert "Fotokopi Kartu Keluarga" in page.content()
    assert "3456" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_citizen_applies_online_on_a_phone(live_server, new_page, screenshot_dir, counter_scene):
    office = ServicePoint.objects.get(slug="kantor-kecamatan-bontang-selatan")
    office.services.add(counter_scene)
    page = new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/bontang/layanan/sktm/")
    page.get_by_role("link", name="Ajukan secara daring").click()
    page.select_option("select[name=point]", str(office.pk))
    page.fill("input[name=applicant_name]", "Siti Rahmawati")
    page.fill("input[name=applicant_phone]", "0812 3456 7890")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    path = screenshot_dir / "service-request-online-phone.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 5_000

    page.get_by_role("button", name="Kirim permohonan").click()
    page.wait_for_url("**/permohonan/*/")
    request = ServiceRequest.objects.get()
    assert (request.channel, request.status) == ("online", "submitted")
    text = page.locator("main").inner_text()
    assert request.tracking_code in text
    assert "Berikutnya: bawa dokumen Anda" in text and "Fotokopi Kartu Keluarga" in text
    assert "Siti" not in text and "3456" not in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "service-request-online-track-phone.png", full_page=True)
