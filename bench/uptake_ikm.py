"""Uptake page and IKM report of one Pemda with many visits and SKM responses: time and queries.

`python bench/uptake_ikm.py --visits 1000000 --responses 100000 [--requests 10] [--write]`

Self-contained: creates a throw-away PostgreSQL database `balai_bench_uptake_<pid>` on
127.0.0.1:5432 (or the server in BALAI_BENCH_POSTGRES), runs Django in this process with
`config.settings.production` (DEBUG off) on it, and drops the database at the end.

1. `migrate`; the region tree of Kota Bontang (64.74) only; the Pemda (`pemda_create`), one
   OPD with one unit per kecamatan, 6 service points (3 with night opening rules), 8 services,
   the population of the kecamatan and kelurahan, one `pemda_admin` user.
2. VISITS visits with `bulk_create` (10,000 a batch): over the last 365 days, 80% in regular
   hours, 15% night service (19.00-22.00 local, at the offices with night hours), 5% mobile
   events; occupation, kelurahan and outcome at random. Services sought (the M2M through rows):
   one service for every tenth visit only; neither page reads them without a service filter.
   RESPONSES SKM responses likewise (nine scores 1-4, profile at random). Then ANALYZE.
3. Each page through `django.test.Client` signed in as the admin: one warm-up request, one
   request under CaptureQueriesContext (query count, SQL time, the slowest query), then
   REQUESTS timed requests (median, p95 nearest rank). A page whose median exceeds 2 s gets an
   EXPLAIN ANALYZE of its slowest query, printed to stderr and summarised in the section.

Prints the Markdown body of the `uptake` section of docs/benchmarks.md (`--write`: writes it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BALAI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REGION = "64.74"  # Kota Bontang: 3 kecamatan, 15 kelurahan
BATCH = 10_000
SLOW_PAGE = 2.0  # seconds: EXPLAIN ANALYZE of the slowest query of a slower page
OCCUPATIONS = {
    "pns": 10,
    "swasta": 22,
    "wiraswasta": 18,
    "petani": 3,
    "nelayan": 4,
    "buruh": 12,
    "pelajar": 9,
    "irt": 12,
    "pensiunan": 3,
    "tidak_bekerja": 4,
    "lainnya": 3,
}
NIGHT_OCCUPATIONS = {**OCCUPATIONS, "swasta": 40, "buruh": 20, "irt": 5, "pns": 4}
OUTCOMES = {"served": 80, "incomplete": 10, "referred": 4, "information": 6}


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, int(-(-len(ordered) * q // 100))) - 1]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


SLOW_NOTE = (
    "Every query of the uptake page groups all the visits of the period (a year: every row "
    "of the table here), so no index on visits_visit removes the read: the "
    "(pemda, visited_at) range already covers the table. What would keep a long period fast "
    "is a roll-up (visits per point, day, hour, session and occupation, kept up to date as "
    "visits are logged) that the page aggregates instead of the visits; short of that, "
    "a larger `work_mem` would likely keep the grouping sort (on disk here) in memory (not tried)."
)


# Data ------------------------------------------------------------------------------------------


def build_setup() -> dict:
    from balai.accounts.models import Membership, User
    from balai.catalog.models import Service
    from balai.organizations.models import OPD, OpeningRule, ServicePoint, Unit
    from balai.organizations.services import pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import
    from balai.visits.models import AreaPopulation

    regions_import(only=REGION)
    pemda = pemda_create(actor=None, region=Region.objects.get(code=REGION), slug="bontang")
    kecamatan = list(Region.objects.filter(parent_id=REGION).order_by("code"))
    villages = list(Region.objects.filter(code__startswith=REGION + ".", level=4).order_by("code"))
    opd = OPD.objects.create(pemda=pemda, name="Dinas Kependudukan", short_name="DKP", kind="dinas")
    points = []
    for i, kec in enumerate(kecamatan):
        unit = Unit.objects.create(
            pemda=pemda, opd=opd, name=f"Kantor {kec.name}", kind="kantor_kecamatan", region=kec
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
    for i, village in enumerate(villages[:2]):
        points.append(
            ServicePoint.objects.create(
                pemda=pemda,
                slug=f"kel-{i}",
                name=f"Kantor Kelurahan {village.name}",
                kind="kantor_kelurahan",
                region=village,
            )
        )
    points.append(
        ServicePoint.objects.create(
            pemda=pemda, slug="mpp", name="MPP Bontang", kind="mpp", region=kecamatan[0]
        )
    )
    night_points = [points[0], points[1], points[-1]]
    OpeningRule.objects.bulk_create(
        OpeningRule(
            point=point, session_kind="night", weekday=day, start=dt.time(19), end=dt.time(22)
        )
        for point in night_points
        for day in range(5)
    )
    services = [
        Service.objects.create(
            pemda=pemda, code=f"layanan-{i}", name=f"Layanan {i}", category="adminduk", opd=opd
        )
        for i in range(8)
    ]
    rng = random.Random(1)
    AreaPopulation.objects.bulk_create(
        AreaPopulation(pemda=pemda, region=r, population=rng.randrange(5_000, 60_000), year=2026)
        for r in kecamatan + villages
    )
    user = User.objects.create_user(username="bench.admin", password="x")  # noqa: S106
    Membership.objects.create(user=user, pemda=pemda, role="pemda_admin")
    return {
        "pemda": pemda,
        "points": points,
        "night_points": night_points,
        "villages": villages,
        "services": services,
        "units": {p.pk: p.unit_id for p in points},
        "user": user,
    }


def create_visits(setup: dict, count: int, rng: random.Random) -> float:
    from zoneinfo import ZoneInfo

    from balai.visits.models import Visit

    tz = ZoneInfo(setup["pemda"].timezone)
    today = dt.datetime.now(tz).date()
    through = Visit.services.through
    started = time.perf_counter()
    done = 0
    while done < count:
        rows = []
        for _ in range(min(BATCH, count - done)):
            day = today - dt.timedelta(days=rng.randrange(365))
            kind = rng.choices(["regular", "night", "event"], weights=[80, 15, 5])[0]
            if kind == "night":
                point = rng.choice(setup["night_points"])
                minute = rng.randrange(19 * 60, 22 * 60)
                occupation = _pick(rng, NIGHT_OCCUPATIONS)
            else:
                point = rng.choice(setup["points"])
                minute = rng.randrange(8 * 60, 16 * 60)
                occupation = _pick(rng, OCCUPATIONS)
            rows.append(
                Visit(
                    pemda=setup["pemda"],
                    point=point,
                    visited_at=dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tz),
                    session_kind=kind,
                    village=rng.choice(setup["villages"]),
                    occupation=occupation,
                    outcome=_pick(rng, OUTCOMES),
                )
            )
        Visit.objects.bulk_create(rows, batch_size=BATCH)
        through.objects.bulk_create(
            [
                through(visit_id=visit.pk, service_id=rng.choice(setup["services"]).pk)
                for visit in rows[::10]
            ],
            batch_size=BATCH,
        )
        done += len(rows)
        if done % 100_000 == 0:
            print(f"uptake: {done:,} visits", file=sys.stderr)
    return time.perf_counter() - started


def create_responses(setup: dict, count: int, rng: random.Random) -> float:
    from zoneinfo import ZoneInfo

    from balai.visits.models import SurveyResponse

    tz = ZoneInfo(setup["pemda"].timezone)
    now = dt.datetime.now(tz)
    started = time.perf_counter()
    done = 0
    while done < count:
        rows = []
        for _ in range(min(BATCH, count - done)):
            point = rng.choice(setup["points"])
            scores = {
                f"u{i}": rng.choices([1, 2, 3, 4], weights=[3, 12, 55, 30])[0] for i in range(1, 10)
            }
            rows.append(
                SurveyResponse(
                    pemda=setup["pemda"],
                    point=point,
                    unit_id=setup["units"][point.pk],
                    service=rng.choice(setup["services"]),
                    channel=rng.choice(["paper", "qr", "whatsapp"]),
                    answered_at=now - dt.timedelta(seconds=rng.uniform(0, 365 * 86400)),
                    age=rng.randrange(17, 75),
                    sex=rng.choice(["L", "P"]),
                    education=rng.choice(["sd", "smp", "sma", "d1_d3", "d4_s1", "s2_plus"]),
                    occupation=_pick(rng, OCCUPATIONS),
                    **scores,
                )
            )
        SurveyResponse.objects.bulk_create(rows, batch_size=BATCH)
        done += len(rows)
    return time.perf_counter() - started


# Measuring -------------------------------------------------------------------------------------


def plan_summary(plan: str) -> str:
    """The scans of the plan and their actual rows."""
    parts = []
    for line in plan.splitlines():
        scan = re.search(r"((Parallel )?[\w ]*Scan( using \w+)? on \w+)", line)
        if scan:
            actual = re.search(r"actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)", line)
            text = scan.group(1).strip()
            if actual:
                text += f" ({int(actual.group(2)) * int(actual.group(3)):,} rows)"
            parts.append(text)
    if "external merge" in plan:
        parts.append("then sorts them on disk (external merge) to group them")
    return ", ".join(parts)


def measure(client, url: str, requests: int, slow_page: float) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
        return response

    get()  # warm-up
    with CaptureQueriesContext(connection) as captured:
        size = len(get().content)
    queries = captured.captured_queries
    slowest = max(queries, key=lambda q: float(q["time"]))
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        get()
        times.append(time.perf_counter() - started)
    result = {
        "url": url,
        "bytes": size,
        "median": statistics.median(times),
        "p95": _percentile(times, 95),
        "queries": len(queries),
        "sql": sum(float(q["time"]) for q in queries),
        "slowest": float(slowest["time"]),
        "plan": "",
    }
    if result["median"] > slow_page:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"uptake: EXPLAIN ANALYZE of {url}:\n{slowest['sql']}\n{plan}\n", file=sys.stderr)
        result["plan"] = plan_summary(plan)
    print(
        f"uptake: {url}: median {_ms(result['median'])} ms, {result['queries']} queries",
        file=sys.stderr,
    )
    return result


def run(options: argparse.Namespace) -> str:
    from zoneinfo import ZoneInfo

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
    rng = random.Random(options.seed)
    visit_seconds = create_visits(setup, options.visits, rng)
    response_seconds = create_responses(setup, options.responses, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    build_seconds = time.perf_counter() - started

    pemda = setup["pemda"]
    today = dt.datetime.now(ZoneInfo(pemda.timezone)).date()  # the pages' "today"
    year = f"?start={today - dt.timedelta(days=364):%Y-%m-%d}&end={today:%Y-%m-%d}"
    pages = [
        ("Uptake, default period (28 days)", f"/staf/{pemda.slug}/kunjungan/serapan/"),
        ("Uptake, one year", f"/staf/{pemda.slug}/kunjungan/serapan/{year}"),
        ("IKM report, default period (91 days)", f"/staf/{pemda.slug}/skm/"),
        ("IKM report, one year", f"/staf/{pemda.slug}/skm/{year}"),
        ("IKM XLSX export, one year", f"/staf/{pemda.slug}/skm/{year}&export=xlsx"),
    ]
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    client.force_login(setup["user"])
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        results = [
            (label, measure(client, url, options.requests, options.slow)) for label, url in pages
        ]

    table = [
        "| Page | Median (ms) | p95 (ms) | Queries | SQL (ms) | Slowest query (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    slow = []
    for label, r in results:
        table.append(
            f"| {label} | {_ms(r['median'])} | {_ms(r['p95'])} | {r['queries']} "
            f"| {_ms(r['sql'])} | {_ms(r['slowest'])} |"
        )
        if r["plan"]:
            slow.append(f"- {label}: the slowest query ({_ms(r['slowest'])} ms) reads {r['plan']}.")
    sys.path.insert(0, str(ROOT / "bench"))
    from run import _fill, machine

    return "\n".join(
        [
            f"## Uptake page and IKM report with {options.visits:,} visits",
            "",
            _fill(
                f"`/staf/<pemda>/kunjungan/serapan/` and `/staf/<pemda>/skm/` for one Pemda "
                f"(Kota Bontang, 6 service points, 3 with night hours) with "
                f"{options.visits:,} visits and {options.responses:,} SKM responses over the "
                f"last 365 days, on a throw-away PostgreSQL {version} database built by "
                f"`bench/uptake_ikm.py --visits {options.visits} --responses "
                f"{options.responses}` (`migrate`, Bontang's region tree, `bulk_create`: "
                f"visits in {visit_seconds:.0f} s, responses in {response_seconds:.0f} s, "
                f"{build_seconds:.0f} s in all with ANALYZE). Visits: 80% regular hours, 15% "
                "night service, 5% events; services sought (M2M) for one visit in ten only. "
                "Through `django.test.Client` signed in as a `pemda_admin`, in "
                "`config.settings.production` (DEBUG off, plain static files storage): one "
                f"warm-up request, queries and SQL time of one request under "
                f"`CaptureQueriesContext`, then median and p95 (nearest rank) of "
                f"{options.requests} requests."
            ),
            "",
            *table,
            "",
            *(slow and [*slow, "", _fill(SLOW_NOTE), ""]),
            _fill(
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on "
                f"{machine([f'PostgreSQL {version}'])}; "
                "the Django process and PostgreSQL share the cores."
            ),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument(
        "--slow", type=float, default=SLOW_PAGE, help="EXPLAIN a page slower than this (s)"
    )
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    options = parser.parse_args(argv)

    from run import main_on_throwaway_database

    return main_on_throwaway_database("uptake", run, options)


if __name__ == "__main__":
    sys.exit(main())
