from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied

from balai.core.admin_mixins import ScopedAdmin

from .models import Membership, PersonalToken, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["opd", "region"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [MembershipInline]
    fieldsets = (*BaseUserAdmin.fieldsets, ("Balai", {"fields": ("full_name",)}))


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["user", "pemda", "role", "opd", "region", "is_active"]
    list_filter = ["role", "pemda"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user", "opd", "region"]
    list_select_related = ["user", "pemda", "opd", "region"]

    def check_change(self, request, obj) -> None:
        """Only a Pemda admin grants roles, and only inside their Pemda (its OPD, its areas).

        `can_change` already confines the membership to the admin's Pemda; its OPD and area
        are typed in as ids, so they are held to the same Pemda here.
        """
        super().check_change(request, obj)
        if request.user.is_superuser:
            return
        if obj.opd_id and obj.opd.pemda_id != obj.pemda_id:
            raise PermissionDenied
        if obj.region_id:
            home = obj.pemda.region_id
            if obj.region_id != home and not obj.region_id.startswith(home + "."):
                raise PermissionDenied


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "key_prefix"]
