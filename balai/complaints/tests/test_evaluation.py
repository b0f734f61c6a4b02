"""The program's evaluation: figures checked against values computed by hand."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import time_machine
from django.utils import translation
from openpyxl import load_workbook

from balai.complaints import services as svc
from balai.complaints.choices import Channel
from balai.complaints.evaluation import _percentile, complaint_evaluation
from balai.complaints.exports import complaints_csv, evaluation_xlsx
from balai.complaints.models import Complaint
from balai.regions.models import Region

WITA = ZoneInfo("Asia/Makassar")


def at(day, hour):
    return dt.datetime(2025, 6, day, hour, 0, tzinfo=WITA)


def make(
    bangli,
    staff,
    category,
    *,
    day,
    channel,
    respond_after=None,
    resolve=False,
    pause=None,
    reject=False,
):
    with time_machine.travel(at(day, 8), tick=False):
        complaint = svc.complaint_submit(
            pemda=bangli,
            channel=channel,
            description="Uji",
            reporter_name="Nama Rahasia",
            reporter_phone="+6281200001111",
            region=Region.objects.get(code="51.06.02.1004"),
        )
        if reject:
            svc.complaint_reject(complaint=complaint, actor=staff["operator"], reason="spam")
            return complaint
        svc.complaint_verify(
            complaint=complaint,
            actor=staff["operator"],
            category=category,
            is_secret=False,
            is_anonymous=True,
        )
    if respond_after is None:
        return complaint
    when = at(day, 8) + dt.timedelta(hours=respond_after)
    with time_machine.travel(when, tick=False):
        svc.complaints_sweep()
        svc.complaint_respond(complaint=complaint, actor=staff["trc"], text="Ditanggapi")
    if pause:
        with time_machine.travel(when + dt.timedelta(hours=1), tick=False):
            svc.complaint_pause(
                complaint=complaint,
                actor=staff["trc"],
                reason=pause,
                expected_until=dt.date(2025, 8, 1),
            )
    if resolve:
        with time_machine.travel(when + dt.timedelta(hours=2), tick=False):
            svc.complaint_resolve(
                complaint=complaint,
                actor=staff["trc"],
                actions="Beres",
                done_on=(when + dt.timedelta(hours=2)).date(),
            )
            svc.complaint_approve(complaint=complaint, actor=staff["head"])
    return complaint


def build(bangli, staff, categories):
    roads, water = categories["jalan"], categories["air"]
    make(bangli, staff, roads, day=2, channel=Channel.WHATSAPP, respond_after=2, resolve=True)
    make(bangli, staff, roads, day=3, channel=Channel.WHATSAPP, respond_after=30)  # breach
    make(bangli, staff, roads, day=4, channel=Channel.PHONE, respond_after=5, pause="procurement")
    make(bangli, staff, water, day=5, channel=Channel.MESSENGER, respond_after=10, resolve=True)
    make(bangli, staff, water, day=6, channel=Channel.PHONE, reject=True)
    make(bangli, staff, roads, day=20, channel=Channel.PHONE)  # not yet responded
    make(bangli, staff, roads, day=40 - 30, channel=Channel.PHONE, respond_after=1)  # 10 June


def test_figures_match_a_hand_count(bangli, categories, staff):
    build(bangli, staff, categories)
    # Outside the period: 1 July.
    with time_machine.travel(dt.datetime(2025, 7, 1, 9, tzinfo=WITA), tick=False):
        svc.complaint_submit(pemda=bangli, channel=Channel.PORTAL, description="Juli")
    with time_machine.travel(dt.datetime(2025, 7, 2, 9, tzinfo=WITA), tick=False):
        ev = complaint_evaluation(
            pemda=bangli, start=dt.date(2025, 6, 1), end=dt.date(2025, 7, 1), tz=WITA
        )
    assert ev.received == 7
    assert ev.by_channel["whatsapp"] == 2 and ev.by_channel["phone"] == 4
    assert ev.handled == 6  # the rejected one does not count
    assert ev.responded == 5
    assert ev.responded_within_24h == 4  # 2, 5, 10 and 1 hours; 30 hours is late
    assert ev.median_response_hours == 5  # of 1, 2, 5, 10, 30
    assert ev.p90_response_hours == 10 + (30 - 10) * 0.6  # rank 3.6 of 0..4
    assert ev.resolved == 2
    assert ev.paused == 1 and ev.paused_by_reason == {"procurement": 1}
    # Breaches by 2 July: answered after 30 hours (3 June), never answered (due 21 June), and
    # answered but not resolved within 10 working days (10 June); the paused one does not run.
    assert ev.breaches_by_opd == [("PUPR Perkim", 3)]
    assert ev.breaches_by_kecamatan == [("Bangli", 3)]
    assert ev.breaches_by_category == [("Jalan rusak", 3)]
    assert ev.by_opd == [("PUPR Perkim", 5), ("PDAM", 1)]
    with translation.override("en"):
        sentence = ev.summary()
    assert sentence.startswith(
        "7 complaints in 30 days, 5 of 6 responded to, 67% within 24 hours, 2 resolved"
    )
    assert "busiest OPD: PUPR Perkim" in sentence


def test_percentile_by_linear_interpolation():
    assert _percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert _percentile([7.0], 0.9) == 7.0


def test_exports_have_every_row_and_no_identity(bangli, categories, staff):
    build(bangli, staff, categories)
    period = Complaint.objects.filter(pemda=bangli)
    text = complaints_csv(period, WITA)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + period.count()
    ev = complaint_evaluation(
        pemda=bangli, start=dt.date(2025, 6, 1), end=dt.date(2025, 7, 1), tz=WITA
    )
    book = load_workbook(io.BytesIO(evaluation_xlsx(ev, period, WITA, title="Bangli Juni 2025")))
    assert book["Aduan"].max_row == 1 + period.count()
    everything = text + "".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )
    assert "Nama Rahasia" not in everything and "6281200001111" not in everything


def test_evaluation_page_and_exports_for_leadership_only(client, bangli, categories, staff):
    build(bangli, staff, categories)
    url = f"/staf/{bangli.slug}/evaluasi/aduan/"
    client.force_login(staff["trc"])
    assert client.get(url).status_code == 403
    client.force_login(staff["leader"])
    page = client.get(url, {"start": "2025-06-01", "end": "2025-06-30"})
    assert page.status_code == 200
    assert page.context["ev"].received == 7
    assert page.context["ev"].summary() in page.content.decode()
    csv_response = client.get(url, {"start": "2025-06-01", "end": "2025-06-30", "export": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert len(csv_response.content.decode().strip().splitlines()) == 1 + 7
    xlsx = client.get(url, {"start": "2025-06-01", "end": "2025-06-30", "export": "xlsx"})
    assert load_workbook(io.BytesIO(xlsx.content))["Aduan"].max_row == 1 + 7
    bad = client.get(url, {"start": "2025-06-30", "end": "2025-06-01"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_kecamatan_map_counts_complaints_and_breaches(bangli, categories, staff):
    from balai.complaints.evaluation import kecamatan_map
    from balai.regions.geo import geo_import_file, seed_file

    geo_import_file(path=seed_file("boundaries.geojson"), only="51.06")
    build(bangli, staff, categories)
    data = kecamatan_map(
        pemda=bangli,
        start=dt.date(2025, 6, 1),
        end=dt.date(2025, 7, 1),
        tz=WITA,
        now=dt.datetime(2025, 7, 2, tzinfo=WITA),
    )
    by_name = {f["properties"]["name"]: f["properties"] for f in data["features"]}
    assert set(by_name) == {"Susut", "Bangli", "Tembuku", "Kintamani"}
    assert by_name["Bangli"] == {
        "code": "51.06.02",
        "name": "Bangli",
        "complaints": 7,
        "breaches": 3,
    }
    assert by_name["Kintamani"]["complaints"] == 0
    assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
