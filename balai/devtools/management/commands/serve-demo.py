"""`balai serve-demo`: load the demo, then serve it on 127.0.0.1:8000 with a task worker.

Ctrl-C stops the web server and the worker it started.
"""

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
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        failed = [child.returncode for child in children if child.returncode not in (0, -2, None)]
        if failed:
            self.stderr.write(f"A demo process stopped with exit code {failed[0]}.")
