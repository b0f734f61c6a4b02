"""Soak test: portal reads, tracking lookups, WhatsApp webhooks and staff inboxes at once.

`python bench/run.py soak [--full] [--write]` (60 s short, 10 minutes with --full). The
production processes on loopback (gunicorn, `balai worker`) on a copy of the demo database on
PostgreSQL, after `collectstatic` (the manifest static storage of production); locust
(`bench/locustfile.py`, headless, its own process) plays citizens, trackers, Meta and staff,
each user from its own loopback address. Meanwhile the resident memory of every gunicorn worker
and `balai worker` is sampled; afterwards the bench waits for the workers to process every
webhook message and checks each one was stored and processed once.

`python bench/soak.py targets OUT` (run by the bench in production settings) writes the JSON of
URLs and logins the locustfile uses.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SECONDS = 10
USERS = {"portal": 12, "tracking": 6, "webhook": 2, "staff": 4}
STAFF = ["bangli.operator", "bangli.trc-pupr", "bangli.kepala-pupr", "bangli.pimpinan"]
DEMO_PASSWORD = "demo-balai-2026"  # noqa: S105 (the published demo password)
KINDS = [  # (locust name, shown as)
    ("portal: home", "Portal: `/`"),
    ("portal: pemda", "Portal: Pemda page"),
    ("portal: catalog", "Portal: service catalog"),
    ("portal: service page", "Portal: a service (Standar Pelayanan)"),
    ("portal: offices", "Portal: offices"),
    ("portal: office page", "Portal: an office (hours)"),
    ("tracking: lookup, existing code", "Tracking: lookup, existing code (302)"),
    ("tracking: status page", "Tracking: the complaint's status page"),
    ("tracking: lookup, unknown code", "Tracking: lookup, unknown code"),
    ("webhook: WhatsApp message", "Webhook: signed WhatsApp message"),
    ("staff: inbox", "Staff: complaint inbox, first tab"),
    ("staff: inbox, another tab", "Staff: complaint inbox, another tab"),
    ("staff: complaint page", "Staff: a complaint"),
    ("staff: login page", "Staff: login page (once per user)"),
    ("staff: sign in", "Staff: sign in (once per user)"),
]


# Targets (inside Django, production settings) ---------------------------------------------------


def write_targets(out: str) -> None:
    import django

    django.setup()
    from django.test import Client

    from balai.accounts.models import User
    from balai.catalog import selectors as catalog
    from balai.complaints import selectors as complaints
    from balai.complaints.models import Complaint
    from balai.core.permissions import visible
    from balai.messaging.models import ChannelAccount
    from balai.organizations.models import Pemda, ServicePoint

    client = Client(HTTP_HOST="127.0.0.1")

    def answers(path: str) -> bool:
        return client.get(path).status_code == 200

    best = None
    for pemda in Pemda.objects.order_by("slug"):
        services = [
            f"/{pemda.slug}/layanan/{s.code}/"
            for s in catalog.service_list_public(pemda=pemda, q="", category="")[:20]
        ]
        offices = [
            f"/{pemda.slug}/kantor/{p.slug}/"
            for p in ServicePoint.objects.filter(pemda=pemda).order_by("id")[:20]
        ]
        if best is None or len(services) + len(offices) > len(best[1]) + len(best[2]):
            best = (pemda, services, offices)
    pemda, services, offices = best
    services = [path for path in services if answers(path)]
    offices = [path for path in offices if answers(path)]
    bangli = Pemda.objects.get(slug="bangli")
    codes = list(
        Complaint.objects.filter(pemda=bangli)
        .order_by("id")
        .values_list("tracking_code", flat=True)[:200]
    )
    staff = []
    for username in STAFF:
        user = User.objects.get(username=username)
        tabs = [view.key for view in complaints.inbox_views(user=user, pemda=bangli)]
        mine = visible(user, Complaint.objects.filter(pemda=bangli)).order_by("-id")[:20]
        staff.append(
            {
                "username": username,
                "password": DEMO_PASSWORD,
                "inbox": f"/staf/{bangli.slug}/aduan/",
                "tabs": tabs[1:] or tabs,
                "complaints": [
                    f"/staf/{bangli.slug}/aduan/{c.tracking_code}/"
                    for c in mine.only("tracking_code")
                ],
            }
        )
    account = ChannelAccount.objects.get(pemda=bangli, kind="whatsapp")
    targets = {
        "pemda": pemda.slug,
        "services": services,
        "offices": offices,
        "codes": codes,
        "staff": staff,
        "phone_number_id": account.external_id,
    }
    if not (services and offices and codes and all(s["tabs"] for s in staff)):
        raise SystemExit(f"soak: targets missing: {json.dumps(targets)[:2000]}")
    Path(out).write_text(json.dumps(targets, indent=1))


# Memory ---------------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(n) for n in text.split()]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _rss(pid: int) -> int:
    """Resident set size in bytes (0 if gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def service_pids() -> dict[str, list[int]]:
    """gunicorn's workers and the `balai worker`s started by this process."""
    found: dict[str, list[int]] = {"web": [], "worker": []}
    for pid in _children(os.getpid()):
        line = _cmdline(pid)
        if "gunicorn" in line:
            found["web"] += _children(pid)
        elif " worker" in line:
            found["worker"].append(pid)
    return found


class MemorySampler(threading.Thread):
    def __init__(self, pids: dict[str, list[int]]):
        super().__init__(daemon=True)
        self.pids = pids
        self.samples: list[tuple[float, dict[str, int]]] = []
        self.stop = threading.Event()

    def sample(self) -> dict[str, int]:
        return {kind: sum(_rss(pid) for pid in pids) for kind, pids in self.pids.items()}

    def run(self):
        started = time.monotonic()
        while not self.stop.is_set():
            self.samples.append((time.monotonic() - started, self.sample()))
            self.stop.wait(SAMPLE_SECONDS)


# The run ----------------------------------------------------------------------------------------


def _stats(prefix: str) -> tuple[dict[str, dict], list[dict]]:
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    with open(f"{prefix}_failures.csv", newline="") as handle:
        failures = list(csv.DictReader(handle))
    return rows, failures


def run(options, bench) -> str | None:
    """The soak benchmark; `bench` is bench/run.py's module (its helpers and state)."""

    seconds = options.soak_seconds or (600 if options.full else 60)
    users = dict(USERS)
    for item in options.soak_users.split(",") if options.soak_users else []:
        kind, _sep, count = item.partition("=")
        users[kind.strip()] = int(count)
    users_spec = ",".join(f"{k}={v}" for k, v in users.items())
    extra = {"BALAI_DB_CONN_MAX_AGE": "60", **bench.EXTRA_ENV}
    saved = dict(bench.EXTRA_ENV)
    bench.EXTRA_ENV.update(extra)
    try:
        with (
            _database(bench, options.soak_template) as database,
            tempfile.TemporaryDirectory(prefix="balai-soak-") as var,
        ):
            if database is None:
                print("soak: skipped (no PostgreSQL)", file=sys.stderr)
                return None
            return _run(options, bench, database, var, seconds, users, users_spec, extra)
    finally:
        bench.EXTRA_ENV.clear()
        bench.EXTRA_ENV.update(saved)


@contextmanager
def _database(bench, template: str | None):
    """A copy of the demo: of `template` (an existing demo database) or of the bench's own."""
    if not template:
        with bench.demo_database("soak") as database:
            yield database
        return
    admin = bench._postgres_admin()
    if admin is None:
        yield None
        return
    name = f"balai_bench_{os.getpid()}_soak"
    with admin:
        version = admin.execute("SHOW server_version").fetchone()[0].split()[0]
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        try:
            yield bench.Database(f"PostgreSQL {version}", f"{bench.POSTGRES}/{name}")
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run(options, bench, database, var, seconds, users, users_spec, extra) -> str:
    import importlib.metadata

    env = bench.production_env(database.url, var)
    if options.soak_static:
        env["BALAI_STATIC_ROOT"] = bench.EXTRA_ENV["BALAI_STATIC_ROOT"] = options.soak_static
    if not (options.soak_static and Path(options.soak_static, "staticfiles.json").exists()):
        python = [sys.executable, "-m", "balai", "collectstatic", "--no-input", "-v", "0"]
        bench.run_checked(python, env, "collectstatic")
    targets = Path(var) / "targets.json"
    bench.run_checked(
        [sys.executable, str(Path(__file__)), "targets", str(targets)], env, "soak targets"
    )
    prefix = str(Path(var) / "locust")
    delivered_file = Path(var) / "delivered.txt"
    web_workers = options.web_workers or 2
    task_workers = options.task_workers or 1
    with bench.production_services(
        database, var, web_workers=web_workers, task_workers=task_workers
    ) as services:
        base = services.url.removesuffix(bench.WEBHOOK_PATH)
        pids = service_pids()
        sampler = MemorySampler(pids)
        sampler.start()
        load_before = os.getloadavg()
        cpu_before = bench.cpu_times()
        started_wall = time.time()
        print(f"soak: {users_spec} users for {seconds} s against {base}", file=sys.stderr)
        locust = subprocess.run(  # noqa: S603 (our own script)
            [
                bench._console_script("locust"),
                *("-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("--users", str(sum(users.values())), "--spawn-rate", "10"),
                *("--run-time", f"{seconds}s", "--stop-timeout", "10"),
                *("--host", base, "--csv", prefix, "--only-summary"),
                *("--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "BALAI_SOAK_TARGETS": str(targets),
                "BALAI_SOAK_USERS": users_spec,
                "BALAI_SOAK_DELIVERED": str(delivered_file),
            },
            capture_output=True,
            text=True,
            check=False,
        )
        cpu = bench.cpu_share(cpu_before, bench.cpu_times())
        load_after = os.getloadavg()
        answered = time.monotonic()
        sampler.stop.set()
        sampler.join()
        end_sample = sampler.sample()
        # The workers finish the webhook messages.
        drained = False
        while time.monotonic() - answered < max(60, seconds / 2):
            if bench.sql(database, bench.DUE_TASKS)[0][0] == 0:
                drained = True
                break
            time.sleep(1)
        done_after = time.monotonic() - answered
        logs = {name: path.read_text(errors="replace") for name, path in services.logs.items()}
    if locust.returncode not in (0, 1):  # 1: some requests failed (reported below)
        raise RuntimeError(f"locust failed ({locust.returncode}):\n{locust.stderr[-3000:]}")
    rows, failures = _stats(prefix)
    messages = bench.sql(
        database,
        "SELECT count(*), count(processed_at), count(*) FILTER (WHERE error <> ''),"
        " count(DISTINCT external_id) FROM messaging_inboundmessage"
        " WHERE external_id LIKE 'wamid.HBgNSOAK%%'",
    )[0]
    stored, processed, failed_messages, distinct = messages
    delivered = set(delivered_file.read_text().split()) if delivered_file.exists() else set()
    webhook_ok = len(delivered)
    stored_ids = {
        row[0]
        for row in bench.sql(
            database,
            "SELECT external_id FROM messaging_inboundmessage"
            " WHERE external_id LIKE 'wamid.HBgNSOAK%%'",
        )
    }
    lost = len(delivered - stored_ids)
    in_flight = len(stored_ids - delivered)  # sent when locust stopped: stored, no answer seen
    web_log = logs.pop("gunicorn")
    timeouts = web_log.count("WORKER TIMEOUT")
    tracebacks = web_log.count("Traceback") + sum(log.count("Traceback") for log in logs.values())
    failed_tasks = sum(log.count("state=FAILED") for log in logs.values())

    total = rows["Aggregated"]
    errors = int(total["Failure Count"])
    problems = []
    if errors:
        problems.append(f"{errors} failed requests")
    if lost or distinct != stored or in_flight > users["webhook"]:
        problems.append(
            f"{webhook_ok} webhooks answered 200, {stored} stored ({distinct} distinct), "
            f"{lost} answered but not stored, {in_flight} stored without an answer"
        )
    if drained and processed != stored:
        problems.append(f"{stored - processed} messages never processed")
    if failed_messages or failed_tasks:
        problems.append(f"{failed_messages} messages, {failed_tasks} tasks failed")
    if not drained:
        problems.append(f"workers still busy {done_after:.0f} s after the load")
    if timeouts or tracebacks:
        problems.append(f"{timeouts} worker timeouts, {tracebacks} tracebacks in the logs")
    for problem in problems:
        bench.FAILURES.append(f"soak: {problem}")

    table = [
        "| Request | Requests | Errors | req/s | p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, label in [*KINDS, ("Aggregated", "**All**")]:
        row = rows.get(name)
        if row is None:
            continue
        table.append(
            f"| {label} | {int(row['Request Count']):,} | {int(row['Failure Count']):,} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} "
            f"| {float(row['Max Response Time']):,.0f} |"
        )
    failure_lines = [
        f"- {f['Name']}: {f['Error']} ({f['Occurrences']} times)" for f in failures if f.get("Name")
    ]

    samples = sampler.samples
    first = samples[0][1]
    warm = next((s for t, s in samples if t >= 60), samples[-1][1])
    peak = {k: max(s[k] for _t, s in samples) for k in first}
    mib = bench._mib
    memory = [
        "| Processes | At start (MiB) | After 1 min (MiB) | At the end (MiB) | Highest (MiB) |",
        "|---|---:|---:|---:|---:|",
        f"| gunicorn workers ({len(sampler.pids['web'])}) | {mib(first['web'])} "
        f"| {mib(warm['web'])} | {mib(end_sample['web'])} | {mib(peak['web'])} |",
        f"| `balai worker` ({len(sampler.pids['worker'])}) | {mib(first['worker'])} "
        f"| {mib(warm['worker'])} | {mib(end_sample['worker'])} | {mib(peak['worker'])} |",
    ]
    series = ""
    if seconds >= 300:
        points = [(t, s) for t, s in samples if int(t) % 60 < SAMPLE_SECONDS]
        series = (
            "Every minute (gunicorn workers + `balai worker`, MiB): "
            + ", ".join(f"{t / 60:.0f} min {mib(s['web'] + s['worker'])}" for t, s in points)
            + "."
        )
    version = importlib.metadata.version
    duration = f"{seconds / 60:g} minutes" if seconds >= 120 else f"{seconds} s"
    mode = "full run" if options.full else "short run"
    extra_note = ", ".join(f"`{k}={v}`" for k, v in sorted(extra.items()))
    return "\n".join(
        [
            "## Soak: portal, tracking, webhooks and staff inboxes together",
            "",
            bench._fill(
                f"{duration} ({mode}) of mixed traffic against the production set-up on "
                f"loopback: a copy of the demo database on {database.label}, gunicorn "
                f"{version('gunicorn')} (`config.wsgi --workers {web_workers}`, sync workers) "
                f"and {task_workers} `balai worker`, `config.settings.production` (DEBUG "
                f"off, static files from `collectstatic` through WhiteNoise; {extra_note}). "
                f"Locust {version('locust')} (`bench/locustfile.py`, headless, its own process) "
                f"runs {sum(users.values())} users, closed loop: {users['portal']} citizens "
                "reading the portal (the root, the Pemda page, the catalog, a service with its "
                "Standar Pelayanan, the offices, an office with its hours; 1-3 s between pages), "
                f"{users['tracking']} citizens looking up tracking codes (three of four an "
                "existing Bangli complaint, then its status page; one of four an unknown code; "
                f"2-4 s between lookups), {users['webhook']} Meta senders each posting a signed "
                "WhatsApp message every 0.5 s (75% a new sender's complaint, 20% a follow-up, "
                f"5% `cek <kode>`), and {users['staff']} members of Bangli's staff (operator, "
                "PUPR officer, PUPR head, leadership), signed in once, reading the complaint "
                "inbox (first tab and the others) and complaints (2-5 s between pages). Each "
                "user sends from its own loopback address, as citizens do from theirs: no rate "
                "limit is raised for the soak (tracking counts 60 per minute per address, "
                "login 30 per 10 minutes), and a 429 would count as an error. Latencies are "
                "locust's (rounded to 10 ms above 100 ms); a redirect is not followed within "
                "the same request."
            ),
            "",
            *table,
            "",
            *(failure_lines and ["Errors:", *failure_lines, ""]),
            bench._fill(
                f"Webhooks: {webhook_ok:,} answered 200, {stored:,} stored ({distinct:,} "
                f"distinct; {lost} answered but not stored; {in_flight} stored whose answer "
                "came after locust stopped), "
                f"{processed:,} processed by the worker, {failed_messages} with an "
                f"error; the workers were {'done' if drained else 'still busy'} "
                f"{done_after:.0f} s after the load ended. Logs: {timeouts} gunicorn worker "
                f"timeouts, {tracebacks} tracebacks, {failed_tasks} failed tasks. "
                f"Check: {'; '.join(problems) or 'ok'}."
            ),
            "",
            bench._fill(
                "Memory: resident set size of the processes, sampled every "
                f"{SAMPLE_SECONDS} s from the start of the load (gunicorn's master, about "
                "the same throughout, is not counted)."
            ),
            "",
            *memory,
            "",
            *([bench._fill(series), ""] if series else []),
            bench._fill(
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on "
                f"{bench.machine([database.label])}; locust, gunicorn, the worker and "
                f"PostgreSQL share the {os.cpu_count()} cores with other work: load average "
                f"{load_before[0]:.1f} before and {load_after[0]:.1f} at the end, CPU busy / "
                f"stolen {cpu} % of all cores during the load. Started "
                f"{dt.datetime.fromtimestamp(started_wall, dt.UTC):%H:%M} UTC."
            ),
        ]
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "targets":
        sys.path.insert(0, str(ROOT))
        write_targets(sys.argv[2])
    else:
        sys.exit("usage: python bench/run.py soak [--full] (or: bench/soak.py targets OUT)")
