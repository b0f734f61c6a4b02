"""The applicant's side: track a request by its code. Never the applicant's name or phone."""

from django.http import Http404
from django.shortcuts import render

from . import selectors


def service_request_track(request, code: str):
    """Status, service, due date, what is missing; the public timeline."""
    req = selectors.service_request_public(code)
    if req is None:
        raise Http404
    return render(
        request,
        "service_requests/portal_track.html",
        {"req": req, "pemda": req.pemda, "events": list(req.events.all())},
    )
