"""The public questionnaire a visitor answers on a phone (QR at the office or a WhatsApp link)
and the QR code to print."""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control

from balai.core.ratelimit import ratelimit
from balai.organizations.selectors import pemda_list_public

from . import selectors, services
from .choices import SurveyChannel
from .forms import SurveyForm
from .survey import skm_token_read


def _point(pemda_slug: str, point_slug: str):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    point = selectors.point_get(pemda, point_slug)
    if point is None:
        raise Http404
    return pemda, point


@ratelimit("skm-answer", "20/10m")
def skm_answer(request, pemda_slug: str, point_slug: str):
    pemda, point = _point(pemda_slug, point_slug)
    token = request.POST.get("t") or request.GET.get("t") or ""
    payload = skm_token_read(token) if token else None
    link_problem = bool(token) and (payload is None or payload.point_id != point.pk)
    if link_problem:
        token, payload = "", None
    offered = selectors.point_services(point)
    initial = {}
    if payload and payload.service_id and any(s.pk == payload.service_id for s in offered):
        initial["service"] = str(payload.service_id)
    form = SurveyForm(request.POST or None, initial=initial, services=offered)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.survey_response_submit(
                point=point,
                answers=form.answers(),
                channel=SurveyChannel.WHATSAPP if token else SurveyChannel.QR,
                service=form.service_object(),
                age=data["age"],
                sex=data["sex"],
                education=data["education"],
                occupation=data["occupation"],
                token=token or None,
            )
        except services.AlreadyAnsweredError:
            return render(
                request, "visits/skm_thanks.html", {"pemda": pemda, "point": point, "used": True}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(request, "visits/skm_thanks.html", {"pemda": pemda, "point": point})
    return render(
        request,
        "visits/skm_public.html",
        {
            "pemda": pemda,
            "point": point,
            "form": form,
            "token": token,
            "link_problem": link_problem,
        },
    )


@cache_control(max_age=86400)
def skm_qr(request, pemda_slug: str, point_slug: str):
    """An SVG QR code of the point's questionnaire, to print and put on the counter."""
    import segno

    pemda, point = _point(pemda_slug, point_slug)
    url = request.build_absolute_uri(reverse("portal:skm_answer", args=[pemda.slug, point.slug]))
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=8, border=2, title=point.name)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
