"""`balai serve-demo`: load the demo, then serve it on 127.0.0.1:8000 with a task worker.

Ctrl-C stops the web server and the worker it started.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from balai.devtools.demo import demo_load

from .demo_data import demo_logins_text


class Command(BaseCommand):
    help = "Load the demo and serve it together with a task worker (Ctrl-C stops both)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, addr, **options):
        logins = demo_load()
        self.stdout.write(demo_logins_text(logins))
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
