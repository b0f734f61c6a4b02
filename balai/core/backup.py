"""Backup and restore of the database (PostgreSQL via its dump tools, SQLite via its online
backup) and the media files, with a manifest of row counts and file checksums to verify.

A backup is a directory: `database.dump` (PostgreSQL custom format) or `database.sqlite3`,
`media.tar.gz`, and `manifest.json`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, connections


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed
    }


def file_checksums(root: Path) -> dict[str, str]:
    sums = {}
    if root.exists():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                sums[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def _pg_env(db: dict) -> dict[str, str]:
    env = {**os.environ}
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ValueError(f"{name} is not installed (Debian: postgresql-client).")
    return path


def backup(dest: Path) -> dict:
    """Write a backup into `dest` (created; must be empty). Returns the manifest."""
    dest.mkdir(parents=True, exist_ok=True)
    if any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty.")
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        subprocess.run(  # noqa: S603
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--file",
                str(dest / "database.dump"),
                db["NAME"],
            ],
            check=True,
            env=_pg_env(db),
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest / "database.sqlite3")
        with target:
            connection.connection.backup(target)
        target.close()
    else:  # pragma: no cover - only the two supported databases
        raise ValueError(f"Backups of {connection.vendor} are not supported.")
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(dest / "media.tar.gz", "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "database": connection.vendor,
        "rows": row_counts(),
        "files": file_checksums(media),
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and media with a backup; returns the backup's manifest."""
    manifest = json.loads((source / "manifest.json").read_text())
    if manifest["database"] != connection.vendor:
        raise ValueError(
            f"This backup is of a {manifest['database']} database, not {connection.vendor}."
        )
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        connections.close_all()
        subprocess.run(  # noqa: S603
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                db["NAME"],
                str(source / "database.dump"),
            ],
            check=True,
            env=_pg_env(db),
        )
    else:
        connection.ensure_connection()
        backup_db = sqlite3.connect(source / "database.sqlite3")
        with backup_db:
            backup_db.backup(connection.connection)
        backup_db.close()
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.rmtree(media)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        archive.extractall(media.parent, filter="data")  # "data": no paths outside, no devices
        if (media.parent / "media") != media and (media.parent / "media").exists():
            (media.parent / "media").rename(media)
    return manifest


def verify(manifest: dict) -> list[str]:
    """Differences between the live data and a manifest (empty when they agree)."""
    problems = []
    live = row_counts()
    for label, count in manifest["rows"].items():
        if live.get(label) != count:
            problems.append(f"{label}: {live.get(label)} rows, backup had {count}")
    files = file_checksums(Path(settings.MEDIA_ROOT))
    if files != manifest["files"]:
        problems.append("media files differ from the backup")
    return problems
