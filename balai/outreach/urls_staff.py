"""Staff URLs of the outreach programs, included into the "staff" namespace."""

from django.urls import path

from . import views_coverage
from . import views_staff as v

urlpatterns = [
    path("<slug:pemda_slug>/keliling/", v.program_list, name="outreach_programs"),
    path("<slug:pemda_slug>/keliling/baru/", v.program_edit, name="outreach_program_new"),
    path("<slug:pemda_slug>/keliling/acara/<int:pk>/", v.event_detail, name="outreach_event"),
    path(
        "<slug:pemda_slug>/keliling/acara/<int:pk>/kunci/",
        v.event_lock,
        name="outreach_event_lock",
    ),
    path(
        "<slug:pemda_slug>/keliling/acara/<int:pk>/pindah/",
        v.event_move,
        name="outreach_event_move",
    ),
    path(
        "<slug:pemda_slug>/keliling/acara/<int:pk>/foto/",
        v.event_photo,
        name="outreach_event_photo",
    ),
    path(
        "<slug:pemda_slug>/keliling/acara/<int:pk>/foto/<int:photo_id>/",
        v.event_photo_file,
        name="outreach_event_photo_file",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/",
        v.program_detail,
        name="outreach_program",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/ubah/",
        v.program_edit,
        name="outreach_program_edit",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/rencana/",
        v.plan_form,
        name="outreach_plan",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/rencana/<int:run_id>/",
        v.plan_run,
        name="outreach_run",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/terbitkan/",
        v.program_publish,
        name="outreach_publish",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/cakupan/",
        views_coverage.coverage,
        name="outreach_coverage",
    ),
    path(
        "<slug:pemda_slug>/keliling/<slug:program_slug>/permintaan/",
        views_coverage.demand,
        name="outreach_demand",
    ),
]
