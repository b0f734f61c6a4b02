"""Public URLs of the service-day schedule, included into the "portal" namespace."""

from django.urls import path

from . import views_public as v

urlpatterns = [
    path("<slug:pemda_slug>/jadwal/", v.schedule, name="outreach_schedule"),
    path(
        "<slug:pemda_slug>/jadwal/<slug:program_slug>/",
        v.schedule,
        name="outreach_program_schedule",
    ),
    path(
        "<slug:pemda_slug>/jadwal/<slug:program_slug>/jadwal.ics",
        v.ical_feed,
        name="outreach_ical",
    ),
    path(
        "<slug:pemda_slug>/jadwal/<slug:program_slug>/poster-<int:year>-<int:month>.pdf",
        v.poster_pdf,
        name="outreach_poster",
    ),
]
