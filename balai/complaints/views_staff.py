"""Staff pages for complaint handling: the inbox, one complaint with its workflow steps, files
and notifications. Views parse, authorize, call one service or selector, and render.

Unknown or invisible complaints (another Pemda's, another OPD's) are 404; a step the user's
role or scope does not allow is 403; a step the status does not allow is the service's
ValidationError, shown as an error.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST
from PIL import Image, UnidentifiedImageError

from balai.accounts.choices import Role
from balai.core import permissions
from balai.core.audit import audit_identity_view
from balai.organizations.models import Pemda

from . import clocks, forms, selectors, services
from .choices import EventKind, PauseReason, RejectReason, Status
from .models import Category, Complaint, Escalation, Notification, ResponseTemplate

THUMB_SIDE = 480


@dataclass(frozen=True)
class Step:
    """One workflow step as the complaint page offers it."""

    slug: str  # in the URL
    key: str | None  # services.ALLOWED_FROM key; None: allowed from any status
    title: str
    form_class: type
    run: Callable[[Complaint, object, dict], str]  # returns the success message
    roles: frozenset[str] | None = None  # besides permissions.can_change
    button_class: str = "btn-primary"
    multipart: bool = False


def _verify(complaint, actor, data):
    complaint = services.complaint_verify(
        complaint=complaint,
        actor=actor,
        category=data["category"],
        is_secret=data["is_secret"],
        is_anonymous=data["is_anonymous"],
        kind=data["kind"],
        region=data["region"],
    )
    if complaint.opd:
        return _("Complaint %(code)s verified and assigned to %(opd)s.") % {
            "code": complaint.tracking_code,
            "opd": complaint.opd.short_name,
        }
    return _("Complaint %(code)s verified.") % {"code": complaint.tracking_code}


def _reject(complaint, actor, data):
    services.complaint_reject(
        complaint=complaint,
        actor=actor,
        reason=data["reason"],
        note=data["note"],
        duplicate_of=data["duplicate_code"],
    )
    return _("Complaint %(code)s rejected.") % {"code": complaint.tracking_code}


def _forward(complaint, actor, data):
    copy = services.complaint_forward(
        complaint=complaint,
        actor=actor,
        note=data["note"],
        to_pemda=data["to_pemda"],
        to_body=data["to_body"],
    )
    if copy is not None:
        return _("Complaint forwarded to %(to)s as %(code)s.") % {
            "to": copy.pemda.name,
            "code": copy.tracking_code,
        }
    return _("Complaint forwarded to %(to)s.") % {"to": data["to_body"]}


def _assign(complaint, actor, data):
    complaint = services.complaint_assign(
        complaint=complaint, actor=actor, opd=data["opd"], note=data["note"]
    )
    return _("Complaint assigned to %(opd)s.") % {"opd": complaint.opd.short_name}


def _respond(complaint, actor, data):
    services.complaint_respond(complaint=complaint, actor=actor, text=data["text"])
    return _("Response sent to the reporter.")


def _note(complaint, actor, data):
    services.complaint_note(complaint=complaint, actor=actor, text=data["text"])
    return _("Internal note saved.")


def _start(complaint, actor, data):
    services.complaint_start(complaint=complaint, actor=actor)
    return _("Handling started.")


def _pause(complaint, actor, data):
    services.complaint_pause(
        complaint=complaint,
        actor=actor,
        reason=data["reason"],
        expected_until=data["expected_until"],
        note=data["note"],
    )
    return _("Handling paused; the resolution clock waits.")


def _resume(complaint, actor, data):
    services.complaint_resume(complaint=complaint, actor=actor, note=data["note"])
    return _("Handling resumed.")


def _resolve(complaint, actor, data):
    services.complaint_resolve(
        complaint=complaint,
        actor=actor,
        actions=data["actions"],
        done_on=data["done_on"],
        files=[(f.read(), f.name) for f in data["photos"]],
    )
    return _("Handling report sent to the OPD head for approval.")


def _approve(complaint, actor, data):
    services.complaint_approve(complaint=complaint, actor=actor)
    return _("Handling report approved; the reporter is told.")


def _return(complaint, actor, data):
    services.complaint_return(complaint=complaint, actor=actor, note=data["note"])
    return _("Handling report returned to the OPD.")


def _redact(complaint, actor, data):
    services.complaint_redact(
        complaint=complaint,
        actor=actor,
        description=data["description"],
        remove_attachments=[a.pk for a in data["remove_attachments"]],
    )
    return _("Redacted. The removed content is not kept.")


CALL_CENTER = frozenset({Role.OPERATOR, Role.PEMDA_ADMIN})
HEADS = frozenset({Role.OPD_HEAD, Role.PEMDA_ADMIN})

# In the order the complaint page shows them; the first one available is open.
STEPS: dict[str, Step] = {
    step.slug: step
    for step in [
        Step(
            "verifikasi", "verify", gettext_lazy("Verify"), forms.VerifyForm, _verify, CALL_CENTER
        ),
        Step(
            "tanggapi",
            "respond",
            gettext_lazy("Respond to the reporter"),
            forms.RespondForm,
            _respond,
        ),
        Step(
            "selesaikan",
            "resolve",
            gettext_lazy("Handling report (resolve)"),
            forms.ResolveForm,
            _resolve,
            multipart=True,
        ),
        Step(
            "setujui",
            "approve",
            gettext_lazy("Approve the handling report"),
            forms.EmptyForm,
            _approve,
            HEADS,
        ),
        Step(
            "kembalikan",
            "return",
            gettext_lazy("Return the handling report"),
            forms.ReturnForm,
            _return,
            HEADS,
            "btn-outline-danger",
        ),
        Step(
            "mulai",
            "start",
            gettext_lazy("Start the work"),
            forms.EmptyForm,
            _start,
            None,
            "btn-outline-primary",
        ),
        Step(
            "lanjutkan",
            "resume",
            gettext_lazy("Resume"),
            forms.ResumeForm,
            _resume,
            None,
            "btn-outline-primary",
        ),
        Step(
            "tunda",
            "pause",
            gettext_lazy("Pause (waiting)"),
            forms.PauseForm,
            _pause,
            None,
            "btn-outline-secondary",
        ),
        Step(
            "disposisi",
            "assign",
            gettext_lazy("Assign to another OPD"),
            forms.AssignForm,
            _assign,
            None,
            "btn-outline-primary",
        ),
        Step(
            "tolak",
            "reject",
            gettext_lazy("Reject"),
            forms.RejectForm,
            _reject,
            CALL_CENTER,
            "btn-outline-danger",
        ),
        Step(
            "teruskan",
            "forward",
            gettext_lazy("Forward (not our authority)"),
            forms.ForwardForm,
            _forward,
            CALL_CENTER,
            "btn-outline-secondary",
        ),
        Step(
            "redaksi",
            None,
            gettext_lazy("Redact identifying details"),
            forms.RedactForm,
            _redact,
            CALL_CENTER,
            "btn-outline-danger",
        ),
        Step(
            "catatan",
            None,
            gettext_lazy("Internal note"),
            forms.NoteForm,
            _note,
            None,
            "btn-outline-secondary",
        ),
    ]
}


def step_permitted(user, complaint: Complaint, step: Step) -> bool:
    """Whether the user's role and scope allow the step (whatever the status)."""
    if not permissions.can_change(user, complaint):
        return False
    return step.roles is None or permissions.has_role(user, complaint.pemda_id, *step.roles)


