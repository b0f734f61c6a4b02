import math

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from balai.core.ratelimit import client_ip, hit, lock_failure, lock_remaining, too_many

from .forms import TokenCreateForm
from .services import token_create, token_revoke

LOGIN_PER_ADDRESS = "30/10m"  # attempts from one address
FAILURES_PER_USERNAME = "5/15m"  # 5 failed passwords lock the username for 15 minutes


class LoginView(auth_views.LoginView):
    """Django's login, throttled per address; a username is locked for 15 minutes from its fifth
    failed password (within 15 minutes of the first), whatever the address."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not hit("login", client_ip(request), LOGIN_PER_ADDRESS):
            return too_many(request)
        username = request.POST.get("username", "").strip().lower()
        locked = lock_remaining("login-fail", username) if username else 0
        if locked:
            minutes = math.ceil(locked / 60)
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                ngettext(
                    "Too many failed attempts for this account. Try again in %(minutes)d minute.",
                    "Too many failed attempts for this account. Try again in %(minutes)d minutes.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(locked)
            return response
        response = super().post(request, *args, **kwargs)
        if username and not request.user.is_authenticated:
            lock_failure("login-fail", username, FAILURES_PER_USERNAME)
        return response


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    new_key = None
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and "revoke" in request.POST:
        token_revoke(actor=request.user, token_id=request.POST.get("revoke", ""))
        messages.success(request, _("The token was revoked."))
        return redirect("token_list")
    if request.method == "POST" and form.is_valid():
        _token, new_key = token_create(actor=request.user, name=form.cleaned_data["name"])
        form = TokenCreateForm()  # the page shows the new key; the form starts empty again
    tokens = request.user.api_tokens.filter(revoked_at__isnull=True)
    return render(
        request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )
