"""Leadership dashboard and meeting report of one Pemda with many rows: cold, warm, PDF.

`python bench/evaluation.py --visits 1000000 --complaints 200000 --events 5000 [--write]`

Self-contained: creates a throw-away PostgreSQL database `balai_bench_eval_<pid>` on
127.0.0.1:5432 (or the server in BALAI_BENCH_POSTGRES), runs Django in this process with
`config.settings.production` (DEBUG off, the local-memory cache) on it, drops it at the end.

1. `migrate`; the region tree of Kabupaten Bengkulu Selatan (17.01: 11 kecamatan, 158 desa and
   kelurahan); the Pemda, 5 OPD, one office per kecamatan (3 with night hours), 8 services,
   2 outreach programs (a village program with a target of every desa, a kecamatan program).
2. Rows over the last 365 days, generated in Python and loaded with PostgreSQL `COPY` (psycopg):
   VISITS visits (80% regular, 15% night, 5% events; a service for every tenth), COMPLAINTS
   complaints (4 channels, 5 OPD, response times from minutes to days, 3% still open past the
   deadline), EVENTS outreach events (90% held), and a tenth as many SKM answers, service
   requests and announcement deliveries as complaints. Then ANALYZE.
3. Through `django.test.Client` signed in as leadership: the dashboard for this month cold
   (the cache cleared before each request: every indicator for two periods computed) and warm
   (from the cache), the dashboard for this year cold, the meeting report PDF and XLSX (cache
   cleared first: figures computed, then rendered). Median and p95 of REQUESTS requests each.

Prints the Markdown body of the `evaluation` section of docs/benchmarks.md (`--write`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BALAI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REGION = "17.01"
OPDS = [("PUPR", 30), ("PDAM", 18), ("DLH", 14), ("Dishub", 10), ("Dinkes", 8)]
BUDGETS = {"cold": 2.0, "warm": 0.2, "pdf": 10.0}


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, int(-(-len(ordered) * q // 100))) - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def copy_rows(model, columns: list[str], rows) -> int:
    """Load rows (tuples in `columns` order) into the model's table with COPY."""
    from django.db import connection

    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def build_setup() -> dict:
    from balai.accounts.models import Membership, User
    from balai.catalog.models import Service
    from balai.organizations.models import OPD, OpeningRule, ServicePoint, Unit
    from balai.organizations.services import pemda_create
    from balai.outreach.models import Program
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only=REGION)
    pemda = pemda_create(actor=None, region=Region.objects.get(code=REGION), slug="bengkulu")
    kecamatan = list(Region.objects.filter(parent_id=REGION, level=3).order_by("code"))
    villages = list(Region.objects.filter(code__startswith=REGION + ".", level=4).order_by("code"))
    opds = [
        OPD.objects.create(pemda=pemda, name=name, short_name=name, kind="dinas")
        for name, _w in OPDS
    ]
    office = OPD.objects.create(pemda=pemda, name="Kecamatan", short_name="Kec.", kind="kecamatan")
    points = []
    for i, kec in enumerate(kecamatan):
        unit = Unit.objects.create(
            pemda=pemda, opd=office, name=f"Kantor {kec.name}", kind="kantor_kecamatan", region=kec
        )
        points.append(
            ServicePoint.objects.create(
                pemda=pemda,
                unit=unit,
                slug=f"kec-{i}",
                name=f"Kantor Kecamatan {kec.name}",
                kind="kantor_kecamatan",
                region=kec,
            )
        )
    night = points[:3]
    OpeningRule.objects.bulk_create(
        OpeningRule(point=p, session_kind="night", weekday=d, start=dt.time(19), end=dt.time(22))
        for p in night
        for d in range(5)
    )
    services = [
        Service.objects.create(
            pemda=pemda, code=f"layanan-{i}", name=f"Layanan {i}", category="adminduk", opd=office
        )
        for i in range(8)
    ]
    programs = [
        Program.objects.create(
            pemda=pemda, name="Buji'an Dusun", slug="bujian", target_all=True, target_year=2026
        ),
        Program.objects.create(
            pemda=pemda,
            name="Layanan Kecamatan",
            slug="kecamatan",
            venue_level="kecamatan",
            target_all=True,
        ),
    ]
    user = User.objects.create_user(username="bench.leader", password="x")  # noqa: S106
    Membership.objects.create(user=user, pemda=pemda, role="leadership")
    return {
        "pemda": pemda,
        "points": points,
        "night": night,
        "villages": villages,
        "kecamatan": kecamatan,
        "opds": opds,
        "services": services,
        "programs": programs,
        "user": user,
    }


