from django.contrib import admin

from balai.core.admin_mixins import ScopedAdmin

from .models import Category, ComplaintSettings, ResponseTemplate, RoutingRule


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 0
    raw_id_fields = ["region", "opd"]
    exclude = ["pemda"]


@admin.register(Category)
class CategoryAdmin(ScopedAdmin):
    list_display = [
        "name",
        "code",
        "default_opd",
        "response_hours",
        "resolution_working_days",
        "is_emergency",
        "pemda",
    ]
    list_filter = ["pemda", "is_emergency", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["default_opd"]
    inlines = [RoutingRuleInline]

    def save_formset(self, request, form, formset, change):
        for rule in formset.save(commit=False):
            rule.pemda = form.instance.pemda
            rule.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(ScopedAdmin):
    list_display = ["pemda", "response_hours", "resolution_working_days", "reopen_days"]


@admin.register(ResponseTemplate)
class ResponseTemplateAdmin(ScopedAdmin):
    list_display = ["title", "pemda"]
    list_filter = ["pemda"]
