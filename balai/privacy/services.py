"""Retention purges, and a person's export and erasure (UU 27/2022).

- `privacy_purge`: anonymises or deletes, per kind of personal data, the eligible rows older than
  the Pemda's retention period (with ``pemda=None``: the rows of no Pemda, for the kinds that
  have such rows, e.g. the audit log's IP addresses); batched, idempotent, one audit record per
  run with the counts (rows, and the files deleted with them).
- `privacy_export`: a ZIP (``data.json`` and the files the person sent) of everything this Pemda
  holds about one person, found by phone number and/or e-mail; audited.
- `privacy_erase`: the same rows anonymised (or deleted, per kind); refused while one of them is
  still being handled (an open complaint, a request not yet collected, a message not yet sent);
  audited with the legal reason and the counts.

Anonymising a complainant (purge or erasure) also deletes the photos and files they sent; the
handling-report photos taken by staff stay.

The audit records name the person only by a masked form and a keyed hash of the search key, so
the (append-only) audit log never keeps the phone number or e-mail address itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.audit import audit_record

from .registry import ANONYMISE, DELETE, PersonalDataKind, PersonKey, kinds

BATCH_SIZE = 500
MIN_DAYS = 30
_AGE = "_privacy_age"


# -- retention periods ---------------------------------------------------------------------------
def _policy_days(pemda) -> dict[str, int]:
    if not apps.is_installed("balai.privacy"):
        return {}
    try:
        model = apps.get_model("privacy", "RetentionPolicy")
    except LookupError:
        return {}
    return dict(model.objects.filter(pemda=pemda).values_list("kind", "days"))


def retention_days(pemda) -> dict[str, int]:
    """kind -> days: the Pemda's policy, else ``BALAI_PRIVACY_RETENTION_DAYS``, else the default."""
    configured = getattr(settings, "BALAI_PRIVACY_RETENTION_DAYS", {}) or {}
    policies = _policy_days(pemda)
    return {
        k.key: int(policies.get(k.key) or configured.get(k.key) or k.default_days) for k in kinds()
    }


@dataclass
class KindCount:
    kind: PersonalDataKind
    days: int
    cutoff: dt.datetime
    count: int = 0
    files: int = 0  # files deleted with the rows (e.g. the complainant's photos)


def _due(kind: PersonalDataKind, pemda, cutoff: dt.datetime) -> models.QuerySet:
    qs = kind.for_pemda(pemda).annotate(**{_AGE: kind.age_expression()})
    qs = qs.filter(**{f"{_AGE}__lt": cutoff})
    if kind.eligible is not None:
        qs = qs.filter(kind.eligible())
    if kind.purge_filter is not None:
        qs = qs.filter(kind.purge_filter())
    if kind.action == ANONYMISE:
        qs = qs.filter(kind.not_anonymised())
    return qs


def _purged_kinds(pemda) -> list[PersonalDataKind]:
    """Every kind for a Pemda; for the rows of no Pemda, only the kinds that have such rows."""
    return [k for k in kinds() if pemda is not None or k.without_pemda]


def purge_preview(*, pemda, now: dt.datetime | None = None) -> list[KindCount]:
    """What a purge would anonymise or delete now, per kind (counts only, changes nothing).

    ``pemda=None``: the rows of no Pemda (installation-wide period).
    """
    now = now or timezone.now()
    days = retention_days(pemda)
    result = []
    for kind in _purged_kinds(pemda):
        cutoff = now - dt.timedelta(days=days[kind.key])
        result.append(
            KindCount(kind, days[kind.key], cutoff, _due(kind, pemda, cutoff).distinct().count())
        )
    return result


def _apply(kind: PersonalDataKind, ids: list) -> tuple[int, int]:
    """Anonymise or delete the rows; returns (rows, files deleted with them)."""
    model = kind.get_model()
    with transaction.atomic():
        files = kind.delete_files(ids) if kind.delete_files is not None else 0
        rows = model._default_manager.filter(pk__in=ids)
        if kind.action == DELETE:
            rows.delete()
            return len(ids), files
        if kind.anonymise is not None:
            return kind.anonymise(rows), files
        return rows.update(**kind.fields), files


def privacy_purge(
    *,
    pemda,
    actor=None,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    now: dt.datetime | None = None,
    progress: Callable[[PersonalDataKind, int, int], None] | None = None,
) -> list[KindCount]:
    """Anonymise or delete, per kind, the eligible rows older than the retention period.

    Idempotent: an anonymised row no longer holds personal data and is not counted again. Works
    in batches of ``batch_size`` rows, each in its own transaction, so a long purge can be
    interrupted and run again. ``progress(kind, done, total)`` is called after each batch.
    """
    counts = purge_preview(pemda=pemda, now=now)
    if dry_run:
        return counts
    for entry in counts:
        if not entry.count:
            continue
        done, last_pk = 0, None
        while True:
            qs = _due(entry.kind, pemda, entry.cutoff).order_by("pk")
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            ids = list(qs.values_list("pk", flat=True).distinct()[:batch_size])
            if not ids:
                break
            rows, files = _apply(entry.kind, ids)
            done += rows
            entry.files += files
            last_pk = ids[-1]
            if progress is not None:
                progress(entry.kind, done, entry.count)
        entry.count = done
    audit_record(
        actor=actor,
        action="privacy.purge",
        pemda=pemda,
        changes={
            "counts": {e.kind.key: e.count for e in counts},
            "days": {e.kind.key: e.days for e in counts},
            "files_deleted": {e.kind.key: e.files for e in counts if e.kind.delete_files},
        },
    )
    return counts