def load(setup: dict, options, rng: random.Random) -> dict[str, float]:
    from zoneinfo import ZoneInfo

    from django.db import connection

    from balai.announcements.models import Campaign, Delivery
    from balai.catalog.models import StandardVersion
    from balai.complaints.models import Complaint
    from balai.outreach.models import Event
    from balai.service_requests.models import ServiceRequest
    from balai.visits.models import SurveyResponse, Visit

    pemda = setup["pemda"]
    tz = ZoneInfo(pemda.timezone)
    now = dt.datetime.now(dt.UTC)
    year = 365 * 86400
    seconds = {}

    started = time.perf_counter()

    def visits():
        for _ in range(options.visits):
            kind = rng.choices(["regular", "night", "event"], weights=[80, 15, 5])[0]
            point = rng.choice(setup["night"] if kind == "night" else setup["points"])
            day = (now - dt.timedelta(seconds=rng.uniform(0, year))).astimezone(tz).date()
            hour = rng.randrange(19, 22) if kind == "night" else rng.randrange(8, 16)
            at = dt.datetime.combine(day, dt.time(hour, rng.randrange(60)), tz)
            yield (
                pemda.pk,
                point.pk,
                at,
                kind,
                rng.choice(setup["villages"]).code,
                "",
                "",
                rng.choice(["swasta", "pns", "wiraswasta", "petani", "nelayan"]),
                "served",
                now,
            )

    copy_rows(
        Visit,
        [
            "pemda_id",
            "point_id",
            "visited_at",
            "session_kind",
            "village_id",
            "rw",
            "rt",
            "occupation",
            "outcome",
            "created_at",
        ],
        visits(),
    )
    ids = ",".join(str(s.pk) for s in setup["services"])
    with connection.cursor() as cursor:
        sql = "INSERT INTO visits_visit_services (visit_id, service_id) "  # our own ids only
        sql += f"SELECT id, (ARRAY[{ids}])[1 + id % 8] FROM visits_visit WHERE id % 10 = 0"  # noqa: S608
        cursor.execute(sql)
    seconds["visits"] = time.perf_counter() - started

    started = time.perf_counter()
    weights = [w for _name, w in OPDS]
    opd_ids = [o.pk for o in setup["opds"]]

    def complaints():
        for i in range(options.complaints):
            received = now - dt.timedelta(seconds=rng.uniform(3600, year))
            hours = rng.choice([rng.uniform(0.2, 6), rng.uniform(6, 23), rng.uniform(24, 72)])
            late_open = rng.random() < 0.03
            first = None if late_open else received + dt.timedelta(hours=hours)
            if first and first > now:
                first = None
            status = (
                "assigned" if first is None else rng.choice(["closed", "approved", "responded"])
            )
            resolved = received + dt.timedelta(days=5) if status in ("closed", "approved") else None
            yield (
                pemda.pk,
                f"B{i:08X}",
                rng.choices(["whatsapp", "phone", "messenger", "portal"], [45, 35, 12, 8])[0],
                "pengaduan",
                "-",
                status,
                True,
                True,
                "",
                "",
                "",
                "",
                rng.choice(setup["villages"]).code,
                "",
                rng.choices(opd_ids, weights)[0],
                "",
                "",
                received,
                first,
                received + dt.timedelta(hours=24),
                received + dt.timedelta(days=14),
                resolved,
                "",
                0,
                now,
            )

    copy_rows(
        Complaint,
        [
            "pemda_id",
            "tracking_code",
            "channel",
            "kind",
            "description",
            "status",
            "is_secret",
            "is_anonymous",
            "reporter_name",
            "reporter_phone",
            "reporter_email",
            "reporter_channel_id",
            "region_id",
            "address",
            "opd_id",
            "forwarded_to",
            "reject_reason",
            "received_at",
            "first_response_at",
            "response_due_at",
            "resolution_due_at",
            "resolved_at",
            "pause_reason",
            "paused_seconds",
            "updated_at",
        ],
        complaints(),
    )
    seconds["complaints"] = time.perf_counter() - started

    started = time.perf_counter()
    villages = setup["villages"]
    kecamatan = setup["kecamatan"]

    def events():
        for i in range(options.events):
            program = setup["programs"][0 if i % 5 else 1]
            venue = rng.choice(villages if program is setup["programs"][0] else kecamatan)
            day = (now - dt.timedelta(days=rng.uniform(-60, 365))).astimezone(tz).date()
            status = "held" if day < now.date() else "planned"
            yield (
                pemda.pk,
                program.pk,
                day,
                i % 3,
                venue.code,
                "",
                "",
                status,
                "",
                rng.randrange(20, 300) if status == "held" else None,
                "",
                False,
                "{}",
                True,
                now,
                now,
            )

    copy_rows(
        Event,
        [
            "pemda_id",
            "program_id",
            "date",
            "slot",
            "venue_id",
            "place",
            "host",
            "status",
            "status_reason",
            "attendance",
            "notes",
            "locked",
            "explanation",
            "published",
            "created_at",
            "updated_at",
        ],
        events(),
    )
    seconds["events"] = time.perf_counter() - started

    started = time.perf_counter()
    extra = max(options.complaints // 10, 1)
    points = setup["points"]

    def responses():
        for _ in range(extra):
            point = rng.choice(points)
            scores = [rng.choices([1, 2, 3, 4], [3, 12, 55, 30])[0] for _i in range(9)]
            yield (
                pemda.pk,
                point.pk,
                point.unit_id,
                "paper",
                now - dt.timedelta(seconds=rng.uniform(0, year)),
                *scores,
                "",
                "",
                "swasta",
                now,
            )

    copy_rows(
        SurveyResponse,
        [
            "pemda_id",
            "point_id",
            "unit_id",
            "channel",
            "answered_at",
            *(f"u{i}" for i in range(1, 10)),
            "sex",
            "education",
            "occupation",
            "created_at",
        ],
        responses(),
    )
    standards = {}
    for service in setup["services"]:
        standards[service.pk] = StandardVersion.objects.create(
            service=service,
            version=1,
            status="published",
            effective_from=dt.date(2020, 1, 1),
            procedure="-",
            processing_time=3,
            processing_unit="working_days",
            product="-",
            complaints_handling="-",
        ).pk

    def requests():
        for i in range(extra):
            service = rng.choice(setup["services"])
            submitted = now - dt.timedelta(seconds=rng.uniform(5 * 86400, year))
            ready = submitted + dt.timedelta(days=rng.uniform(1, 4.5))
            yield (
                pemda.pk,
                service.pk,
                standards[service.pk],
                rng.choice(points).pk,
                "counter",
                f"R{i:08X}",
                "",
                "",
                "ready",
                "",
                "{}",
                "[]",
                submitted,
                submitted,
                submitted + dt.timedelta(days=3),
                ready,
                now,
            )

    copy_rows(
        ServiceRequest,
        [
            "pemda_id",
            "service_id",
            "standard_id",
            "point_id",
            "channel",
            "tracking_code",
            "applicant_name",
            "applicant_phone",
            "status",
            "reject_reason",
            "checklist",
            "missing",
            "submitted_at",
            "clock_started_at",
            "due_at",
            "ready_at",
            "updated_at",
        ],
        requests(),
    )
    campaign = Campaign.objects.create(pemda=pemda, title="Layanan malam", body="-", status="sent")

    def deliveries():
        for i in range(extra):
            at = now - dt.timedelta(seconds=rng.uniform(0, year))
            yield (
                campaign.pk,
                "whatsapp",
                f"+6281{i:09d}",
                f"bench-{i}",
                "delivered",
                1,
                "",
                "",
                at,
                at,
                at,
            )

    copy_rows(
        Delivery,
        [
            "campaign_id",
            "channel",
            "address",
            "idempotency_key",
            "status",
            "attempts",
            "provider_message_id",
            "last_error",
            "created_at",
            "sent_at",
            "delivered_at",
        ],
        deliveries(),
    )
    seconds["other"] = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return seconds


def timed(client, url: str, requests: int, *, cold: bool) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response

    get()  # warm-up (imports, templates)
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        size = len(get().content)
    queries = captured.captured_queries
    times = []
    for _ in range(requests):
        if cold:
            cache.clear()
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    slowest = max(queries, key=lambda q: float(q["time"])) if queries else {"time": 0, "sql": ""}
    result = {
        "bytes": size,
        "median": statistics.median(times),
        "p95": _percentile(times, 95),
        "queries": len(queries),
        "sql": sum(float(q["time"]) for q in queries),
        "slowest": float(slowest["time"]),
        "slowest_sql": slowest["sql"][:300],
    }
    print(f"evaluation: {url} cold={cold}: median {_ms(result['median'])} ms", file=sys.stderr)
    return result


def run(options: argparse.Namespace) -> str:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    setup = build_setup()
    seconds = load(setup, options, random.Random(options.seed))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    build_seconds = time.perf_counter() - started

    slug = setup["pemda"].slug
    base = f"/staf/{slug}/evaluasi/"
    pages = [
        ("Dashboard, this month, cold", base, "cold", True),
        ("Dashboard, this month, warm", base, "warm", False),
        ("Dashboard, this year, cold", base + "?period=year", "cold", True),
        ("Dashboard, this year, warm", base + "?period=year", "warm", False),
        (
            "Drill-down: complaints received this year, page 1",
            base + "complaints_received/?period=year",
            None,
            False,
        ),
        ("Meeting report PDF, this month, cold", base + "laporan.pdf", "pdf", True),
        ("Meeting report PDF, this year, cold", base + "laporan.pdf?period=year", "pdf", True),
        ("Meeting report XLSX, this year, cold", base + "laporan.xlsx?period=year", None, True),
    ]
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(setup["user"])
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        results = [
            (label, budget, timed(client, url, options.requests, cold=cold))
            for label, url, budget, cold in pages
        ]

    table = [
        "| Page | Median (ms) | p95 (ms) | Budget | Queries | SQL (ms) | Slowest query (ms) |",
        "|---|---:|---:|---|---:|---:|---:|",
    ]
    missed = []
    for label, budget, r in results:
        verdict = ""
        if budget:
            limit = BUDGETS[budget]
            ok = r["median"] <= limit
            verdict = f"{'met' if ok else 'MISSED'} (< {_ms(limit)} ms)"
            if not ok:
                missed.append((label, r))
        table.append(
            f"| {label} | {_ms(r['median'])} | {_ms(r['p95'])} | {verdict} | {r['queries']} "
            f"| {_ms(r['sql'])} | {_ms(r['slowest'])} |"
        )
    sys.path.insert(0, str(ROOT / "bench"))
    from run import _fill, machine

    notes = []
    for label, r in missed:
        notes.append(
            _fill(
                f"- {label}: {_ms(r['median'])} ms, of which SQL {_ms(r['sql'])} ms in "
                f"{r['queries']} queries; the slowest ({_ms(r['slowest'])} ms): "
                f"`{r['slowest_sql'][:160]}...`"
            )
        )
    return "\n".join(
        [
            f"## Leadership dashboard and meeting report with {options.visits:,} visits, "
            f"{options.complaints:,} complaints and {options.events:,} events",
            "",
            _fill(
                f"`/staf/<pemda>/evaluasi/` and its report for one Pemda (Kabupaten Bengkulu "
                f"Selatan, 11 kecamatan, 158 desa/kelurahan) with {options.visits:,} visits, "
                f"{options.complaints:,} complaints, {options.events:,} outreach events and "
                f"{options.complaints // 10:,} each of SKM answers, service requests and "
                "announcement deliveries over the last 365 days, on a throw-away PostgreSQL "
                f"{version} database built by `bench/evaluation.py` (rows loaded with COPY: "
                f"visits {seconds['visits']:.0f} s, complaints {seconds['complaints']:.0f} s, "
                f"events {seconds['events']:.0f} s, the rest {seconds['other']:.0f} s; "
                f"{build_seconds:.0f} s in all with migrate and ANALYZE). Through "
                "`django.test.Client` signed in as leadership, `config.settings.production` "
                "(DEBUG off, local-memory cache): cold = the cache cleared before each "
                "request (every indicator computed for the period and the previous one); "
                f"warm = from the cache. Median and p95 (nearest rank) of {options.requests} "
                "requests after one warm-up; queries and SQL time of one request."
            ),
            "",
            *table,
            "",
            *(notes and ["Budgets missed:", "", *notes, ""]),
            _fill(
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on "
                f"{machine([f'PostgreSQL {version}'])}; the Django process and PostgreSQL "
                f"share the cores (load average {os.getloadavg()[0]:.1f} at the end of the run)."
            ),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--events", type=int, default=5_000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    options = parser.parse_args(argv)

    from run import main_on_throwaway_database

    return main_on_throwaway_database("evaluation", run, options)


if __name__ == "__main__":
    sys.exit(main())
