from django.contrib import admin

from balai.core.admin_mixins import ScopedAdmin

from .models import Region, SubVillageUnit


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "postal_code", "distance_to_seat_km", "is_active"]
    list_filter = ["level", "kind", "is_active"]
    search_fields = ["code", "name"]
    readonly_fields = ["code", "level", "kind", "parent"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff


@admin.register(SubVillageUnit)
class SubVillageUnitAdmin(ScopedAdmin):
    list_display = ["name", "kind", "village", "parent", "pemda"]
    list_filter = ["kind", "pemda"]
    search_fields = ["name", "village__name"]
    raw_id_fields = ["village", "parent"]
    list_select_related = ["village", "parent", "pemda"]
