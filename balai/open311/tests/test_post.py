"""POST requests (form-encoded, api_key required) and GET tokens."""

import xml.etree.ElementTree as ET

import pytest

from balai.complaints.choices import Channel, Status
from balai.complaints.models import Complaint
from balai.open311.models import Open311Client
from balai.open311.services import open311_client_create
from balai.organizations.services import pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import

from .helpers import assert_no_identity

BASE = "/open311/v2"


def form(api_key, **fields):
    data = {
        "api_key": api_key,
        "service_code": "jalan",
        "description": "Jalan berlubang di depan pasar Kidul",
        "lat": "-8.2700",
        "long": "115.3500",
        "address_string": "Jl. Raya Kintamani",
        "first_name": "Ketut",
        "last_name": "Sembunyi",
        "email": "ketut.sembunyi@example.com",
        "phone": "081299887766",
        "attribute[kecamatan]": "51.06.04",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_post_creates_a_complaint(client, bangli, api_key):
    response = client.post(f"{BASE}/requests.json", form(api_key))
    assert response.status_code == 200, response.content
    (item,) = response.json()
    assert set(item) == {"service_request_id", "service_notice", "account_id"}
    assert item["account_id"] is None
    complaint = Complaint.objects.get(tracking_code=item["service_request_id"])
    assert item["service_request_id"] in item["service_notice"]
    assert complaint.channel == Channel.OPEN311
    assert complaint.status == Status.RECEIVED
    assert complaint.category.code == "jalan"
    assert complaint.reporter_name == "Ketut Sembunyi"
    assert complaint.reporter_email == "ketut.sembunyi@example.com"
    assert complaint.reporter_phone == "081299887766"
    assert (complaint.lat, complaint.lng) == (-8.27, 115.35)
    assert complaint.address == "Jl. Raya Kintamani"
    assert complaint.region_id == "51.06.04"
    # Private by default: not listed until a verifier makes it public.
    assert complaint.is_secret and complaint.is_anonymous
    assert client.get(f"{BASE}/requests/{complaint.tracking_code}.json").status_code == 404
    assert_no_identity(response.content)
    assert Open311Client.objects.get().last_used_at is not None


def test_post_in_xml_and_token(client, bangli, api_key):
    response = client.post(
        f"{BASE}/requests.xml", form(api_key, **{"attribute[kecamatan]": None, "lat": None})
    )
    assert response.status_code == 400  # lat without long
    response = client.post(
        f"{BASE}/requests.xml",
        form(api_key, **{"attribute[kecamatan]": None, "lat": None, "long": None}),
    )
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "service_requests"
    code = root.findtext("request/service_request_id")
    assert root.find("request/account_id").text is None
    assert Complaint.objects.get(tracking_code=code).region is None
    token = client.get(f"{BASE}/tokens/{code}.json")
    assert token.json() == [{"service_request_id": code, "token": code}]
    token_xml = ET.fromstring(client.get(f"{BASE}/tokens/{code}.xml").content)  # noqa: S314
    assert token_xml.findtext("request/service_request_id") == code
    assert client.get(f"{BASE}/tokens/AAAA-AAAA.json").status_code == 404


def test_token_of_another_channel_is_unknown(client, bangli):
    from balai.complaints.services import complaint_submit

    complaint = complaint_submit(pemda=bangli, channel="phone", description="Lewat telepon")
    assert client.get(f"{BASE}/tokens/{complaint.tracking_code}.json").status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_or_missing_api_key_is_403(client, bangli, api_key, fmt):
    other_client, inactive_key = open311_client_create(pemda=bangli, name="Lama", actor=None)
    Open311Client.objects.filter(pk=other_client.pk).update(is_active=False)
    for key in ("o311_salah", "", None, inactive_key):
        response = client.post(f"{BASE}/requests.{fmt}", form(key))
        assert response.status_code == 403
        if fmt == "json":
            assert response.json()[0]["code"] == 403
        else:
            root = ET.fromstring(response.content)  # noqa: S314
            assert root.tag == "errors" and root.findtext("error/code") == "403"
    assert not Complaint.objects.exists()


def test_key_of_another_pemda_is_refused(client, bangli, api_key):
    regions_import(only="64.74")
    bontang = pemda_create(actor=None, region=Region.objects.get(code="64.74"), seat_name="B")
    _client, bontang_key = open311_client_create(pemda=bontang, name="B", actor=None)
    response = client.post(f"{BASE}/requests.json", form(bontang_key, jurisdiction_id="51.06"))
    assert response.status_code == 403
    missing = client.post(f"{BASE}/requests.json", form(api_key))
    assert missing.status_code == 400  # two Pemda: jurisdiction_id required
    ok = client.post(f"{BASE}/requests.json", form(api_key, jurisdiction_id="51.06"))
    assert ok.status_code == 200
    unknown = client.post(f"{BASE}/requests.json", form(api_key, jurisdiction_id="99.99"))
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"service_code": "tidak-ada"}, 404),
        ({"service_code": "lama"}, 404),  # inactive category
        ({"service_code": None}, 400),
        ({"description": None}, 400),
        ({"description": "   "}, 400),
        ({"description": "x" * 4001}, 400),
        ({"lat": "utara"}, 400),
        ({"lat": "95"}, 400),
        ({"email": "bukan-email"}, 400),
        ({"phone": "0" * 25}, 400),
        ({"attribute[kecamatan]": "64.74.01"}, 400),
        ({"address_id": "64.74.01.1001"}, 400),
    ],
)
def test_invalid_requests(client, bangli, api_key, fields, status):
    response = client.post(f"{BASE}/requests.json", form(api_key, **fields))
    assert response.status_code == status, response.content
    errors = response.json()
    assert errors and all(e["code"] == status and e["description"] for e in errors)
    assert not Complaint.objects.exists()


def test_address_id_names_the_desa(client, bangli, api_key):
    response = client.post(
        f"{BASE}/requests.json",
        form(api_key, address_id="51.06.04.2001", **{"attribute[kecamatan]": None}),
    )
    assert response.status_code == 200
    assert Complaint.objects.get().region_id == "51.06.04.2001"


def test_method_not_allowed(client, bangli):
    response = client.put(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()[0]["code"] == 405
