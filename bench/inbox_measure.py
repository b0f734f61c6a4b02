"""The complaint inbox with many complaints: server time and SQL queries per page, one JSON report.

`python bench/inbox_measure.py --complaints 100000 --requests 20` in a Django process (settings
from DJANGO_SETTINGS_MODULE; `bench/run.py inbox` uses config.settings.production on a demo
database). Run by `bench/run.py inbox`; not a test.

1. Adds COUNT complaints to Kabupaten Bangli with `bulk_create` (the services would take hours):
   received over the last 365 days, the status following the age (recent ones open, old ones
   mostly approved or closed), the OPD spread over Bangli's OPD with 30% on PUPR Perkim, a
   matching category, a desa, the response and resolution deadlines and the other clocks of
   the status. No timeline events, attachments or escalations: the inbox does not read them.
2. ANALYZE, as autovacuum would after such a load.
3. For each tab measured: two warm-up requests, one request under CaptureQueriesContext (query
   count, the slowest query), then REQUESTS timed requests of the first page through
   django.test.Client (the whole Django stack, without a web server). Then EXPLAIN ANALYZE of
   the slowest query.
4. Adds unverified WhatsApp complaints of the last hour (a burst of messages) up to each total
   of BURST in turn, measuring the call center's "new" tab again after each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time

import django

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
# (OPD short name, weight); PUPR Perkim gets 30% of the complaints that have an OPD.
OPD_WEIGHTS = {
    "PUPR Perkim": 30,
    "PDAM": 15,
    "DLH": 12,
    "Dinkes": 9,
    "Dishub": 8,
    "Disdukcapil": 7,
    "Dinsos": 5,
    "Kec. Bangli": 2,
    "Kec. Susut": 2,
    "Kec. Tembuku": 2,
    "Kec. Kintamani": 2,
}
OTHER_OPD_WEIGHT = 0.5
CHANNELS = {"whatsapp": 45, "messenger": 12, "phone": 33, "portal": 7, "open311": 3}
# Status by age of the complaint: {status: weight} for ages below the limit.
STATUS_BY_AGE = [
    (
        dt.timedelta(days=1),
        {"received": 35, "assigned": 30, "responded": 15, "in_progress": 15, "rejected": 5},
    ),
    (
        dt.timedelta(days=14),
        {
            **{"received": 2, "assigned": 10, "responded": 18, "in_progress": 25},
            **{"paused": 5, "resolved": 10, "approved": 25, "rejected": 5},
        },
    ),
    (
        dt.timedelta(days=60),
        {
            **{"assigned": 1, "responded": 3, "in_progress": 8, "paused": 8},
            **{"resolved": 4, "approved": 56, "closed": 15, "rejected": 5},
        },
    ),
    (
        dt.timedelta(days=366),
        {"in_progress": 1, "paused": 3, "approved": 14, "closed": 77, "rejected": 5},
    ),
]
TABS = [
    # (label, username, tab)
    ("TRC PUPR Perkim", "bangli.trc-pupr", "trc"),
    ("Call center", "bangli.operator", "new"),
    ("Call center", "bangli.operator", "all"),
]


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def create_complaints(count: int, seed: int, *, burst: bool = False) -> dict:
    """COUNT complaints over a year; with `burst`, WhatsApp ones of the last hour, unverified."""
    from django.utils import timezone

    from balai.complaints.models import Category, Complaint
    from balai.organizations.models import OPD, Pemda
    from balai.regions.models import Region

    rng = random.Random(seed)
    pemda = Pemda.objects.get(slug="bangli")
    opds = list(OPD.objects.filter(pemda=pemda, is_active=True))
    opd_weights = [OPD_WEIGHTS.get(o.short_name, OTHER_OPD_WEIGHT) for o in opds]
    categories = list(Category.objects.filter(pemda=pemda))
    by_opd: dict[int, list] = {}
    for category in categories:
        by_opd.setdefault(category.default_opd_id, []).append(category)
    villages = list(Region.objects.filter(code__startswith=pemda.region_id + ".", level=4))
    existing = set(Complaint.objects.values_list("tracking_code", flat=True))
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    started = time.perf_counter()
    rows = []
    for _ in range(count):
        while True:
            raw = "".join(rng.choice(CODE_ALPHABET) for _ in range(8))
            code = f"{raw[:4]}-{raw[4:]}"
            if code not in existing:
                existing.add(code)
                break
        age = dt.timedelta(seconds=rng.uniform(0, 3600 if burst else 365 * 86400))
        received = now - age
        status = _pick(rng, next(weights for limit, weights in STATUS_BY_AGE if age < limit))
        channel = _pick(rng, CHANNELS)
        if burst:
            status, channel = "received", "whatsapp"
        village = rng.choice(villages)
        complaint = Complaint(
            pemda=pemda,
            tracking_code=code,
            channel=channel,
            description=f"Keluhan warga nomor {rng.randrange(10**6)} di {village.name}.",
            status=status,
            is_secret=rng.random() < 0.3,
            is_anonymous=rng.random() < 0.2,
            reporter_name=rng.choice(["Made", "Nyoman", "Ketut", "Wayan", "Putu", "Luh"]),
            reporter_phone=f"+62812{rng.randrange(10**7, 10**8)}",
            reporter_channel_id=f"62812{rng.randrange(10**7, 10**8)}"
            if channel == "whatsapp"
            else "",
            region=village,
            received_at=received,
            response_due_at=received + 24 * hour,
        )
        if status not in ("received", "rejected"):
            opd = rng.choices(opds, weights=opd_weights)[0]
            complaint.opd = opd
            complaint.category = rng.choice(by_opd.get(opd.pk) or categories)
            complaint.verified_at = complaint.assigned_at = received + rng.uniform(0.2, 3) * hour
            complaint.resolution_due_at = received + dt.timedelta(days=rng.choice([3, 7, 14]))
            if status != "assigned":
                complaint.first_response_at = received + rng.uniform(1, 30) * hour
            if status == "paused":
                complaint.paused_at = complaint.first_response_at + rng.uniform(12, 72) * hour
                complaint.pause_reason = rng.choice(["procurement", "budget", "third_party"])
                complaint.pause_expected_until = (complaint.paused_at + 45 * 24 * hour).date()
            if status in ("resolved", "approved", "closed"):
                complaint.resolved_at = complaint.first_response_at + rng.uniform(4, 200) * hour
            if status == "closed":
                complaint.closed_at = complaint.resolved_at + 10 * 24 * hour
        elif status == "rejected":
            complaint.verified_at = complaint.closed_at = received + rng.uniform(0.2, 3) * hour
            complaint.reject_reason = rng.choice(["not_complaint", "duplicate", "spam"])
        rows.append(complaint)
    Complaint.objects.bulk_create(rows, batch_size=2000)
    seconds = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
    pupr = next(o for o in opds if o.short_name == "PUPR Perkim")
    return {
        "created": count,
        "create_seconds": seconds,
        "total": Complaint.objects.filter(pemda=pemda).count(),
        "pupr": Complaint.objects.filter(pemda=pemda, opd=pupr).count(),
    }


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def measure_tab(label: str, username: str, tab: str, requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from balai.accounts.models import User
    from balai.complaints import selectors
    from balai.organizations.models import Pemda

    user = User.objects.get(username=username)
    pemda = Pemda.objects.get(slug="bangli")
    rows = selectors.complaint_inbox(user=user, pemda=pemda, view=tab).count()
    client = Client()
    client.force_login(user)
    url = f"/staf/bangli/aduan/?tab={tab}"

    def get():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} as {username}: HTTP {response.status_code}")
        return response

    for _ in range(2):
        get()
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]))
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "label": label,
        "username": username,
        "tab": tab,
        "rows": rows,
        "requests": requests,
        "median": statistics.median(times),
        "p95": _percentile(times, 95),
        "max": max(times),
        "queries": len(queries),
        "sql_seconds": sum(float(q["time"]) for q in queries),
        "slowest_seconds": float(slowest["time"]),
        "slowest_sql": slowest["sql"],
        "slowest_plan": plan,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument(
        "--burst",
        type=lambda text: [int(n) for n in text.split(",") if n.strip() and int(n) > 0],
        default=[500, 2000],
        help="then unverified ones of the last hour, up to each of these totals (500,2000)",
    )
    options = parser.parse_args(argv)
    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    report = {"debug": settings.DEBUG, "settings": settings.SETTINGS_MODULE}
    report["data"] = create_complaints(options.complaints, options.seed)
    # Static files: the production storage needs `collectstatic` (a minute of compression);
    # the plain storage gives the same URLs minus the hash, at the same cost per page.
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        report["tabs"] = [measure_tab(*tab, options.requests) for tab in TABS]
        # A WhatsApp burst (the webhook benchmark makes 2,000 complaints a minute): the call
        # center's queue of unverified complaints grows, and the plan of its tab may change.
        added = 0
        for total in options.burst:
            report.setdefault("burst", []).append(
                create_complaints(total - added, options.seed + total, burst=True)
            )
            added = total
            label = f"Call center, {total:,} WhatsApp complaints later"
            report["tabs"].append(measure_tab(label, "bangli.operator", "new", options.requests))
    json.dump(report, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
