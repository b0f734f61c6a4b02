"""Every permission decision in Balai, in one place.

A user holds roles through `Membership` rows, each inside one Pemda and, for some roles, one OPD
or one area (a region code: everything whose code starts with it). For each kind of object the
table `RULES` says, per role, how far the role can *see* and how far it can *change*:

    NONE      nothing
    OWN_OPD   objects of the OPD named on the membership
    OWN_AREA  objects inside the region named on the membership
    PEMDA     everything of the membership's Pemda

`can_view` / `can_change` decide for one object; `visible` / `changeable` filter a queryset the
same way, so lists and single objects never disagree. Superusers may do everything. Later
modules add their kinds to `KINDS` and `RULES` (see docs/recipes/add-a-model.md).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models

from balai.accounts.choices import Role


class Scope(enum.IntEnum):
    NONE = 0
    OWN_OPD = 1
    OWN_AREA = 2
    PEMDA = 3


@dataclass(frozen=True)
class Kind:
    """How to find the Pemda, OPD and region of an object of this kind (ORM paths)."""

    model: str  # "app_label.ModelName"
    pemda: str  # path to the Pemda's id
    opd: str | None = None  # path to the OPD's id
    region: str | None = None  # path to a Region relation (its code is compared by prefix)


KINDS: dict[str, Kind] = {
    "pemda": Kind("organizations.Pemda", pemda="id", region="region"),
    "opd": Kind("organizations.OPD", pemda="pemda_id", opd="id", region="region"),
    "unit": Kind("organizations.Unit", pemda="pemda_id", opd="opd_id", region="region"),
    "calendar": Kind("organizations.CalendarDay", pemda="pemda_id"),
    "working_hours": Kind("organizations.WorkingHours", pemda="pemda_id"),
    "subvillage": Kind("regions.SubVillageUnit", pemda="pemda_id", region="village"),
    "membership": Kind("accounts.Membership", pemda="pemda_id", opd="opd_id", region="region"),
    "audit": Kind("core.AuditLog", pemda="pemda_id"),
    "complaint": Kind("complaints.Complaint", pemda="pemda_id", opd="opd_id", region="region"),
    "category": Kind("complaints.Category", pemda="pemda_id", opd="default_opd_id"),
    "complaint_settings": Kind("complaints.ComplaintSettings", pemda="pemda_id"),
    "response_template": Kind("complaints.ResponseTemplate", pemda="pemda_id"),
    "service_request": Kind(
        "service_requests.ServiceRequest",
        pemda="pemda_id",
        opd="service__opd_id",
        region="point__region",
    ),
    "service": Kind("catalog.Service", pemda="pemda_id", opd="opd_id"),
    "standard": Kind("catalog.StandardVersion", pemda="service__pemda_id", opd="service__opd_id"),
    "maklumat": Kind(
        "catalog.Maklumat", pemda="unit__pemda_id", opd="unit__opd_id", region="unit__region"
    ),
    "service_point": Kind("organizations.ServicePoint", pemda="pemda_id", region="region"),
    "visit": Kind(
        "visits.Visit", pemda="pemda_id", opd="point__unit__opd_id", region="point__region"
    ),
    "survey_response": Kind(
        "visits.SurveyResponse", pemda="pemda_id", opd="unit__opd_id", region="point__region"
    ),
    "area_population": Kind("visits.AreaPopulation", pemda="pemda_id", region="region"),
    "uptake_settings": Kind("visits.UptakeSettings", pemda="pemda_id"),
}

N, O, A, P = Scope.NONE, Scope.OWN_OPD, Scope.OWN_AREA, Scope.PEMDA  # noqa: E741
R = Role

# Seen by every role across the Pemda, changed by its administrator only.
ADMIN_KEEPS: dict[str, tuple[Scope, Scope]] = {
    role: (P, P) if role == R.PEMDA_ADMIN else (P, N) for role in Role.values
}

# RULES[kind][role] = (view scope, change scope)
RULES: dict[str, dict[str, tuple[Scope, Scope]]] = {
    "pemda": ADMIN_KEEPS,
    "opd": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, O),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (P, N),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    "unit": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (O, O),
        R.OPD_STAFF: (O, N),
        R.AREA_STAFF: (A, N),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    "calendar": ADMIN_KEEPS,
    # The Pemda's weekly office hours, which every deadline is counted in: kept by its admin.
    "working_hours": ADMIN_KEEPS,
    "subvillage": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, N),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (A, A),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    "membership": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (N, N),
        R.OPD_HEAD: (O, N),
        R.OPD_STAFF: (N, N),
        R.AREA_STAFF: (N, N),
        R.OPERATOR: (N, N),
        R.EVENT_STAFF: (N, N),
    },
    "complaint": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (O, O),
        R.OPD_STAFF: (O, O),
        R.AREA_STAFF: (A, N),
        R.OPERATOR: (P, P),
        R.EVENT_STAFF: (N, N),
    },
    "category": ADMIN_KEEPS,
    "complaint_settings": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, N),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (N, N),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (N, N),
    },
    "response_template": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (N, N),
        R.OPD_HEAD: (P, N),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (N, N),
        R.OPERATOR: (P, P),
        R.EVENT_STAFF: (N, N),
    },
    # The catalog is public anyway: everyone in the Pemda sees it; an OPD head keeps their OPD's
    # services, standards (drafts; published versions are never edited) and Maklumat.
    "service": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, O),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (P, N),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    "standard": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, O),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (P, N),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    "maklumat": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, O),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (P, N),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    # Offices and their hours: the area's staff keep the offices of their kecamatan/desa.
    "service_point": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (P, N),
        R.OPD_STAFF: (P, N),
        R.AREA_STAFF: (P, A),
        R.OPERATOR: (P, N),
        R.EVENT_STAFF: (P, N),
    },
    # Permohonan: the front office files and steps them (area staff at the points of their
    # area, event staff anywhere); the OPD of the service sees its own.
    "service_request": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (O, N),
        R.OPD_STAFF: (O, N),
        R.AREA_STAFF: (A, A),
        R.OPERATOR: (N, N),
        R.EVENT_STAFF: (P, P),
    },
    "audit": {
        R.PEMDA_ADMIN: (P, N),
        R.LEADERSHIP: (N, N),
        R.OPD_HEAD: (N, N),
        R.OPD_STAFF: (N, N),
        R.AREA_STAFF: (N, N),
        R.OPERATOR: (N, N),
        R.EVENT_STAFF: (N, N),
    },
    # The logbook: the front office (area staff at the points of their area, event staff,
    # the Pemda admin) logs visits; the OPD running a point sees its own.
    "visit": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (O, N),
        R.OPD_STAFF: (O, N),
        R.AREA_STAFF: (A, A),
        R.OPERATOR: (N, N),
        R.EVENT_STAFF: (P, P),
    },
    # SKM answers: entered from paper by the front office and the unit surveyed (its OPD).
    "survey_response": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (O, O),
        R.OPD_STAFF: (O, O),
        R.AREA_STAFF: (A, A),
        R.OPERATOR: (N, N),
        R.EVENT_STAFF: (P, P),
    },
    "area_population": ADMIN_KEEPS,
    "uptake_settings": {
        R.PEMDA_ADMIN: (P, P),
        R.LEADERSHIP: (P, N),
        R.OPD_HEAD: (N, N),
        R.OPD_STAFF: (N, N),
        R.AREA_STAFF: (N, N),
        R.OPERATOR: (N, N),
        R.EVENT_STAFF: (N, N),
    },
}


def kind_of(obj: models.Model) -> str:
    label = obj._meta.label
    for name, kind in KINDS.items():
        if kind.model == label:
            return name
    raise LookupError(f"No permission rules for {label}.")


def active_memberships(user) -> list:
    """The user's active memberships in active Pemda (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_balai_memberships", None)
    if cached is None:
        cached = list(user.memberships.filter(is_active=True, pemda__is_active=True))
        user._balai_memberships = cached
    return cached


