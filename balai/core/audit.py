"""Writing to the audit log. Every service that changes data calls `audit_record`."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .middleware import current_origin
from .models import AuditLog


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    pemda=None,
    changes: dict[str, Any] | None = None,
) -> AuditLog:
    origin = current_origin.get()
    if pemda is None and target is not None:
        is_pemda = target._meta.label == "organizations.Pemda"
        pemda = target if is_pemda else getattr(target, "pemda", None)
    return AuditLog.objects.create(
        pemda=pemda,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:200] if target is not None else "",
        changes=changes or {},
        ip_address=origin.ip_address if origin else None,
        user_agent=origin.user_agent if origin else "",
    )
