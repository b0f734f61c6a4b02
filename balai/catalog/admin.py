"""Staff edit the catalog here: services, their standard's versions and the Maklumat.

A version is written as a draft and published with the "Publish" action (through
`standard_publish`, which checks it); a published version is read-only, and a change is a new
version ("Copy as a new draft").
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balai.core import permissions
from balai.core.admin_mixins import ScopedAdmin
from balai.core.audit import audit_record
from balai.organizations.admin import ScopedInline
from balai.organizations.models import OPD, Unit

from .choices import StandardStatus
from .models import Maklumat, Requirement, Service, StandardVersion
from .services import standard_draft_copy, standard_next_version, standard_publish


class _AuditedAdmin(ScopedAdmin):
    """Saves only objects the user may change, with an audit row for each save."""

    audit_prefix = ""

    def save_model(self, request, obj, form, change):
        if not permissions.can_change(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=f"{self.audit_prefix}.{'update' if change else 'create'}",
            target=obj,
            pemda=self._pemda_of(obj),
            changes={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request, obj):
        self.check_change(request, obj)
        audit_record(
            actor=request.user,
            action=f"{self.audit_prefix}.delete",
            target=obj,
            pemda=self._pemda_of(obj),
        )
        super().delete_model(request, obj)

    def _pemda_of(self, obj):
        return getattr(obj, "pemda", None)


class StandardVersionInline(ScopedInline, admin.TabularInline):
    """The versions of a service, read-only here: each opens in its own page."""

    model = StandardVersion
    fields = ["link", "status", "effective_from", "decree"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=gettext_lazy("version"))
    def link(self, obj):
        url = reverse("admin:catalog_standardversion_change", args=[obj.pk])
        return format_html('<a href="{}">v{}</a>', url, obj.version)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Service)
class ServiceAdmin(_AuditedAdmin):
    audit_prefix = "service"
    list_display = ["name", "code", "category", "opd", "pemda", "is_active"]
    list_filter = ["pemda", "category", "is_active"]
    search_fields = ["name", "code", "keywords"]
    list_select_related = ["pemda", "opd"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [StandardVersionInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "opd" and not request.user.is_superuser:
            kwargs["queryset"] = OPD.objects.filter(
                pemda_id__in=permissions.pemdas_of(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RequirementInline(ScopedInline, admin.TabularInline):
    model = Requirement
    extra = 1
    fields = ["order", "text", "is_mandatory"]

    def _parent_open(self, obj) -> bool:
        return obj.status == StandardStatus.DRAFT


@admin.register(StandardVersion)
class StandardVersionAdmin(_AuditedAdmin):
    audit_prefix = "standard"
    list_display = ["service", "version", "status", "effective_from", "decree"]
    list_filter = ["status", "service__pemda", "service__category"]
    search_fields = ["service__name", "service__code", "decree"]
    list_select_related = ["service", "service__pemda"]
    date_hierarchy = "effective_from"
    inlines = [RequirementInline]
    actions = ["publish", "copy_as_draft"]
    autocomplete_fields = ["service"]
    fieldsets = [
        (None, {"fields": ["service", "version", "status", "effective_from", "decree"]}),
        (
            gettext_lazy("Published to the public"),
            {
                "fields": [
                    "procedure",
                    ("processing_time", "processing_unit"),
                    ("fee", "fee_note"),
                    "product",
                    "complaints_handling",
                ],
                "description": gettext_lazy(
                    "Persyaratan (requirements) are listed below, one per row."
                ),
            },
        ),
        (
            gettext_lazy("Internal components"),
            {
                "classes": ["collapse"],
                "fields": [
                    "legal_basis",
                    "facilities",
                    "staff_competence",
                    "internal_supervision",
                    "staff_count",
                    "service_guarantee",
                    "security_guarantee",
                    "performance_evaluation",
                ],
            },
        ),
    ]

    def _pemda_of(self, obj):
        return obj.service.pemda

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == StandardStatus.PUBLISHED:
            return [f.name for f in self.model._meta.fields if f.name != "id"]
        if obj is not None:
            return ["service", "version", "status"]
        return ["version", "status"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status == StandardStatus.PUBLISHED:
            return False  # viewable, never edited: a change is a new version
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == StandardStatus.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service" and not request.user.is_superuser:
            kwargs["queryset"] = permissions.changeable(request.user, Service.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = standard_next_version(obj.service)
            obj.status = StandardStatus.DRAFT
        super().save_model(request, obj, form, change)

    @admin.action(description=gettext_lazy("Publish the selected drafts"))
    def publish(self, request, queryset):
        for standard in queryset.select_related("service"):
            if not permissions.can_change(request.user, standard):
                messages.error(request, _("%(standard)s: not allowed.") % {"standard": standard})
                continue
            try:
                standard_publish(standard=standard, actor=request.user)
            except ValidationError as error:
                messages.error(
                    request,
                    _("%(standard)s was not published: %(problems)s")
                    % {"standard": standard, "problems": " ".join(error.messages)},
                )
            else:
                messages.success(
                    request,
                    _("%(standard)s is published, in force from %(date)s.")
                    % {"standard": standard, "date": standard.effective_from.isoformat()},
                )

    @admin.action(description=gettext_lazy("Copy as a new draft"))
    def copy_as_draft(self, request, queryset):
        for standard in queryset.select_related("service"):
            if not permissions.can_change(request.user, standard.service):
                continue
            copy = standard_draft_copy(
                actor=request.user, standard=standard, effective_from=standard.effective_from
            )
            messages.info(
                request,
                _("%(copy)s is a new draft: set its date and changes, then publish it.")
                % {"copy": copy},
            )


@admin.register(Maklumat)
class MaklumatAdmin(_AuditedAdmin):
    audit_prefix = "maklumat"
    list_display = ["unit", "signed_by", "effective_from"]
    list_filter = ["unit__pemda"]
    search_fields = ["unit__name", "text"]
    list_select_related = ["unit", "unit__pemda"]
    date_hierarchy = "effective_from"

    def _pemda_of(self, obj):
        return obj.unit.pemda

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit" and not request.user.is_superuser:
            kwargs["queryset"] = Unit.objects.filter(
                pemda_id__in=permissions.pemdas_of(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
