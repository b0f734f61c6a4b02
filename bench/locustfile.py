"""Soak scenario for `bench/soak.py`: portal reads, tracking lookups, webhooks, staff inboxes.

Run by `bench/run.py soak` (locust headless, its own process) against gunicorn on loopback.
The targets come from the JSON file named by BALAI_SOAK_TARGETS (written by bench/soak.py from
the demo database): Pemda slug, service and office pages, tracking codes, staff logins, the
WhatsApp phone number id. User counts per kind from BALAI_SOAK_USERS ("portal=12,tracking=6,
webhook=2,staff=4").

Every simulated user is one citizen or one member of staff and sends from its own loopback
address (127.0.0.2, 127.0.0.3, ...), as on the Internet: the rate limits (tracking 60 per minute
per address, login 30 per 10 minutes, webhooks 1200 per minute) count each user on its own and
none of them is raised for the soak. A 429 counts as an error.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

from locust import HttpUser, between, constant_pacing, events, task
from requests.adapters import HTTPAdapter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webhook_load import DEMO_APP_SECRET, FOLLOW_UPS, NAMES, TEXTS, envelope

TARGETS = json.loads(Path(os.environ["BALAI_SOAK_TARGETS"]).read_text())
USERS = {
    kind: int(count)
    for kind, _sep, count in (
        item.partition("=")
        for item in os.environ.get(
            "BALAI_SOAK_USERS", "portal=12,tracking=6,webhook=2,staff=4"
        ).split(",")
    )
}
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
_addresses = itertools.count(2)  # 127.0.0.1 stays the bench's own address
_senders = itertools.count()


_delivered: list[str] = []  # message ids answered 200, written out when locust stops


@events.quitting.add_listener
def _write_delivered(environment, **_kwargs):
    out = os.environ.get("BALAI_SOAK_DELIVERED")
    if out:
        Path(out).write_text("\n".join(_delivered))


class SourceAddressAdapter(HTTPAdapter):
    """Connections from one loopback address."""

    def __init__(self, source: str):
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class BalaiUser(HttpUser):
    abstract = True

    def on_start(self):
        n = next(_addresses)
        self.address = f"127.0.{n // 250}.{n % 250 + 2}"
        self.client.mount("http://", SourceAddressAdapter(self.address))
        # What nginx adds in front of gunicorn (docs/operations.md): the request came over TLS.
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.rng = random.Random(n)

    def unsecure_cookies(self):
        """Send the Secure cookies (session, CSRF) to the plain-HTTP loopback server too: the
        requests carry `X-Forwarded-Proto: https`, as they do from nginx, which ends TLS."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def get(self, path: str, name: str, expect: int = 200, **kwargs):
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as answer:
            if answer.status_code != expect:
                answer.failure(f"HTTP {answer.status_code}, expected {expect}")
        self.unsecure_cookies()
        return answer


class Citizen(BalaiUser):
    """Reads the portal: the root, the Pemda, the catalog, a service, the offices, an office."""

    fixed_count = USERS.get("portal", 0)
    wait_time = between(1, 3)

    @task(2)
    def home(self):
        self.get("/", "portal: home")

    @task(2)
    def pemda(self):
        self.get(f"/{TARGETS['pemda']}/", "portal: pemda")

    @task(2)
    def catalog(self):
        self.get(f"/{TARGETS['pemda']}/layanan/", "portal: catalog")

    @task(3)
    def service(self):
        self.get(self.rng.choice(TARGETS["services"]), "portal: service page")

    @task(1)
    def offices(self):
        self.get(f"/{TARGETS['pemda']}/kantor/", "portal: offices")

    @task(2)
    def office(self):
        self.get(self.rng.choice(TARGETS["offices"]), "portal: office page")


class Tracker(BalaiUser):
    """Looks a code up: mostly an existing one (then its status page), sometimes a mistyped one."""

    fixed_count = USERS.get("tracking", 0)
    wait_time = between(2, 4)

    @task(3)
    def existing(self):
        code = self.rng.choice(TARGETS["codes"])
        answer = self.get(f"/lacak/?code={code}", "tracking: lookup, existing code", expect=302)
        if answer.status_code == 302:
            self.get(answer.headers["Location"], "tracking: status page")

    @task(1)
    def unknown(self):
        code = "".join(self.rng.choice(CODE_ALPHABET) for _ in range(8))
        self.get(f"/lacak/?code={code[:4]}-{code[4:]}", "tracking: lookup, unknown code")


class WhatsApp(BalaiUser):
    """Meta delivering one message per POST, signed: new senders, follow-ups, `cek`."""

    fixed_count = USERS.get("webhook", 0)
    wait_time = constant_pacing(0.5)

    def on_start(self):
        super().on_start()
        self.seen: list[tuple[str, str]] = []

    @task
    def deliver(self):
        rng = self.rng
        stamp = str(int(time.time()))
        message_id = f"wamid.HBgNSOAK{os.getpid()}{next(_senders):08d}{rng.getrandbits(32):08X}"
        roll = rng.random()
        if roll < 0.2 and self.seen:
            sender, name = rng.choice(self.seen)
            message = {"type": "text", "text": {"body": rng.choice(FOLLOW_UPS)}}
        elif roll < 0.25:
            sender, name = f"62813{rng.randrange(10**8):08d}", rng.choice(NAMES)
            code = rng.choice(TARGETS["codes"])
            message = {"type": "text", "text": {"body": f"cek {code}"}}
        else:
            sender, name = f"62813{rng.randrange(10**8):08d}", rng.choice(NAMES)
            message = {"type": "text", "text": {"body": rng.choice(TEXTS)}}
            self.seen.append((sender, name))
        message = {"from": sender, "id": message_id, "timestamp": stamp, **message}
        body = json.dumps(envelope(TARGETS["phone_number_id"], sender, name, message)).encode()
        signature = hmac.new(DEMO_APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        with self.client.post(
            "/webhooks/whatsapp/",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": f"sha256={signature}",
            },
            name="webhook: WhatsApp message",
            catch_response=True,
        ) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}")
            else:
                _delivered.append(message_id)


class Staff(BalaiUser):
    """A member of staff, signed in once, working the complaint inbox."""

    fixed_count = USERS.get("staff", 0)
    wait_time = between(2, 5)

    def on_start(self):
        super().on_start()
        self.account = TARGETS["staff"][self.rng.randrange(len(TARGETS["staff"]))]
        self.client.get("/akun/masuk/", name="staff: login page")
        self.unsecure_cookies()
        answer = self.client.post(
            "/akun/masuk/",
            data={
                "username": self.account["username"],
                "password": self.account["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            headers={"Referer": f"{self.host.replace('http:', 'https:')}/akun/masuk/"},
            name="staff: sign in",
            allow_redirects=False,
        )
        self.unsecure_cookies()
        if answer.status_code != 302:
            raise RuntimeError(f"sign-in of {self.account['username']}: HTTP {answer.status_code}")

    @task(4)
    def inbox(self):
        self.get(self.account["inbox"], "staff: inbox")

    @task(2)
    def inbox_tab(self):
        tab = self.rng.choice(self.account["tabs"])
        self.get(f"{self.account['inbox']}?tab={tab}", "staff: inbox, another tab")

    @task(1)
    def complaint(self):
        if self.account["complaints"]:
            self.get(self.rng.choice(self.account["complaints"]), "staff: complaint page")
