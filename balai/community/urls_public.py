"""Public URLs of community spaces, included into the "portal" namespace."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("<slug:pemda_slug>/ruang/", views.space_index, name="community_index"),
    path(
        "<slug:pemda_slug>/ruang/<slug:point_slug>/",
        views.calendar_page,
        name="community_calendar",
    ),
    path(
        "<slug:pemda_slug>/ruang/<slug:point_slug>/kalender.ics",
        views.calendar_ics,
        name="community_ics",
    ),
    path(
        "<slug:pemda_slug>/ruang/<slug:point_slug>/pesan/",
        views.booking_new,
        name="community_booking_new",
    ),
    path("<slug:pemda_slug>/pesan-ruang/", views.booking_lookup, name="community_booking_lookup"),
    path(
        "<slug:pemda_slug>/pesan-ruang/<str:code>/",
        views.booking_status,
        name="community_booking_status",
    ),
    path(
        "<slug:pemda_slug>/pesan-ruang/<str:code>/batal/",
        views.booking_cancel_public,
        name="community_booking_cancel",
    ),
]
