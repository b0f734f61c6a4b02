from django.contrib import admin
from django.core.exceptions import PermissionDenied

from balai.core import permissions
from balai.core.admin_mixins import ScopedAdmin
from balai.core.audit import audit_record

from .models import (
    OPD,
    CalendarDay,
    OpeningException,
    OpeningRule,
    Pemda,
    ServicePoint,
    Unit,
    WorkingHours,
)


class ScopedInline:
    """An inline that follows its parent's permissions (Balai users hold no Django perms)."""

    def _parent_editable(self, request, obj) -> bool:
        if obj is None:
            return request.user.is_superuser or bool(permissions.pemdas_of(request.user))
        return permissions.can_change(request.user, obj) and self._parent_open(obj)

    def _parent_open(self, obj) -> bool:
        return True

    def has_view_permission(self, request, obj=None):
        return obj is None or permissions.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent_editable(request, obj)


class WorkingHoursInline(ScopedInline, admin.TabularInline):
    """The Pemda's weekly hours: its admin keeps them on the Pemda's own page."""

    model = WorkingHours
    extra = 0


class CalendarDayInline(ScopedInline, admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(Pemda)
class PemdaAdmin(ScopedAdmin):
    list_display = ["name", "region", "slug", "timezone", "seat_name", "is_demo", "is_active"]
    search_fields = ["name", "slug", "region__code"]
    raw_id_fields = ["region"]
    inlines = [WorkingHoursInline, CalendarDayInline]

    # What makes the tenant (its region and code, its address on the portal, its clock, whether it
    # runs at all, demo or not) is set by the installation's superuser, not by the Pemda itself.
    TENANT_FIELDS = ("region", "slug", "timezone", "is_active", "is_demo")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *self.TENANT_FIELDS)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(OPD)
class OPDAdmin(ScopedAdmin):
    list_display = ["short_name", "name", "kind", "pemda", "is_active"]
    list_filter = ["kind", "pemda"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["region"]
    list_select_related = ["pemda"]


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "opd", "pemda"]
    list_filter = ["kind", "pemda"]
    search_fields = ["name", "opd__short_name"]
    raw_id_fields = ["region", "opd"]
    list_select_related = ["pemda", "opd"]


@admin.register(WorkingHours)
class WorkingHoursAdmin(ScopedAdmin):
    """The weekly hours on their own, for a Pemda admin (deadlines are counted in them)."""

    list_display = ["pemda", "weekday", "start", "end"]
    list_filter = ["pemda", "weekday"]
    list_select_related = ["pemda"]


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ["date", "kind", "name", "pemda"]
    list_filter = ["kind", "pemda"]
    date_hierarchy = "date"


class OpeningRuleInline(ScopedInline, admin.TabularInline):
    model = OpeningRule
    extra = 0
    fields = ["weekday", "start", "end", "session_kind", "valid_from", "valid_until"]


class OpeningExceptionInline(ScopedInline, admin.TabularInline):
    model = OpeningException
    extra = 0
    fields = ["date", "is_open", "session_kind", "start", "end", "note"]
    ordering = ["-date"]


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedAdmin):
    """Offices and counters with their weekly hours (night sessions included) and exceptions."""

    list_display = ["name", "kind", "region", "pemda", "is_active"]
    list_filter = ["pemda", "kind", "is_active"]
    search_fields = ["name", "slug", "address", "region__name"]
    list_select_related = ["pemda", "region"]
    raw_id_fields = ["region", "unit"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["services"]
    inlines = [OpeningRuleInline, OpeningExceptionInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "services" and not request.user.is_superuser:
            from balai.catalog.models import Service

            kwargs["queryset"] = Service.objects.filter(
                pemda_id__in=permissions.pemdas_of(request.user)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not permissions.can_change(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"service_point.{'update' if change else 'create'}",
            target=obj,
            changes={"fields": sorted(form.changed_data)},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            audit_record(
                actor=request.user,
                action="service_point.hours",
                target=form.instance,
                changes={"formset": formset.prefix},
            )