def step_available(user, complaint: Complaint, step: Step) -> bool:
    """Permitted, and possible from the complaint's status."""
    from_status = step.key is None or complaint.status in services.ALLOWED_FROM[step.key]
    return from_status and step_permitted(user, complaint, step)


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug, is_active=True)


def _complaint(user, pemda: Pemda, code: str) -> Complaint:
    try:
        return selectors.complaint_get(user=user, pemda=pemda, code=code)
    except Complaint.DoesNotExist as exc:
        raise Http404 from exc


def _add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError onto the form: per field where the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            if field == "duplicate_of" and "duplicate_code" in form.fields:
                target = "duplicate_code"
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# -- the inbox --------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def complaint_inbox(request, pemda_slug: str):
    """GET: one tab of the inbox, filtered and paged. POST: a bulk action of the call center."""
    pemda = _pemda(pemda_slug)
    tabs = selectors.inbox_views(user=request.user, pemda=pemda)
    if not tabs:
        raise PermissionDenied
    keys = [tab.key for tab in tabs]
    current = request.GET.get("tab") if request.GET.get("tab") in keys else keys[0]
    filter_form = forms.InboxFilterForm(request.GET or None, pemda=pemda)
    filters = filter_form.filters
    now = timezone.now()

    bulk_form = None
    call_center = permissions.has_role(request.user, pemda.id, *CALL_CENTER)
    if call_center and current in ("new", "all"):
        targets = permissions.changeable(request.user, Complaint.objects.filter(pemda=pemda))
        bulk_form = forms.BulkForm(request.POST or None, pemda=pemda, complaints=targets)
        if request.method == "POST" and bulk_form.is_valid():
            _bulk(request, bulk_form.cleaned_data)
            return redirect(request.get_full_path())
    elif request.method == "POST":
        raise PermissionDenied

    overview = page = None
    if current == "overview":
        overview = selectors.complaint_overview(
            user=request.user, pemda=pemda, filters=filters, now=now
        )
    else:
        rows = selectors.complaint_inbox(
            user=request.user, pemda=pemda, view=current, filters=filters, now=now
        )
        page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = list(page.object_list)
    return render(
        request,
        "complaints/staff_inbox.html",
        {
            "pemda": pemda,
            "tabs": tabs,
            "current": next(tab for tab in tabs if tab.key == current),
            "filter_form": filter_form,
            "filtered": bool(filters),
            "page": page,
            "overview": overview,
            "bulk_form": bulk_form,
            "selected": request.POST.getlist("complaints"),
            "bulk_rows": page is not None
            and any(row.status == Status.RECEIVED for row in page.object_list),
            "now": now,
            "received": Status.RECEIVED,
            "call_center": call_center,
            "evaluator": permissions.has_role(
                request.user, pemda.id, Role.PEMDA_ADMIN, Role.LEADERSHIP, Role.OPERATOR
            ),
        },
    )


