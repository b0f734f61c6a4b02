from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from balai.accounts.choices import Role
from balai.organizations.models import Pemda

from . import selectors
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


R = Role
# The staff pages each role works with, in the order the staff home shows them.
ROLE_LINKS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("staff:complaint_inbox", _("Complaint inbox"), frozenset(R) - {R.EVENT_STAFF}),
    (
        "staff:visit_home",
        _("Visit logbook"),
        frozenset({R.AREA_STAFF, R.EVENT_STAFF, R.PEMDA_ADMIN}),
    ),
    (
        "staff:service_request_list",
        _("Service requests"),
        frozenset(
            {R.AREA_STAFF, R.EVENT_STAFF, R.PEMDA_ADMIN, R.LEADERSHIP, R.OPD_HEAD, R.OPD_STAFF}
        ),
    ),
    (
        "staff:visit_uptake",
        _("Uptake of services"),
        frozenset({R.PEMDA_ADMIN, R.LEADERSHIP, R.AREA_STAFF}),
    ),
    ("staff:ikm_report", _("SKM / IKM"), frozenset({R.PEMDA_ADMIN, R.LEADERSHIP})),
    (
        "staff:complaint_evaluation",
        _("Complaint evaluation"),
        frozenset({R.PEMDA_ADMIN, R.LEADERSHIP, R.OPERATOR}),
    ),
    ("staff:audit_list", _("Audit log"), frozenset({R.PEMDA_ADMIN})),
)


@login_required
def staff_home(request):
    memberships = list(
        request.user.memberships.filter(is_active=True)
        .select_related("pemda", "opd", "region")
        .order_by("pemda__name", "role")
    )
    for membership in memberships:
        membership.links = [
            (label, reverse(name, args=[membership.pemda.slug]))
            for name, label, roles in ROLE_LINKS
            if membership.role in roles
        ]
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
