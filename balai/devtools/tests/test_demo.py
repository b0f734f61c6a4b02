"""The demo: five seed Pemda, a user per role, a working API token; deterministic, idempotent."""

from django.apps import apps
from django.test import Client
from rest_framework.test import APIClient

from balai.accounts.choices import Role
from balai.accounts.models import Membership, User
from balai.devtools.demo import DEMO_PASSWORD, demo_load, demo_token
from balai.organizations.models import OPD, Pemda
from balai.regions.models import Region, SubVillageUnit

SEED_CODES = {"64.74", "35.10", "32.16", "51.06", "17.01"}


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "organizations", "regions"}
    }


def test_demo_creates_the_five_pemda_and_is_idempotent(db):
    logins = demo_load()
    pemdas = Pemda.objects.all()
    assert {p.region_id for p in pemdas} == SEED_CODES
    assert all(p.is_demo for p in pemdas)
    assert Pemda.objects.get(slug="bangli").timezone == "Asia/Makassar"
    assert Pemda.objects.get(slug="bekasi").timezone == "Asia/Jakarta"
    for pemda in pemdas:
        roles = set(Membership.objects.filter(pemda=pemda).values_list("role", flat=True))
        assert roles == set(Role.values), pemda
    assert {"PUPR Perkim", "PDAM", "DLH", "Dishub", "Dinkes", "Disdukcapil"} <= set(
        OPD.objects.filter(pemda__slug="bangli").values_list("short_name", flat=True)
    )
    assert OPD.objects.filter(pemda__slug="bengkulu-selatan", kind="kecamatan").count() == 11
    assert Region.objects.filter(code__startswith="17.01.", kind="desa").count() == 142
    assert SubVillageUnit.objects.filter(village__parent_id="64.74.02", kind="rt").exists()
    assert len(logins) == 5 * len(Role.values)

    before = row_counts()
    demo_load()
    assert row_counts() == before


def test_demo_logins_work(db):
    demo_load()
    client = Client()
    assert client.login(username="bangli.trc-pupr", password=DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {demo_token('bangli')}")
    me = api.get("/api/v1/me/").json()
    assert me["username"] == "bangli.admin"
    assert me["memberships"][0]["role"] == "pemda_admin"


def test_demo_open311_key_and_webhook_values_work(db):
    import hashlib
    import hmac
    import json

    from balai.devtools.demo import demo_open311_key
    from balai.messaging.demo import DEMO_VERIFY_TOKEN, demo_channels
    from balai.messaging.models import DEMO_APP_SECRET

    demo_load()
    client = Client()
    created = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "51.06",
            "api_key": demo_open311_key("bangli"),
            "service_code": "jalan",
            "description": "Jalan berlubang dekat pura",
        },
    )
    assert created.status_code == 200, created.content
    assert created.json()[0]["service_request_id"]
    row = demo_channels(Pemda.objects.get(slug="bangli"))[0]
    handshake = client.get(
        "/webhooks/whatsapp/",
        {"hub.mode": "subscribe", "hub.verify_token": DEMO_VERIFY_TOKEN, "hub.challenge": "42"},
    )
    assert handshake.status_code == 200 and handshake.content == b"42"
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "62366",
                                    "phone_number_id": row["id"],
                                },
                                "contacts": [
                                    {"profile": {"name": "Komang"}, "wa_id": "6281234500000"}
                                ],
                                "messages": [
                                    {
                                        "from": "6281234500000",
                                        "id": "wamid.DEMO1",
                                        "timestamp": "1764000000",
                                        "type": "text",
                                        "text": {"body": "Lampu jalan mati di Kintamani"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    signature = hmac.new(DEMO_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = client.post(
        "/webhooks/whatsapp/",
        body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=f"sha256={signature}",
    )
    assert response.status_code == 200
    assert (
        Pemda.objects.get(slug="bangli")
        .complaints.filter(description__contains="Kintamani", channel="whatsapp")
        .exists()
    )
