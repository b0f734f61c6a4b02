"""Community spaces in the Django admin: read-only, for superusers (the staff pages are where
spaces, activities and bookings are kept; their writes go through the services)."""

from django.contrib import admin

from .models import Activity, Booking, Space


class SuperuserReadOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Space)
class SpaceAdmin(SuperuserReadOnly):
    list_display = ["name", "point", "capacity", "is_bookable", "is_active", "pemda"]
    list_filter = ["pemda", "is_bookable", "is_active"]
    search_fields = ["name", "point__name"]


@admin.register(Activity)
class ActivityAdmin(SuperuserReadOnly):
    list_display = ["title", "space", "start_time", "end_time", "valid_from", "valid_until"]
    list_filter = ["pemda", "is_public"]
    search_fields = ["title", "organiser"]


@admin.register(Booking)
class BookingAdmin(SuperuserReadOnly):
    list_display = ["tracking_code", "space", "group_name", "starts_at", "ends_at", "status"]
    list_filter = ["pemda", "status", "group_kind"]
    search_fields = ["tracking_code", "group_name"]
    exclude = ["contact_name", "contact_phone"]  # personal data: shown on the staff page only
    date_hierarchy = "starts_at"
