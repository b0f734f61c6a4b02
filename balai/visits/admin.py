from django.contrib import admin

from balai.core.admin_mixins import ScopedAdmin

from .models import AreaPopulation, SurveyResponse, UptakeSettings, Visit


@admin.register(AreaPopulation)
class AreaPopulationAdmin(ScopedAdmin):
    list_display = ["region", "population", "year", "source", "pemda"]
    list_filter = ["pemda", "year"]
    search_fields = ["region__name", "region__code"]
    raw_id_fields = ["region"]


@admin.register(UptakeSettings)
class UptakeSettingsAdmin(ScopedAdmin):
    list_display = [
        "pemda",
        "min_night_visits_per_week",
        "min_night_visits_per_1000",
        "occupation_gap_points",
    ]


@admin.register(Visit)
class VisitAdmin(ScopedAdmin):
    """Read-only here: visits are logged, undone and imported through the staff pages."""

    list_display = ["visited_at", "point", "session_kind", "occupation", "outcome", "entered_by"]
    list_filter = ["pemda", "session_kind", "outcome", "occupation"]
    date_hierarchy = "visited_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(VisitAdmin):
    list_display = ["answered_at", "point", "unit", "service", "channel"]
    list_filter = ["pemda", "channel"]
    date_hierarchy = "answered_at"
