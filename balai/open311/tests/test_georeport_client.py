"""A third-party client, `georeport` (PyPI), reads the endpoint served by a live server."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import requests as requests_lib
from georeport import GeoReport

from balai.complaints.models import Complaint

from .helpers import assert_no_identity, verified


@pytest.fixture
def endpoint(live_server, transactional_db):
    return f"{live_server.url}/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_services_and_requests(endpoint, bangli, category, operator, fmt):
    public = verified(bangli, category["jalan"], operator, address="Jl. Merdeka 5")
    secret = verified(bangli, category["air"], operator, secret=True)
    georeport = GeoReport(endpoint, jurisdiction="51.06", output_format=fmt)

    services = georeport.get_service_list()
    assert [s["service_code"] for s in services] == ["air", "jalan"]
    definition = georeport.get_service_definition("jalan")
    assert definition["service_code"] == "jalan"

    requests = georeport.get_service_requests()
    if fmt == "xml":  # xmltodict gives a dict, not a list, for a single element
        requests = [requests] if isinstance(requests, dict) else requests
    assert [r["service_request_id"] for r in requests] == [public.tracking_code]
    one = georeport.get_service_request(public.tracking_code)
    assert one["address"] == "Jl. Merdeka 5"
    assert one["status"] == "open"
    assert one["agency_responsible"] == "Dinas PUPR Perkim"

    if fmt == "json":  # the client's XML branch cannot read an empty list
        assert georeport.get_service_requests(service_request_id=secret.tracking_code) == []
    with pytest.raises(requests_lib.HTTPError) as missing:
        georeport.get_service_request(secret.tracking_code)
    assert missing.value.response.status_code == 404


def post(url: str, body: bytes):
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - test server
    return urllib.request.urlopen(request)  # noqa: S310


def test_plain_http_post_creates_a_request(endpoint, bangli, category, api_key):
    body = urllib.parse.urlencode(
        {
            "api_key": api_key,
            "jurisdiction_id": "51.06",
            "service_code": "air",
            "description": "Air PDAM mati tiga hari",
            "first_name": "Ketut",
            "last_name": "Sembunyi",
            "phone": "081299887766",
        }
    ).encode()
    with post(f"{endpoint}/requests.json", body) as response:
        assert response.status == 200
        raw = response.read()
    (item,) = json.loads(raw)
    assert_no_identity(raw)
    complaint = Complaint.objects.get(tracking_code=item["service_request_id"])
    assert (complaint.channel, complaint.reporter_name) == ("open311", "Ketut Sembunyi")

    with pytest.raises(urllib.error.HTTPError) as refused:
        post(f"{endpoint}/requests.json", body.replace(b"api_key=o311_", b"api_key=x"))
    assert refused.value.code == 403
    assert json.loads(refused.value.read())[0]["code"] == 403
    # Private until verified: the client cannot read it back yet.
    georeport = GeoReport(endpoint, jurisdiction="51.06")
    assert georeport.get_service_requests() == []
