"""Writes to the service catalog: one transaction and an audit row each.

A Standar Pelayanan is written as a draft (numbered 1, 2, ... per service) and becomes part of
the record only through `standard_publish`, which checks the six public components and makes the
version effective from its date. Published versions are never edited: a change is a new version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.audit import audit_record

from .choices import INTERNAL_COMPONENTS, StandardStatus
from .models import Maklumat, Requirement, Service, StandardVersion

_INTERNAL_FIELDS = tuple(name for name, _label in INTERNAL_COMPONENTS)
_COPIED_FIELDS = (
    "decree",
    "procedure",
    "processing_time",
    "processing_unit",
    "fee",
    "fee_note",
    "product",
    "complaints_handling",
    *_INTERNAL_FIELDS,
)


def _local_today(pemda) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()


@transaction.atomic
def service_create(
    *,
    actor,
    pemda,
    code: str,
    name: str,
    category: str,
    opd,
    summary: str = "",
    keywords: str = "",
    is_active: bool = True,
) -> Service:
    """A new service of a Pemda, owned by one of its OPD."""
    if opd.pemda_id != pemda.pk:
        raise ValidationError({"opd": _("The OPD belongs to another Pemda.")})
    service = Service(
        pemda=pemda,
        code=code,
        name=name,
        category=category,
        opd=opd,
        summary=summary,
        keywords=keywords,
        is_active=is_active,
    )
    service.full_clean()
    service.save()
    audit_record(actor=actor, action="service.create", target=service, pemda=pemda)
    return service


def standard_next_version(service: Service) -> int:
    """The number the next version of a service's standard takes (call inside a transaction)."""
    Service.objects.select_for_update().filter(pk=service.pk).first()
    current = service.standards.aggregate(top=Max("version"))["top"] or 0
    return current + 1


@transaction.atomic
def standard_draft_create(
    *,
    actor,
    service: Service,
    effective_from: dt.date,
    procedure: str,
    processing_time: int,
    processing_unit: str,
    product: str,
    complaints_handling: str,
    fee: Decimal | int = 0,
    fee_note: str = "",
    decree: str = "",
    requirements: Iterable[str | tuple[str, bool]] = (),
    **internal: str,
) -> StandardVersion:
    """A draft version of a service's standard, numbered after the existing ones.

    `requirements` are texts, or (text, is_mandatory) pairs, in order. `internal` takes the
    eight internal components by field name (legal_basis, facilities, ...).
    """
    unknown = set(internal) - set(_INTERNAL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown components: {', '.join(sorted(unknown))}")
    standard = StandardVersion(
        service=service,
        version=standard_next_version(service),
        status=StandardStatus.DRAFT,
        effective_from=effective_from,
        decree=decree,
        procedure=procedure,
        processing_time=processing_time,
        processing_unit=processing_unit,
        fee=fee,
        fee_note=fee_note,
        product=product,
        complaints_handling=complaints_handling,
        **internal,
    )
    standard.full_clean()
    standard.save()
    rows = []
    for order, item in enumerate(requirements, start=1):
        text, mandatory = (item, True) if isinstance(item, str) else item
        rows.append(Requirement(standard=standard, order=order, text=text, is_mandatory=mandatory))
    for row in rows:
        row.full_clean(exclude=["standard"])
    Requirement.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="standard.draft",
        target=standard,
        pemda=service.pemda,
        changes={"version": standard.version, "effective_from": effective_from.isoformat()},
    )
    return standard


@transaction.atomic
def standard_draft_copy(
    *, actor, standard: StandardVersion, effective_from: dt.date
) -> StandardVersion:
    """A new draft that starts as a copy of a version (components and requirements)."""
    service = standard.service
    copy = StandardVersion(
        service=service,
        version=standard_next_version(service),
        status=StandardStatus.DRAFT,
        effective_from=effective_from,
        **{name: getattr(standard, name) for name in _COPIED_FIELDS},
    )
    copy.full_clean()
    copy.save()
    Requirement.objects.bulk_create(
        Requirement(standard=copy, order=r.order, text=r.text, is_mandatory=r.is_mandatory)
        for r in standard.requirements.all()
    )
    audit_record(
        actor=actor,
        action="standard.draft",
        target=copy,
        pemda=service.pemda,
        changes={"version": copy.version, "copied_from": standard.version},
    )
    return copy


def standard_publish_problems(standard: StandardVersion, *, backdate: bool = False) -> list[str]:
    """Why a draft may not be published yet (empty when it may)."""
    problems = []
    if standard.status != StandardStatus.DRAFT:
        problems.append(_("Only a draft can be published; published versions are never changed."))
    for name in ("procedure", "product", "complaints_handling"):
        if not (getattr(standard, name) or "").strip():
            label = StandardVersion._meta.get_field(name).verbose_name
            problems.append(_("%(component)s is empty.") % {"component": label})
    if not standard.processing_time:
        problems.append(_("The processing time must be at least 1."))
    if standard.fee is None or standard.fee < 0:
        problems.append(_("The fee must be zero or more."))
    if not standard.requirements.exists():
        problems.append(_("Persyaratan: list at least one requirement."))
    today = _local_today(standard.service.pemda)
    if not backdate and standard.effective_from < today:
        problems.append(
            _(
                "A standard cannot come into force in the past: requests already filed were "
                "judged by the standard then in force."
            )
        )
    clash = (
        StandardVersion.objects.filter(
            service_id=standard.service_id,
            status=StandardStatus.PUBLISHED,
            effective_from=standard.effective_from,
        )
        .exclude(pk=standard.pk)
        .values_list("version", flat=True)
        .first()
    )
    if clash is not None:
        problems.append(
            _("Version %(version)s already comes into force on that date.") % {"version": clash}
        )
    return problems


@transaction.atomic
def standard_publish(*, standard: StandardVersion, actor, backdate: bool = False):
    """Publish a draft: it is the standard in force from its `effective_from` onwards.

    Refuses (ValidationError) an incomplete draft, a date in the past (unless `backdate`, for
    importing standards that were set by decree earlier) and a second version on the same date.
    """
    standard = (
        StandardVersion.objects.select_for_update()
        .select_related("service__pemda")
        .get(pk=standard.pk)
    )
    problems = standard_publish_problems(standard, backdate=backdate)
    if problems:
        raise ValidationError(problems)
    standard.status = StandardStatus.PUBLISHED
    standard.full_clean()
    standard.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="standard.publish",
        target=standard,
        pemda=standard.service.pemda,
        changes={
            "version": standard.version,
            "effective_from": standard.effective_from.isoformat(),
            "backdated": backdate,
        },
    )
    return standard


@transaction.atomic
def maklumat_create(*, actor, unit, text: str, signed_by: str, effective_from: dt.date) -> Maklumat:
    """A unit's Maklumat Pelayanan, in force from a date."""
    maklumat = Maklumat(unit=unit, text=text, signed_by=signed_by, effective_from=effective_from)
    maklumat.full_clean()
    maklumat.save()
    audit_record(actor=actor, action="maklumat.create", target=maklumat, pemda=unit.pemda)
    return maklumat
