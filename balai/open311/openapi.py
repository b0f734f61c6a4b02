"""The OpenAPI 3.0 document of the Open311 endpoint, served at `/open311/v2/openapi.json`.

It describes GeoReport v2 exactly as `views` implements it: form-encoded POST, answers in the
format of the URL suffix (JSON or XML), errors as the spec's list of `{code, description}`.
`tests/test_schemathesis_open311.py` runs schemathesis against it, so a change to the views
that the document does not follow fails there.
"""

from __future__ import annotations

import copy
from typing import Any

from .formats import CONTENT_TYPES


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def both(schema: dict) -> dict:
    """The content of an answer: the same shape in JSON and in XML."""
    return {CONTENT_TYPES["json"]: {"schema": schema}, CONTENT_TYPES["xml"]: {"schema": schema}}


def answer(description: str, schema_name: str) -> dict:
    return {"description": description, "content": both(ref(schema_name))}


def string(description: str = "", **more: Any) -> dict:
    return {"type": "string", **({"description": description} if description else {}), **more}


def obj(xml_name: str, required: list[str], properties: dict) -> dict:
    return {
        "type": "object",
        "xml": {"name": xml_name},
        "required": required,
        "properties": properties,
    }


def array_of(xml_name: str | None, items: dict, **more: Any) -> dict:
    xml = {"name": xml_name, "wrapped": True} if xml_name else {"wrapped": True}
    return {"type": "array", "xml": xml, "items": items, **more}


ERROR = {"$ref": "#/components/responses/Error"}
FORMAT = {"$ref": "#/components/parameters/format"}
JURISDICTION = {"$ref": "#/components/parameters/jurisdiction_id"}


def path_id(name: str, description: str = "") -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": string(description, minLength=1),
    }


def query(name: str, description: str, **schema: Any) -> dict:
    return {"name": name, "in": "query", "description": description, "schema": string(**schema)}


DESCRIPTION = """\
Balai's Open311 endpoint: the frozen GeoReport v2 specification
(http://wiki.open311.org/GeoReport_v2), as this installation implements it.

- Every resource answers in the format named by its suffix: `.json` (`application/json`) or
  `.xml` (`text/xml`, GeoReport v2 element names: the root element of each answer is the
  `xml.name` of its schema, with one child element per item).
- `jurisdiction_id` is the Pemda's region code (e.g. `51.06` for Kabupaten Bangli). It may be
  left out when the installation serves a single Pemda; otherwise it is required (400).
- Services are the Pemda's complaint categories; service requests are its public complaints
  (never a secret one, never the reporter's identity).
- `POST requests` is form-encoded (`application/x-www-form-urlencoded`) and needs an `api_key`
  issued by the Pemda's administrator (Django admin, *Open311 clients*). A new request stays
  private until an officer verifies it, so it is not listed until then; `tokens/{token_id}`
  answers at once. At most 30 POSTs a minute per client address (429).
- Errors are the spec's list of `{code, description}` (XML: `<errors><error>...`) with the HTTP
  status as `code`: 400 (invalid input, a NUL character in a parameter), 403 (missing or
  invalid `api_key`), 404 (unknown resource, jurisdiction, service or request), 405 (another
  method), 429 (too many POSTs).
"""

SERVICE_REQUEST = obj(
    "request",
    ["service_request_id", "status", "service_code", "description", "requested_datetime"],
    {
        "service_request_id": string("The tracking code of the complaint."),
        "status": string(enum=["open", "closed"]),
        "status_notes": string("The latest public note written by staff, or empty."),
        "service_name": string(),
        "service_code": string(),
        "description": string(),
        "agency_responsible": string("The OPD handling the request, or empty."),
        "service_notice": string("The workflow status in words (and a pause's reason)."),
        "requested_datetime": string(format="date-time"),
        "updated_datetime": string(format="date-time"),
        "expected_datetime": string(
            "The running deadline: the response deadline before the first response, then the "
            "resolution deadline. Null (empty in XML) when there is none.",
            format="date-time",
            nullable=True,
        ),
        "address": string(),
        "address_id": string("The region code (kecamatan or desa/kelurahan), or empty."),
        "zipcode": string(),
        "lat": {"type": "number", "nullable": True},
        "long": {"type": "number", "nullable": True},
        "media_url": string("The page of the first public attachment, or empty."),
    },
)