def _resolve(obj: models.Model, path: str | None):
    if path is None:
        return None
    value = obj
    for part in path.split("__"):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def _allows(user, obj: models.Model, which: int) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    name = kind_of(obj)
    kind, rules = KINDS[name], RULES[name]
    pemda_id = _resolve(obj, kind.pemda)
    for m in active_memberships(user):
        scope = rules.get(m.role, (N, N))[which]
        if scope is N or m.pemda_id != pemda_id:
            continue
        if scope is P:
            return True
        if scope is O and kind.opd and m.opd_id and _resolve(obj, kind.opd) == m.opd_id:
            return True
        if scope is A and kind.region and m.region_id:
            code = _resolve(obj, kind.region + "_id")
            if code and (code == m.region_id or code.startswith(m.region_id + ".")):
                return True
    return False


def can_view(user, obj: models.Model) -> bool:
    return _allows(user, obj, 0)


def can_change(user, obj: models.Model) -> bool:
    return _allows(user, obj, 1)


def _filter(user, queryset: models.QuerySet, which: int) -> models.QuerySet:
    if getattr(user, "is_superuser", False) and user.is_active:
        return queryset
    name = kind_of(queryset.model())
    kind, rules = KINDS[name], RULES[name]
    q = models.Q(pk__in=[])
    for m in active_memberships(user):
        scope = rules.get(m.role, (N, N))[which]
        here = models.Q(**{kind.pemda: m.pemda_id})
        if scope is P:
            q |= here
        elif scope is O and kind.opd and m.opd_id:
            q |= here & models.Q(**{kind.opd: m.opd_id})
        elif scope is A and kind.region and m.region_id:
            q |= here & (
                models.Q(**{f"{kind.region}__code": m.region_id})
                | models.Q(**{f"{kind.region}__code__startswith": m.region_id + "."})
            )
    return queryset.filter(q)


