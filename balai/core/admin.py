from django.contrib import admin

from .admin_mixins import ScopedAdmin
from .models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(ScopedAdmin):
    list_display = ["created_at", "pemda", "actor", "action", "target_repr", "ip_address"]
    list_filter = ["action", "pemda"]
    search_fields = ["target_repr", "actor__username", "action"]
    date_hierarchy = "created_at"
    list_select_related = ["pemda", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
