"""Staff pages of the outreach programs: the list, a program's calendar (by week, each event
with its explanation), the plan form and the run's progress, one event (status, attendance,
lock, move, photos), publishing.

Views parse, authorize, call one service or selector, and render.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from balai.catalog.models import Service
from balai.catalog.selectors import local_today
from balai.organizations.models import OPD, Pemda

from . import permissions, selectors, services
from .forms import EventForm, MoveForm, PhotoForm, PlanForm, ProgramForm
from .models import EventPhoto, PlanRun, default_weights

EVENTS_PER_PAGE = 60


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug, is_active=True)


def _readable(request, pemda_slug: str) -> Pemda:
    pemda = _pemda(pemda_slug)
    if not permissions.can_read(request.user, pemda):
        raise PermissionDenied
    return pemda


def _editable(request, pemda_slug: str) -> Pemda:
    pemda = _pemda(pemda_slug)
    if not permissions.can_edit(request.user, pemda):
        raise PermissionDenied
    return pemda


def _program(pemda, slug):
    program = selectors.program_get(pemda=pemda, slug=slug)
    if program is None:
        raise Http404
    return program


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def program_list(request, pemda_slug: str):
    pemda = _readable(request, pemda_slug)
    programs = list(selectors.program_list(user=request.user, pemda=pemda))
    return render(
        request,
        "outreach/program_list.html",
        {
            "pemda": pemda,
            "programs": programs,
            "may_edit": permissions.can_edit(request.user, pemda),
        },
    )


def _program_form(pemda, data=None, initial=None):
    return ProgramForm(
        data,
        initial=initial,
        opds=list(OPD.objects.filter(pemda=pemda, is_active=True).order_by("short_name")),
        services=list(Service.objects.filter(pemda=pemda, is_active=True).order_by("name")),
    )


@login_required
def program_edit(request, pemda_slug: str, program_slug: str | None = None):
    pemda = _editable(request, pemda_slug)
    program = _program(pemda, program_slug) if program_slug else None
    if program is None:
        initial = {"weekdays": [5], "slots_per_day": 1, "is_public": True}
    else:
        initial = {
            **{
                f: getattr(program, f)
                for f in (
                    "name",
                    "slug",
                    "description",
                    "venue_level",
                    "weekdays",
                    "slots_per_day",
                    "start_time",
                    "end_time",
                    "target_year",
                    "target_all",
                    "target_count",
                    "budget_notes",
                    "is_public",
                )
            },
            "opds": [str(pk) for pk in program.opds.values_list("pk", flat=True)],
            "services": [str(pk) for pk in program.services.values_list("pk", flat=True)],
        }
    form = _program_form(pemda, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        fields = form.program_fields()
        try:
            if program is None:
                program = services.program_create(actor=request.user, pemda=pemda, **fields)
            else:
                fields.pop("slug", None)  # the address stays: printed posters link to it
                program = services.program_update(actor=request.user, program=program, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The program is saved."))
            return redirect("staff:outreach_program", pemda.slug, program.slug)
    return render(
        request,
        "outreach/program_form.html",
        {"pemda": pemda, "program": program, "form": form},
    )


@login_required
def program_detail(request, pemda_slug: str, program_slug: str):
    pemda = _readable(request, pemda_slug)
    program = _program(pemda, program_slug)
    show = request.GET.get("show", "upcoming")
    today = local_today(pemda)
    events = selectors.event_list(
        user=request.user, program=program, start=today if show == "upcoming" else None
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "outreach/program_detail.html",
        {
            "pemda": pemda,
            "program": program,
            "weeks": selectors.by_week(page.object_list),
            "page": page,
            "show": show,
            "today": today,
            "runs": selectors.plan_runs(program=program),
            "may_edit": permissions.can_edit(request.user, pemda),
            "opds": list(program.opds.order_by("short_name")),
            "services": list(program.services.order_by("name")),
        },
    )


@login_required
def plan_form(request, pemda_slug: str, program_slug: str):
    pemda = _editable(request, pemda_slug)
    program = _program(pemda, program_slug)
    today = local_today(pemda)
    last = selectors.plan_runs(program=program, limit=1)
    weights = last[0].weights if last else default_weights()
    initial = {
        "period_start": today,
        "period_end": dt.date(today.year, 12, 31),
        "weekdays": program.weekdays,
        "slots_per_day": program.slots_per_day,
        "one_per_kecamatan_per_week": True,
        "exclude_visited": True,
        **weights,
    }
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.plan_run_create(
                actor=request.user,
                program=program,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                constraints=form.constraints(),
                weights=form.weights(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("staff:outreach_run", pemda.slug, program.slug, run.pk)
    return render(
        request,
        "outreach/plan_form.html",
        {"pemda": pemda, "program": program, "form": form},
    )


@login_required
def plan_run(request, pemda_slug: str, program_slug: str, run_id: int):
    pemda = _readable(request, pemda_slug)
    program = _program(pemda, program_slug)
    run = get_object_or_404(PlanRun, pk=run_id, program=program)
    context = {"pemda": pemda, "program": program, "run": run}
    if request.headers.get("HX-Request"):
        return render(request, "outreach/_run_progress.html", context)
    return render(request, "outreach/plan_run.html", context)


@login_required
def event_detail(request, pemda_slug: str, pk: int):
    pemda = _readable(request, pemda_slug)
    event = selectors.event_get(user=request.user, pemda=pemda, pk=pk)
    if event is None:
        raise Http404
    may_edit = permissions.can_edit(request.user, pemda)
    form = EventForm(
        initial={
            "status": event.status,
            "reason": event.status_reason,
            "start_time": event.start_time,
            "end_time": event.end_time,
            "place": event.place,
            "host": event.host,
            "attendance": event.attendance,
            "notes": event.notes,
        }
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = EventForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.event_update(
                    actor=request.user,
                    event=event,
                    status=data.pop("status"),
                    reason=data.pop("reason"),
                    **data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The event is saved."))
                return redirect("staff:outreach_event", pemda.slug, event.pk)
    visits, visit_services = selectors.visits_received(event)
    requests_received, complaints_received = selectors.requests_complaints_received(event)
    return render(
        request,
        "outreach/event_detail.html",
        {
            "visits": visits,
            "visit_services": visit_services,
            "requests_received": requests_received,
            "complaints_received": complaints_received,
            "pemda": pemda,
            "event": event,
            "program": event.program,
            "form": form,
            "move_form": MoveForm(initial={"date": event.date}),
            "photo_form": PhotoForm(),
            "photos": list(event.photos.all()),
            "opds": list(event.opds.order_by("short_name")),
            "services": list(event.services.order_by("name")),
            "may_edit": may_edit,
        },
    )


def _back(request, event):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("staff:outreach_event", event.pemda.slug, event.pk)


def _event_for_edit(request, pemda_slug, pk):
    pemda = _editable(request, pemda_slug)
    event = selectors.event_get(user=request.user, pemda=pemda, pk=pk)
    if event is None:
        raise Http404
    return event


@login_required
@require_POST
def event_lock(request, pemda_slug: str, pk: int):
    event = _event_for_edit(request, pemda_slug, pk)
    locked = request.POST.get("locked") == "1"
    services.event_lock(actor=request.user, event=event, locked=locked)
    messages.success(
        request,
        _("The event is locked: re-planning keeps it.")
        if locked
        else _("The event is unlocked: re-planning may move it."),
    )
    return _back(request, event)


@login_required
@require_POST
def event_move(request, pemda_slug: str, pk: int):
    event = _event_for_edit(request, pemda_slug, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the new date as YYYY-MM-DD."))
        return _back(request, event)
    try:
        warnings = services.event_move(
            actor=request.user,
            event=event,
            date=form.cleaned_data["date"],
            confirm=form.cleaned_data["confirm"],
        )
    except ValidationError as error:
        messages.warning(
            request,
            _("Not moved: %(warnings)s Tick “Move despite the warnings” to move it anyway.")
            % {"warnings": _errors(error)},
        )
        return _back(request, event)
    text = _("Moved to %(date)s and locked.") % {"date": form.cleaned_data["date"]}
    if warnings:
        text += " " + " ".join(warnings)
    messages.success(request, text)
    return _back(request, event)


@login_required
@require_POST
def event_photo(request, pemda_slug: str, pk: int):
    from balai.complaints.attachments import clean_upload

    event = _event_for_edit(request, pemda_slug, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            content, kind = clean_upload(form.cleaned_data["image"].read())
            if kind != "image/jpeg":
                raise ValidationError(_("Only photos (JPEG, PNG, WebP) are accepted."))
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            services.event_photo_add(
                actor=request.user,
                event=event,
                content=content,
                caption=form.cleaned_data["caption"],
            )
            messages.success(request, _("The photo is added (without its location metadata)."))
    else:
        messages.error(request, _("Choose a photo."))
    return redirect("staff:outreach_event", event.pemda.slug, event.pk)


@login_required
def event_photo_file(request, pemda_slug: str, pk: int, photo_id: int):
    from django.http import FileResponse

    pemda = _readable(request, pemda_slug)
    event = selectors.event_get(user=request.user, pemda=pemda, pk=pk)
    if event is None:
        raise Http404
    photo = get_object_or_404(EventPhoto, pk=photo_id, event=event)
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


@login_required
@require_POST
def program_publish(request, pemda_slug: str, program_slug: str):
    pemda = _editable(request, pemda_slug)
    program = _program(pemda, program_slug)
    count = services.events_publish(actor=request.user, program=program, start=local_today(pemda))
    messages.success(
        request,
        ngettext(
            "%(n)s event published on the public schedule.",
            "%(n)s events published on the public schedule.",
            count,
        )
        % {"n": count},
    )
    return redirect(reverse("staff:outreach_program", args=[pemda.slug, program.slug]))
