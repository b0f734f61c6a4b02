"""The 24-hour program's evaluation page for leadership, with CSV and XLSX exports."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balai.accounts.choices import Role
from balai.core.permissions import has_role
from balai.organizations.models import Pemda

from .choices import Channel, PauseReason
from .evaluation import complaint_evaluation, kecamatan_map
from .exports import complaints_csv, evaluation_xlsx
from .models import Complaint

EVALUATORS = (Role.PEMDA_ADMIN, Role.LEADERSHIP, Role.OPERATOR)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("Until (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


def _period(request, tz):
    today = timezone.now().astimezone(tz).date()
    default = {"start": today - dt.timedelta(days=59), "end": today}
    form = PeriodForm(request.GET or None, initial=default)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, default["start"], default["end"]


@login_required
def complaint_evaluation_page(request, pemda_slug: str):
    pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
    if not has_role(request.user, pemda.id, *EVALUATORS):
        raise PermissionDenied
    tz = ZoneInfo(pemda.timezone)
    form, start, end = _period(request, tz)
    evaluation = complaint_evaluation(
        pemda=pemda, start=start, end=end + dt.timedelta(days=1), tz=tz
    )
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        since = dt.datetime.combine(start, dt.time(0), tz)
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tz)
        rows = Complaint.objects.filter(pemda=pemda, received_at__gte=since, received_at__lt=until)
        name = f"aduan-{pemda.slug}-{start:%Y%m%d}-{end:%Y%m%d}"
        if export == "csv":
            response = HttpResponse(
                complaints_csv(rows, tz), content_type="text/csv; charset=utf-8"
            )
        else:
            title = f"Evaluasi aduan {pemda.name} {start:%d-%m-%Y} s.d. {end:%d-%m-%Y}"
            response = HttpResponse(
                evaluation_xlsx(evaluation, rows, tz, title=title),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{export}"'
        return response
    channels = [(Channel(key).label, n) for key, n in evaluation.by_channel.items() if n]
    reasons = [(PauseReason(key).label, n) for key, n in evaluation.paused_by_reason.items()]
    return render(
        request,
        "complaints/staff_evaluation.html",
        {
            "pemda": pemda,
            "form": form,
            "ev": evaluation,
            "start": start,
            "end": end,
            "channels": channels,
            "reasons": reasons,
            "map_data": kecamatan_map(
                pemda=pemda, start=start, end=end + dt.timedelta(days=1), tz=tz
            ),
            "map_tiles": settings.MAP_TILES_URL,
            "map_attribution": settings.MAP_TILES_ATTRIBUTION,
            "share_pct": round(evaluation.share_within_24h * 100)
            if evaluation.share_within_24h is not None
            else None,
        },
    )
