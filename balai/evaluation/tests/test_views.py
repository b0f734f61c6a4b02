"""The dashboard, drill-down lists, exports, report and public page on the hand-written fixture."""

import csv
import io
import re

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from balai.accounts.choices import Role
from balai.evaluation.indicators import INDICATORS
from balai.evaluation.models import TransparencySetting
from balai.evaluation.report import report_build

from .conftest import NOVEMBER, NOW

PERIOD = "?period=month&date=2026-11-01"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def url(name, pemda, *args):
    return reverse(f"staff:{name}", args=[pemda.slug, *args]) + PERIOD


def test_dashboard_for_leadership(client, bontang, everything, leader):
    client.force_login(leader)
    response = client.get(url("evaluation_dashboard", bontang))
    assert response.status_code == 200
    html = response.content.decode()
    assert "November 2026" in html and "Oktober 2026" in html
    assert 'id="card-complaints_received"' in html
    assert "60,0%" in html  # answered within 24 hours
    assert "74,25" in html  # IKM
    assert "<svg" in html  # the charts


@pytest.mark.parametrize("role", [Role.OPD_HEAD, Role.OPERATOR, Role.AREA_STAFF])
def test_dashboard_refused_to_other_roles(client, bontang, opds, make_member, role):
    from balai.regions.models import Region

    extra = {
        Role.OPD_HEAD: {"opd": opds["Dinkes"]},
        Role.AREA_STAFF: {"region": Region.objects.get(code="64.74.02")},
    }.get(role, {})
    client.force_login(make_member(bontang, role, **extra))
    assert client.get(url("evaluation_dashboard", bontang)).status_code == 403


