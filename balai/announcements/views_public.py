"""Portal pages: announcements per area, one announcement, its attachment, the Atom feed,
subscribing and opting out. Views parse, call one service or selector and render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from balai.catalog.selectors import local_today
from balai.core.ratelimit import ratelimit
from balai.organizations.models import Pemda

from . import selectors, services
from .choices import ConsentMethod
from .forms import OptOutForm, SubscribeForm

PAGE_SIZE = 20


def _pemda(slug: str) -> Pemda:
    return get_object_or_404(Pemda.objects.select_related("region"), slug=slug, is_active=True)


def announcement_list(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    areas = selectors.area_choices(pemda)
    area = None
    if code := request.GET.get("wilayah", ""):
        area = selectors.area_get(pemda, code)
    page = Paginator(selectors.announcements_published(pemda, area=area), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "announcements/portal_list.html",
        {"pemda": pemda, "areas": areas, "area": area, "page": page},
    )


@never_cache
def announcement_detail(request, pemda_slug: str, pk: int):
    pemda = _pemda(pemda_slug)
    campaign = selectors.announcement_public_get(pemda, pk)
    if campaign is None:
        raise Http404
    services.campaign_count_view(campaign_id=campaign.pk)
    return render(
        request,
        "announcements/portal_detail.html",
        {
            "pemda": pemda,
            "campaign": campaign,
            "targets": selectors.campaign_targets(campaign),
            "is_image": campaign.attachment_type.startswith("image/"),
            **selectors.outreach_links_public(campaign, local_today(pemda)),
        },
    )


def announcement_attachment(request, pemda_slug: str, pk: int):
    pemda = _pemda(pemda_slug)
    campaign = selectors.announcement_public_get(pemda, pk)
    if campaign is None or not campaign.attachment:
        raise Http404
    response = FileResponse(campaign.attachment.open("rb"), content_type=campaign.attachment_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@ratelimit("announcement-subscribe", "10/10m")
def subscribe(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    areas = [pemda.region, *selectors.area_choices(pemda)]  # the whole Pemda first
    by_code = {a.code: a for a in areas}
    form = SubscribeForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.subscription_subscribe(
                pemda=pemda,
                areas=[by_code[c] for c in data["areas"]],
                topics=data["topics"],
                phone=data["phone"],
                email=data["email"],
                consent_method=ConsentMethod.PORTAL,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("You are subscribed. Send 'berhenti' on WhatsApp or use the form below to stop."),
            )
            return redirect("portal:announcement_opt_out", pemda.slug)
    return render(request, "announcements/portal_subscribe.html", {"pemda": pemda, "form": form})


@ratelimit("announcement-subscribe", "10/10m")
def opt_out(request, pemda_slug: str):
    pemda = _pemda(pemda_slug)
    form = OptOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscriber_opt_out(
                pemda=pemda,
                phone=form.cleaned_data["phone"],
                email=form.cleaned_data["email"],
                via="portal",
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The same answer whether or not the address was known: nothing is revealed.
            messages.success(request, _("This address will receive no more announcements."))
            return redirect("portal:announcement_list", pemda.slug)
    return render(request, "announcements/portal_opt_out.html", {"pemda": pemda, "form": form})
