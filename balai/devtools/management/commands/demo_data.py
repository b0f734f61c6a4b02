"""`balai demo-data`: load the five seed Pemda as a demo (simulated, deterministic)."""

import time

from django.core.management.base import BaseCommand

from balai.devtools.demo import DEMO_PASSWORD, demo_load, demo_open311_key, demo_token
from balai.messaging.demo import demo_channels


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
        lines.append(f"  {pemda.name}  (jurisdiction_id {pemda.region_id})")
        lines.append(f"    API token of {pemda.slug}.admin: {demo_token(pemda.slug)}")
        lines.append(f"    Open311 api_key: {demo_open311_key(pemda.slug)}")
        lines.extend(
            f"    {login.username:<32} {login.role} - {login.scope}"
            for login in logins
            if login.pemda == pemda.name
        )
    bangli = Pemda.objects.filter(slug="bangli").first()
    if bangli is not None:
        lines.append("")
        lines.append("Webhooks of Kabupaten Bangli (demo values, sign bodies with the app secret):")
        for row in demo_channels(bangli):
            lines.append(
                f"  {row['channel']}: POST {row['webhook']}  id {row['id']}  "
                f"verify_token {row['verify_token']}  app_secret {row['app_secret']}"
            )
    lines.append("")
    lines.append(
        "Kota Bontang night service (simulated, 13 Jun-24 Jul 2022), as bontang.admin: "
        "/staf/bontang/kunjungan/serapan/?start=2022-06-13&end=2022-07-24"
    )
    lines.append(
        "Kabupaten Banyuwangi services, requests and SKM (simulated, last 60 days), as "
        "banyuwangi.admin: /staf/banyuwangi/skm/ and /staf/banyuwangi/permohonan/"
    )
    lines.append(
        "Kabupaten Bekasi Botram 2024 (simulated demand), public: /bekasi/jadwal/ ; as "
        "bekasi.admin: /staf/bekasi/keliling/botram-masuk-desa/permintaan/"
    )
    lines.append(
        "Kabupaten Bengkulu Selatan Buji'an Dusun (11 desa in 2022, the planner's 2023 plan), "
        "as bengkulu-selatan.admin: /staf/bengkulu-selatan/keliling/bujian-dusun/cakupan/"
    )
    lines.append(
        "Socialization to Bontang Selatan's RTs (simulated reach), as bontang.admin: "
        "/staf/bontang/pengumuman/ ; Banyuwangi community hall: /banyuwangi/ruang/"
    )
    lines.append(
        "Leadership dashboard, as <slug>.pimpinan: /staf/<slug>/evaluasi/ ; public: "
        "/<slug>/transparansi/"
    )
    lines.append("Open311: /open311/v2/discovery.json  ·  API: /api/v1/docs/")
    return "\n".join(lines)
