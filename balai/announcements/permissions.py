"""Who may do what with announcements (built on the shared role helpers).

Pemda administrators and kecamatan/kelurahan/desa staff prepare and send announcements and keep
the contact lists; area staff only for areas inside their own (a kecamatan's staff covers its
desa/kelurahan and their RT). Leadership may read announcements and their reach.
"""

from __future__ import annotations

from balai.accounts.choices import Role
from balai.core.permissions import active_memberships, has_role

MANAGE_ROLES = (Role.PEMDA_ADMIN, Role.AREA_STAFF)
VIEW_ROLES = (*MANAGE_ROLES, Role.LEADERSHIP)


def may_view(user, pemda) -> bool:
    return has_role(user, pemda.pk, *VIEW_ROLES)


def may_manage(user, pemda) -> bool:
    return has_role(user, pemda.pk, *MANAGE_ROLES)


def area_scope(user, pemda) -> list[str] | None:
    """Region codes an area-staff member is limited to; None for the whole Pemda."""
    if has_role(user, pemda.pk, Role.PEMDA_ADMIN):
        return None
    return [
        m.region_id
        for m in active_memberships(user)
        if m.pemda_id == pemda.pk and m.role == Role.AREA_STAFF and m.region_id
    ]


def code_in_scope(code: str, scope: list[str] | None) -> bool:
    if scope is None:
        return True
    return any(code == s or code.startswith(s + ".") for s in scope)
