"""Django admin scoped by Balai's permission rules, so a Pemda admin sees only their Pemda.

Balai users hold no Django model permissions: every admin decision comes from
`balai.core.permissions`. Adding needs a role that changes the kind somewhere; changing and
deleting need `can_change` on the object. The form only narrows the choices, so every write is
checked again on the object about to be written (with the values the form put in it) and
refused with PermissionDenied (403) before anything is saved.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied

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
            return permissions.can_change_some(request.user, self.model)
        return permissions.can_change(request.user, obj)

    def has_add_permission(self, request):
        return permissions.can_change_some(request.user, self.model)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pemda" and not request.user.is_superuser:
            from balai.organizations.models import Pemda

            kwargs["queryset"] = Pemda.objects.filter(
                id__in=permissions.pemdas_changing(request.user, self.model)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Every write is checked again on the object itself.

    def check_change(self, request, obj) -> None:
        """Raise PermissionDenied unless the user may write `obj` as it is now."""
        if not permissions.can_change(request.user, obj):
            raise PermissionDenied

    def save_model(self, request, obj, form, change):
        self.check_change(request, obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        self.check_change(request, form.instance)
        deleted = set(formset.deleted_forms) if formset.can_delete else set()
        for row in formset.forms:
            if not (row.has_changed() or row in deleted):
                continue
            fk = getattr(formset, "fk", None)
            if fk is not None:
                setattr(row.instance, fk.name, formset.instance)
            try:
                permissions.kind_of(row.instance)
            except LookupError:
                continue  # a part of its parent (hours of a point, rows of a standard)
            self.check_change(request, row.instance)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        self.check_change(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.check_change(request, obj)
        super().delete_queryset(request, queryset)