def _bulk(request, data) -> None:
    """Run the chosen step on each complaint through its service; report each failure."""
    done, failed = [], []
    for complaint in data["complaints"]:
        try:
            if data["action"] == forms.BulkForm.VERIFY:
                services.complaint_verify(
                    complaint=complaint,
                    actor=request.user,
                    category=data["category"],
                    is_secret=data["is_secret"],
                    is_anonymous=data["is_anonymous"],
                )
            else:
                services.complaint_reject(
                    complaint=complaint, actor=request.user, reason=RejectReason.SPAM
                )
        except ValidationError as exc:
            failed.append((complaint.tracking_code, " ".join(exc.messages)))
        else:
            done.append(complaint.tracking_code)
    if done:
        text = (
            ngettext("%(count)d complaint verified.", "%(count)d complaints verified.", len(done))
            if data["action"] == forms.BulkForm.VERIFY
            else ngettext(
                "%(count)d complaint rejected as spam.",
                "%(count)d complaints rejected as spam.",
                len(done),
            )
        )
        messages.success(request, text % {"count": len(done)} + " " + ", ".join(done))
    for code, error in failed:
        messages.error(request, _("%(code)s: %(error)s") % {"code": code, "error": error})


# -- one complaint ----------------------------------------------------------------------------
def _event_details(event, category_names: dict[str, str]) -> list[str]:
    """Short readable facts from an event's data."""
    data, kind = event.data or {}, event.kind
    yes, no = _("yes"), _("no")
    if kind == EventKind.RECEIVED and data.get("channel"):
        from .choices import Channel

        return [_("via %(channel)s") % {"channel": Channel(data["channel"]).label}]
    if kind == EventKind.VERIFIED:
        return [
            _("Category: %(category)s")
            % {"category": category_names.get(data.get("category"), data.get("category"))},
            _("Rahasia: %(value)s") % {"value": yes if data.get("rahasia") else no},
            _("Anonim: %(value)s") % {"value": yes if data.get("anonim") else no},
        ]
    if kind == EventKind.ASSIGNED:
        if data.get("from"):
            return [f"{data['from']} → {data.get('to', '')}"]
        return [_("To %(opd)s") % {"opd": data.get("to", "")}]
    if kind == EventKind.REJECTED and data.get("reason"):
        details = [RejectReason(data["reason"]).label]
        if data.get("duplicate_of"):
            details.append(_("Duplicate of %(code)s") % {"code": data["duplicate_of"]})
        return details
    if kind == EventKind.FORWARDED:
        details = [_("To %(to)s") % {"to": data.get("to", "")}]
        if data.get("new_code"):
            details.append(_("New code %(code)s") % {"code": data["new_code"]})
        return details
    if kind == EventKind.PAUSED and data.get("reason"):
        return [
            PauseReason(data["reason"]).label,
            _("Expected until %(date)s") % {"date": data.get("expected_until", "")},
        ]
    if kind == EventKind.RESUMED:
        return [
            _("Waited %(hours)s working hours") % {"hours": data.get("waited_working_hours", 0)}
        ]
    if kind == EventKind.ESCALATED:
        return [f"{Escalation.Clock(data['clock']).label}: {Escalation.Step(data['step']).label}"]
    if kind == EventKind.RESPONDED and data.get("first"):
        return [_("First response")]
    if kind == EventKind.NOTE and data.get("status") == Status.IN_PROGRESS:
        return [_("Work started")]
    if kind == EventKind.NOTE and data.get("forwarded_from"):
        return [
            _("Forwarded from %(pemda)s (%(code)s)")
            % {"pemda": data["forwarded_from"], "code": data.get("code", "")}
        ]
    if kind == EventKind.RATED:
        return [_("Score %(score)s of 5") % {"score": data.get("score")}]
    return []


