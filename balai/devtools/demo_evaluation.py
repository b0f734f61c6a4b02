"""Demo: what each demo Pemda publishes on its public transparency page (simulated choices).

Bangli publishes its complaint handling, Bontang its night service, Banyuwangi its IKM and
on-time rate, Bekasi its outreach schedule, Bengkulu Selatan its village coverage and schedule.
Idempotent: a second run changes nothing.
"""

from __future__ import annotations

import random

from balai.evaluation.models import TransparencySetting
from balai.evaluation.services import transparency_update

PUBLISHED = {
    "bangli": ("show_complaints",),
    "bontang": ("show_night_service", "show_complaints"),
    "banyuwangi": ("show_ikm", "show_on_time"),
    "bekasi": ("show_outreach", "show_schedule"),
    "bengkulu-selatan": ("show_outreach", "show_schedule"),
}


def demo_evaluation_transparency(pemda, rng: random.Random) -> list[str]:
    """Publish the demo Pemda's sections (`rng` unused: the choices are fixed)."""
    wanted = PUBLISHED.get(pemda.slug, ("show_complaints", "show_ikm"))
    sections = {name: name in wanted for name in TransparencySetting.SECTIONS}
    current = TransparencySetting.objects.filter(pemda=pemda).first()
    if current is None or any(getattr(current, k) != v for k, v in sections.items()):
        transparency_update(actor=None, pemda=pemda, **sections)
    return list(wanted)
