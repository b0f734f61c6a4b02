"""The leadership dashboard, its drill-down lists and exports, and the transparency settings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from balai.organizations.models import Pemda

from .selectors import may_evaluate


def _pemda_for(request, pemda_slug: str) -> Pemda:
    pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
    if not may_evaluate(request.user, pemda):
        raise PermissionDenied
    return pemda


@login_required
def dashboard_page(request, pemda_slug: str):
    pemda = _pemda_for(request, pemda_slug)
    return render(request, "evaluation/dashboard.html", {"pemda": pemda})


@login_required
def transparency_settings(request, pemda_slug: str):
    pemda = _pemda_for(request, pemda_slug)
    return render(request, "evaluation/transparency_settings.html", {"pemda": pemda})
