"""`balai serve-demo`: load the demo, then serve it on 127.0.0.1:8000 with a task worker.

A second run on the same day, with the same demo code and the demo still in the database, skips
the reload and serves at once (`--reload` forces it). Ctrl-C (or SIGTERM) stops the web server
and the worker it started.
"""

import contextlib
import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from balai.devtools.demo import SEED_PEMDA, DemoLogin, demo_load

from .demo_data import demo_logins_text

STATE_FILE = "demo-state.json"


def demo_fingerprint() -> str:
    """Changes whenever the code that builds the demo changes."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).resolve().parents[2].glob("*.py")):  # balai/devtools
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def loaded_logins(state_path: Path) -> list[DemoLogin] | None:
    """The logins of a demo loaded today by this code and still in the database, else None."""
    from balai.organizations.models import Pemda

    try:
        state = json.loads(state_path.read_text())
    except (OSError, ValueError):
        return None
    if state.get("date") != timezone.localdate().isoformat():
        return None
    if state.get("fingerprint") != demo_fingerprint():
        return None
    if Pemda.objects.filter(is_demo=True).count() != len(SEED_PEMDA):
        return None
    return [DemoLogin(**login) for login in state.get("logins", [])]


def remember(state_path: Path, logins: list[DemoLogin]) -> None:
    state_path.parent.mkdir(parents=True, exist_ok=True)
    state = {
        "date": timezone.localdate().isoformat(),
        "fingerprint": demo_fingerprint(),
        "logins": [{k: str(v) for k, v in dataclasses.asdict(login).items()} for login in logins],
    }
    state_path.write_text(json.dumps(state, indent=1))


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Load the demo and serve it together with a task worker (Ctrl-C stops both)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument(
            "--reload", action="store_true", help="load the demo again even if it is up to date"
        )

    def handle(self, *args, addr, reload, **options):
        state_path = Path(settings.VAR_DIR) / STATE_FILE
        logins = None if reload else loaded_logins(state_path)
        if logins is None:
            logins = demo_load()
            remember(state_path, logins)
        else:
            self.stdout.write("The demo was loaded today and is unchanged: serving it as it is.")
        self.stdout.write(demo_logins_text(logins))
        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # stop the children as Ctrl-C does
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        manage = [sys.executable, "-m", "balai"]
        children = [
            subprocess.Popen([*manage, "worker", "--no-reload"], env=env),  # noqa: S603
            subprocess.Popen([*manage, "runserver", addr, "--noreload"], env=env),  # noqa: S603
        ]
        self.stdout.write(
            self.style.SUCCESS(
                f"\nBalai demo: http://{addr}/  (Ctrl-C stops the server and worker)"
            )
        )
        died = None
        try:
            while died is None:
                time.sleep(0.5)
                died = next((child for child in children if child.poll() is not None), None)
        except KeyboardInterrupt:
            pass
        finally:
            self._stop(children)
        if died is not None:
            self.stderr.write(f"{died.args[3]} stopped with exit code {died.returncode}.")

    @staticmethod
    def _stop(children) -> None:
        """Ask politely (SIGINT), then SIGTERM, then SIGKILL: the demo stops within seconds."""
        for sig, grace in ((signal.SIGINT, 3), (signal.SIGTERM, 3), (signal.SIGKILL, 3)):
            alive = [child for child in children if child.poll() is None]
            if not alive:
                return
            for child in alive:
                child.send_signal(sig)
            deadline = time.monotonic() + grace
            for child in alive:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
