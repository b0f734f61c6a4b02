from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from balai.organizations.selectors import pemda_list_public
from balai.regions.choices import Level


def home(request):
    pemdas = pemda_list_public().annotate(
        kecamatan_count=Count("region__children", distinct=True),
    )
    return render(request, "portal/home.html", {"pemdas": pemdas})


def pemda_home(request, pemda_slug: str):
    pemda = get_object_or_404(pemda_list_public(), slug=pemda_slug)
    counts = pemda.region.children.aggregate(
        kecamatan=Count("code", distinct=True),
        villages=Count("children", filter=Q(children__level=Level.DESA_KELURAHAN)),
    )
    opds = pemda.opds.filter(is_active=True).order_by("name")
    return render(request, "portal/pemda.html", {"pemda": pemda, "counts": counts, "opds": opds})
