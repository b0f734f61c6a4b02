"""The demo accounts: published test values that only ever work for a demo Pemda."""

import io

import pytest
from django.core.management import call_command

from balai.complaints.models import Complaint
from balai.messaging.demo import DEMO_VERIFY_TOKEN, demo_channels
from balai.messaging.models import DEMO_APP_SECRET, ChannelAccount, InboundMessage

from .conftest import ms_event, wa_message, wa_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_pemda(bontang, monkeypatch):
    for name in ("BALAI_WHATSAPP_APP_SECRET", "BALAI_MESSENGER_APP_SECRET"):
        monkeypatch.delenv(name, raising=False)
    bontang.is_demo = True
    bontang.save()
    return bontang


def test_demo_channels_are_created_once_and_described(demo_pemda):
    rows = demo_channels(demo_pemda)
    assert demo_channels(demo_pemda) == rows
    assert ChannelAccount.objects.filter(pemda=demo_pemda).count() == 2
    whatsapp, messenger = rows
    assert whatsapp["webhook"] == "/webhooks/whatsapp/"
    assert messenger["webhook"] == "/webhooks/messenger/"
    assert {r["verify_token"] for r in rows} == {DEMO_VERIFY_TOKEN}
    assert {r["app_secret"] for r in rows} == {DEMO_APP_SECRET}
    assert whatsapp["app_secret_env"] == "BALAI_WHATSAPP_APP_SECRET"


def test_the_demo_secret_drives_the_demo_webhooks(demo_pemda, deliver, client, graph):
    whatsapp, messenger = demo_channels(demo_pemda)
    params = {"hub.mode": "subscribe", "hub.verify_token": DEMO_VERIFY_TOKEN, "hub.challenge": "9"}
    assert client.get(whatsapp["webhook"], params).content == b"9"
    payload = wa_payload(wa_message("Demo: jalan rusak"), phone_number_id=whatsapp["id"])
    assert deliver("whatsapp", payload, secret=DEMO_APP_SECRET).status_code == 200
    event = ms_event("Demo: sampah")
    event["recipient"]["id"] = messenger["id"]
    payload = {"object": "page", "entry": [{"id": messenger["id"], "messaging": [event]}]}
    assert deliver("messenger", payload, secret=DEMO_APP_SECRET).status_code == 200
    assert Complaint.objects.filter(pemda=demo_pemda).count() == 2


def test_an_environment_secret_replaces_the_demo_secret(demo_pemda, deliver, monkeypatch):
    monkeypatch.setenv("BALAI_WHATSAPP_APP_SECRET", "real-secret")
    whatsapp, _ = demo_channels(demo_pemda)
    assert whatsapp["app_secret"] == "(from the environment)"
    payload = wa_payload(wa_message(), phone_number_id=whatsapp["id"])
    assert deliver("whatsapp", payload, secret=DEMO_APP_SECRET).status_code == 403
    assert deliver("whatsapp", payload, secret="real-secret").status_code == 200
    assert InboundMessage.objects.count() == 1


def test_the_inbound_retry_command_says_when_there_is_nothing(db):
    out = io.StringIO()
    call_command("inbound-retry", stdout=out)
    assert out.getvalue().strip() == "Nothing to process."
