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


# Everything the staff detail page and the API show as "who reported it": a WhatsApp wa_id
# or a Messenger PSID identifies the reporter as much as a name does.
IDENTITY_FIELDS = ("reporter_name", "reporter_phone", "reporter_email", "reporter_channel_id")


def _has_identity(complaint) -> bool:
    return any(getattr(complaint, name) for name in IDENTITY_FIELDS)


def audit_identity_view(*, actor, complaint, via: str) -> None:
    """Record that a staff member was shown a complainant's identity (UU 27/2022)."""
    if _has_identity(complaint):
        audit_record(actor=actor, action="identity.view", target=complaint, changes={"via": via})


def audit_identity_views(*, actor, complaints, via: str) -> None:
    """The same for a list of complaints, in one write."""
    shown = [c for c in complaints if _has_identity(c)]
    if not shown:
        return
    origin = current_origin.get()
    kind = ContentType.objects.get_for_model(shown[0])
    AuditLog.objects.bulk_create(
        AuditLog(
            pemda_id=c.pemda_id,
            actor=actor,
            action="identity.view",
            target_type=kind,
            target_id=str(c.pk),
            target_repr=str(c)[:200],
            changes={"via": via},
            ip_address=origin.ip_address if origin else None,
            user_agent=origin.user_agent if origin else "",
        )
        for c in shown
    )
