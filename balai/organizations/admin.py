from django.contrib import admin

from balai.core.admin_mixins import ScopedAdmin

from .models import OPD, CalendarDay, Pemda, Unit, WorkingHours


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(Pemda)
class PemdaAdmin(ScopedAdmin):
    list_display = ["name", "region", "slug", "timezone", "seat_name", "is_demo", "is_active"]
    search_fields = ["name", "slug", "region__code"]
    raw_id_fields = ["region"]
    inlines = [WorkingHoursInline, CalendarDayInline]

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


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ["date", "kind", "name", "pemda"]
    list_filter = ["kind", "pemda"]
    date_hierarchy = "date"
