"""Kecamatan Bontang Selatan with RT units in two kelurahan, contacts and subscribers; the fake
Graph API of the messaging tests and a fake SMS gateway counting what it receives."""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from balai.accounts.choices import Role
from balai.announcements import services
from balai.announcements.choices import ConsentMethod, ContactRole
from balai.messaging.tests.conftest import (  # noqa: F401 (fixtures)
    commit,
    graph,
    secrets_env,
    wa_account,
)
from balai.regions.models import Region, SubVillageUnit

TLI = "64.74.02.1006"  # Tanjung Laut Indah
TL = "64.74.02.1001"  # Tanjung Laut, its neighbour
KECAMATAN = "64.74.02"


@pytest.fixture
def admin(bontang, make_member):
    return make_member(bontang, Role.PEMDA_ADMIN)


@pytest.fixture
def rts(bontang):
    """RW 001 with RT 001-003 in Tanjung Laut Indah, RT 001-002 (no RW) in Tanjung Laut."""
    rw = SubVillageUnit.objects.create(pemda=bontang, village_id=TLI, kind="rw", name="001")
    tli = [
        SubVillageUnit.objects.create(
            pemda=bontang, village_id=TLI, parent=rw, kind="rt", name=f"00{n}"
        )
        for n in (1, 2, 3)
    ]
    tl = [
        SubVillageUnit.objects.create(pemda=bontang, village_id=TL, kind="rt", name=f"00{n}")
        for n in (1, 2)
    ]
    return {"rw": rw, "tli": tli, "tl": tl}


def add_contact(pemda, name, phone="", *, unit=None, region=None, **kw):
    return services.contact_create(
        actor=None,
        pemda=pemda,
        role=kw.pop("role", ContactRole.KETUA_RT),
        name=name,
        unit=unit,
        region=region,
        phone=phone,
        consent_method=ConsentMethod.WRITTEN,
        **kw,
    )


def region(code):
    return Region.objects.get(code=code)


@dataclass
class FakeSMS:
    url: str = ""
    received: list[dict] = field(default_factory=list)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))


@pytest.fixture
def sms_gateway(settings, monkeypatch):
    fake = FakeSMS()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            with fake.lock:
                if fake.fail_next > 0:
                    fake.fail_next -= 1
                    status, answer = 503, {"error": "busy"}
                elif self.headers.get("Authorization") != "Bearer sms-token":
                    status, answer = 401, {"error": "token"}
                else:
                    fake.received.append(body)
                    status, answer = 200, {"id": f"sms-{next(fake.ids)}"}
            raw = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_port}/send"
    settings.BALAI_SMS_GATEWAY_URL = fake.url
    monkeypatch.setenv("BALAI_SMS_GATEWAY_TOKEN", "sms-token")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
