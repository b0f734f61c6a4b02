"""The applicant's side: apply online, and track a request by its code. The tracking page never
shows the applicant's name or phone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balai.catalog import selectors as catalog
from balai.core.ratelimit import ratelimit
from balai.organizations.selectors import pemda_list_public

from . import selectors, services
from .forms_public import OnlineApplicationForm


@ratelimit("service-request-form", "10/10m")
@require_http_methods(["GET", "POST"])
def service_request_apply(request, pemda_slug: str, code: str):
    """Apply for a service online; the documents are brought to the chosen office."""
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    service = catalog.service_get_public(pemda=pemda, code=code)
    if service is None or not service.accepts_online:
        raise Http404
    standard = catalog.standard_in_force(service=service, on=catalog.local_today(pemda))
    if standard is None:
        raise Http404
    points = catalog.service_points_offering(service=service)
    form = OnlineApplicationForm(request.POST or None, points=points)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # a bot filled the hidden field: pretend success, store nothing
            return redirect("portal:service_detail", pemda_slug=pemda.slug, code=service.code)
        try:
            req = services.service_request_apply_online(
                pemda=pemda,
                service=service,
                point=data.get("point"),
                applicant_name=data["applicant_name"],
                applicant_phone=data["applicant_phone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Your application is recorded. Keep this code and bring the documents."),
            )
            return redirect("portal:service_request_track", code=req.tracking_code)
    return render(
        request,
        "service_requests/portal_apply.html",
        {
            "pemda": pemda,
            "service": service,
            "standard": standard,
            "requirements": list(standard.requirements.all()),
            "form": form,
        },
    )


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
