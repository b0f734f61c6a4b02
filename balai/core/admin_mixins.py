"""Django admin scoped by Balai's permission rules, so a Pemda admin sees only their Pemda."""

from django.contrib import admin

from . import permissions


class ScopedAdmin(admin.ModelAdmin):
    """Lists and edits only what `balai.core.permissions` allows the user."""

    def get_queryset(self, request):
        return permissions.visible(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return request.user.is_active and request.user.is_staff
        return permissions.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return bool(permissions.pemdas_of(request.user))
        return permissions.can_change(request.user, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser or bool(permissions.pemdas_of(request.user))

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pemda" and not request.user.is_superuser:
            from balai.organizations.models import Pemda

            kwargs["queryset"] = Pemda.objects.filter(id__in=permissions.pemdas_of(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
