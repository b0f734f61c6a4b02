"""DRF authentication by personal token: `Authorization: Bearer blai_...` (or `Token`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import PersonalToken


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        raw = header[1].decode(errors="replace")
        now = timezone.now()
        token = (
            PersonalToken.objects.select_related("user")
            .filter(key_hash=PersonalToken.hash_key(raw), revoked_at__isnull=True)
            .first()
        )
        if token is None or (token.expires_at and token.expires_at <= now):
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


try:
    from drf_spectacular.extensions import OpenApiAuthenticationExtension
except ImportError:  # pragma: no cover - drf-spectacular is a dependency
    OpenApiAuthenticationExtension = object  # type: ignore[misc,assignment]


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "balai.accounts.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Akun > API token), sent as `Bearer blai_...`.",
        }
