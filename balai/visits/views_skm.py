"""Staff pages of the satisfaction survey: the IKM report (with XLSX and PDF), paper entry and
the signed WhatsApp link."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from balai.catalog.models import Service
from balai.core import permissions
from balai.organizations.models import Unit

from . import ikm, selectors, services
from .forms import IKMFilterForm, StaffSurveyForm, SurveyLinkForm
from .survey import MAX_AGE_DAYS, skm_link
from .views import _pemda, _period, roles_that


def _may_see_survey(user, pemda) -> bool:
    return permissions.has_role(user, pemda.pk, *roles_that("survey_response", 0))


@login_required
def ikm_report_page(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    if not _may_see_survey(request.user, pemda):
        raise PermissionDenied
    tz = ZoneInfo(pemda.timezone)
    units = list(Unit.objects.filter(pemda=pemda).order_by("name"))
    points = list(pemda.service_points.filter(is_active=True).order_by("name"))
    service_list = list(Service.objects.filter(pemda=pemda).order_by("name"))
    form, data = _period(
        request,
        tz,
        IKMFilterForm,
        days=91,
        units=units,
        points=points,
        services=service_list,
    )
    policy = ikm.WEIGHT_POLICIES.get(data.get("weight") or "", ikm.DEFAULT_POLICY)
    flt = selectors.IKMFilter(
        start=data["start"],
        end=data["end"],
        unit_id=int(data["unit"]) if data.get("unit") else None,
        point_id=int(data["point"]) if data.get("point") else None,
        service_id=int(data["service"]) if data.get("service") else None,
    )
    report = selectors.ikm_report(request.user, pemda, flt, policy=policy)
    names = {
        "unit": {u.pk: u.name for u in units}.get(flt.unit_id),
        "point": {p.pk: p.name for p in points}.get(flt.point_id),
        "service": {s.pk: s.name for s in service_list}.get(flt.service_id),
    }
    scope = " · ".join(name for name in names.values() if name) or pemda.name
    export = request.GET.get("export")
    if export in ("xlsx", "pdf"):
        from .exports import ikm_pdf, ikm_xlsx

        title = f"Hasil Survei Kepuasan Masyarakat (SKM) {pemda.name}"
        filename = f"ikm-{pemda.slug}-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.{export}"
        if export == "xlsx":
            body = ikm_xlsx(report, title=title, scope=scope)
            kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            body = ikm_pdf(report, title=title, scope=scope)
            kind = "application/pdf"
        response = HttpResponse(body, content_type=kind)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        "visits/skm_report.html",
        {
            "pemda": pemda,
            "form": form,
            "report": report,
            "scope": scope,
            "grades": ikm.GRADES,
            "query": query.urlencode(),
            "points": points,
            "may_enter": bool(selectors.points_for_survey(request.user, pemda)),
        },
    )


@login_required
def survey_entry(request, pemda_slug: str):
    """A paper questionnaire typed in; the form comes back empty for the next one."""
    pemda = _pemda(pemda_slug)
    points = selectors.points_for_survey(request.user, pemda)
    if not points:
        raise PermissionDenied
    tz = ZoneInfo(pemda.timezone)
    service_list = list(Service.objects.filter(pemda=pemda, is_active=True).order_by("name"))
    today = timezone.now().astimezone(tz).date()
    last = request.GET.get("titik") or points[0].slug
    initial = {"point": last, "answered_on": today}
    kwargs = {"points": points, "services": service_list}
    if request.method == "POST":
        form = StaffSurveyForm(request.POST, initial=initial, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            point = form.points[data["point"]]
            day = data["answered_on"]
            if day > today:
                form.add_error("answered_on", _("The date is in the future."))
            else:
                moment = dt.datetime.combine(day, dt.time(12), tz)
                try:
                    services.survey_response_submit(
                        point=point,
                        answers=form.answers(),
                        channel="paper",
                        service=form.service_object(),
                        answered_at=min(moment, timezone.now()),
                        age=data["age"],
                        sex=data["sex"],
                        education=data["education"],
                        occupation=data["occupation"],
                        actor=request.user,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    url = reverse("staff:survey_entry", args=[pemda.slug])
                    return redirect(f"{url}?{urlencode({'titik': point.slug, 'tersimpan': 1})}")
    else:
        form = StaffSurveyForm(initial=initial, **kwargs)
    return render(
        request,
        "visits/skm_entry.html",
        {"pemda": pemda, "form": form, "saved": request.GET.get("tersimpan") == "1"},
    )


@login_required
def survey_link(request, pemda_slug: str):
    """Make a one-time questionnaire link (14 days) to send a visitor over WhatsApp."""
    pemda = _pemda(pemda_slug)
    points = selectors.points_for_logging(request.user, pemda) or selectors.points_for_survey(
        request.user, pemda
    )
    if not points:
        raise PermissionDenied
    service_list = list(Service.objects.filter(pemda=pemda, is_active=True).order_by("name"))
    form = SurveyLinkForm(request.GET or None, points=points, services=service_list)
    link = None
    if request.GET and form.is_valid():
        point = form.points[form.cleaned_data["point"]]
        service = form.services.get(form.cleaned_data["service"] or "")
        link = skm_link(point, service, request=request)
    share = None
    if link:
        text = _("Thank you for visiting. Please rate our service (2 minutes): %(link)s") % {
            "link": link
        }
        share = "https://wa.me/?" + urlencode({"text": text})
    return render(
        request,
        "visits/skm_link.html",
        {"pemda": pemda, "form": form, "link": link, "share": share, "days": MAX_AGE_DAYS},
    )