SCHEMAS = {
    "Errors": array_of(
        "errors",
        {
            **obj(
                "error",
                ["code", "description"],
                {
                    "code": {"type": "integer", "description": "The HTTP status."},
                    "description": string(),
                },
            ),
            "additionalProperties": False,
        },
        minItems=1,
    ),
    "Discovery": obj(
        "discovery",
        ["changeset", "contact", "key_service", "endpoints"],
        {
            "changeset": string(format="date-time"),
            "contact": string(),
            "key_service": string(),
            "endpoints": array_of(
                None,
                obj(
                    "endpoint",
                    ["specification", "url", "changeset", "type", "formats"],
                    {
                        "specification": string(),
                        "url": string(),
                        "changeset": string(format="date-time"),
                        "type": string(enum=["production", "test"]),
                        "formats": array_of(None, string(xml={"name": "format"})),
                    },
                ),
            ),
        },
    ),
    "ServiceList": array_of("services", ref("Service")),
    "Service": obj(
        "service",
        ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
        {
            "service_code": string(),
            "service_name": string(),
            "description": string(),
            "metadata": {"type": "boolean"},
            "type": string(enum=["realtime", "batch", "blackbox"]),
            "keywords": string("Comma-separated."),
            "group": string("The OPD (agency) that handles the service by default."),
        },
    ),
    "ServiceDefinition": obj(
        "service_definition",
        ["service_code", "attributes"],
        {
            "service_code": string(),
            "attributes": array_of(
                None,
                obj(
                    "attribute",
                    [
                        "variable",
                        "code",
                        "datatype",
                        "required",
                        "datatype_description",
                        "order",
                        "description",
                    ],
                    {
                        "variable": {"type": "boolean"},
                        "code": string(),
                        "datatype": string(
                            enum=[
                                "string",
                                "number",
                                "datetime",
                                "text",
                                "singlevaluelist",
                                "multivaluelist",
                            ]
                        ),
                        "required": {"type": "boolean"},
                        "datatype_description": string(),
                        "order": {"type": "integer"},
                        "description": string(),
                        "values": array_of(
                            None, obj("value", ["key", "name"], {"key": string(), "name": string()})
                        ),
                    },
                ),
            ),
        },
    ),
    "ServiceRequestList": array_of("service_requests", ref("ServiceRequest")),
    "ServiceRequest": SERVICE_REQUEST,
    "CreatedList": array_of(
        "service_requests",
        obj(
            "request",
            ["service_request_id", "service_notice", "account_id"],
            {
                "service_request_id": string("Also the request's token."),
                "service_notice": string(),
                "account_id": string(nullable=True),
            },
        ),
        minItems=1,
        maxItems=1,
    ),
    "TokenList": array_of(
        "service_requests",
        obj(
            "request",
            ["service_request_id", "token"],
            {"service_request_id": string(), "token": string()},
        ),
        minItems=1,
        maxItems=1,
    ),
    "ServiceRequestForm": {
        "type": "object",
        "required": ["api_key", "service_code", "description"],
        "properties": {
            "api_key": string("The client's key (`o311_...`); missing or invalid answers 403."),
            "jurisdiction_id": string(example="51.06"),
            "service_code": string(maxLength=40, example="jalan"),
            "description": string(minLength=1, maxLength=4000),
            "lat": {
                "type": "number",
                "minimum": -90,
                "maximum": 90,
                "description": "Sent together with `long`.",
            },
            "long": {
                "type": "number",
                "minimum": -180,
                "maximum": 180,
                "description": "Sent together with `lat`.",
            },
            "address_string": string(maxLength=200),
            "address_id": string(
                "A region code of the Pemda (kecamatan or desa/kelurahan).", maxLength=13
            ),
            "email": string(format="email"),
            "first_name": string(maxLength=60),
            "last_name": string(maxLength=60),
            "phone": string(maxLength=20),
            "attribute[kecamatan]": string("A kecamatan code from the service definition."),
        },
    },
}