def visible(user, queryset: models.QuerySet) -> models.QuerySet:
    return _filter(user, queryset, 0)


def changeable(user, queryset: models.QuerySet) -> models.QuerySet:
    return _filter(user, queryset, 1)


def pemdas_of(user):
    """The Pemda a user works in (ids), in the order of their memberships."""
    if getattr(user, "is_superuser", False):
        from balai.organizations.models import Pemda

        return list(Pemda.objects.values_list("id", flat=True))
    return list(dict.fromkeys(m.pemda_id for m in active_memberships(user)))


def pemdas_changing(user, model) -> list:
    """The Pemda (ids) where the user may change objects of this kind, in at least some scope.

    This is what adding needs: a role that changes nothing of a kind never adds one, and a new
    object is then checked with `can_change` like any other (its OPD, area and Pemda).
    """
    if getattr(user, "is_superuser", False) and user.is_active:
        return pemdas_of(user)
    rules = RULES[kind_of(model)]
    return list(
        dict.fromkeys(
            m.pemda_id for m in active_memberships(user) if rules.get(m.role, (N, N))[1] is not N
        )
    )


def can_change_some(user, model) -> bool:
    """Whether the user may change (and so add) objects of this kind anywhere."""
    return bool(pemdas_changing(user, model))


def can_see_reporter(user, complaint) -> bool:
    """Whether the reporter's identity may be shown: never to the OPD when `anonim`."""
    if not can_view(user, complaint):
        return False
    if not complaint.is_anonymous or (getattr(user, "is_superuser", False) and user.is_active):
        return True
    return has_role(user, complaint.pemda_id, Role.PEMDA_ADMIN, Role.OPERATOR)


def has_role(user, pemda_id: int, *roles: str) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(m.pemda_id == pemda_id and m.role in roles for m in active_memberships(user))