# -- finding a person ------------------------------------------------------------------------------
def person_key(*, phone: str = "", email: str = "") -> PersonKey:
    """The search key for a phone number (any usual Indonesian writing) and/or an e-mail."""
    phone, email = phone.strip(), email.strip().lower()
    if not phone and not email:
        raise ValidationError(_("Enter a phone number or an e-mail address."))
    phones: set[str] = set()
    wa_ids: set[str] = set()
    if phone:
        try:
            number = phonenumbers.parse(phone, "ID")
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(
                {"phone": _("Enter a valid phone number, e.g. 0812 3456 7890.")}
            ) from exc
        if not phonenumbers.is_possible_number(number):
            raise ValidationError({"phone": _("Enter a valid phone number, e.g. 0812 3456 7890.")})
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        phones = {e164, e164[1:], national, "".join(ch for ch in national if ch.isdigit())}
        wa_ids = {e164[1:]}
    emails: set[str] = set()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": _("Enter a valid e-mail address.")}) from exc
        emails = {email}
    return PersonKey(frozenset(phones), frozenset(wa_ids), frozenset(emails))


def person_label(person: PersonKey) -> str:
    """A masked form for screens and the audit log: +62812****7890, b***@example.id."""
    parts = []
    phone = min(person.phones, key=lambda p: (not p.startswith("+"), p), default="")
    if phone:
        parts.append(phone[:6] + "*" * max(len(phone) - 10, 2) + phone[-4:])
    for email in sorted(person.emails):
        local, _at, domain = email.partition("@")
        parts.append(f"{local[:1]}***@{domain}")
    return ", ".join(parts)


def person_hash(person: PersonKey) -> str:
    """A keyed hash of the search key: proves later whose data it was without keeping it."""
    raw = "|".join(sorted(person.wa_ids) + sorted(person.emails))
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class PersonRows:
    kind: PersonalDataKind
    ids: list = field(default_factory=list)
    blocking: list[str] = field(default_factory=list)  # rows still being handled

    @property
    def count(self) -> int:
        return len(self.ids)


def person_rows(*, pemda, person: PersonKey) -> list[PersonRows]:
    """Per kind, the ids of this Pemda's rows about the person (computed before any change)."""
    result = []
    for kind in kinds():
        entry = PersonRows(kind)
        q = kind.match(pemda, person)
        if q is not None:
            qs = kind.for_pemda(pemda).filter(q).distinct()
            entry.ids = list(qs.order_by("pk").values_list("pk", flat=True))
            if kind.eligible is not None and entry.ids:
                open_rows = (
                    kind.get_model()
                    ._default_manager.filter(pk__in=entry.ids)
                    .exclude(kind.eligible())
                    .order_by("pk")
                )
                entry.blocking = _names(kind, list(open_rows[:20]))
        result.append(entry)
    return result


def _names(kind: PersonalDataKind, rows: list) -> list[str]:
    """Tracking codes where rows have one; otherwise the kind and a count (no ids shown)."""
    if not rows:
        return []
    if all(getattr(row, "tracking_code", None) for row in rows):
        return [row.tracking_code for row in rows]
    return [f"{kind.label} ({len(rows)})"]


# -- export ---------------------------------------------------------------------------------------
def _value(obj: models.Model, name: str):
    f = obj._meta.get_field(name)
    if f.is_relation and f.many_to_one:
        related = getattr(obj, name)
        return None if related is None else str(related)
    if isinstance(f, models.FileField):
        value = getattr(obj, name)
        return value.name if value else ""
    value = f.value_from_object(obj)
    if f.choices and value not in (None, ""):
        return {"value": value, "label": str(getattr(obj, f"get_{name}_display")())}
    return value


def _row(obj: models.Model, kind: PersonalDataKind) -> dict:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    data = {  # staff members who handled the row are not the person's data: left out
        f.name: _value(obj, f.name)
        for f in obj._meta.concrete_fields
        if not (f.is_relation and f.related_model is user_model)
    }
    for accessor, names in kind.export_related.items():
        data[accessor] = [
            {name: _value(child, name) for name in names}
            for child in getattr(obj, accessor).all()
            if kind.export_filter is None or kind.export_filter(accessor, child)
        ]
    return data


def person_export_data(*, pemda, person: PersonKey, rows: list[PersonRows] | None = None) -> dict:
    rows = rows if rows is not None else person_rows(pemda=pemda, person=person)
    sections = {}
    for entry in rows:
        kind = entry.kind
        section = {
            "label": str(kind.label),
            "purpose": str(kind.purpose),
            "legal_basis": str(kind.legal_basis),
        }
        if not kind.searchable:
            section["note"] = str(kind.note)
            section["rows"] = []
        else:
            qs = kind.get_model()._default_manager.filter(pk__in=entry.ids).order_by("pk")
            if kind.export_related:
                qs = qs.prefetch_related(*(kind.export_prefetch or kind.export_related))
            section["rows"] = [_row(obj, kind) for obj in qs]
        sections[kind.key] = section
    return {
        "pemda": pemda.name,
        "person": person_label(person),
        "generated_at": timezone.now(),
        "data": sections,
    }


def _attachment_files(rows: list[PersonRows]) -> list:
    from balai.complaints.models import Attachment

    ids = next((e.ids for e in rows if e.kind.key == "complaints.reporter"), [])
    if not ids or not apps.is_installed("balai.complaints"):
        return []
    # Only what the person sent (not the handling-report photos taken by staff).
    return list(
        Attachment.objects.filter(complaint_id__in=ids, source=Attachment.Source.REPORTER)
        .select_related("complaint")
        .order_by("pk")
    )


@transaction.atomic
def privacy_export(*, pemda, actor, person: PersonKey) -> tuple[bytes, dict[str, int]]:
    """A ZIP of everything this Pemda holds about the person; audited. Returns (zip, counts)."""
    rows = person_rows(pemda=pemda, person=person)
    data = person_export_data(pemda=pemda, person=person, rows=rows)
    counts = {e.kind.key: e.count for e in rows if e.count}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        for attachment in _attachment_files(rows):
            name = attachment.file.name.rsplit("/", 1)[-1]
            try:
                with attachment.file.open("rb") as handle:
                    archive.writestr(f"files/{attachment.complaint}/{name}", handle.read())
            except FileNotFoundError:
                continue
    audit_record(
        actor=actor,
        action="privacy.export",
        pemda=pemda,
        changes={
            "person": person_label(person),
            "person_hash": person_hash(person),
            "counts": counts,
        },
    )
    return buffer.getvalue(), counts


# -- erasure --------------------------------------------------------------------------------------
def erasure_blocked(rows: list[PersonRows]) -> list[tuple[PersonalDataKind, list[str]]]:
    return [(e.kind, e.blocking) for e in rows if e.blocking]


@transaction.atomic
def privacy_erase(*, pemda, actor, person: PersonKey, reason: str) -> dict[str, int]:
    """Anonymise (or delete, per kind) every row about the person; audited.

    Refused while any of those rows is still being handled (an open complaint, a request not yet
    collected or rejected, a message not yet processed or sent): the identity is needed to finish
    the handling and answer. Ask again after closure.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("State the legal reason for the erasure.")})
    rows = person_rows(pemda=pemda, person=person)
    blocked = erasure_blocked(rows)
    if blocked:
        raise ValidationError(
            _("Not erased: %(rows)s still being handled. Erase after the handling is closed.")
            % {"rows": ", ".join(name for _kind, names in blocked for name in names)}
        )
    counts, files_deleted = {}, {}
    for entry in rows:
        if entry.ids:
            counts[entry.kind.key], files = _apply(entry.kind, entry.ids)
            if entry.kind.delete_files is not None:
                files_deleted[entry.kind.key] = files
    audit_record(
        actor=actor,
        action="privacy.erase",
        pemda=pemda,
        changes={
            "person": person_label(person),
            "person_hash": person_hash(person),
            "reason": reason,
            "counts": counts,
            "files_deleted": files_deleted,
        },
    )
    return counts


# -- retention policies ---------------------------------------------------------------------------
@transaction.atomic
def retention_policies_set(*, pemda, actor, days: dict[str, int | None]) -> dict[str, int | None]:
    """Set the Pemda's retention periods (None: back to the default). Returns what changed."""
    from .models import RetentionPolicy

    known = {k.key for k in kinds()}
    current = dict(RetentionPolicy.objects.filter(pemda=pemda).values_list("kind", "days"))
    changed: dict[str, int | None] = {}
    for key, value in days.items():
        if key not in known:
            raise ValidationError(_("Unknown kind of personal data: %(kind)s") % {"kind": key})
        if value is not None and value < MIN_DAYS:
            raise ValidationError({key: _("At least %(days)d days.") % {"days": MIN_DAYS}})
        if current.get(key) == value:
            continue
        if value is None:
            RetentionPolicy.objects.filter(pemda=pemda, kind=key).delete()
        else:
            policy = RetentionPolicy(pemda=pemda, kind=key, days=value)
            policy.pk = (
                RetentionPolicy.objects.filter(pemda=pemda, kind=key)
                .values_list("pk", flat=True)
                .first()
            )
            policy.full_clean(validate_unique=False)
            policy.save()
        changed[key] = value
    if changed:
        audit_record(
            actor=actor, action="privacy.retention", pemda=pemda, changes={"days": changed}
        )
    return changed
