"""Fixtures for the messaging channels: a fake Graph API, accounts, signed webhook deliveries."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from balai.messaging.choices import ChannelKind
from balai.messaging.services import channel_account_create

WA_SECRET = "test-whatsapp-app-secret"
MS_SECRET = "test-messenger-app-secret"
WA_TOKEN = "test-whatsapp-token"
MS_TOKEN = "test-messenger-token"
PHONE_NUMBER_ID = "106540352242922"
PAGE_ID = "1234567890"


@dataclass
class FakeGraph:
    """What the fake server holds and saw.

    `fail_next` answers that many message POSTs with `fail_status` (500) before accepting;
    `sent` holds the messages it accepted.
    """

    base_url: str = ""
    root: str = ""
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)
    fail_next: int = 0
    fail_status: int = 500
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def message_posts(self) -> list[dict]:
        return [r for r in self.requests if r["method"] == "POST"]


def _handler(fake: FakeGraph):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # keep test output quiet
            pass

        def _answer(self, status: int, body: bytes, content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, data):
            self._answer(status, json.dumps(data).encode())

        def _record(self, body=None):
            with fake.lock:
                fake.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "authorization": self.headers.get("Authorization", ""),
                        "body": body,
                    }
                )

        def do_GET(self):
            self._record()
            parts = self.path.strip("/").split("/")
            if parts[0] == "download" and len(parts) == 2:  # WhatsApp media: token required
                if not self.headers.get("Authorization", "").startswith("Bearer "):
                    return self._json(401, {"error": {"message": "no token", "code": 190}})
                return self._serve_media(parts[1])
            if parts[0] == "cdn" and len(parts) == 2:  # Messenger attachment URL: signed, public
                return self._serve_media(parts[1])
            if parts[0] == "v21.0" and len(parts) == 2:  # GET /{media-id}
                if parts[1] not in fake.media:
                    return self._json(404, {"error": {"message": "unknown media", "code": 100}})
                data, mime = fake.media[parts[1]]
                return self._json(
                    200,
                    {
                        "id": parts[1],
                        "url": f"{fake.root}/download/{parts[1]}",
                        "mime_type": mime,
                        "file_size": len(data),
                        "messaging_product": "whatsapp",
                    },
                )
            return self._json(404, {"error": {"message": "no such endpoint"}})

        def _serve_media(self, media_id: str):
            if media_id not in fake.media:
                return self._json(404, {"error": {"message": "gone"}})
            data, mime = fake.media[media_id]
            return self._answer(200, data, mime)

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.loads(raw or b"{}")
            self._record(body)
            parts = self.path.strip("/").split("/")
            if len(parts) != 3 or parts[0] != "v21.0" or parts[2] != "messages":
                return self._json(404, {"error": {"message": "no such endpoint"}})
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                return self._json(401, {"error": {"message": "no token", "code": 190}})
            with fake.lock:
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    fail = True
                else:
                    fail = False
                    fake.sent.append({"from": parts[1], **body})
                    number = next(fake.ids)
            if fail:
                return self._json(
                    fake.fail_status, {"error": {"message": "refused or unavailable", "code": 2}}
                )
            if body.get("messaging_product") == "whatsapp":
                return self._json(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                        "messages": [{"id": f"wamid.OUT{number}"}],
                    },
                )
            return self._json(
                200, {"recipient_id": body["recipient"]["id"], "message_id": f"m_OUT{number}"}
            )

    return Handler


@pytest.fixture
def graph(settings):
    """A local fake of the Graph API on a random port; settings point Balai at it."""
    fake = FakeGraph()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.root = f"http://127.0.0.1:{server.server_port}"
    fake.base_url = f"{fake.root}/v21.0"
    settings.BALAI_GRAPH_API_BASE = fake.base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def secrets_env(monkeypatch):
    monkeypatch.setenv("BALAI_WHATSAPP_APP_SECRET", WA_SECRET)
    monkeypatch.setenv("BALAI_MESSENGER_APP_SECRET", MS_SECRET)
    monkeypatch.setenv("BALAI_WHATSAPP_ACCESS_TOKEN", WA_TOKEN)
    monkeypatch.setenv("BALAI_MESSENGER_ACCESS_TOKEN", MS_TOKEN)


@pytest.fixture
def wa_account(bontang, secrets_env, graph):
    return channel_account_create(
        actor=None,
        pemda=bontang,
        kind=ChannelKind.WHATSAPP,
        external_id=PHONE_NUMBER_ID,
        verify_token="wa-verify-token",
        label="+62 548 000 111",
    )


@pytest.fixture
def ms_account(bontang, secrets_env, graph):
    return channel_account_create(
        actor=None,
        pemda=bontang,
        kind=ChannelKind.MESSENGER,
        external_id=PAGE_ID,
        verify_token="ms-verify-token",
    )


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def now_ts() -> int:
    return int(time.time())


_wamids = itertools.count(1)


def wa_message(text="Lampu jalan mati di Jl. Ahmad Yani", *, sender="6281234567890", **kw):
    """One WhatsApp message object (text unless `type` and a body are given)."""
    kind = kw.pop("type", "text")
    message = {
        "from": sender,
        "id": kw.pop("id", f"wamid.HBgNNjI4MTIzNDU2Nzg5MA{next(_wamids):05d}"),
        "timestamp": str(kw.pop("timestamp", now_ts())),
        "type": kind,
    }
    message[kind] = kw.pop("body", {"body": text} if kind == "text" else {})
    return message


def wa_payload(*messages, statuses=(), name="Budi Santoso", phone_number_id=PHONE_NUMBER_ID):
    senders = {m["from"] for m in messages if "from" in m}
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "62548000111", "phone_number_id": phone_number_id},
        "contacts": [{"profile": {"name": name}, "wa_id": s} for s in sorted(senders)],
    }
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}],
    }


def ms_event(text="Sampah menumpuk di pasar", *, psid="6789012345", mid=None, **message):
    ts = message.pop("timestamp", now_ts() * 1000)
    body = {"mid": mid or f"m_{next(_wamids):06d}", **message}
    if text:
        body["text"] = text
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": ts,
        "message": body,
    }


def ms_payload(*events, page_id=PAGE_ID):
    return {
        "object": "page",
        "entry": [{"id": page_id, "time": now_ts() * 1000, "messaging": list(events)}],
    }


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """deliver(kind, payload | bytes, secret=None, signature=None) -> response.

    Posts like Meta does and runs what was deferred to commit (the tasks run inline in tests).
    """

    def post(kind: str, payload, *, secret: str | None = None, signature: str | bool | None = None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        secret = secret or (WA_SECRET if kind == "whatsapp" else MS_SECRET)
        headers = {}
        if signature is not False:
            headers["HTTP_X_HUB_SIGNATURE_256"] = (
                sign(body, secret) if signature is None else signature
            )
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/webhooks/{kind}/", data=body, content_type="application/json", **headers
            )

    return post


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` runs what the block deferred to commit, as production would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
