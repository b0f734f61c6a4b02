"""`balai demo-data`: load the five seed Pemda as a demo (simulated, deterministic)."""

import time

from django.core.management.base import BaseCommand

from balai.devtools.demo import DEMO_PASSWORD, demo_load, demo_token


class Command(BaseCommand):
    help = "Create or update the demo: the five seed Pemda, their OPD, staff and roles."

    def handle(self, *args, **options):
        started = time.monotonic()
        logins = demo_load()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
        self.stdout.write(demo_logins_text(logins))


def demo_logins_text(logins) -> str:
    from balai.organizations.models import Pemda

    lines = [
        "",
        "Demo logins (simulated data) - password for all: " + DEMO_PASSWORD,
        "  admin  (superuser, /admin/)",
    ]
    for pemda in Pemda.objects.filter(is_demo=True).order_by("name"):
        lines.append(f"  {pemda.name}  (API token of {pemda.slug}.admin: {demo_token(pemda.slug)})")
        lines.extend(
            f"    {login.username:<32} {login.role} - {login.scope}"
            for login in logins
            if login.pemda == pemda.name
        )
    return "\n".join(lines)
