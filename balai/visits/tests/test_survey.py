"""The SKM questionnaire: QR and one-time WhatsApp links, paper entry, the IKM report and its
exports, with query counts that do not grow with the data."""

import base64
import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from balai.accounts.choices import Role
from balai.core.testing import qr_codes_in_pdf
from balai.regions.models import Region
from balai.visits.models import SurveyResponse
from balai.visits.services import VisitRow, survey_response_submit, visits_log_batch
from balai.visits.survey import skm_link, token_hash

from .conftest import WITA

ANSWERS = {f"u{i}": "3" for i in range(1, 10)}
HAND = [  # the three respondents of test_ikm.test_three_respondents_by_hand
    [4, 4, 3, 4, 3, 4, 4, 3, 3],
    [3, 3, 3, 4, 3, 3, 4, 2, 3],
    [4, 3, 2, 4, 3, 4, 4, 3, 2],
]


def answer(client, url, **extra):
    return client.post(url, {**ANSWERS, **extra})


def test_whatsapp_link_prefills_and_works_once(client, points, services):
    link = skm_link(points["tli"], services["kk"])
    page = client.get(link).text
    assert re.search(rf'<option value="{services["kk"].pk}" selected>', page)
    token = re.search(r'name="t" value="([^"]+)"', page)[1]
    url = link.split("?")[0]
    response = answer(client, url, t=token, service=str(services["kk"].pk), occupation="nelayan")
    assert "Terima kasih!" in response.text
    saved = SurveyResponse.objects.get()
    assert (saved.channel, saved.service, saved.unit) == (
        "whatsapp",
        services["kk"],
        points["tli"].unit,
    )
    assert saved.token_hash == token_hash(token) and saved.occupation == "nelayan"
    again = answer(client, url, t=token)
    assert "Tautan ini sudah dipakai" in again.text
    assert SurveyResponse.objects.count() == 1


def test_front_office_makes_a_link_to_share_on_whatsapp(
    client, bontang, points, services, front_office
):
    from urllib.parse import parse_qs, urlsplit

    client.force_login(front_office)
    url = reverse("staff:survey_link", args=[bontang.slug])
    page = client.get(url, {"point": points["tli"].slug, "service": services["kk"].pk})
    assert page.status_code == 200
    share = re.search(r'href="(https://wa\.me/\?[^"]+)"', page.text)[1].replace("&amp;", "&")
    text = parse_qs(urlsplit(share).query)["text"][0]
    assert text.startswith("Terima kasih")  # in Indonesian, ready to send
    link = re.search(r"https?://\S+", text)[0]
    client.logout()
    questionnaire = client.get(link).text  # the visitor opens it: no login
    assert re.search(rf'<option value="{services["kk"].pk}" selected>', questionnaire)
    token = re.search(r'name="t" value="([^"]+)"', questionnaire)[1]
    answer(client, link.split("?")[0], t=token, service=str(services["kk"].pk))
    assert SurveyResponse.objects.get().channel == "whatsapp"


def test_expired_or_foreign_link_falls_back_to_a_plain_answer(client, points, services):
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, 0, tzinfo=WITA)):
        link = skm_link(points["tli"], services["kk"])
    with time_machine.travel(dt.datetime(2025, 6, 16, 10, 0, tzinfo=WITA)):
        page = client.get(link).text
        assert "sudah tidak berlaku" in page and 'name="t"' not in page
        foreign = skm_link(points["kecamatan"])
        other = reverse(
            "portal:skm_answer", args=[points["tli"].pemda.slug, "kel-tanjung-laut-indah"]
        )
        assert "sudah tidak berlaku" in client.get(other + "?" + foreign.split("?")[1]).text
        answer(client, link.split("?")[0], t=link.split("t=")[1])
    saved = SurveyResponse.objects.get()
    assert saved.channel == "qr" and saved.token_hash is None


def test_unanswered_questions_are_asked_again(client, points):
    url = reverse("portal:skm_answer", args=[points["tli"].pemda.slug, points["tli"].slug])
    response = client.post(url, {"u1": "4"})
    assert response.status_code == 200 and not SurveyResponse.objects.exists()
    assert response.text.count("Mohon pilih satu jawaban.") == 8


def test_qr_code_is_an_svg_of_the_questionnaire(client, points):
    response = client.get(
        reverse("portal:skm_qr", args=[points["tli"].pemda.slug, points["tli"].slug])
    )
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith((b"<?xml", b"<svg"))
    # Printed (here: placed on a PDF page) and scanned, it opens the point's questionnaire.
    from weasyprint import HTML

    svg = base64.b64encode(response.content).decode()
    pdf = HTML(string=f'<img style="width:8cm" src="data:image/svg+xml;base64,{svg}">').write_pdf()
    answer = reverse("portal:skm_answer", args=[points["tli"].pemda.slug, points["tli"].slug])
    assert qr_codes_in_pdf(pdf) == [f"http://testserver{answer}"]


