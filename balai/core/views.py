from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from balai.accounts.choices import Role
from balai.organizations.models import Pemda

from . import selectors
from .navigation import staff_links
from .permissions import has_role


@never_cache
def health(request):
    return JsonResponse({"status": "ok"})


@never_cache
def ready(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure means "not ready"
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def staff_home(request):
    memberships = list(
        request.user.memberships.filter(is_active=True)
        .select_related("pemda", "opd", "region")
        .order_by("pemda__name", "role")
    )
    for membership in memberships:
        membership.links = staff_links(membership.role, membership.pemda.slug)
    return render(request, "core/staff_home.html", {"memberships": memberships})


@login_required
def audit_list(request, pemda_slug: str):
    pemda = get_object_or_404(Pemda, slug=pemda_slug)
    if not has_role(request.user, pemda.id, Role.PEMDA_ADMIN):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "").strip() for key in ("action", "actor", "q")}
    entries = selectors.audit_list(pemda=pemda, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request, "core/audit_list.html", {"pemda": pemda, "page": page, "filters": filters}
    )
