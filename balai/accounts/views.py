from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import TokenCreateForm
from .services import token_create, token_revoke


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


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
