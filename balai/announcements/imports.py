"""Importing RT/RW contacts from a spreadsheet (CSV or XLSX), all or nothing.

Columns (first row, any order, any case): `kode_wilayah` (the desa/kelurahan or kecamatan
code, e.g. 64.74.02.1006), `rw`, `rt` (optional: the unit inside the desa/kelurahan), `peran`
(ketua_rt, ketua_rw, kepala_dusun, lurah_kades, tokoh, or their labels), `nama`, `telepon`,
`email`, `kanal` (whatsapp, sms, email; optional). Every line is checked first; when any line is
wrong, the errors are reported by line number and nothing is written.
"""

from __future__ import annotations

import contextlib
import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balai.core.audit import audit_record
from balai.regions.models import Region, SubVillageUnit

from .choices import Channel, ContactRole
from .models import Contact
from .services import _contact

REQUIRED = ("kode_wilayah", "peran", "nama")
MAX_ROWS = 5000


@dataclass
class ImportResult:
    created: int = 0


class ContactImportError(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(errors)
        self.errors = errors


def read_rows(data: bytes, name: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every non-empty line after the header."""
    if name.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:
            message = _("The file is not a readable XLSX spreadsheet.")
            raise ContactImportError([(0, message)]) from exc
        lines = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
        dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        lines = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    if not lines:
        raise ContactImportError([(1, _("The file is empty."))])
    header = [h.strip().lower().replace(" ", "_") for h in lines[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        message = _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)}
        raise ContactImportError([(1, message)])
    rows = []
    for number, values in enumerate(lines[1:], start=2):
        if not any(values):
            continue
        rows.append(
            (number, dict(zip(header, values + [""] * (len(header) - len(values)), strict=False)))
        )
    if len(rows) > MAX_ROWS:
        raise ContactImportError([(0, _("At most %(n)d lines at once.") % {"n": MAX_ROWS})])
    return rows


def _role(text: str) -> str | None:
    value = text.strip().lower()
    for code, label in ContactRole.choices:
        if value in (code, str(label).lower(), code.replace("_", " ")):
            return code
    return None


def _unit(units: dict, village: str, rw: str, rt: str):
    def names(n):
        return {n, n.zfill(3), n.lstrip("0") or "0"}

    candidates = units.get(village, [])
    rw_unit = None
    if rw:
        rw_unit = next((u for u in candidates if u.kind == "rw" and u.name in names(rw)), None)
        if rw_unit is None:
            return None, _("RW %(rw)s was not found in this desa/kelurahan.") % {"rw": rw}
    if rt:
        rt_unit = next(
            (
                u
                for u in candidates
                if u.kind == "rt"
                and u.name in names(rt)
                and (rw_unit is None or u.parent_id == rw_unit.pk)
            ),
            None,
        )
        if rt_unit is None:
            return None, _("RT %(rt)s was not found in this desa/kelurahan.") % {"rt": rt}
        return rt_unit, ""
    return rw_unit, ""


def contacts_import(*, actor, pemda, data: bytes, name: str, consent_method: str) -> ImportResult:
    rows = read_rows(data, name)
    regions = {
        r.code: r
        for r in Region.objects.filter(code__startswith=pemda.region_id + ".", is_active=True)
    }
    units: dict[str, list[SubVillageUnit]] = {}
    for unit in SubVillageUnit.objects.filter(pemda=pemda):
        units.setdefault(unit.village_id, []).append(unit)
    errors: list[tuple[int, str]] = []
    contacts: list[Contact] = []
    seen: dict[str, int] = {}
    now = timezone.now()
    for line, row in rows:
        code = row.get("kode_wilayah", "")
        region = regions.get(code)
        if region is None:
            errors.append((line, _("Unknown area code %(code)s.") % {"code": code or "—"}))
            continue
        unit, problem = None, ""
        if row.get("rw") or row.get("rt"):
            unit, problem = _unit(units, code, row.get("rw", ""), row.get("rt", ""))
            if problem:
                errors.append((line, problem))
                continue
        role = _role(row.get("peran", ""))
        if role is None:
            errors.append((line, _("Unknown role %(role)s.") % {"role": row.get("peran") or "—"}))
            continue
        channel = row.get("kanal", "").strip().lower()
        if channel and channel not in Channel.values:
            errors.append((line, _("Unknown channel %(c)s.") % {"c": channel}))
            continue
        try:
            contact = _contact(
                pemda,
                unit=unit,
                region=None if unit else region,
                role=role,
                name=row.get("nama", ""),
                phone=row.get("telepon", ""),
                email=row.get("email", ""),
                channel=channel,
                consent_at=now,
                consent_method=consent_method,
            )
        except ValidationError as exc:
            errors.append((line, " ".join(exc.messages)))
            continue
        key = contact.phone or contact.email
        if key in seen:
            errors.append((line, _("The same number or address as line %(n)d.") % {"n": seen[key]}))
            continue
        seen[key] = line
        contacts.append(contact)
    if errors:
        raise ContactImportError(errors)
    with transaction.atomic():
        Contact.objects.bulk_create(contacts)
        audit_record(
            actor=actor,
            action="contact.import",
            pemda=pemda,
            changes={"file": name[:100], "created": len(contacts)},
        )
    return ImportResult(created=len(contacts))
