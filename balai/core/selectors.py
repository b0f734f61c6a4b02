"""Reads for the staff area."""

from django.db.models import QuerySet

from .models import AuditLog


def audit_list(*, pemda, action: str = "", actor: str = "", q: str = "") -> QuerySet[AuditLog]:
    entries = AuditLog.objects.filter(pemda=pemda).select_related("actor", "target_type")
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor__username=actor)
    if q:
        entries = entries.filter(target_repr__icontains=q)
    return entries