def _detail_context(request, pemda, complaint, bound: dict | None = None) -> dict:
    user = request.user
    now = timezone.now()
    bound = bound or {}
    templates = list(ResponseTemplate.objects.filter(pemda=pemda))
    actions = []
    for step in STEPS.values():
        if not step_available(user, complaint, step):
            continue
        form = bound.get(step.slug)
        if form is None:
            initial = {}
            if step.slug == "tanggapi" and request.GET.get("template", "").isdigit():
                chosen = next((x for x in templates if x.pk == int(request.GET["template"])), None)
                if chosen is not None:
                    initial["text"] = chosen.text
            kwargs = {"initial": initial} if initial else {}
            form = step.form_class(complaint=complaint, prefix=step.slug, **kwargs)
        actions.append({"step": step, "form": form, "open": bool(bound.get(step.slug))})
    if actions and not any(action["open"] for action in actions):
        wanted = "tanggapi" if "template" in request.GET else None
        for action in actions:
            if wanted is None or action["step"].slug == wanted:
                action["open"] = True
                break
    events = list(selectors.complaint_timeline(complaint))
    names = dict(Category.objects.filter(pemda=pemda).values_list("code", "name"))
    for event in events:
        event.details = _event_details(event, names)
    reporter_files = [
        attachment
        for event in events
        if event.kind in (EventKind.RECEIVED, EventKind.MESSAGE)
        for attachment in event.attachments.all()
    ]
    clock = services.active_clock(complaint)
    return {
        "pemda": pemda,
        "complaint": complaint,
        "place": selectors.region_path(complaint.region),
        "events": events,
        "reporter_files": reporter_files,
        "reports": list(complaint.handling_reports.select_related("author", "approved_by")),
        "clock": clock,
        "clock_is_response": bool(clock) and clock[0] == Escalation.Clock.RESPONSE,
        "durations": clocks.durations(complaint, now),
        "now": now,
        "show_reporter": permissions.can_see_reporter(user, complaint),
        "actions": actions,
        "response_templates": templates,
    }