def test_dashboard_query_count_is_constant(
    client, bontang, everything, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    client.get(reverse("staff:home"))  # session and memberships warm
    with django_assert_max_num_queries(60):  # cold: every indicator for two periods
        client.get(url("evaluation_dashboard", bontang))
    with django_assert_max_num_queries(8):  # warm: from the cache
        client.get(url("evaluation_dashboard", bontang))


def _card(html: str, key: str) -> tuple[str, str]:
    """The rendered number of a dashboard card and its detail line (e.g. "2 dari 3")."""
    start = html.index(f'id="card-{key}"')
    card = html[start : html.index("balai-eval-delta", start)]
    value = re.search(r"data-value>([^<]*)</a>", card).group(1).strip()
    detail = re.search(r'<div class="small">([^<]*)</div>', card)
    return value, detail.group(1).strip() if detail else ""


@pytest.mark.parametrize("key", sorted(INDICATORS))
def test_drilldown_page_and_csv_agree_with_the_card(client, bontang, everything, leader, key):
    """For every indicator (a new one cannot be left out): the number the dashboard shows, the
    rows the drill-down page says it lists and the rows the CSV export streams agree."""
    client.force_login(leader)
    value, detail = _card(client.get(url("evaluation_dashboard", bontang)).content.decode(), key)
    if INDICATORS[key].is_count:  # the headline is the length of the list
        expected = int(value)
    else:  # a share, a median, the IKM: the detail names the rows it is computed from
        expected = int(re.search(r"dari (\d+)", detail).group(1))
    assert expected > 0, f"{key}: the fixture has nothing behind the card"
    page = client.get(url("evaluation_drilldown", bontang, key))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<span id="row-count">{expected}</span>' in html
    assert html.count("<tr>") - 1 == expected  # the header row, then one row each (one page)
    if key == "ikm":  # the weight policy is stated on every page that shows an IKM
        assert "Bobot IKM: 0,11 per unsur (PermenPAN-RB 14/2017)." in html
    export = client.get(url("evaluation_drilldown", bontang, key) + "&export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == list(INDICATORS[key].columns)
    assert len(rows) - 1 == expected


def test_drilldown_is_paginated(client, bontang, everything, leader, monkeypatch):
    monkeypatch.setattr("balai.evaluation.views.PAGE_SIZE", 2)
    client.force_login(leader)
    page = client.get(url("evaluation_drilldown", bontang, "complaints_received") + "&page=2")
    html = page.content.decode()
    assert "page=1" in html and "page=3" in html
    assert html.count("<td>") == 2 * 8  # two complaints of eight columns


def test_unknown_indicator(client, bontang, leader):
    client.force_login(leader)
    assert client.get(url("evaluation_drilldown", bontang, "nope")).status_code == 404


def test_report_sentences_and_findings(bontang, everything, complaints):
    report = report_build(bontang, NOVEMBER, now=NOW)
    text = " ".join(s for _p, s in report.sentences)
    assert (
        "6 aduan pada November 2026 (1 lewat Portal, 2 lewat Telepon (call center), "
        "3 lewat WhatsApp)" in text
    )
    assert "3 dari 5 aduan yang ditangani ditanggapi dalam 24 jam (60,0%)" in " ".join(text.split())
    assert "median waktu tanggapan pertama 2,0 jam" in text
    assert "2 aduan masih terbuka dan melewati tenggat" in text
    assert "2 dari 3 permohonan selesai tepat waktu (66,7%)" in text
    assert "IKM 74,25, mutu C (Kurang baik), dari 3 responden" in text
    assert "6 kunjungan layanan malam; terbanyak di Kantor Kecamatan Bontang Selatan (5)" in text
    titles = [f.title for f in report.findings]
    assert "Pemanfaatan layanan malam rendah: Kantor Kelurahan Tanjung Laut Indah" in titles
    assert "Aduan melewati tenggat: Dinkes" in titles
    assert "Aduan melewati tenggat: Kec. Bontang Selatan" in titles
    # the evidence names the complaints by tracking code: Dinkes' only open breach is c2 (c6 is
    # paused, c1 closed); the kecamatan's is c3 (c5 is not yet due)
    dinkes = next(f for f in report.findings if f.title.endswith("Dinkes"))
    assert dinkes.evidence == [
        "1 aduan masih terbuka melewati tenggat.",
        f"Contoh kode: {complaints['c2'].tracking_code}",
    ]
    kecamatan = next(f for f in report.findings if f.title.endswith("Kec. Bontang Selatan"))
    assert kecamatan.evidence[1] == f"Contoh kode: {complaints['c3'].tracking_code}"
    assert "Layanan Keliling: 2 dari 3 tempat sudah dikunjungi tahun ini (garis target 2,7)" in text
    assert (
        "2 hari layanan terlaksana pada November 2026 dengan 65 pengunjung tercatat "
        "(Layanan Keliling 2)." in text
    )
    assert (
        "3 kunjungan dilayani di hari layanan; layanan yang paling banyak dicari: "
        "KTP-el (2), Kartu Keluarga (1)." in text
    )
    assert "3 pesan pengumuman diterima (1 dibaca) dari 1 pengumuman." in text
    # per OPD: Dinkes received 3 (c1 c2 c6), handled 3, within 2, resolved 1 (c1), late 1
    assert report.per_opd[0][:4] == ("Dinkes", 3, 3, 2)
    assert report.per_opd[0][5:] == (1, 1)
    assert report.top_services[0][0] == "KTP-el"


def test_all_answered_sentence(bontang, complaints):
    from balai.complaints.models import Complaint

    Complaint.objects.filter(status="assigned").update(first_response_at=NOW)
    Complaint.objects.filter(pemda=bontang).update(first_response_at=models_f("received_at"))
    report = report_build(bontang, NOVEMBER, now=NOW)
    assert "semuanya ditanggapi dalam 24 jam" in report.sentences[0][1]


def models_f(name):
    from django.db.models import F

    return F(name)


def test_report_pdf_and_xlsx(client, bontang, everything, leader):
    client.force_login(leader)
    pdf = client.get(url("evaluation_report_pdf", bontang))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(url("evaluation_report_xlsx", bontang))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {"Ringkasan", "Per OPD", "Per kecamatan", "Temuan"} <= set(book.sheetnames)
    opd_rows = list(book["Per OPD"].iter_rows(values_only=True))
    assert opd_rows[1][:2] == ("Dinkes", 3)


def test_transparency_opt_in_and_no_personal_data(client, bontang, everything, admin):
    public = reverse("portal:evaluation_transparency", args=[bontang.slug])
    html = client.get(public).content.decode()
    assert "74,25" not in html and "60,0%" not in html  # nothing published yet
    client.force_login(admin)
    page = reverse("staff:evaluation_transparency", args=[bontang.slug])
    assert client.get(page).status_code == 200
    response = client.post(page, {"show_complaints": "on", "show_ikm": "on"})
    assert response.status_code == 302
    setting = TransparencySetting.objects.get(pemda=bontang)
    assert setting.published == ["show_complaints", "show_ikm"]
    client.logout()
    html = client.get(public).content.decode()
    assert "Indeks Kepuasan" in html or "IKM" in html
    assert "Bobot IKM: 0,11 per unsur (PermenPAN-RB 14/2017)." in html  # the weight, stated
    for private in ("Warga Rahasia", "+6281200000000", "(isi aduan)", "Pemohon Rahasia"):
        assert private not in html
    from balai.complaints.models import Complaint

    for code in Complaint.objects.values_list("tracking_code", flat=True):
        assert code not in html


def test_transparency_settings_only_for_the_admin(client, bontang, leader):
    client.force_login(leader)
    page = reverse("staff:evaluation_transparency", args=[bontang.slug])
    assert client.post(page, {"show_ikm": "on"}).status_code == 403
    assert not TransparencySetting.objects.exists()


def test_dashboard_without_any_data(client, bontang, leader):
    client.force_login(leader)
    html = client.get(url("evaluation_dashboard", bontang)).content.decode()
    assert "—" in html  # the median and IKM have nothing to compute from
    assert "Belum ada data" in html or "No data" in html


def test_public_schedule_and_outreach(client, bontang, everything, admin):
    from balai.evaluation.services import transparency_update

    transparency_update(actor=admin, pemda=bontang, show_outreach=True, show_schedule=True)
    html = client.get(reverse("portal:evaluation_transparency", args=[bontang.slug])).content
    html = html.decode()
    assert "Layanan Keliling" in html  # the planned, published 8 Dec event
    assert "Bontang Barat" in html


def test_drilldown_query_count_is_constant(
    client, bontang, everything, leader, django_assert_max_num_queries
):
    client.force_login(leader)
    client.get(reverse("staff:home"))
    for key in ("complaints_received", "night_uptake", "ikm", "outreach_coverage"):
        with django_assert_max_num_queries(12):
            client.get(url("evaluation_drilldown", bontang, key))