def test_paper_entry_by_the_front_office(
    client, bontang, points, services, front_office, make_member
):
    url = reverse("staff:survey_entry", args=[bontang.slug])
    client.force_login(front_office)
    data = {**ANSWERS, "point": points["tli"].slug, "answered_on": "2025-06-16", "sex": "P"}
    response = client.post(url, data)
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.channel, saved.entered_by, saved.sex) == ("paper", front_office, "P")
    outsider = make_member(bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.01"))
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def _respond(point, scores, when):
    return survey_response_submit(
        point=point,
        answers={f"u{i}": score for i, score in enumerate(scores, 1)},
        channel="qr",
        answered_at=when,
    )


def _visits(point, services, actor, count, when):
    rows = [
        VisitRow(
            services=[services["ktp"]], occupation="swasta", visited_at=when, session_kind="night"
        )
        for _ in range(count)
    ]
    visits_log_batch(actor=actor, point=point, rows=rows)


REPORT_AT = dt.datetime(2025, 7, 1, 9, 0, tzinfo=WITA)


@time_machine.travel(REPORT_AT)
def test_ikm_report_page_by_hand(client, bontang, points, services, front_office, leader):
    when = dt.datetime(2025, 6, 16, 20, 0, tzinfo=WITA)
    for scores in HAND:
        _respond(points["tli"], scores, when)
    _visits(points["tli"], services, front_office, 100, when)
    client.force_login(leader)
    url = reverse("staff:ikm_report", args=[bontang.slug])
    response = client.get(url, {"start": "2025-06-01", "end": "2025-06-30"})
    report = response.context["report"]
    assert report.respondents == 3 and report.population == 100 and report.sample_target == 80
    assert report.result.converted == Decimal("81.58")
    html = response.text
    assert "81,58" in html and "B (Baik)" in html
    assert "0,11 sesuai PermenPAN-RB 14/2017" in html  # the weight policy is stated
    exact = client.get(url, {"start": "2025-06-01", "end": "2025-06-30", "weight": "1/9"})
    assert exact.context["report"].result.converted == Decimal("82.41")
    assert "1/9 tepat" in exact.text
    other = client.get(
        url, {"start": "2025-06-01", "end": "2025-06-30", "point": points["kecamatan"].pk}
    )
    assert other.context["report"].result is None


@time_machine.travel(REPORT_AT)
def test_exports_state_the_weight_policy(client, bontang, points, leader):
    for scores in HAND:
        _respond(points["tli"], scores, dt.datetime(2025, 6, 16, 20, 0, tzinfo=WITA))
    client.force_login(leader)
    url = reverse("staff:ikm_report", args=[bontang.slug])
    query = {"start": "2025-06-01", "end": "2025-06-30"}
    xlsx = client.get(url, {**query, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "0,11 sesuai PermenPAN-RB 14/2017" in cells
    assert "81.58" in cells and "B (Baik)" in cells
    pdf = client.get(url, {**query, "export": "pdf", "weight": "1/9"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(  # noqa: S603 (a fixed local tool)
            [pdftotext, "-", "-"],
            input=pdf.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert "Bobot unsur: 1/9 tepat" in text and "82.41" in text.replace(",", ".")


def _count_queries(client, url, query):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, query).status_code == 200
    return len(captured.captured_queries)


@time_machine.travel(REPORT_AT)
def test_ikm_page_queries_do_not_grow_with_the_data(
    client, bontang, points, services, front_office, leader
):
    when = dt.datetime(2025, 6, 16, 20, 0, tzinfo=WITA)
    client.force_login(leader)
    url = reverse("staff:ikm_report", args=[bontang.slug])
    query = {"start": "2025-06-01", "end": "2025-06-30"}
    _respond(points["tli"], HAND[0], when)
    _visits(points["tli"], services, front_office, 2, when)
    few = _count_queries(client, url, query)
    for point in points.values():
        for _ in range(15):
            for scores in HAND:
                _respond(point, scores, when)
        _visits(point, services, front_office, 30, when)
    assert _count_queries(client, url, query) == few


def _requests(point, service, count, when):
    from balai.catalog.models import StandardVersion
    from balai.service_requests.models import ServiceRequest

    standard = StandardVersion.objects.create(
        service=service,
        version=1,
        status="published",
        effective_from=dt.date(2025, 1, 1),
        procedure="-",
        processing_time=3,
        processing_unit="working_days",
        product="-",
        complaints_handling="-",
    )
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            pemda=point.pemda,
            service=service,
            standard=standard,
            point=point,
            channel="counter",
            tracking_code=f"REQ{number:05d}",
            status="submitted",
            submitted_at=when,
        )
        for number in range(count)
    )


@time_machine.travel(REPORT_AT)
def test_the_sample_target_counts_requests_where_visits_are_not_logged(
    client, bontang, points, services, front_office, leader
):
    """A unit that files requests but logs no visits still has service users to sample:
    50 requests, no visit -> N = 50 -> 44 respondents needed (Krejcie-Morgan). Where both are
    recorded, the larger count is N (a visitor who files a request is one user)."""
    when = dt.datetime(2025, 6, 16, 10, 0, tzinfo=WITA)
    _requests(points["tli"], services["kk"], 50, when)
    client.force_login(leader)
    url = reverse("staff:ikm_report", args=[bontang.slug])
    period = {"start": "2025-06-01", "end": "2025-06-30"}
    report = client.get(url, period).context["report"]
    assert (report.population, report.sample_target) == (50, 44)

    _visits(points["tli"], services, front_office, 100, when)
    report = client.get(url, period).context["report"]
    assert (report.population, report.sample_target) == (100, 80)