PATHS = {
    "/": {
        "get": {
            "operationId": "root",
            "summary": "Service discovery (JSON).",
            "responses": {
                "200": {
                    "description": "The discovery document.",
                    "content": {"application/json": {"schema": ref("Discovery")}},
                },
                "400": {
                    "description": "The spec's error list.",
                    "content": {"application/json": {"schema": ref("Errors")}},
                },
            },
        }
    },
    "/discovery.{format}": {
        "get": {
            "operationId": "discovery",
            "summary": "Service discovery.",
            "parameters": [FORMAT],
            "responses": {
                "200": answer("The discovery document.", "Discovery"),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/services.{format}": {
        "get": {
            "operationId": "services",
            "summary": "The services (active complaint categories) of the jurisdiction, by name.",
            "parameters": [FORMAT, JURISDICTION],
            "responses": {
                "200": answer("The services.", "ServiceList"),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/services/{service_code}.{format}": {
        "get": {
            "operationId": "service_definition",
            "summary": "The attributes a request for this service may carry.",
            "description": "Every service has one optional attribute, `kecamatan` (the district: "
            "a `singlevaluelist` of the Pemda's kecamatan region codes).",
            "parameters": [path_id("service_code"), FORMAT, JURISDICTION],
            "responses": {
                "200": answer("The service definition.", "ServiceDefinition"),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/requests.{format}": {
        "get": {
            "operationId": "requests_search",
            "summary": "Public service requests, newest first.",
            "description": "`service_request_id` overrides every other filter. Otherwise the "
            "requests received in a window of at most 90 days: the last 90 days by default, 90 "
            "days from `start_date` or up to `end_date` when only one is given. At most 1000.",
            "parameters": [
                FORMAT,
                JURISDICTION,
                query("service_request_id", "Comma-separated request ids (tracking codes)."),
                query("service_code", "Comma-separated service codes; an unknown one is a 404."),
                query(
                    "start_date",
                    "A W3C date-time, or a date (the start of that day), between 1900-01-01 and "
                    "9000-01-01; without an offset, in the Pemda's time zone.",
                    example="2025-01-01T00:00:00+08:00",
                ),
                query(
                    "end_date",
                    "As `start_date` (a date is the end of that day), at most 90 days later.",
                    example="2025-03-31T23:59:59+08:00",
                ),
                query(
                    "status",
                    "`open`, `closed` or both, comma-separated (any case).",
                    example="open",
                ),
            ],
            "responses": {
                "200": answer("The matching public requests.", "ServiceRequestList"),
                "400": ERROR,
                "404": ERROR,
            },
        },
        "post": {
            "operationId": "request_create",
            "summary": "Submit a service request.",
            "description": "Checked in this order: the jurisdiction (404/400), the `api_key` "
            "(403), the fields (400), the service (404), the location (400). The request is "
            "created at once, so its id is also its token. `device_id`, `account_id` and "
            "`media_url` are not used.",
            "parameters": [FORMAT],
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-www-form-urlencoded": {"schema": ref("ServiceRequestForm")}
                },
            },
            "responses": {
                "200": answer("The request was stored.", "CreatedList"),
                "400": ERROR,
                "403": ERROR,
                "404": ERROR,
                "429": {
                    "description": "Too many POSTs from this address; nothing was stored.",
                    "headers": {"Retry-After": {"schema": string()}},
                    "content": both(ref("Errors")),
                },
            },
        },
    },
    "/requests/{service_request_id}.{format}": {
        "get": {
            "operationId": "request_detail",
            "summary": "One public service request.",
            "parameters": [path_id("service_request_id"), FORMAT, JURISDICTION],
            "responses": {
                "200": answer("A list holding the request.", "ServiceRequestList"),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
    "/tokens/{token_id}.{format}": {
        "get": {
            "operationId": "token",
            "summary": "The request id of a token (a request submitted through Open311).",
            "parameters": [path_id("token_id"), FORMAT, JURISDICTION],
            "responses": {
                "200": answer("The token and its request id (the same value).", "TokenList"),
                "400": ERROR,
                "404": ERROR,
            },
        }
    },
}

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Balai Open311 GeoReport v2", "version": "v2", "description": DESCRIPTION},
    "servers": [{"url": "/open311/v2"}],
    "paths": PATHS,
    "components": {
        "parameters": {
            "format": {
                "name": "format",
                "in": "path",
                "required": True,
                "description": "The answer's format.",
                "schema": string(enum=["json", "xml"]),
            },
            "jurisdiction_id": {
                "name": "jurisdiction_id",
                "in": "query",
                "required": False,
                "description": "The Pemda's region code; optional when the installation serves "
                "a single Pemda.",
                "schema": string(example="51.06"),
            },
        },
        "responses": {
            "Error": {
                "description": "The spec's error list, in the format asked for.",
                "content": both(ref("Errors")),
            }
        },
        "schemas": SCHEMAS,
    },
}


def document(base_path: str = "/open311/v2") -> dict:
    """A copy of the document whose server is `base_path` (the endpoint's path, no slash)."""
    result = copy.deepcopy(DOCUMENT)
    result["servers"] = [{"url": base_path.rstrip("/") or "/"}]
    return result
