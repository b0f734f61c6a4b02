"""Staff pages for personal data (pemda_admin only): retention periods, the purge preview, and a
person's export and erasure. Search keys travel only in POST bodies, never in URLs or logs.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from balai.accounts.choices import Role
from balai.core.audit import audit_record
from balai.core.permissions import has_role
from balai.organizations.models import Pemda

from . import forms, services
from .registry import kinds


def _pemda(user, slug: str) -> Pemda:
    """The Pemda of the URL, for its pemda_admin only (403 for everyone else)."""
    pemda = get_object_or_404(Pemda, slug=slug, is_active=True)
    if not has_role(user, pemda.pk, Role.PEMDA_ADMIN):
        raise PermissionDenied
    return pemda


@login_required
@require_http_methods(["GET", "POST"])
def privacy_home(request, pemda_slug: str):
    """The inventory with the Pemda's retention period per kind (editable)."""
    pemda = _pemda(request.user, pemda_slug)
    all_kinds = kinds()
    current = services._policy_days(pemda)
    form = forms.RetentionForm(request.POST or None, kinds=all_kinds, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.retention_policies_set(
                pemda=pemda,
                actor=request.user,
                days={k.key: form.cleaned_data[k.key] for k in all_kinds},
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if changed:
                messages.success(request, _("Retention periods saved."))
            return redirect("staff:privacy_home", pemda.slug)
    in_force = services.retention_days(pemda)
    rows = [(kind, in_force[kind.key], form[kind.key]) for kind in all_kinds]
    return render(request, "privacy/home.html", {"pemda": pemda, "form": form, "rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def privacy_purge_preview(request, pemda_slug: str):
    """What the scheduled purge would anonymise or delete now; a button runs it at once."""
    pemda = _pemda(request.user, pemda_slug)
    if request.method == "POST":
        result = services.privacy_purge(pemda=pemda, actor=request.user)
        total = sum(entry.count for entry in result)
        messages.success(
            request, _("Purge done: %(count)d rows anonymised or deleted.") % {"count": total}
        )
        return redirect("staff:privacy_purge_preview", pemda.slug)
    preview = services.purge_preview(pemda=pemda)
    return render(
        request,
        "privacy/purge_preview.html",
        {"pemda": pemda, "preview": preview, "total": sum(e.count for e in preview)},
    )


def _found(pemda, person, user) -> list:
    rows = services.person_rows(pemda=pemda, person=person)
    audit_record(
        actor=user,
        action="privacy.search",
        pemda=pemda,
        changes={
            "person": services.person_label(person),
            "person_hash": services.person_hash(person),
            "counts": {e.kind.key: e.count for e in rows if e.count},
        },
    )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def privacy_person(request, pemda_slug: str):
    """Search a person by phone number or e-mail: what Balai holds, export or erase."""
    pemda = _pemda(request.user, pemda_slug)
    form = forms.PersonForm(request.POST or None)
    rows = None
    if request.method == "POST" and form.is_valid():
        rows = _found(pemda, form.cleaned_data["person"], request.user)
    return render(
        request,
        "privacy/person.html",
        {
            "pemda": pemda,
            "form": form,
            "rows": rows,
            "total": sum(e.count for e in rows) if rows is not None else 0,
            "blocked": services.erasure_blocked(rows) if rows else [],
            "person": services.person_label(form.cleaned_data["person"]) if rows else "",
        },
    )


@login_required
@require_POST
def privacy_export(request, pemda_slug: str):
    pemda = _pemda(request.user, pemda_slug)
    form = forms.PersonForm(request.POST)
    if not form.is_valid():
        return render(request, "privacy/person.html", {"pemda": pemda, "form": form, "rows": None})
    data, _counts = services.privacy_export(
        pemda=pemda, actor=request.user, person=form.cleaned_data["person"]
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def privacy_erase(request, pemda_slug: str):
    """From the search: the confirmation page. Confirmed with a reason: erase, then back."""
    pemda = _pemda(request.user, pemda_slug)
    confirming = "reason" in request.POST
    form = forms.EraseForm(request.POST) if confirming else forms.PersonForm(request.POST)
    form.is_valid()
    person = form.cleaned_data.get("person")
    if person is None:  # no valid phone number or e-mail: back to the search
        return render(request, "privacy/person.html", {"pemda": pemda, "form": form, "rows": None})
    if not confirming:
        form = forms.EraseForm(initial={k: form.cleaned_data[k] for k in ("phone", "email")})
    elif form.is_valid():
        try:
            counts = services.privacy_erase(
                pemda=pemda, actor=request.user, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Erased: %(count)d rows anonymised or deleted. The erasure is in the audit log.")
                % {"count": sum(counts.values())},
            )
            return redirect("staff:privacy_person", pemda.slug)
    rows = services.person_rows(pemda=pemda, person=person)
    return render(
        request,
        "privacy/erase_confirm.html",
        {
            "pemda": pemda,
            "form": form,
            "rows": rows,
            "total": sum(e.count for e in rows),
            "blocked": services.erasure_blocked(rows),
            "person": services.person_label(person),
        },
    )
