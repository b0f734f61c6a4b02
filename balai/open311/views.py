"""The Open311 GeoReport v2 endpoint. Plain Django views: the formats follow the spec exactly.

Every view takes the format from the URL suffix (`.json` or `.xml`), answers errors as a list
of `{code, description}`, and shows only complaints that are not secret, without the reporter.
"""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from balai.complaints.choices import Channel
from balai.complaints.models import Complaint
from balai.complaints.services import complaint_submit
from balai.core.ratelimit import client_ip, hit
from balai.regions.models import Region

from . import representations as rep
from . import selectors
from .formats import Open311Error, render, render_error
from .forms import ServiceRequestForm
from .openapi import document

# POSTs per client address and minute (a shared cache counts across processes: ratelimit).
POST_RATE = "30/m"


def open311(*methods: str):
    """Check the method and the POST rate, and turn `Open311Error`s into spec errors in the
    requested format (the 429 too: an XML client gets XML)."""

    def decorate(view):
        # No cookie or session is involved (POSTs carry an api_key), and every method must reach
        # the check below: a PUT answers 405 in the spec's format, not Django's CSRF page.
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, fmt: str = "json", **kwargs):
            try:
                if request.method not in methods:
                    raise Open311Error(405, _("Method not allowed."))
                if request.method == "POST" and not hit(
                    "open311-post", client_ip(request), POST_RATE
                ):
                    raise Open311Error(
                        429, _("Too many requests. Please wait a moment and try again.")
                    )
                if _has_nul(request.GET) or _has_nul(request.POST):
                    # PostgreSQL text cannot hold NUL: refuse it before any query sees it.
                    raise Open311Error(400, _("Parameters may not contain NUL characters."))
                return view(request, *args, fmt=fmt, **kwargs)
            except Open311Error as error:
                response = render_error(fmt, error)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                if error.status == 429:
                    response["Retry-After"] = "60"
                return response

        return wrapper

    return decorate


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


def _pemda(request):
    source = request.POST if request.method == "POST" else request.GET
    return selectors.jurisdiction_get(source.get("jurisdiction_id"))


@open311("GET")
def discovery(request, fmt):
    url = request.build_absolute_uri(reverse("open311:root"))
    return render(fmt, "discovery", rep.discovery(url))


@open311("GET")
def services(request, fmt):
    pemda = _pemda(request)
    return render(fmt, "services", [rep.service(c) for c in selectors.services_list(pemda)])


@open311("GET")
def service_definition(request, code, fmt):
    category = selectors.service_get(_pemda(request), code)
    return render(fmt, "service_definition", rep.service_definition(category))


@open311("GET", "POST")
def requests(request, fmt):
    pemda = _pemda(request)
    if request.method == "POST":
        return _create(request, pemda, fmt)
    params = {
        name: request.GET.get(name, "")
        for name in ("service_request_id", "service_code", "start_date", "end_date", "status")
    }
    tz = rep.pemda_zone(pemda)
    found = selectors.requests_search(pemda, tz=tz, **params)
    items = [rep.service_request(c, tz=tz, absolute_url=request.build_absolute_uri) for c in found]
    return render(fmt, "service_requests", items)


@open311("GET")
def request_detail(request, service_request_id, fmt):
    pemda = _pemda(request)
    complaint = selectors.request_get(pemda, service_request_id)
    item = rep.service_request(
        complaint, tz=rep.pemda_zone(pemda), absolute_url=request.build_absolute_uri
    )
    return render(fmt, "service_requests", [item])


@open311("GET")
def token(request, token, fmt):
    """Requests are created at once, so the token is the tracking code itself."""
    pemda = _pemda(request)
    exists = Complaint.objects.filter(
        pemda=pemda, channel=Channel.OPEN311, tracking_code=token.strip()
    ).exists()
    if not exists:
        raise Open311Error(404, _("Unknown token."))
    return render(fmt, "service_requests", [{"service_request_id": token, "token": token}])


def _region(pemda, form, attributes) -> Region | None:
    code = form.cleaned_data["address_id"] or attributes.get("kecamatan", "")
    if not code:
        return None
    if attributes.get("kecamatan"):
        kecamatan = selectors.kecamatan_list(pemda).filter(code=attributes["kecamatan"])
        if not kecamatan.exists():
            raise Open311Error(400, _("attribute[kecamatan]: not a kecamatan of this Pemda."))
    region = Region.objects.filter(code=code, is_active=True).first()
    if region is None or not code.startswith(pemda.region_id + "."):
        raise Open311Error(400, _("address_id: not a region code of this Pemda."))
    return region


def _create(request, pemda, fmt):
    selectors.client_authenticate(pemda=pemda, raw_key=request.POST.get("api_key", ""))
    form = ServiceRequestForm(request.POST)
    if not form.is_valid():
        raise Open311Error(400, *form.error_descriptions())
    data = form.cleaned_data
    category = selectors.service_get(pemda, data["service_code"])
    attributes = {
        key[len("attribute[") : -1]: value.strip()
        for key, value in request.POST.items()
        if key.startswith("attribute[") and key.endswith("]")
    }
    name = " ".join(part for part in (data["first_name"], data["last_name"]) if part.strip())
    try:
        complaint = complaint_submit(
            pemda=pemda,
            channel=Channel.OPEN311,
            category=category,
            description=data["description"],
            reporter_name=name,
            reporter_email=data["email"],
            reporter_phone=data["phone"],
            region=_region(pemda, form, attributes),
            lat=data["lat"],
            lng=data["long"],
            address=data["address_string"],
        )
    except ValidationError as error:
        raise Open311Error(400, *error.messages) from error
    notice = _(
        "Received. The request stays private until an officer verifies it; "
        "keep %(code)s to follow it up."
    ) % {"code": complaint.tracking_code}
    item = {
        "service_request_id": complaint.tracking_code,
        "service_notice": notice,
        "account_id": None,
    }
    return render(fmt, "service_requests", [item])


def openapi(request):
    """The OpenAPI 3.0 document of this endpoint (`openapi.py`), for integrators and tools."""
    base = reverse("open311:root").rstrip("/")
    return JsonResponse(document(base), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def not_found(request, rest):
    fmt = "xml" if rest.endswith(".xml") else "json"
    return render_error(fmt, Open311Error(404, _("Unknown resource.")))
