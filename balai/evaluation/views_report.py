"""The evaluation-meeting report of a period: PDF and XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import translation

from . import report as reports
from .present import present_card
from .views import _pemda_for, _period


def _report(request, pemda_slug):
    pemda = _pemda_for(request, pemda_slug)
    period, _form = _period(request, pemda)
    with translation.override("id"):  # the meeting document is in Indonesian
        report = reports.report_build(pemda, period)
        cards = [present_card(c, report.previous.label) for c in report.cards]
    return pemda, period, report, cards


def _attachment(response, pemda, period, ext):
    name = f"evaluasi-{pemda.slug}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_pdf(request, pemda_slug: str):
    pemda, period, report, cards = _report(request, pemda_slug)
    with translation.override("id"):
        body = reports.report_pdf(report, cards)
    return _attachment(HttpResponse(body, content_type="application/pdf"), pemda, period, "pdf")


@login_required
def report_xlsx(request, pemda_slug: str):
    pemda, period, report, cards = _report(request, pemda_slug)
    with translation.override("id"):
        body = reports.report_xlsx(report, cards)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return _attachment(response, pemda, period, "xlsx")
