"""Staff pages: announcements (list, create, edit, preview, schedule, send, cancel, reach,
posters) and RT/RW contacts (list, import). Views parse, authorize, call one service or
selector, and render."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from balai.catalog.models import Service
from balai.catalog.selectors import local_today
from balai.organizations.models import Pemda, ServicePoint
from balai.outreach.choices import EventStatus
from balai.outreach.models import Event, Program
from balai.regions.models import Region, SubVillageUnit

from . import permissions, selectors, sending, services
from .choices import CampaignStatus, DeliveryStatus
from .forms import CampaignForm, ContactImportForm, ScheduleForm
from .imports import ContactImportError, contacts_import
from .printables import poster_pdf
from .reach import DEFAULT_WINDOW_DAYS, campaign_reach
from .targeting import campaign_recipients

PAGE_SIZE = 25


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda, slug=slug, is_active=True)


def _viewer(request, slug: str) -> Pemda:
    pemda = _pemda(slug)
    if not permissions.may_view(request.user, pemda):
        raise PermissionDenied
    return pemda


def _manager(request, slug: str) -> Pemda:
    pemda = _pemda(slug)
    if not permissions.may_manage(request.user, pemda):
        raise PermissionDenied
    return pemda


def _campaign(pemda, pk):
    campaign = selectors.campaign_get(pemda, pk)
    if campaign is None:
        raise Http404
    return campaign


def _check_scope(request, pemda, targets) -> None:
    scope = permissions.area_scope(request.user, pemda)
    for t in targets:
        code = t.unit.village_id if t.unit_id else t.region_id
        if not permissions.code_in_scope(code, scope):
            raise PermissionDenied


# -- announcements ----------------------------------------------------------------------------
@login_required
def announcement_list(request, pemda_slug: str):
    pemda = _viewer(request, pemda_slug)
    query = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    if status not in CampaignStatus.values:
        status = ""
    page = Paginator(
        selectors.campaign_list(pemda, query=query, status=status), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/staff_list.html",
        {
            "pemda": pemda,
            "page": page,
            "query": query,
            "status": status,
            "statuses": CampaignStatus.choices,
            "may_manage": permissions.may_manage(request.user, pemda),
        },
    )


def _target_choices(pemda, scope):
    """(value, label, parent kecamatan code) for the picker: regions 'r:<code>', units 'u:<id>'."""
    areas = selectors.area_choices(pemda)
    choices = []
    if scope is None:
        choices.append((f"r:{pemda.region_id}", _("The whole Pemda"), ""))
    for area in areas:
        if not permissions.code_in_scope(area.code, scope):
            continue
        indent = "\u2003" if area.level == 4 else ""
        label = f"{indent}{area.get_kind_display()} {area.name}"
        choices.append((f"r:{area.code}", label, area.code[:8]))
    units = (
        SubVillageUnit.objects.filter(pemda=pemda)
        .select_related("village")
        .order_by("village_id", "kind", "name")
    )
    for unit in units:
        if not permissions.code_in_scope(unit.village_id, scope):
            continue
        label = f"\u2003\u2003{unit.get_kind_display()} {unit.name}, {unit.village.name}"
        choices.append((f"u:{unit.pk}", label, unit.village_id[:8]))
    return choices


def _parse_targets(pemda, values):
    codes = [v[2:] for v in values if v.startswith("r:")]
    ids = [int(v[2:]) for v in values if v.startswith("u:") and v[2:].isdigit()]
    regions = list(Region.objects.filter(code__in=codes))
    units = list(SubVillageUnit.objects.filter(pemda=pemda, pk__in=ids).select_related("village"))
    return regions, units


EVENT_PAST_DAYS = 30  # service days offered: from a month ago on (and the one linked)


def _form_kwargs(pemda, scope, campaign=None):
    """The form's choices, all of this Pemda: active programs, service days from a month ago on
    (not cancelled), plus whatever the campaign already links."""
    programs = Program.objects.filter(pemda=pemda).filter(
        Q(is_active=True) | Q(pk=getattr(campaign, "program_id", None))
    )
    since = local_today(pemda) - dt.timedelta(days=EVENT_PAST_DAYS)
    events = (
        Event.objects.filter(pemda=pemda)
        .filter(
            (Q(date__gte=since) & ~Q(status=EventStatus.CANCELLED))
            | Q(pk=getattr(campaign, "event_id", None))
        )
        .select_related("program", "venue")
        .order_by("date", "start_time", "pk")
    )
    return {
        "target_choices": [(v, label) for v, label, _k in _target_choices(pemda, scope)],
        "points": ServicePoint.objects.filter(pemda=pemda, is_active=True).order_by("name"),
        "services": Service.objects.filter(pemda=pemda).order_by("name"),
        "programs": programs.order_by("name"),
        "events": events,
    }


def _links(pemda, data):
    point = ServicePoint.objects.filter(pemda=pemda, pk=data.get("service_point")).first()
    service = Service.objects.filter(pemda=pemda, pk=data.get("service")).first()
    program = Program.objects.filter(pemda=pemda, pk=data.get("program")).first()
    event = (
        Event.objects.filter(pemda=pemda, pk=data.get("event")).select_related("program").first()
    )
    return {
        "topic": data["topic"],
        "service_point": point,
        "service": service,
        "program": program,
        "event": event,
        "session_kind": data.get("session_kind") or "",
        "channels": ",".join(data["channels"]),
    }


@login_required
def announcement_edit(request, pemda_slug: str, pk: int | None = None):
    pemda = _manager(request, pemda_slug)
    scope = permissions.area_scope(request.user, pemda)
    campaign = _campaign(pemda, pk) if pk else None
    if campaign is not None:
        _check_scope(request, pemda, selectors.campaign_targets(campaign))
        if campaign.status not in services.EDITABLE:
            messages.error(request, _("Only a draft or scheduled announcement can be changed."))
            return redirect("staff:announcement_detail", pemda.slug, campaign.pk)
    initial = {}
    if campaign is not None:
        targets = selectors.campaign_targets(campaign)
        initial = {
            "title": campaign.title,
            "body": campaign.body,
            "topic": campaign.topic,
            "targets": [f"u:{t.unit_id}" if t.unit_id else f"r:{t.region_id}" for t in targets],
            "channels": campaign.channel_list,
            "service_point": campaign.service_point_id,
            "service": campaign.service_id,
            "session_kind": campaign.session_kind,
            "program": campaign.program_id,
            "event": campaign.event_id,
        }
    kwargs = _form_kwargs(pemda, scope, campaign)
    form = CampaignForm(request.POST or None, request.FILES or None, initial=initial, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        regions, units = _parse_targets(pemda, data["targets"])
        upload = None
        if data.get("attachment"):
            upload = (data["attachment"].read(), data["attachment"].name)
        try:
            if campaign is None:
                campaign = services.campaign_create(
                    actor=request.user,
                    pemda=pemda,
                    title=data["title"],
                    body=data["body"],
                    regions=regions,
                    units=units,
                    upload=upload,
                    **_links(pemda, data),
                )
            else:
                campaign = services.campaign_update(
                    actor=request.user,
                    campaign=campaign,
                    regions=regions,
                    units=units,
                    upload=upload,
                    remove_attachment=data.get("remove_attachment", False),
                    title=data["title"],
                    body=data["body"],
                    **_links(pemda, data),
                )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The announcement was saved."))
            return redirect("staff:announcement_detail", pemda.slug, campaign.pk)
    picker = _target_choices(pemda, scope)
    selected = form["targets"].value() or []
    return render(
        request,
        "announcements/staff_edit.html",
        {
            "pemda": pemda,
            "form": form,
            "campaign": campaign,
            "kecamatan": [a for a in selectors.area_choices(pemda) if a.level == 3],
            "picker": picker,
            "selected_targets": set(selected),
        },
    )


@login_required
def announcement_detail(request, pemda_slug: str, pk: int):
    """Preview with the recipients' count, and the actions its status allows."""
    pemda = _viewer(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    targets = selectors.campaign_targets(campaign)
    editable = campaign.status in services.EDITABLE
    recipients = campaign_recipients(campaign) if editable else []
    by_channel: dict[str, int] = {}
    for r in recipients:
        by_channel[r.channel] = by_channel.get(r.channel, 0) + 1
    tz = ZoneInfo(pemda.timezone)
    return render(
        request,
        "announcements/staff_detail.html",
        {
            "pemda": pemda,
            "campaign": campaign,
            "targets": targets,
            "editable": editable,
            "may_manage": permissions.may_manage(request.user, pemda),
            "recipient_count": len(recipients),
            "unknown_count": 0
            if editable
            else campaign.deliveries.filter(status=DeliveryStatus.UNKNOWN).count(),
            "by_channel": sorted(by_channel.items()),
            "schedule_form": ScheduleForm(
                initial={"at": campaign.scheduled_at.astimezone(tz)}
                if campaign.scheduled_at
                else None,
                tz=pemda.timezone,
            ),
            "is_image": campaign.attachment_type.startswith("image/"),
        },
    )


@login_required
@require_POST
def announcement_schedule(request, pemda_slug: str, pk: int):
    pemda = _manager(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    _check_scope(request, pemda, selectors.campaign_targets(campaign))
    form = ScheduleForm(request.POST, tz=pemda.timezone)
    if form.is_valid():
        try:
            services.campaign_schedule(
                actor=request.user, campaign=campaign, at=form.cleaned_data["at"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The announcement is scheduled."))
    else:
        messages.error(request, _("Give a valid date and time."))
    return redirect("staff:announcement_detail", pemda.slug, campaign.pk)


@login_required
@require_POST
def announcement_send(request, pemda_slug: str, pk: int):
    pemda = _manager(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    _check_scope(request, pemda, selectors.campaign_targets(campaign))
    try:
        services.campaign_send(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The announcement is published and being sent."))
    return redirect("staff:announcement_detail", pemda.slug, campaign.pk)


@login_required
def announcement_cancel(request, pemda_slug: str, pk: int):
    """GET asks for confirmation; POST cancels (only before sending)."""
    pemda = _manager(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    _check_scope(request, pemda, selectors.campaign_targets(campaign))
    if request.method == "POST":
        try:
            services.campaign_cancel(actor=request.user, campaign=campaign)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The announcement was cancelled; nothing was sent."))
        return redirect("staff:announcement_detail", pemda.slug, campaign.pk)
    return render(
        request, "announcements/staff_cancel.html", {"pemda": pemda, "campaign": campaign}
    )


@login_required
def announcement_reach(request, pemda_slug: str, pk: int):
    pemda = _viewer(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    try:
        days = max(1, min(int(request.GET.get("hari", DEFAULT_WINDOW_DAYS)), 90))
    except ValueError:
        days = DEFAULT_WINDOW_DAYS
    targets = selectors.campaign_targets(campaign)
    reach = campaign_reach(campaign, targets=targets, window_days=days)
    return render(
        request,
        "announcements/staff_reach.html",
        {
            "pemda": pemda,
            "campaign": campaign,
            "reach": reach,
            "tz": pemda.timezone,
            "may_manage": permissions.may_manage(request.user, pemda),
        },
    )


@login_required
@require_POST
def announcement_unknown_resolve(request, pemda_slug: str, pk: int, delivery_pk: int):
    """A message whose outcome is unknown: staff checked with the recipient and send it again
    ("kirim") or mark it sent ("terkirim")."""
    pemda = _manager(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    _check_scope(request, pemda, selectors.campaign_targets(campaign))
    decision = request.POST.get("keputusan")
    if decision not in ("kirim", "terkirim"):
        raise Http404
    delivery = get_object_or_404(
        campaign.deliveries.all(), pk=delivery_pk, status=DeliveryStatus.UNKNOWN
    )
    resend = decision == "kirim"
    sending.delivery_unknown_resolve(actor=request.user, delivery=delivery, resend=resend)
    if resend:
        messages.success(request, _("The message is queued to be sent again."))
    else:
        messages.success(request, _("The message is marked as sent."))
    return redirect("staff:announcement_reach", pemda.slug, campaign.pk)


@login_required
def announcement_attachment(request, pemda_slug: str, pk: int):
    pemda = _viewer(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    if not campaign.attachment:
        raise Http404
    response = FileResponse(campaign.attachment.open("rb"), content_type=campaign.attachment_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def announcement_poster(request, pemda_slug: str, pk: int):
    pemda = _viewer(request, pemda_slug)
    campaign = _campaign(pemda, pk)
    size = request.GET.get("ukuran", "a4")
    if size not in ("a4", "a5"):
        size = "a4"
    pdf = poster_pdf(campaign, size=size, targets=selectors.campaign_targets(campaign))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pengumuman-{campaign.pk}-{size}.pdf"'
    return response


# -- contacts ---------------------------------------------------------------------------------
@login_required
def contact_list(request, pemda_slug: str):
    pemda = _manager(request, pemda_slug)
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.contact_list(pemda, query=query)
    scope = permissions.area_scope(request.user, pemda)
    if scope is not None:
        condition = Q(pk__in=[])
        for code in scope:
            condition |= (
                Q(region__code=code)
                | Q(region__code__startswith=code + ".")
                | Q(unit__village__code__startswith=code)
            )
        rows = rows.filter(condition)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "announcements/staff_contacts.html",
        {"pemda": pemda, "page": page, "query": query},
    )


@login_required
def contact_import(request, pemda_slug: str):
    pemda = _manager(request, pemda_slug)
    if permissions.area_scope(request.user, pemda) is not None:
        raise PermissionDenied  # imports cover any area: administrators only
    form = ContactImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = contacts_import(
                actor=request.user,
                pemda=pemda,
                data=upload.read(),
                name=upload.name,
                consent_method=form.cleaned_data["consent_method"],
            )
        except ContactImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)d contacts were imported.") % {"n": result.created})
            return redirect("staff:contact_list", pemda.slug)
    return render(
        request,
        "announcements/staff_import.html",
        {"pemda": pemda, "form": form, "errors": errors},
    )
