"""The public catalog pages: list and search, the standard in force, the PDF sheet."""

import contextlib
import datetime as dt
import re
import shutil
import subprocess
import zlib

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balai.catalog.choices import ServiceCategory
from balai.catalog.services import maklumat_create
from balai.core.testing import qr_codes_in_pdf
from balai.organizations.models import Unit

from ...organizations.tests.builders import office
from .builders import disdukcapil, draft, make_service, published

NOW = dt.datetime(2025, 8, 4, 2, 0, tzinfo=dt.UTC)  # Monday 10.00 WITA


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def ktp(bontang):
    service = make_service(bontang)
    published(service, dt.date(2025, 1, 1), fee=0, time=14, decree="Perwal 3/2025")
    published(service, dt.date(2025, 7, 1), fee=0, time=7, decree="Perwal 9/2025")
    draft(service, dt.date(2025, 8, 1), time=1, product="Rahasia draf")
    return service


def page(client, name, *args, **query):
    response = client.get(reverse(f"portal:{name}", args=args), query)
    assert response.status_code == 200
    return response


def add_services(pemda, count, start=0):
    for n in range(start, start + count):
        service = make_service(
            pemda,
            f"surat-{n}",
            name=f"Surat keterangan {n:02d}",
            keywords="surat",
            category=ServiceCategory.LETTERS,
        )
        published(service, dt.date(2025, 1, 1), fee=1500000 if n % 2 else 0)


# -- list -------------------------------------------------------------------------------------


def test_service_list_searches_and_filters(client, bontang, ktp):
    add_services(bontang, 2)
    html = page(client, "service_list", "bontang").content.decode()
    assert "Perekaman KTP-el" in html
    assert "Surat keterangan 00" in html
    assert "Rp1.500.000" in html
    html = page(client, "service_list", "bontang", q="ktp").content.decode()
    assert "Perekaman KTP-el" in html
    assert "Surat keterangan" not in html
    html = page(client, "service_list", "bontang", category="surat").content.decode()
    assert "Perekaman KTP-el" not in html
    assert "Surat keterangan 01" in html
    html = page(client, "service_list", "bontang", q="paspor").content.decode()
    assert "Tidak ada layanan yang cocok" in html


def test_service_list_is_paginated(client, bontang):
    add_services(bontang, 23)
    first = page(client, "service_list", "bontang").content.decode()
    second = page(client, "service_list", "bontang", page=2).content.decode()
    assert first.count("list-group-item-action") == 20
    assert second.count("list-group-item-action") == 3
    assert "Surat keterangan 22" in second


def test_service_list_queries_do_not_grow_with_the_services(client, bontang):
    add_services(bontang, 2)
    with CaptureQueriesContext(connection) as few:
        page(client, "service_list", "bontang")
    add_services(bontang, 15, start=2)
    with CaptureQueriesContext(connection) as many:
        page(client, "service_list", "bontang")
    assert len(few) == len(many) <= 4


# -- detail -----------------------------------------------------------------------------------


@pytest.fixture
def with_points_and_maklumat(bontang, ktp):
    unit = Unit.objects.create(
        pemda=bontang, opd=disdukcapil(bontang), name="Bidang Pendaftaran Penduduk", kind="bidang"
    )
    maklumat_create(
        actor=None,
        unit=unit,
        text="Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar.",
        signed_by="Kepala Dinas",
        effective_from=dt.date(2025, 1, 1),
    )
    office(bontang, "64.74.02", "MPP Bontang", slug="mpp", services=[ktp])
    return ktp


def test_service_page_shows_the_standard_in_force_today(client, with_points_and_maklumat):
    html = page(client, "service_detail", "bontang", "ktp-el").content.decode()
    for label in (
        "Persyaratan",
        "Sistem, mekanisme dan prosedur",
        "Jangka waktu penyelesaian",
        "Biaya/tarif",
        "Produk pelayanan",
        "Penanganan pengaduan, saran dan masukan",
    ):
        assert label in html
    assert "7 hari kerja" in html  # v2, not v1's 14 days nor the draft's 1 day
    assert "14 hari kerja" not in html
    assert "Rahasia draf" not in html
    assert "Gratis" in html
    assert html.count('type="checkbox"') == 3
    assert "(jika ada)" in html  # the optional requirement
    assert reverse("portal:point_detail", args=["bontang", "mpp"]) in html
    assert "menyelenggarakan pelayanan sesuai standar" in html
    assert "Perwal 3/2025" in html  # history, with dates
    assert "1 Jan 2025 \u2013 30 Jun 2025" in html
    assert "Dasar hukum" not in html  # internal components stay internal


def test_service_page_shows_a_fee_in_rupiah(client, bontang):
    service = make_service(bontang, "sku", name="Surat Keterangan Usaha")
    published(service, dt.date(2025, 1, 1), fee=1500000, fee_note="Retribusi daerah")
    html = page(client, "service_detail", "bontang", "sku").content.decode()
    assert "Rp1.500.000" in html
    assert "Retribusi daerah" in html


def test_a_service_without_a_published_standard_is_not_public(client, bontang):
    service = make_service(bontang, "kia", name="KIA")
    draft(service, dt.date(2025, 1, 1))
    url = reverse("portal:service_detail", args=["bontang", "kia"])
    assert client.get(url).status_code == 404
    assert client.get(url + "standar.pdf").status_code == 404


def test_service_page_queries_are_constant(client, bontang, with_points_and_maklumat):
    with CaptureQueriesContext(connection) as few:
        page(client, "service_detail", "bontang", "ktp-el")
    for n in range(4):
        office(bontang, "64.74.02", f"Kantor {n}", services=[with_points_and_maklumat])
        published(with_points_and_maklumat, dt.date(2025, 7, 2 + n))
    with CaptureQueriesContext(connection) as many:
        page(client, "service_detail", "bontang", "ktp-el")
    assert len(few) == len(many) <= 8


# -- PDF --------------------------------------------------------------------------------------


def inflated_streams(pdf: bytes):
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            yield zlib.decompress(match.group(1))


def test_standard_sheet_is_a_one_page_pdf(client, with_points_and_maklumat, tmp_path):
    response = page(client, "standard_pdf", "bontang", "ktp-el")
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert 5_000 < len(pdf) < 500_000
    objects = b"\n".join(inflated_streams(pdf))  # WeasyPrint compresses its objects
    assert re.findall(rb"/Type /Pages/Kids \[[^\]]*\]/Count (\d+)", objects) == [b"1"]
    assert b"(Perekaman KTP-el)" in objects  # the title heading, as the PDF outline
    if shutil.which("pdftotext"):
        (tmp_path / "s.pdf").write_bytes(pdf)
        text = subprocess.run(  # noqa: S603
            ["pdftotext", str(tmp_path / "s.pdf"), "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "Perekaman KTP-el" in text
        assert "7 hari kerja" in text
        assert "Gratis" in text
    # The QR code a citizen scans at the counter opens this service's page.
    assert qr_codes_in_pdf(pdf) == ["http://testserver/bontang/layanan/ktp-el/"]
