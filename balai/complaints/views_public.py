"""The citizen's side: file a complaint on the portal, track it by code, rate or reopen it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from balai.core.ratelimit import ratelimit
from balai.organizations.selectors import pemda_list_public

from . import services
from .choices import Channel, Status
from .forms_public import PublicComplaintForm, RatingForm, ReopenForm, TrackForm
from .models import Attachment, Complaint, ComplaintEvent, normalize_tracking_code


@ratelimit("complaint-form", "10/10m")
@require_http_methods(["GET", "POST"])
def complaint_new(request, pemda_slug: str):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    form = PublicComplaintForm(request.POST or None, request.FILES or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:  # a bot filled the hidden field: pretend success, store nothing
            return redirect("portal:pemda", pemda_slug=pemda.slug)
        try:
            complaint = services.complaint_submit(
                pemda=pemda,
                channel=Channel.PORTAL,
                description=data["description"],
                category=data["category"],
                region=data["village"],
                address=data["address"],
                lat=data["lat"],
                lng=data["lng"],
                reporter_name=data["name"],
                reporter_phone=data["phone"],
                reporter_email=data["email"],
                files=[(f.read(), f.name) for f in data["photos"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your complaint has been received. Keep this code."))
            return redirect("portal:complaint_track", code=complaint.tracking_code)
    return render(
        request,
        "complaints/portal_new.html",
        {
            "pemda": pemda,
            "form": form,
            "map_tiles": settings.MAP_TILES_URL,
            "map_attribution": settings.MAP_TILES_ATTRIBUTION,
        },
    )


@ratelimit("track", "60/m", methods=("GET", "POST"))
def complaint_lookup(request):
    form = TrackForm(request.GET or None)
    if form.is_valid():
        code = normalize_tracking_code(form.cleaned_data["code"])
        if Complaint.objects.filter(tracking_code=code).exists():
            return redirect("portal:complaint_track", code=code)
        from balai.service_requests.models import ServiceRequest

        if ServiceRequest.objects.filter(tracking_code=code).exists():
            return redirect("portal:service_request_track", code=code)
        form.add_error("code", _("No complaint has this code. Check it and try again."))
    return render(request, "complaints/portal_lookup.html", {"form": form})


@ratelimit("track", "60/m", methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def complaint_track(request, code: str):
    """Public tracking: status, public timeline, expected date. Never identity or notes."""
    complaint = (
        Complaint.objects.select_related("pemda", "category", "opd", "region")
        .prefetch_related(
            Prefetch("events", queryset=ComplaintEvent.objects.filter(is_public=True)),
            Prefetch("attachments", queryset=Attachment.objects.filter(is_public=True)),
        )
        .filter(tracking_code=normalize_tracking_code(code))
        .first()
    )
    if complaint is None:
        raise Http404
    rating_form = RatingForm(request.POST if "score" in request.POST else None)
    reopen_form = ReopenForm(request.POST if "reason" in request.POST else None)
    if request.method == "POST":
        try:
            if rating_form.is_bound and rating_form.is_valid():
                services.complaint_rate(complaint=complaint, **rating_form.cleaned_data)
                messages.success(request, _("Thank you for your rating."))
                return redirect("portal:complaint_track", code=complaint.tracking_code)
            if reopen_form.is_bound and reopen_form.is_valid():
                services.complaint_reopen(
                    complaint=complaint, reason=reopen_form.cleaned_data["reason"]
                )
                messages.success(request, _("Your complaint has been reopened."))
                return redirect("portal:complaint_track", code=complaint.tracking_code)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    clock = services.active_clock(complaint)
    done = complaint.status in (Status.APPROVED, Status.CLOSED)
    return render(
        request,
        "complaints/portal_track.html",
        {
            "complaint": complaint,
            "pemda": complaint.pemda,
            "expected": clock[1] if clock else None,
            "can_rate": done and not hasattr(complaint, "rating"),
            "can_reopen": done,
            "rating_form": rating_form,
            "reopen_form": reopen_form,
        },
    )


def attachment_public(request, code: str, pk: int):
    attachment = get_object_or_404(
        Attachment, pk=pk, is_public=True, complaint__tracking_code=normalize_tracking_code(code)
    )
    from django.http import FileResponse

    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
