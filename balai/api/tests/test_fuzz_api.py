"""Schemathesis against /api/v1/: generated requests from the OpenAPI schema, in process.

Every operation gets a bounded number of generated cases (CI stays fast); none may answer with
a server error, and the answers must match the schema (status codes, content types, bodies).
The requests carry a Pemda administrator's personal token, and the complaint endpoints are
pointed at real tracking codes half of the time so the workflow steps run, not only 404s.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi import checks as openapi_checks

from balai.accounts.choices import Role
from balai.accounts.services import token_create
from balai.complaints.models import Category
from balai.complaints.services import complaint_submit
from balai.organizations.models import OPD

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())

# Answers DRF gives to any operation that drf-spectacular does not list on each one: not found
# (an unknown code or page), unauthenticated, forbidden, a media type it cannot parse.
GENERIC_STATUSES = frozenset({401, 403, 404, 405, 406, 415})


def documented_status(ctx, response, case):
    """Schemathesis' status-code conformance, allowing the generic answers above."""
    if response.status_code in GENERIC_STATUSES:
        return None
    return openapi_checks.status_code_conformance(ctx, response, case)


CHECKS = [
    schemathesis.checks.not_a_server_error,
    documented_status,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture
def keep_test_connection():
    """Calling the WSGI app directly fires request_finished, which closes the connection (and
    with it the test's transaction on PostgreSQL); Django's own test client disconnects it too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(bontang, make_member, keep_test_connection):
    """Bontang with a category, three complaints and an administrator holding a token."""
    admin = make_member(bontang, Role.PEMDA_ADMIN)
    opd = OPD.objects.filter(pemda=bontang).first()
    category = Category.objects.create(
        pemda=bontang, code="jalan", name="Jalan rusak", default_opd=opd
    )
    codes = [
        complaint_submit(
            pemda=bontang,
            channel="phone",
            category=category,
            description=f"Jalan berlubang nomor {n}",
            reporter_name="Warga",
            reporter_phone="081234567890",
        ).tracking_code
        for n in range(3)
    ]
    _token, key = token_create(actor=admin, name="fuzz")
    return {"key": key, "codes": codes, "pemda": bontang}


@pytest.mark.django_db
@schema.given(known=st.integers(min_value=0, max_value=5))
@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_every_generated_request_without_server_error(case, known, api_world):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {api_world['key']}"}
    params = case.path_parameters or {}
    if "tracking_code" in params and known < len(api_world["codes"]):
        params["tracking_code"] = api_world["codes"][known]
    if "slug" in params and known == 0:
        params["slug"] = api_world["pemda"].slug
    response = case.call()
    case.validate_response(response, checks=CHECKS)


# -- what the schema does not describe: the region filters, and dates at the calendar's ends ---
nasty = st.sampled_from(["\x00", "64.74\x00", "a\x00b", "\u202e", "💥", " ", "%00"])
edge_dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-12))])).map(
        dt.datetime.isoformat
    ),
    st.sampled_from(["0001-01-01", "9999-12-31", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59"]),
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(["/api/v1/regions/", "/api/v1/complaints/", "/api/v1/pemda/"]),
    params=st.dictionaries(
        st.sampled_from(["parent", "level", "q", "received_after", "received_before", "page"]),
        st.one_of(st.text(max_size=20), nasty, edge_dates, st.sampled_from(["64.74", "3"])),
    ),
)
def test_filters_outside_the_schema_never_fail(client, api_world, path, params):
    response = client.get(path, params, HTTP_AUTHORIZATION=f"Bearer {api_world['key']}")
    assert response.status_code in (200, 400, 404), response.content[:300]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/regions/?parent=64.74%00", 200),  # PostgreSQL: DataError (NUL in text)
        ("/api/v1/regions/?q=Bon%00tang", 200),
        ("/api/v1/pemda/a%00b/", 404),
        ("/api/v1/complaints/?received_before=9999-12-31", 400),  # OverflowError
        ("/api/v1/complaints/?received_after=0001-01-01T00:00:00%2B08:00", 400),
    ],
)
def test_what_the_fuzzer_found_answers_without_server_error(client, api_world, path, status):
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {api_world['key']}")
    assert response.status_code == status, response.content[:300]


def test_a_pemda_slug_with_nul_is_refused_with_400(client, api_world):
    response = client.post(
        "/api/v1/complaints/",
        {"pemda": "kota-bontang\x00", "description": "Jalan berlubang"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_world['key']}",
    )
    assert response.status_code == 400  # PostgreSQL: DataError before the fix
    assert "pemda" in response.json()["errors"]
