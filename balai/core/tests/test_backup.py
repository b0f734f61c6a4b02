"""Back up the demo, wipe everything, restore, and compare row counts and file checksums.

Runs the real `balai` commands in subprocesses against a file database: SQLite when the suite
runs on SQLite, a throw-away PostgreSQL database when it runs on PostgreSQL.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def run(env, *args, stdin=None):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "balai", *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def snapshot(env) -> dict:
    script = (
        "import json; from pathlib import Path; from django.conf import settings; "
        "from balai.core.backup import row_counts, file_checksums; "
        "files = file_checksums(Path(settings.MEDIA_ROOT)); "
        "print(json.dumps({'rows': row_counts(), 'files': files}))"
    )
    return json.loads(run(env, "shell", "-c", script).strip().splitlines()[-1])


@pytest.fixture
def installation(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "BALAI_VAR_DIR": str(tmp_path / "var"),
        "BALAI_MEDIA_ROOT": str(tmp_path / "var" / "media"),
    }
    if connection.vendor == "postgresql":
        settings_db = connection.settings_dict
        name = f"balai_backup_{uuid.uuid4().hex[:8]}"
        host, port, user = (
            settings_db["HOST"] or "127.0.0.1",
            settings_db["PORT"] or 5432,
            settings_db["USER"],
        )
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{name}"
        psql = ["psql", "-h", str(host), "-p", str(port), "-U", user, "-d", "postgres", "-qc"]
        subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)  # noqa: S603
        yield (
            env,
            lambda: (
                subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True),  # noqa: S603
                subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True),  # noqa: S603
            ),
        )
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)  # noqa: S603
    else:
        db = tmp_path / "var" / "balai.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{db}"
        yield env, lambda: [p.unlink() for p in db.parent.glob("balai.sqlite3*")]


def test_backup_wipe_restore_gives_back_the_same_data(installation, tmp_path):
    env, wipe_database = installation
    run(env, "migrate", "--no-input", "-v0")
    run(env, "demo-data")
    media = Path(env["BALAI_MEDIA_ROOT"]) / "complaints" / "2025" / "01"
    media.mkdir(parents=True)
    (media / "bukti.jpg").write_bytes(b"\xff\xd8 not much of a photo \xff\xd9")
    before = snapshot(env)
    assert before["rows"]["complaints.Complaint"] > 50 and before["files"]

    run(env, "backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["rows"] == before["rows"] and manifest["files"] == before["files"]

    wipe_database()
    shutil.rmtree(env["BALAI_MEDIA_ROOT"])
    run(env, "migrate", "--no-input", "-v0")
    assert snapshot(env)["rows"]["complaints.Complaint"] == 0

    out = run(env, "restore", str(tmp_path / "backup"), "--yes")
    assert "verified" in out
    assert snapshot(env) == before


def test_restore_refuses_without_confirmation(installation, tmp_path):
    env, _wipe = installation
    run(env, "migrate", "--no-input", "-v0")
    run(env, "backup", str(tmp_path / "b"))
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "balai", "restore", str(tmp_path / "b")],
        env=env,
        capture_output=True,
        text=True,
        input="no\n",
        check=False,
    )
    assert result.returncode != 0 and "Nothing restored" in result.stderr
