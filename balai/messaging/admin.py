"""Admin for the channels. Messages hold personal data: superusers only until the permission
table (`balai.core.permissions`) has kinds for them."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .choices import OutboundStatus
from .models import ChannelAccount, InboundMessage, OutboundMessage
from .outbound import outbox_unknown_count, outbox_unknown_resolve


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


def _resolve_unknown(modeladmin, request, queryset, *, resend: bool):
    done = 0
    with transaction.atomic():
        for message in queryset.filter(status=OutboundStatus.UNKNOWN):
            done += outbox_unknown_resolve(actor=request.user, message=message, resend=resend)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d message with an unknown outcome resolved.",
            "%(count)d messages with an unknown outcome resolved.",
            done,
        )
        % {"count": done},
    )


@admin.action(description=_("Outcome unknown: the citizen did not get it, send again"))
def resend_unknown(modeladmin, request, queryset):
    _resolve_unknown(modeladmin, request, queryset, resend=True)


@admin.action(description=_("Outcome unknown: the citizen got it, mark as sent"))
def mark_unknown_sent(modeladmin, request, queryset):
    _resolve_unknown(modeladmin, request, queryset, resend=False)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnly):
    list_display = ["idempotency_key", "channel", "status", "attempts", "sent_at", "read_at"]
    list_filter = ["status", "channel"]
    actions = [resend_unknown, mark_unknown_sent]

    def changelist_view(self, request, extra_context=None):
        unknown = outbox_unknown_count() if request.method == "GET" else 0
        if unknown:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message may or may not have reached the citizen (a worker "
                    "stopped after handing it to Meta). It is not resent automatically: filter "
                    "on the status 'Outcome unknown', check with the citizen, then send again "
                    "or mark as sent.",
                    "%(count)d messages may or may not have reached the citizen (a worker "
                    "stopped after handing them to Meta). They are not resent automatically: "
                    "filter on the status 'Outcome unknown', check with the citizen, then send "
                    "again or mark as sent.",
                    unknown,
                )
                % {"count": unknown},
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)
