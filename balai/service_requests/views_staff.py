"""Staff pages for service requests: the list, the counter form, one request with its steps,
and the on-time rate. Views parse, authorize, call one service or selector, and render.

Unknown or invisible requests are 404; a step the user's role or scope does not allow is 403;
a step the status does not allow is the service's ValidationError, shown as an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from balai.accounts.choices import Role
from balai.catalog.models import Service
from balai.catalog.selectors import standard_in_force
from balai.core import permissions
from balai.organizations.models import Pemda, ServicePoint
from balai.outreach.selectors import events_of_day

from . import forms, selectors, services
from .choices import Channel, EventKind
from .models import ServiceRequest


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug, is_active=True)


def _request(user, pemda: Pemda, code: str) -> ServiceRequest:
    try:
        return selectors.service_request_get(user=user, pemda=pemda, code=code)
    except ServiceRequest.DoesNotExist as exc:
        raise Http404 from exc


def _local_today(pemda: Pemda) -> dt.date:
    return timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            if field == "checklist" and "requirements" in form.fields:
                target = "requirements"
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


# -- the list ---------------------------------------------------------------------------------
@login_required
def service_request_list(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    if not selectors.may_see_requests(user=request.user, pemda=pemda):
        raise PermissionDenied
    all_services = Service.objects.filter(pemda=pemda).order_by("name")
    all_points = ServicePoint.objects.filter(pemda=pemda).order_by("name")
    filter_form = forms.ListFilterForm(
        request.GET or None, services=all_services, points=all_points
    )
    filters = filter_form.filters
    rows = selectors.service_request_list(user=request.user, pemda=pemda, filters=filters)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return render(
        request,
        "service_requests/staff_list.html",
        {
            "pemda": pemda,
            "page": page,
            "filter_form": filter_form,
            "filtered": bool(filters),
            "may_file": selectors.may_file_requests(user=request.user, pemda=pemda),
            "may_evaluate": permissions.has_role(
                request.user, pemda.pk, Role.PEMDA_ADMIN, Role.LEADERSHIP
            ),
            "now": timezone.now(),
        },
    )


# -- the counter form -------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def service_request_new(request, pemda_slug: str):
    """GET without a service: choose one. GET with ?service=: the checklist form. POST: file."""
    pemda = _pemda(pemda_slug)
    user = request.user
    if not selectors.may_file_requests(user=user, pemda=pemda):
        raise PermissionDenied
    offered = selectors.counter_services(pemda=pemda)
    source = request.POST if request.method == "POST" else request.GET
    choose = forms.ChooseServiceForm(source if source.get("service") else None, services=offered)
    if not choose.is_bound or not choose.is_valid():
        return render(
            request,
            "service_requests/staff_new.html",
            {"pemda": pemda, "choose": choose, "form": None},
        )
    service = choose.cleaned_data["service"]
    standard = standard_in_force(service=service, on=_local_today(pemda))
    requirements = list(standard.requirements.all()) if standard else []
    points = selectors.counter_points(user=user, pemda=pemda)
    initial = {
        "service": service.pk,
        "channel": Channel.EVENT
        if permissions.has_role(user, pemda.pk, Role.EVENT_STAFF)
        and not permissions.has_role(user, pemda.pk, Role.PEMDA_ADMIN, Role.AREA_STAFF)
        else Channel.COUNTER,
    }
    if points.count() == 1:
        initial["point"] = points.first().pk
    events = events_of_day(pemda=pemda, day=_local_today(pemda))
    if len(events) == 1:
        initial["event"] = str(events[0].pk)
    form = forms.CounterForm(
        request.POST if request.method == "POST" else None,
        services=offered,
        points=points,
        requirements=requirements,
        events=events,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = ServiceRequest(pemda=pemda, service=data["service"], point=data["point"])
        if not permissions.can_change(user, draft):
            form.add_error(
                "point" if not data["point"] else None,
                _("You may file requests only at the service points of your area."),
            )
        else:
            try:
                filed = services.service_request_submit(
                    pemda=pemda,
                    service=data["service"],
                    point=data["point"],
                    channel=data["channel"],
                    applicant_name=data["applicant_name"],
                    applicant_phone=data["applicant_phone"],
                    checklist=data["requirements"],
                    actor=user,
                    event=data["event_object"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Request %(code)s filed. Give the applicant this code.")
                    % {"code": filed.tracking_code},
                )
                return redirect(
                    "staff:service_request_detail",
                    pemda_slug=pemda.slug,
                    code=filed.tracking_code,
                )
    return render(
        request,
        "service_requests/staff_new.html",
        {
            "pemda": pemda,
            "choose": choose,
            "form": form,
            "service": service,
            "standard": standard,
        },
    )


# -- one request and its steps ----------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    slug: str  # in the URL
    key: str  # services.ALLOWED_FROM key
    title: str
    form_class: type
    run: Callable[[ServiceRequest, object, dict], str]
    button_class: str = "btn-primary"


def _complete(req, actor, data):
    req = services.service_request_complete(
        request=req, actor=actor, checklist=data["requirements"]
    )
    if req.missing:
        return _("Checklist saved; still missing: %(missing)s.") % {
            "missing": ", ".join(req.missing)
        }
    return _("Documents complete: the clock has started.")


def _ready(req, actor, data):
    req = services.service_request_ready(request=req, actor=actor)
    if req.applicant_phone:
        return _("Marked ready; the applicant is told on WhatsApp.")
    return _("Marked ready.")


def _collect(req, actor, data):
    services.service_request_collect(request=req, actor=actor)
    return _("Marked as collected.")


def _reject(req, actor, data):
    services.service_request_reject(request=req, actor=actor, reason=data["reason"])
    return _("Request rejected.")


STEPS: dict[str, Step] = {
    step.slug: step
    for step in [
        Step(
            "lengkapi",
            "complete",
            gettext_lazy("Documents brought"),
            forms.CompleteForm,
            _complete,
        ),
        Step("siap", "ready", gettext_lazy("Ready to collect"), forms.EmptyForm, _ready),
        Step(
            "diambil",
            "collect",
            gettext_lazy("Collected by the applicant"),
            forms.EmptyForm,
            _collect,
        ),
        Step(
            "tolak",
            "reject",
            gettext_lazy("Reject"),
            forms.RejectForm,
            _reject,
            "btn-outline-danger",
        ),
    ]
}


def _detail_context(request, pemda, req, bound: dict | None = None) -> dict:
    bound = bound or {}
    may_change = permissions.can_change(request.user, req)
    actions = []
    if may_change:
        for step in STEPS.values():
            if req.status not in services.ALLOWED_FROM[step.key]:
                continue
            form = bound.get(step.slug) or step.form_class(request=req, prefix=step.slug)
            actions.append({"step": step, "form": form, "open": step.slug in bound})
        if actions and not any(a["open"] for a in actions):
            actions[0]["open"] = True
    requirements = list(req.standard.requirements.all())
    checklist = req.checklist or {}
    return {
        "pemda": pemda,
        "req": req,
        "checklist": [(r, bool(checklist.get(str(r.pk)))) for r in requirements],
        "events": list(selectors.service_request_timeline(req)),
        "actions": actions,
        "now": timezone.now(),
        "event_kinds": EventKind,
    }


@login_required
def service_request_detail(request, pemda_slug: str, code: str):
    pemda = _pemda(pemda_slug)
    req = _request(request.user, pemda, code)
    return render(
        request, "service_requests/staff_detail.html", _detail_context(request, pemda, req)
    )


@login_required
@require_POST
def service_request_step(request, pemda_slug: str, code: str, step: str):
    pemda = _pemda(pemda_slug)
    req = _request(request.user, pemda, code)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    if not permissions.can_change(request.user, req):
        raise PermissionDenied
    form = chosen.form_class(request.POST, request=req, prefix=chosen.slug)
    if form.is_valid():
        try:
            text = chosen.run(req, request.user, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, text)
            return redirect(
                "staff:service_request_detail", pemda_slug=pemda.slug, code=req.tracking_code
            )
    req = _request(request.user, pemda, code)
    if req.status not in services.ALLOWED_FROM[chosen.key]:
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(
            "staff:service_request_detail", pemda_slug=pemda.slug, code=req.tracking_code
        )
    context = _detail_context(request, pemda, req, bound={chosen.slug: form})
    return render(request, "service_requests/staff_detail.html", context, status=400)


# -- on time ----------------------------------------------------------------------------------
@login_required
def service_request_on_time(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    if not selectors.may_see_requests(user=request.user, pemda=pemda):
        raise PermissionDenied
    today = _local_today(pemda)
    form = forms.OnTimeForm(
        request.GET if "start" in request.GET else None,
        initial={"start": today.replace(day=1), "end": today},
        services=Service.objects.filter(pemda=pemda).order_by("name"),
        points=ServicePoint.objects.filter(pemda=pemda).order_by("name"),
    )
    rate = None
    if form.is_bound:
        if form.is_valid():
            rate = selectors.on_time_rate(pemda=pemda, **form.cleaned_data)
    else:
        rate = selectors.on_time_rate(pemda=pemda, start=today.replace(day=1), end=today)
    return render(
        request,
        "service_requests/staff_on_time.html",
        {"pemda": pemda, "form": form, "rate": rate},
    )
