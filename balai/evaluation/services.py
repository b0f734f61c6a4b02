"""Writes of the evaluation app: only the Pemda's transparency choices."""

from __future__ import annotations

from django.db import transaction

from balai.core.audit import audit_record

from .models import TransparencySetting


@transaction.atomic
def transparency_update(*, actor, pemda, **sections: bool) -> TransparencySetting:
    """Publish or withdraw sections of the Pemda's public transparency page."""
    unknown = set(sections) - set(TransparencySetting.SECTIONS)
    if unknown:
        raise ValueError(f"Unknown sections: {sorted(unknown)}")
    setting, _created = TransparencySetting.objects.select_for_update().get_or_create(pemda=pemda)
    before = {name: getattr(setting, name) for name in TransparencySetting.SECTIONS}
    for name, value in sections.items():
        setattr(setting, name, bool(value))
    setting.full_clean()
    setting.save()
    after = {name: getattr(setting, name) for name in TransparencySetting.SECTIONS}
    audit_record(
        actor=actor,
        action="evaluation.transparency_update",
        target=setting,
        pemda=pemda,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return setting
