"""Open311 clients, issued by a Pemda administrator; the key is shown once, as a message."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _

from balai.accounts.choices import Role
from balai.core import permissions

from .models import Open311Client
from .services import open311_client_create


def _admin_pemdas(user) -> list[int]:
    return [
        pemda_id
        for pemda_id in permissions.pemdas_of(user)
        if permissions.has_role(user, pemda_id, Role.PEMDA_ADMIN)
    ]


@admin.register(Open311Client)
class Open311ClientAdmin(admin.ModelAdmin):
    """Scoped to the Pemda the user administers (only a Pemda administrator manages keys)."""

    list_display = ["name", "pemda", "key_prefix", "is_active", "created_at", "last_used_at"]
    list_filter = ["pemda", "is_active"]
    search_fields = ["name", "key_prefix"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["pemda", "name"]
        return ["pemda", "name", "is_active", "key_prefix", "created_at", "last_used_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "pemda"] if obj is not None else []

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("pemda")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pemda_id__in=_admin_pemdas(request.user))

    def _allowed(self, request, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if user.is_superuser:
            return True
        pemdas = _admin_pemdas(user)
        return obj.pemda_id in pemdas if obj is not None else bool(pemdas)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pemda" and not request.user.is_superuser:
            from balai.organizations.models import Pemda

            kwargs["queryset"] = Pemda.objects.filter(id__in=_admin_pemdas(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        client, raw_key = open311_client_create(pemda=obj.pemda, name=obj.name, actor=request.user)
        obj.pk = client.pk
        obj.key_prefix, obj.key_hash, obj.created_at = (
            client.key_prefix,
            client.key_hash,
            client.created_at,
        )
        messages.warning(
            request,
            _("The api_key of %(name)s is %(key)s. Copy it now: it will not be shown again.")
            % {"name": client.name, "key": raw_key},
        )
