from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

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


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["name", "user__username", "key_prefix"]
