"""The catalog and an office on a 360 px phone, and the printed standard sheet.

`pytest e2e/test_catalog.py --screenshots` writes service-page-phone.png, service-point-phone.png
and standard-sheet.png (the PDF's page, when poppler's pdftoppm is installed) to docs/screenshots/.
"""

import datetime as dt
import io
import shutil
import subprocess

import pytest
from PIL import Image

from balai.catalog.services import maklumat_create
from balai.catalog.tests.builders import disdukcapil, make_service, published
from balai.organizations.models import Unit
from balai.organizations.tests.builders import T, office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
REQUIREMENTS = (
    "Fotokopi Kartu Keluarga (KK)",
    "Surat pengantar RT/RW dan kelurahan",
    "Sudah berusia 17 tahun atau sudah/pernah kawin",
    ("Surat keterangan pindah (bagi pendatang)", False),
)
PROCEDURE = (
    "1. Ambil nomor antrean di loket Disdukcapil.\n"
    "2. Serahkan berkas persyaratan kepada petugas.\n"
    "3. Perekaman foto, sidik jari, iris mata dan tanda tangan.\n"
    "4. KTP-el dicetak dan diserahkan, atau diambil sesuai jadwal."
)


def blank_tile() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (226, 232, 226)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def catalog(bontang):
    ktp = make_service(bontang)
    published(
        ktp,
        dt.date(2024, 1, 1),
        time=14,
        requirements=REQUIREMENTS[:3],
        procedure=PROCEDURE,
        decree="Keputusan Kepala Dinas Nomor 470/12/2024",
    )
    published(
        ktp,
        dt.date(2025, 1, 2),
        time=1,
        requirements=REQUIREMENTS,
        procedure=PROCEDURE,
        product="KTP-el (Kartu Tanda Penduduk elektronik)",
        complaints_handling=(
            "Sampaikan pengaduan melalui Balai, WhatsApp 0811-5555-0123, atau kotak saran di "
            "loket. Pengaduan dijawab paling lambat 24 jam."
        ),
        decree="Keputusan Kepala Dinas Nomor 470/3/2025",
    )
    akta = make_service(
        bontang,
        "akta-kelahiran",
        name="Akta Kelahiran",
        summary="Pencatatan kelahiran anak, gratis.",
        keywords="lahir bayi",
    )
    published(akta, dt.date(2025, 1, 2), time=3)
    unit = Unit.objects.create(
        pemda=bontang, opd=disdukcapil(bontang), name="Bidang Pelayanan Pendaftaran", kind="bidang"
    )
    maklumat_create(
        actor=None,
        unit=unit,
        text=(
            "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar "
            "pelayanan yang telah ditetapkan, dan apabila tidak menepati janji ini kami siap "
            "menerima sanksi sesuai peraturan perundang-undangan yang berlaku."
        ),
        signed_by="Kepala Dinas Kependudukan dan Pencatatan Sipil",
        effective_from=dt.date(2025, 1, 2),
    )
    office(
        bontang,
        "64.74.02",
        "Mal Pelayanan Publik Kota Bontang",
        slug="mpp",
        services=[ktp, akta],
        address="Jl. Bessai Berinta, Bontang Lestari, Bontang Selatan",
        lat=0.1297,
        lng=117.4761,
        hours=((T(7, 30), T(12)), (T(13), T(16))),
        night=[(0, T(19), T(21)), (2, T(19), T(21))],
    )
    return bontang


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_catalog_on_a_phone(live_server, new_page, screenshot_dir, catalog, tmp_path):
    page = new_page(viewport=PHONE)
    tile = blank_tile()
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=tile),
    )

    page.goto(f"{live_server.url}/bontang/layanan/")
    assert page.locator(".balai-service-list a").count() == 2
    assert fits_the_phone(page)
    page.goto(f"{live_server.url}/bontang/kantor/")
    assert fits_the_phone(page)
    page.goto(f"{live_server.url}/bontang/layanan/?q=ktp")
    assert page.locator(".balai-service-list a").count() == 1
    page.click("text=Perekaman KTP-el")
    page.wait_for_url("**/bontang/layanan/ktp-el/")
    assert page.locator("h1").inner_text() == "Perekaman KTP-el"
    assert page.locator(".balai-checklist input[type=checkbox]").count() == 4
    assert "Gratis" in page.content()
    page.check(".balai-checklist input >> nth=0")  # a citizen ticks what they already have
    assert fits_the_phone(page)
    service_png = screenshot_dir / "service-page-phone.png"
    page.screenshot(path=service_png, full_page=True)

    page.click("text=Mal Pelayanan Publik Kota Bontang")
    page.wait_for_url("**/bontang/kantor/mpp/")
    page.wait_for_selector(".balai-point-map .leaflet-marker-icon")  # the map came up
    week = page.locator(".balai-week").inner_text()
    assert "Layanan malam" in week
    assert page.locator(".balai-open-card .badge").first.inner_text() in ("Buka sekarang", "Tutup")
    assert fits_the_phone(page)
    point_png = screenshot_dir / "service-point-phone.png"
    page.screenshot(path=point_png, full_page=True)

    response = page.request.get(f"{live_server.url}/bontang/layanan/ktp-el/standar.pdf")
    assert response.ok
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    written = [service_png, point_png]
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:  # poppler-utils: look at the printed page too
        (tmp_path / "sheet.pdf").write_bytes(pdf)
        command = [pdftoppm, "-png", "-r", "60", "-singlefile", str(tmp_path / "sheet.pdf")]
        subprocess.run([*command, str(tmp_path / "sheet")], check=True)  # noqa: S603
        sheet = screenshot_dir / "standard-sheet.png"
        shutil.copyfile(tmp_path / "sheet.png", sheet)
        written.append(sheet)
    for path in written:
        assert path.stat().st_size > 5_000, path
