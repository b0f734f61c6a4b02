"""Schemathesis against /open311/v2/: generated requests from its OpenAPI document, in process.

The document is the one integrators read (`/open311/v2/openapi.json`, built by `openapi.py`),
loaded through the WSGI app. Every operation gets a bounded number of generated cases; none may
answer with a server error, and every answer must be what the document says: a documented
status, the content type of the URL's format (`.json` or `.xml`), a JSON body matching its
schema, an XML body that parses with the documented root element. In part of the cases the
jurisdiction, service code, request id, token and api_key are real ones, so reads find rows and
POSTs are stored, not only refused.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # parsing our own answers only

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi import checks as openapi_checks

from balai.complaints.models import Complaint
from balai.complaints.services import complaint_submit
from balai.open311.formats import CONTENT_TYPES
from balai.open311.openapi import document
from balai.open311.services import open311_client_create

from .helpers import verified

schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", get_wsgi_application())


def _xml_root(operation, status: int) -> str | None:
    """The root element the document gives the answer with `status` (its schema's xml.name)."""
    definition = operation.definition.raw["responses"].get(str(status))
    if definition is None:
        return None
    if "$ref" in definition:  # the shared error answer
        return "errors"
    reference = definition["content"]["text/xml"]["schema"]["$ref"]
    return document()["components"]["schemas"][reference.rsplit("/", 1)[-1]]["xml"]["name"]


def format_is_honoured(ctx, response, case):
    """The answer comes in the URL's format; an XML one parses, with the documented root."""
    # The suffix decides, even one outside the document (a negative case's `.AAA` is JSON).
    fmt = "xml" if case.formatted_path.endswith(".xml") else "json"
    content_type = response.headers.get("content-type", [""])[0].split(";")[0]
    assert content_type == CONTENT_TYPES[fmt], (case.formatted_path, content_type)
    if fmt == "xml":
        root = ET.fromstring(response.content)  # noqa: S314
        expected = _xml_root(case.operation, response.status_code)
        assert root.tag == expected, (case.formatted_path, response.status_code, root.tag)
        if response.status_code >= 400:
            codes = {int(e.findtext("code")) for e in root}
            assert codes == {response.status_code}
    elif response.status_code >= 400:
        assert {e["code"] for e in response.json()} == {response.status_code}
    return None


CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    format_is_honoured,
]


def test_the_document_is_valid_openapi_and_served_as_built(client):
    validate_schema(document())  # the OpenAPI 3.0 JSON schema (drf-spectacular ships it)
    try:  # deeper checks (path parameters declared, references resolve) where it is installed
        from openapi_spec_validator import validate
    except ImportError:
        pass
    else:
        validate(document())
    response = client.get("/open311/v2/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == document()
    assert response.json()["servers"] == [{"url": "/open311/v2"}]


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
def georeport(bangli, category, operator, keep_test_connection):
    """Bangli (the only Pemda) with a public complaint, one sent by Open311, and a client key."""
    _client, key = open311_client_create(pemda=bangli, name="Fuzz", actor=None)
    public = verified(bangli, category["jalan"], operator, anonymous=True)
    sent = complaint_submit(
        pemda=bangli, channel="open311", category=category["air"], description="Air keruh"
    )
    return {
        "key": key,
        "jurisdiction": bangli.region_id,
        "request_id": public.tracking_code,
        "token": sent.tracking_code,
        "kecamatan": "51.06.04",
    }


def _use_real_values(case, world, known: int) -> None:
    """Point part of the cases at real rows: `known` 0-2 real values, 3+ the generated ones
    (and 0 JSON, 1 XML, so both formats reach the successful answers)."""
    if known > 2:
        return
    path = case.path_parameters or {}
    if "format" in path and known < 2:
        path["format"] = ("json", "xml")[known]
    real_path = {
        "service_code": "jalan",
        "service_request_id": world["request_id"],
        "token_id": world["token"],
    }
    for name, value in real_path.items():
        if name in path:
            path[name] = value
    query = case.query if isinstance(case.query, dict) else None
    if query is not None:
        if known == 0:
            query.pop("jurisdiction_id", None)  # optional: a single Pemda is served
        else:
            query["jurisdiction_id"] = world["jurisdiction"]
        if known == 1:  # the read filters too: the default window, any status
            for name in ("service_request_id", "service_code", "start_date", "end_date"):
                query.pop(name, None)
            query["status"] = "open,closed"
    if case.method == "POST" and isinstance(case.body, dict):
        case.body.update(
            api_key=world["key"], jurisdiction_id=world["jurisdiction"], service_code="jalan"
        )
        if known == 0:
            for name in ("lat", "long", "address_id", "email", "attribute[kecamatan]"):
                case.body.pop(name, None)
            case.body["description"] = "Jalan berlubang di depan pasar"
        elif known == 1:
            case.body["attribute[kecamatan]"] = world["kecamatan"]
            case.body.pop("address_id", None)


def _call_and_check(case) -> None:
    cache.clear()  # the 30 POSTs a minute would answer most generated POSTs with 429
    before = Complaint.objects.count()
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    stored = Complaint.objects.count() - before
    assert stored == (1 if case.method == "POST" and response.status_code == 200 else 0)


SUPPRESS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@pytest.mark.django_db
@schema.given(known=st.integers(min_value=0, max_value=4))
@schema.parametrize()
# Generated cases only: the document's examples run in the test below (schemathesis cannot
# combine them with `given`).
@settings(max_examples=30, deadline=None, phases=[Phase.generate], suppress_health_check=SUPPRESS)
def test_open311_answers_every_generated_request_as_documented(case, known, georeport):
    _use_real_values(case, georeport, known)
    _call_and_check(case)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=5, deadline=None, phases=[Phase.explicit], suppress_health_check=SUPPRESS)
def test_the_documented_examples_answer_as_documented(case, georeport):
    _call_and_check(case)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_too_many_posts_answer_in_the_format_asked_for(client, bangli, fmt):
    cache.clear()
    for _ in range(30):
        client.post(f"/open311/v2/requests.{fmt}", {"api_key": "nope"})
    refused = client.post(f"/open311/v2/requests.{fmt}", {"api_key": "nope"})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused["Content-Type"].startswith(CONTENT_TYPES[fmt])
    if fmt == "xml":  # was a JSON body before: the shared limiter only spoke JSON
        root = ET.fromstring(refused.content)  # noqa: S314
        assert (root.tag, root.findtext("error/code")) == ("errors", "429")
    else:
        assert refused.json()[0]["code"] == 429
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch", "options"])
def test_other_methods_answer_405_in_the_spec_format(bangli, method):
    """Found by the generated cases: the read-only views were not CSRF-exempt, so any method
    but GET/POST got Django's HTML "CSRF verification failed" page (403), not the spec's 405.
    (The default test client skips CSRF checks, which hid it from `test_post`.)"""
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/open311/v2/services.xml")
    assert response.status_code == 405 and response["Allow"] == "GET"
    root = ET.fromstring(response.content)  # noqa: S314
    assert (root.tag, root.findtext("error/code")) == ("errors", "405")
    response = getattr(client, method)("/open311/v2/requests.json")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    assert response.json()[0]["code"] == 405
