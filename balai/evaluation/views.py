"""The leadership dashboard, its drill-down lists and exports, and the transparency settings.

Views parse, authorize, call a selector and render; the figures come from `selectors.dashboard`.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.accounts.choices import Role
from balai.core.permissions import has_role
from balai.organizations.models import Pemda
from balai.visits.charts import column_chart

from .indicators import PROGRAMS, indicator_get
from .models import TransparencySetting
from .periods import KINDS, Period, period_from_query
from .present import number, present_card
from .selectors import dashboard, drilldown, may_evaluate
from .services import transparency_update

PAGE_SIZE = 50


def _pemda_for(request, pemda_slug: str) -> Pemda:
    pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
    if not may_evaluate(request.user, pemda):
        raise PermissionDenied
    return pemda


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=list(KINDS.items()))
    date = forms.DateField(
        label=gettext_lazy("Containing the day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    start = forms.DateField(
        label=gettext_lazy("From (custom)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Until (custom)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _period(request, pemda) -> tuple[Period, PeriodForm]:
    today = timezone.now().astimezone(ZoneInfo(pemda.timezone)).date()
    period = period_from_query(request.GET, today)
    form = PeriodForm(
        initial={
            "period": period.kind,
            "date": period.start if period.kind != "custom" else None,
            "start": period.start,
            "end": period.end,
        }
    )
    return period, form


def _chart(labels, values, key, label):
    return column_chart(labels, [(key, label, values)], every=1 if len(labels) <= 8 else None)


@login_required
def dashboard_page(request, pemda_slug: str):
    pemda = _pemda_for(request, pemda_slug)
    period, form = _period(request, pemda)
    previous = period.previous()
    programs = dashboard(pemda, period)
    sections = []
    charts = {}
    for key, cards in programs.items():
        sections.append((key, PROGRAMS[key], [present_card(c, previous.label) for c in cards]))
        for card in cards:
            v = card.current
            if card.indicator.id == "night_uptake" and v.series:
                charts[card.indicator.id] = _chart(
                    [label for label, _n in v.series],
                    [n for _label, n in v.series],
                    "night",
                    _("Night-service visits per week"),
                )
            elif card.indicator.id == "complaints_received" and v.breakdown:
                charts[card.indicator.id] = _chart(
                    [label.split(" (")[0].replace("Facebook ", "") for label, _n in v.breakdown],
                    [n for _label, n in v.breakdown],
                    "current",
                    _("Complaints per channel"),
                )
    query = urlencode(period.query())
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "pemda": pemda,
            "period": period,
            "previous": previous,
            "form": form,
            "sections": sections,
            "charts": charts,
            "query": query,
            "previous_query": urlencode(previous.query()),
            "next_query": urlencode(period.next().query()),
            "is_admin": has_role(request.user, pemda.id, Role.PEMDA_ADMIN),
        },
    )


class _Echo:
    def write(self, value):
        return value


@login_required
def drilldown_page(request, pemda_slug: str, indicator_id: str):
    pemda = _pemda_for(request, pemda_slug)
    indicator = indicator_get(indicator_id)
    if indicator is None:
        raise Http404
    period, _form = _period(request, pemda)
    scope, rows = drilldown(pemda, indicator, period)
    if request.GET.get("export") == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # spreadsheets read the UTF-8 right
            yield writer.writerow(indicator.columns)
            for obj in rows.iterator(chunk_size=2000):
                yield writer.writerow(indicator.row(obj, scope))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        name = f"{indicator.id}-{pemda.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(period.query())
    return render(
        request,
        "evaluation/drilldown.html",
        {
            "pemda": pemda,
            "indicator": indicator,
            "period": period,
            "page": page,
            "rows": [indicator.row(obj, scope) for obj in page.object_list],
            "count": number(page.paginator.count),
            "query": query,
        },
    )


class TransparencyForm(forms.ModelForm):
    class Meta:
        model = TransparencySetting
        fields = TransparencySetting.SECTIONS


@login_required
def transparency_settings(request, pemda_slug: str):
    pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
    if not has_role(request.user, pemda.id, Role.PEMDA_ADMIN):
        raise PermissionDenied
    setting = TransparencySetting.objects.filter(pemda=pemda).first()
    form = TransparencyForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        transparency_update(
            actor=request.user,
            pemda=pemda,
            **{name: form.cleaned_data[name] for name in TransparencySetting.SECTIONS},
        )
        messages.success(request, _("The transparency page was updated."))
        return redirect("staff:evaluation_transparency", pemda.slug)
    return render(request, "evaluation/transparency_settings.html", {"pemda": pemda, "form": form})
