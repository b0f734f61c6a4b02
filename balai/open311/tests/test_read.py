"""GET discovery, services, service definitions and requests, in JSON and in XML."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from balai.complaints.choices import Status
from balai.complaints.services import (
    complaint_note,
    complaint_pause,
    complaint_respond,
    complaint_submit,
)
from balai.organizations.services import pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

from .helpers import assert_no_identity, verified

BASE = "/open311/v2"


def status_label(status) -> str:
    with translation.override("id"):  # the default language: no Accept-Language sent
        return str(status.label)


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 - our own output


def test_discovery_in_both_formats(client, db):
    data = client.get(f"{BASE}/discovery.json").json()
    assert data["endpoints"][0]["url"] == "http://testserver/open311/v2/"
    assert data["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_list_the_active_categories(client, bangli):
    response = client.get(f"{BASE}/services.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    assert [s["service_code"] for s in services] == ["air", "jalan"]
    roads = services[1]
    assert roads == {
        "service_code": "jalan",
        "service_name": "Jalan rusak",
        "description": "Lubang",
        "metadata": True,
        "type": "realtime",
        "keywords": "jalan, rusak",
        "group": "Dinas PUPR Perkim",
    }
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    assert [s.findtext("service_code") for s in root.findall("service")] == ["air", "jalan"]
    assert root.find("service/metadata").text == "true"


def test_service_definition_offers_the_kecamatan(client, bangli):
    definition = client.get(f"{BASE}/services/jalan.json").json()
    (attribute,) = definition["attributes"]
    assert definition["service_code"] == "jalan"
    assert attribute["code"] == "kecamatan" and attribute["datatype"] == "singlevaluelist"
    assert attribute["required"] is False and attribute["variable"] is True
    assert {v["key"]: v["name"] for v in attribute["values"]} == {
        "51.06.02": "Bangli",
        "51.06.04": "Kintamani",
        "51.06.01": "Susut",
        "51.06.03": "Tembuku",
    }
    root = xml(client.get(f"{BASE}/services/jalan.xml"))
    assert root.tag == "service_definition"
    values = root.findall("attributes/attribute/values/value")
    assert len(values) == 4 and values[0].findtext("key") == "51.06.02"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_and_inactive_service_are_404(client, bangli, fmt):
    for code in ("tidak-ada", "lama"):
        response = client.get(f"{BASE}/services/{code}.{fmt}")
        assert response.status_code == 404
        if fmt == "json":
            [error] = response.json()
            assert error["code"] == 404 and "service_code" in error["description"]
        else:
            root = xml(response)
            assert root.tag == "errors"
            assert root.findtext("error/code") == "404"


def test_unknown_resource_is_a_spec_error(client, db):
    response = client.get(f"{BASE}/nothing.json")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404
    assert xml(client.get(f"{BASE}/services.csv.xml")).tag == "errors"


def test_jurisdiction(client, bangli):
    assert client.get(f"{BASE}/services.json?jurisdiction_id=51.06").status_code == 200
    unknown = client.get(f"{BASE}/services.json?jurisdiction_id=99.99")
    assert unknown.status_code == 404
    assert "jurisdiction_id" in unknown.json()[0]["description"]
    regions_import(only="64.74")
    pemda_create(actor=None, region=Region.objects.get(code="64.74"), seat_name="Bontang")
    required = client.get(f"{BASE}/services.json")
    assert required.status_code == 400
    assert required.json()[0]["code"] == 400
    assert client.get(f"{BASE}/services.json?jurisdiction_id=51.06").json()[0]["group"]
    assert client.get(f"{BASE}/services.json?jurisdiction_id=64.74").json() == []


def test_request_fields(client, bangli, category, operator):
    complaint = verified(
        bangli,
        category["jalan"],
        operator,
        address="Jl. Merdeka 5",
        lat=-8.45,
        lng=115.35,
        region=Region.objects.get(code="51.06.04.2001"),
    )
    complaint_respond(complaint=complaint, actor=operator, text="Tim meninjau lokasi besok.")
    complaint_note(complaint=complaint, actor=operator, text="Catatan internal: kontraktor X")
    complaint.refresh_from_db()
    (item,) = client.get(f"{BASE}/requests/{complaint.tracking_code}.json").json()
    assert item == {
        "service_request_id": complaint.tracking_code,
        "status": "open",
        "status_notes": "Tim meninjau lokasi besok.",
        "service_name": "Jalan rusak",
        "service_code": "jalan",
        "description": "Jalan berlubang di depan pasar Kidul",
        "agency_responsible": "Dinas PUPR Perkim",
        "service_notice": status_label(Status.RESPONDED),
        "requested_datetime": complaint.received_at.astimezone(
            dt.timezone(dt.timedelta(hours=8))
        ).isoformat(timespec="seconds"),
        "updated_datetime": item["updated_datetime"],
        "expected_datetime": item["expected_datetime"],
        "address": "Jl. Merdeka 5",
        "address_id": "51.06.04.2001",
        "zipcode": Region.objects.get(code="51.06.04.2001").postal_code,
        "lat": -8.45,
        "long": 115.35,
        "media_url": "",
    }
    assert item["zipcode"]
    assert item["requested_datetime"].endswith("+08:00")
    # After the first response the SLA deadline shown is the resolution one.
    expected = dt.datetime.fromisoformat(item["expected_datetime"])
    assert expected == complaint.resolution_due_at.replace(microsecond=0)
    assert "Catatan internal" not in str(item)


def test_expected_datetime_is_the_response_deadline_before_the_first_response(
    client, bangli, category, operator
):
    complaint = verified(bangli, category["air"], operator)
    (item,) = client.get(f"{BASE}/requests/{complaint.tracking_code}.json").json()
    expected = dt.datetime.fromisoformat(item["expected_datetime"])
    assert expected == complaint.response_due_at.replace(microsecond=0)
    assert item["agency_responsible"] == "Perumda Air Minum"


def test_paused_request_tells_the_wait(client, bangli, category, operator):
    complaint = verified(bangli, category["air"], operator)
    complaint_respond(complaint=complaint, actor=operator, text="Perlu pipa baru.")
    until = timezone.localdate() + dt.timedelta(days=30)
    complaint_pause(complaint=complaint, actor=operator, reason="budget", expected_until=until)
    (item,) = client.get(f"{BASE}/requests/{complaint.tracking_code}.json").json()
    assert item["status"] == "open"
    assert until.isoformat() in item["service_notice"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_secret_complaints_are_never_listed_and_404_by_id(client, bangli, category, operator, fmt):
    public = verified(bangli, category["jalan"], operator)
    secret = verified(bangli, category["jalan"], operator, secret=True, description="Rahasia")
    unverified = complaint_submit(pemda=bangli, channel="phone", description="Belum diverifikasi")
    listing = client.get(f"{BASE}/requests.{fmt}")
    assert listing.status_code == 200
    assert public.tracking_code.encode() in listing.content
    for hidden in (secret, unverified):
        assert hidden.tracking_code.encode() not in listing.content
        one = client.get(f"{BASE}/requests/{hidden.tracking_code}.{fmt}")
        assert one.status_code == 404
        by_id = client.get(f"{BASE}/requests.{fmt}?service_request_id={hidden.tracking_code}")
        assert hidden.tracking_code.encode() not in by_id.content


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_reporter_identity_anywhere(client, bangli, category, operator, fmt):
    complaint = verified(bangli, category["jalan"], operator, anonymous=False)
    complaint_respond(complaint=complaint, actor=operator, text="Ditangani.")
    for url in (
        f"{BASE}/requests.{fmt}",
        f"{BASE}/requests/{complaint.tracking_code}.{fmt}",
        f"{BASE}/requests.{fmt}?service_request_id={complaint.tracking_code}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert complaint.tracking_code.encode() in response.content
        assert_no_identity(response.content)


def test_requests_in_xml(client, bangli, category, operator):
    complaint = verified(bangli, category["jalan"], operator)
    root = xml(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == complaint.tracking_code
    assert request.findtext("status") == "open"
    assert request.find("lat").text is None and request.find("media_url").text is None


def test_filters(client, bangli, category, operator):
    roads = verified(bangli, category["jalan"], operator)
    water = verified(bangli, category["air"], operator)
    from balai.complaints.services import complaint_reject

    spam = complaint_submit(
        pemda=bangli, channel="phone", category=category["air"], description="x"
    )
    spam.is_secret = False  # a public complaint rejected later
    spam.save()
    complaint_reject(complaint=spam, actor=operator, reason="spam")

    def codes(query):
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.content
        return {item["service_request_id"] for item in response.json()}

    assert codes("") == {roads.tracking_code, water.tracking_code, spam.tracking_code}
    assert codes("service_code=jalan") == {roads.tracking_code}
    assert codes("service_code=jalan,air") == {
        roads.tracking_code,
        water.tracking_code,
        spam.tracking_code,
    }
    assert codes("status=open") == {roads.tracking_code, water.tracking_code}
    assert codes("status=closed") == {spam.tracking_code}
    assert codes(f"service_request_id={roads.tracking_code},{water.tracking_code}") == {
        roads.tracking_code,
        water.tracking_code,
    }
    assert client.get(f"{BASE}/requests.json?status=pending").status_code == 400
    assert client.get(f"{BASE}/requests.json?service_code=nope").status_code == 404


def test_newest_first(client, bangli, category, operator):
    now = timezone.now()
    older = verified(bangli, category["jalan"], operator, received_at=now - dt.timedelta(days=3))
    newer = verified(bangli, category["jalan"], operator, received_at=now - dt.timedelta(days=1))
    items = client.get(f"{BASE}/requests.json").json()
    assert [i["service_request_id"] for i in items] == [newer.tracking_code, older.tracking_code]


def test_date_window_at_most_90_days(client, bangli, category, operator):
    now = timezone.now()
    recent = verified(bangli, category["jalan"], operator, received_at=now - dt.timedelta(days=10))
    old = verified(bangli, category["jalan"], operator, received_at=now - dt.timedelta(days=100))

    def get(query):
        return client.get(f"{BASE}/requests.json?{query}")

    assert {i["service_request_id"] for i in get("").json()} == {recent.tracking_code}
    start = (now - dt.timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - dt.timedelta(days=31)).strftime("%Y-%m-%dT%H:%M:%SZ")
    window = get(f"start_date={start}&end_date={end}")
    assert [i["service_request_id"] for i in window.json()] == [old.tracking_code]
    start_only = get(f"start_date={start}")
    assert [i["service_request_id"] for i in start_only.json()] == [old.tracking_code]
    too_long = (now - dt.timedelta(days=91)).strftime("%Y-%m-%dT%H:%M:%SZ")
    now_w3c = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    refused = get(f"start_date={too_long}&end_date={now_w3c}")
    assert refused.status_code == 400
    assert " 90 " in refused.json()[0]["description"]
    assert get(f"start_date={now_w3c}&end_date={too_long}").status_code == 400
    assert get("start_date=kemarin").status_code == 400
    xml_error = client.get(f"{BASE}/requests.xml?start_date=kemarin")
    assert xml_error.status_code == 400 and xml(xml_error).findtext("error/code") == "400"
    # Dates without a time cover whole local days.
    day = (now - dt.timedelta(days=10)).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    by_day = get(f"start_date={day}&end_date={day}")
    assert [i["service_request_id"] for i in by_day.json()] == [recent.tracking_code]


def test_query_count_does_not_grow_with_the_list(client, bangli, category, operator):
    def count(n):
        for _ in range(n):
            complaint = verified(bangli, category["jalan"], operator)
            complaint_respond(complaint=complaint, actor=operator, text="Oke")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{BASE}/requests.json")
        assert response.status_code == 200
        return len(queries), len(response.json())

    few, listed_few = count(2)
    many, listed_many = count(8)
    assert (listed_few, listed_many) == (2, 10)
    assert few == many


def test_media_url_is_the_first_public_attachment(client, bangli, category, operator):
    import io

    from PIL import Image

    from balai.complaints.services import complaint_approve, complaint_resolve

    def jpeg(color):
        buffer = io.BytesIO()
        Image.new("RGB", (32, 24), color).save(buffer, "JPEG")
        return buffer.getvalue()

    # The reporter's own photo stays private; the approved handling report's photo is public.
    complaint = verified(bangli, category["jalan"], operator, files=[(jpeg("red"), "lapor.jpg")])
    complaint_respond(complaint=complaint, actor=operator, text="Ditinjau.")
    url = f"{BASE}/requests/{complaint.tracking_code}.json"
    assert client.get(url).json()[0]["media_url"] == ""
    complaint_resolve(
        complaint=complaint,
        actor=operator,
        actions="Lubang ditambal",
        done_on=timezone.localdate(),
        files=[(jpeg("blue"), "sesudah.jpg")],
    )
    complaint_approve(complaint=complaint, actor=operator)
    (item,) = client.get(url).json()
    public = complaint.attachments.get(is_public=True)
    assert item["media_url"] == (
        f"http://testserver/aduan/{complaint.tracking_code}/lampiran/{public.pk}/"
    )
    assert client.get(item["media_url"]).status_code == 200  # served by the public view
    assert item["status_notes"] == "Lubang ditambal"
