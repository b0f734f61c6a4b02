"""Evaluation reads on a read replica.

Code that only reads for evaluation runs inside `reporting_reads()`; while it does, this router
sends every read to the database alias named by `settings.BALAI_REPORTING_DATABASE` (default
"reporting") when that alias is configured, and to "default" otherwise. Writes always go to
"default", and nothing is ever migrated on the replica.

Settings (config/settings/base.py):

    DATABASE_ROUTERS = ["balai.evaluation.routers.ReportingRouter"]
    if BALAI_REPORTING_DATABASE_URL:
        DATABASES["reporting"] = dj_database_url.parse(BALAI_REPORTING_DATABASE_URL)
        DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

_ACTIVE: contextvars.ContextVar[bool] = contextvars.ContextVar("balai_reporting", default=False)


def reporting_alias() -> str:
    """The alias evaluation reads use: the reporting replica when configured, else default."""
    alias = getattr(settings, "BALAI_REPORTING_DATABASE", "reporting")
    return alias if alias in connections.settings else "default"


@contextmanager
def reporting_reads():
    """Send the reads made inside this block to the reporting alias (see the module)."""
    token = _ACTIVE.set(True)
    try:
        yield reporting_alias()
    finally:
        _ACTIVE.reset(token)


class ReportingRouter:
    def db_for_read(self, model, **hints):
        if _ACTIVE.get():
            return reporting_alias()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db == getattr(settings, "BALAI_REPORTING_DATABASE", "reporting"):
            return False
        return None
