"""Generated requests against /open311/v2/ (hypothesis, in process): never a server error.

Open311 has no OpenAPI schema (GeoReport v2 is form-encoded in, JSON or XML out), so the
requests are drawn directly: every endpoint and format, query strings mixing plausible values
(real codes, W3C dates at the edges of the calendar) with arbitrary text (NUL, control
characters, astral planes), and POSTs of any subset of the GeoReport fields with a valid, wrong
or missing api_key. Every answer must be one of the spec's statuses, parse in the format asked
for, and an error must be the spec's list of {code, description}.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET  # parsing our own answers only

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balai.complaints.models import Complaint

from .helpers import verified

BASE = "/open311/v2"
ANSWERS = {200, 400, 403, 404, 405, 429}
FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.text(max_size=40)
nasty = st.sampled_from(
    ["\x00", "a\x00b", "a\x01b", "\x1f", "\u202e", "\ud7ff", "'; --", "%00", " ", "\n", "💥"]
)
dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["0001-01-01", "9999-12-31", "2025-02-30", "2025-13-01"]),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=14))])).map(
        lambda d: d.isoformat()
    ),
    st.sampled_from(
        ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59"]
    ),
    text,
)
codes = st.one_of(st.sampled_from(["jalan", "air", "lama", "51.06", "51.06.04"]), text, nasty)


def valued(strategy):
    return st.one_of(strategy, nasty, text)


def check_answer(response, fmt: str) -> None:
    assert response.status_code in ANSWERS, (response.status_code, response.content[:500])
    if fmt == "xml":
        root = ET.fromstring(response.content)  # noqa: S314
        if response.status_code >= 400:
            assert root.tag == "errors"
            assert all(e.find("code") is not None for e in root)
    else:
        body = json.loads(response.content)
        assert isinstance(body, list | dict)
        if response.status_code >= 400:
            assert body and all(set(e) == {"code", "description"} for e in body)
            assert all(e["code"] == response.status_code for e in body)


@pytest.fixture
def world(bangli, category, operator, api_key):
    public = verified(bangli, category["jalan"], operator, anonymous=True)
    return {"key": api_key, "code": public.tracking_code}


@FUZZ
@given(
    fmt=st.sampled_from(["json", "xml"]),
    path=st.sampled_from(
        ["discovery", "services", "services/{code}", "requests", "requests/{id}", "tokens/{id}"]
    ),
    segment=codes,
    params=st.dictionaries(
        st.sampled_from(
            [
                "jurisdiction_id",
                "service_request_id",
                "service_code",
                "start_date",
                "end_date",
                "status",
                "page",
            ]
        ),
        st.one_of(codes, dates, st.sampled_from(["open", "closed", "open,closed", "OPEN"])),
    ),
)
def test_reads_never_fail(client, world, fmt, path, segment, params):
    segment = segment or "x"
    if "{id}" in path and segment == "jalan":
        segment = world["code"]
    url = f"{BASE}/{path.format(code=segment, id=segment)}.{fmt}"
    response = client.get(url, params)
    if response.status_code == 404 and not response.content.startswith((b"[", b"<?xml")):
        return  # the path itself did not match (the segment's characters): Django's 404
    check_answer(response, fmt)


@FUZZ
@given(
    fmt=st.sampled_from(["json", "xml"]),
    key=st.sampled_from(["valid", "wrong", "missing"]),
    fields=st.fixed_dictionaries(
        {},
        optional={
            "jurisdiction_id": st.one_of(st.just("51.06"), codes),
            "service_code": codes,
            "description": valued(st.just("Jalan berlubang di depan pasar")),
            "lat": valued(st.floats(allow_nan=True).map(str)),
            "long": valued(st.floats(allow_nan=True).map(str)),
            "address_string": text,
            "address_id": valued(st.sampled_from(["51.06.04", "51.06.04.2001", "64.74"])),
            "email": valued(st.emails().map(str)),
            "first_name": text,
            "last_name": text,
            "phone": valued(st.sampled_from(["081299887766", "+62 812-9988-7766", "0"])),
            "attribute[kecamatan]": valued(st.sampled_from(["51.06.04", "51.06", "64.74.02"])),
        },
    ),
)
def test_posts_never_fail_and_store_only_what_they_acknowledge(client, world, fmt, key, fields):
    cache.clear()  # the 30/min limit would answer most generated cases with 429
    if key != "missing":
        fields["api_key"] = world["key"] if key == "valid" else "o311_wrong"
    before = Complaint.objects.count()
    response = client.post(f"{BASE}/requests.{fmt}", fields)
    check_answer(response, fmt)
    stored = Complaint.objects.count() - before
    assert stored == (1 if response.status_code == 200 else 0)
    if response.status_code == 200:
        assert key == "valid"


# What the generated cases found (server errors before the fix), kept as plain regressions.
@pytest.mark.parametrize(
    "params",
    [
        {"end_date": "9999-12-31"},  # OverflowError: the end of the day after
        {"start_date": "9999-12-31"},  # OverflowError: start + 90 days
        {"end_date": "0001-01-01"},  # OverflowError: end - 90 days
        {"start_date": "0001-01-01T00:00:00+08:00"},  # OverflowError: in UTC
        {"jurisdiction_id": "51.06\x00"},  # PostgreSQL: DataError (NUL in text)
        {"service_request_id": "a\x00b"},
        {"service_code": "jalan,\x00"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_edge_dates_and_nul_characters_are_refused_with_400(client, world, params, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400
    check_answer(response, fmt)


def test_nul_in_a_posted_attribute_is_refused_and_stores_nothing(client, world):
    response = client.post(
        f"{BASE}/requests.json",
        {
            "api_key": world["key"],
            "service_code": "jalan",
            "description": "Jalan berlubang",
            "attribute[kecamatan]": "51.06.04\x00",
        },
    )
    assert response.status_code == 400
    assert Complaint.objects.count() == 1  # the fixture's complaint only


def test_dates_inside_the_calendar_still_filter(client, world):
    response = client.get(f"{BASE}/requests.json", {"start_date": "1900-01-01"})
    assert response.status_code == 200
    assert response.json() == []  # 90 days from 1900: nothing


def test_control_characters_never_break_the_xml(client, world, bangli, category, operator):
    verified(bangli, category["air"], operator, description="Air keruh\x01 sejak\x1f pagi")
    response = client.get(f"{BASE}/requests.xml")
    descriptions = [e.text for e in ET.fromstring(response.content).iter("description")]  # noqa: S314
    assert "Air keruh sejak pagi" in descriptions  # the raw characters made the XML unreadable
    response = client.get(f"{BASE}/requests.xml", {"service_code": "a\x01b"})
    assert response.status_code == 404
    check_answer(response, "xml")
