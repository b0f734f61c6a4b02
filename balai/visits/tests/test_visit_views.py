"""The logbook's staff pages through the test client (Indonesian, the default language)."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balai.accounts.choices import Role
from balai.regions.models import Region
from balai.visits.models import Visit

from .conftest import WITA

MONDAY_EVENING = dt.datetime(2025, 6, 16, 19, 30, tzinfo=WITA)


def entry_url(point):
    return reverse("staff:visit_entry", args=[point.pemda.slug, point.slug])


@pytest.fixture
def logged_in(client, front_office):
    client.force_login(front_office)
    return client


@time_machine.travel(MONDAY_EVENING)
def test_entry_page_preselects_session_and_village_and_focuses_the_first_service(
    logged_in, points, services
):
    html = logged_in.get(entry_url(points["tli"])).text
    night = re.search(r'<input[^>]*name="session_kind"[^>]*value="night"[^>]*>', html)[0]
    assert "checked" in night
    village = re.search(r'<option value="64.74.02.1006"[^>]*>', html)[0]
    assert "selected" in village
    first = re.search(r'<input type="checkbox"[^>]*name="services"[^>]*>', html)[0]
    assert "autofocus" in first
    assert "data-balai-logbook" in html and "balai/logbook.js" in html


@time_machine.travel(MONDAY_EVENING)
def test_log_two_visitors_and_the_form_comes_back_empty(logged_in, points, services):
    url = entry_url(points["tli"])
    for expected in (1, 2):
        response = logged_in.post(
            url,
            {
                "services": [services["ktp"].pk],
                "occupation": "nelayan",
                "village": "64.74.02.1006",
                "rw": "3",
                "rt": "",
                "outcome": "served",
                "session_kind": "night",
            },
        )
        assert response.status_code == 302
        page = logged_in.get(response["Location"]).text
        assert f"Kunjungan ke-{expected} hari ini tercatat" in page
        assert not re.search(r'<input type="checkbox"[^>]*checked', page)
        assert not re.search(r'<input type="radio"[^>]*name="occupation"[^>]*checked', page)
    assert Visit.objects.filter(point=points["tli"], rw="003").count() == 2


@time_machine.travel(MONDAY_EVENING)
def test_a_visit_without_service_or_occupation_is_refused(logged_in, points):
    response = logged_in.post(
        entry_url(points["tli"]), {"session_kind": "night", "outcome": "served"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"services", "occupation"}
    assert not Visit.objects.exists()


def test_who_may_not_log_gets_403(client, bontang, points, make_member):
    for user in (
        make_member(bontang, Role.OPERATOR),
        make_member(bontang, Role.AREA_STAFF, region=Region.objects.get(code="64.74.01")),
    ):
        client.force_login(user)
        assert client.get(entry_url(points["tli"])).status_code == 403


def test_home_lists_the_points_of_the_users_area(logged_in, bontang, points):
    html = logged_in.get(reverse("staff:visit_home", args=[bontang.slug])).text
    assert "Kantor Kelurahan Tanjung Laut Indah" in html
    assert "Kantor Kecamatan Bontang Selatan" in html


def test_undo_from_the_page_within_ten_minutes(logged_in, points, services):
    url = entry_url(points["tli"])
    data = {"services": [services["kk"].pk], "occupation": "petani", "session_kind": "regular"}
    data["outcome"] = "served"
    with time_machine.travel(MONDAY_EVENING, tick=False):
        logged_in.post(url, data)
        logged_in.post(url, data)
    first, second = Visit.objects.order_by("pk")
    undo = reverse("staff:visit_undo", args=[points["tli"].pemda.slug, points["tli"].slug, 0])
    with time_machine.travel(MONDAY_EVENING + dt.timedelta(minutes=5), tick=False):
        html = logged_in.get(url).text
        assert html.count(">Batalkan</button>") >= 2
        response = logged_in.post(undo.replace("/0/", f"/{first.pk}/"))
        assert response.status_code == 302 and "dibatalkan=1" in response["Location"]
    with time_machine.travel(MONDAY_EVENING + dt.timedelta(minutes=11), tick=False):
        assert ">Batalkan</button>" not in logged_in.get(url).text
        logged_in.post(undo.replace("/0/", f"/{second.pk}/"))
    assert list(Visit.objects.all()) == [second]


@time_machine.travel(dt.datetime(2025, 6, 17, 9, 0, tzinfo=WITA))
def test_paper_page_all_or_nothing_then_saved(logged_in, points, services):
    url = reverse("staff:visit_batch", args=[points["tli"].pemda.slug, points["tli"].slug])
    assert logged_in.get(url + "?baris=3").status_code == 200
    data = {
        "day": "2025-06-16",
        "r-TOTAL_FORMS": "3",
        "r-INITIAL_FORMS": "0",
        "r-0-time": "19:10",
        "r-0-session_kind": "night",
        "r-0-service": str(services["ktp"].pk),
        "r-0-occupation": "nelayan",
        "r-0-outcome": "served",
        "r-1-time": "19:20",
        "r-1-session_kind": "night",
        "r-1-service": "",
        "r-1-occupation": "swasta",
        "r-1-outcome": "served",
        "r-2-session_kind": "regular",  # untouched line (the initial values): skipped
        "r-2-outcome": "served",
    }
    response = logged_in.post(url + "?baris=3", data)
    assert response.status_code == 200 and not Visit.objects.exists()
    data["r-1-service"] = str(services["sku"].pk)
    data["r-1-service2"] = str(services["domisili"].pk)
    data["r-2-session_kind"] = "night"
    response = logged_in.post(url + "?baris=3", data)
    assert response.status_code == 200 and not Visit.objects.exists()  # line 3 half filled
    data["r-2-session_kind"] = "regular"
    response = logged_in.post(url + "?baris=3", data)
    assert response.status_code == 302, (
        response.context["problems"],
        response.context["formset"].errors,
    )
    assert Visit.objects.count() == 2
    assert set(Visit.objects.get(occupation="swasta").services.values_list("code", flat=True)) == {
        "sku",
        "domisili",
    }


@time_machine.travel(dt.datetime(2025, 6, 17, 9, 0, tzinfo=WITA))
def test_csv_upload_page_lists_wrong_lines(logged_in, points):
    url = reverse("staff:visit_import", args=[points["tli"].pemda.slug, points["tli"].slug])
    text = (
        "date,time,session,services,village_code,rw,rt,occupation,outcome\n"
        "2025-06-16,19:05,night,ktp,,,,nelayan,served\n"
        "2025-06-16,19:05,night,paspor,,,,nelayan,served\n"
    )
    upload = SimpleUploadedFile("kunjungan.csv", text.encode(), content_type="text/csv")
    html = logged_in.post(url, {"file": upload}).text
    assert "Baris 3" in html and "paspor" in html
    assert not Visit.objects.exists()
    response = logged_in.post(url, {"text": text.rsplit("\n", 2)[0] + "\n"})
    assert response.status_code == 302 and Visit.objects.count() == 1
