from django.contrib import admin

from .models import Event, EventPhoto, PlanRun, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "pemda", "venue_level", "is_public", "is_active"]
    list_filter = ["pemda", "venue_level"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["opds", "services"]


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["date", "program", "venue", "status", "locked", "published"]
    list_filter = ["pemda", "program", "status", "locked", "published"]
    raw_id_fields = ["venue", "plan_run"]
    filter_horizontal = ["opds", "services"]
    inlines = [EventPhotoInline]
    date_hierarchy = "date"


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = [
        "program",
        "period_start",
        "period_end",
        "status",
        "solver_status",
        "created_at",
    ]
    list_filter = ["pemda", "status", "solver_status"]
    readonly_fields = ["created_at", "started_at", "finished_at"]