@login_required
def complaint_detail(request, pemda_slug: str, code: str):
    pemda = _pemda(pemda_slug)
    complaint = _complaint(request.user, pemda, code)
    context = _detail_context(request, pemda, complaint)
    if context["show_reporter"]:
        audit_identity_view(actor=request.user, complaint=complaint, via="staff page")
    return render(request, "complaints/staff_detail.html", context)


@login_required
@require_POST
def complaint_step(request, pemda_slug: str, code: str, step: str):
    """One workflow step: validate the form, call the service, redirect back."""
    pemda = _pemda(pemda_slug)
    complaint = _complaint(request.user, pemda, code)
    chosen = STEPS.get(step)
    if chosen is None:
        raise Http404
    if not step_permitted(request.user, complaint, chosen):
        raise PermissionDenied
    form = chosen.form_class(request.POST, request.FILES, complaint=complaint, prefix=chosen.slug)
    if form.is_valid():
        try:
            text = chosen.run(complaint, request.user, form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, text)
            return redirect(
                "staff:complaint_detail", pemda_slug=pemda.slug, code=complaint.tracking_code
            )
    complaint.refresh_from_db()
    if not step_available(request.user, complaint, chosen):
        # The status moved on (another member of staff, or a stale page): say so plainly.
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(
            "staff:complaint_detail", pemda_slug=pemda.slug, code=complaint.tracking_code
        )
    complaint = _complaint(request.user, pemda, code)
    context = _detail_context(request, pemda, complaint, bound={chosen.slug: form})
    return render(request, "complaints/staff_detail.html", context, status=400)


@login_required
def complaint_attachment(request, pemda_slug: str, code: str, pk: int):
    """Stream a complaint's file to staff who may see the complaint (never from MEDIA_URL)."""
    pemda = _pemda(pemda_slug)
    complaint = _complaint(request.user, pemda, code)
    attachment = get_object_or_404(complaint.attachments, pk=pk)
    if request.GET.get("thumb") and attachment.content_type.startswith("image/"):
        response = _thumbnail(attachment)
    else:
        response = FileResponse(
            attachment.file.open("rb"),
            content_type=attachment.content_type,
            filename=os.path.basename(attachment.file.name),
        )
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _thumbnail(attachment) -> HttpResponse:
    with attachment.file.open("rb") as handle:
        try:
            with Image.open(handle) as image:
                image = image.convert("RGB")
                image.thumbnail((THUMB_SIDE, THUMB_SIDE))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=80)
        except (UnidentifiedImageError, OSError) as exc:
            raise Http404 from exc
    return HttpResponse(out.getvalue(), content_type="image/jpeg")


# -- notifications ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request):
    if request.method == "POST":
        unread = Notification.objects.filter(user=request.user, read_at__isnull=True)
        if request.POST.get("notification", "").isdigit():
            unread = unread.filter(pk=int(request.POST["notification"]))
        # A read mark is the user's own bookkeeping: no audit row, no event.
        marked = unread.update(read_at=timezone.now())
        if marked:
            messages.success(
                request,
                ngettext(
                    "%(count)d notification marked as read.",
                    "%(count)d notifications marked as read.",
                    marked,
                )
                % {"count": marked},
            )
        return redirect(_next_url(request, request.path))
    page = Paginator(selectors.notification_list(user=request.user), selectors.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "complaints/staff_notifications.html",
        {"page": page, "unread": selectors.notification_unread_count(user=request.user)},
    )
