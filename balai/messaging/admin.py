"""Admin for the channels. Messages hold personal data: superusers only until the permission
table (`balai.core.permissions`) has kinds for them."""

from django.contrib import admin

from .models import ChannelAccount, InboundMessage, OutboundMessage


class SuperuserOnly(admin.ModelAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(ChannelAccount)
class ChannelAccountAdmin(SuperuserOnly):
    list_display = ["__str__", "kind", "external_id", "pemda", "is_active"]
    list_filter = ["kind", "is_active", "pemda"]
    search_fields = ["external_id", "label"]


class ReadOnly(SuperuserOnly):
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnly):
    list_display = ["external_id", "channel", "message_type", "sent_at", "processed_at"]
    list_filter = ["channel", "message_type"]
    raw_id_fields = ["complaint", "conversation"]


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnly):
    list_display = ["idempotency_key", "channel", "status", "attempts", "sent_at", "read_at"]
    list_filter = ["channel", "status"]
