"""Evaluation figures cached per Pemda and period, invalidated when the data behind them changes.

Each Pemda has a data version in the cache. A save or delete of any row the figures are built
from (complaints, visits, service requests, SKM answers, outreach events and deliveries, ...)
replaces the version (one cache write, see `apps.py`), so every cached figure of that Pemda is
missed on the next read and computed again. Figures that depend on the clock (open breaches)
also expire after `MAX_AGE` seconds.

Writes that bypass model signals (`QuerySet.update`, `bulk_create`, raw SQL) announce
themselves with `balai.core.signals.pemda_data_changed_send(pemda_ids)`.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache

MAX_AGE = 300  # seconds
_VERSION = "balai:eval:version:{pemda}"


def data_version(pemda_id: int) -> str:
    key = _VERSION.format(pemda=pemda_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex[:12]
        cache.add(key, version, None)
        version = cache.get(key) or version
    return version


def data_changed(pemda_id: int | None) -> None:
    """Forget every cached figure of the Pemda (cheap: one cache write)."""
    if pemda_id is not None:
        cache.set(_VERSION.format(pemda=pemda_id), uuid.uuid4().hex[:12], None)


def cached(pemda_id: int, name: str, compute, *, timeout: int = MAX_AGE):
    """`compute()` once per Pemda, name and data version."""
    key = f"balai:eval:{pemda_id}:{data_version(pemda_id)}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def on_row_changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete receiver: the row's Pemda has new data."""
    data_changed(getattr(instance, "pemda_id", None))


def on_bulk_changed(sender, pemda_id, **kwargs) -> None:
    """`balai.core.signals.pemda_data_changed` receiver (bulk writes)."""
    data_changed(pemda_id)
