"""The public catalog on the portal: the list of services, a service's standard in force
today, and its printable one-page standard sheet (PDF with a QR code to the page)."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from balai.organizations.selectors import pemda_list_public

from . import selectors
from .choices import PUBLIC_COMPONENTS, ServiceCategory

PAGE_SIZE = 20


def service_list(request, pemda_slug: str):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "")
    if category not in ServiceCategory.values:
        category = ""
    services = selectors.service_list_public(pemda=pemda, q=q, category=category)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/service_list.html",
        {
            "pemda": pemda,
            "page": page,
            "q": q,
            "category": category,
            "categories": ServiceCategory.choices,
        },
    )


def _service_context(request, pemda_slug: str, code: str) -> dict:
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    service = selectors.service_get_public(pemda=pemda, code=code)
    if service is None:
        raise Http404
    today = selectors.local_today(pemda)
    standard = selectors.standard_in_force(service=service, on=today)
    if standard is None:  # no published standard yet: not public
        raise Http404
    return {
        "pemda": pemda,
        "service": service,
        "standard": standard,
        "requirements": list(standard.requirements.all()),
        "today": today,
        "components": dict(PUBLIC_COMPONENTS),
        "page_url": request.build_absolute_uri(
            reverse("portal:service_detail", args=[pemda.slug, service.code])
        ),
    }


def service_detail(request, pemda_slug: str, code: str):
    context = _service_context(request, pemda_slug, code)
    service, today = context["service"], context["today"]
    history = list(selectors.standard_history(service=service))  # newest first
    rows = []
    for index, version in enumerate(history):
        until = history[index - 1].effective_from - dt.timedelta(days=1) if index else None
        rows.append(
            {"standard": version, "until": until, "is_upcoming": version.effective_from > today}
        )
    context.update(
        history=rows,
        points=list(selectors.service_points_offering(service=service)),
        maklumat=selectors.maklumat_in_force(service=service, on=today),
    )
    return render(request, "catalog/service_detail.html", context)


def standard_pdf(request, pemda_slug: str, code: str):
    """The standard in force today on one A4 page, with a QR code to the service page."""
    import segno
    from weasyprint import HTML, URLFetcher  # heavy: imported only when a sheet is asked for

    context = _service_context(request, pemda_slug, code)
    context["qr"] = segno.make(context["page_url"], error="m").svg_data_uri(
        scale=4, border=2, dark="#000"
    )
    html = render_to_string("catalog/standard_sheet.html", context, request=request)
    # Everything is embedded (the QR is a data: URI): never fetch anything from the network.
    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="standar-{context["service"].code}.pdf"'
    return response
