"""Structured logs: one JSON object per line."""

import json
import logging

from balai.core.logging import JSONFormatter


def test_json_formatter_writes_one_object_per_record():
    record = logging.LogRecord("balai.test", logging.WARNING, __file__, 1, "Aduan %s", ("X",), None)
    record.status_code = 429
    entry = json.loads(JSONFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["message"] == "Aduan X"
    assert entry["status_code"] == 429 and entry["logger"] == "balai.test"
