"""Public URLs of announcements, included into the "portal" namespace."""

from django.urls import path

from . import views_public
from .feeds import AnnouncementFeed

urlpatterns = [
    path(
        "<slug:pemda_slug>/pengumuman/",
        views_public.announcement_list,
        name="announcement_list",
    ),
    path("<slug:pemda_slug>/pengumuman/atom/", AnnouncementFeed(), name="announcement_feed"),
    path(
        "<slug:pemda_slug>/pengumuman/langganan/",
        views_public.subscribe,
        name="announcement_subscribe",
    ),
    path(
        "<slug:pemda_slug>/pengumuman/berhenti/",
        views_public.opt_out,
        name="announcement_opt_out",
    ),
    path(
        "<slug:pemda_slug>/pengumuman/<int:pk>/",
        views_public.announcement_detail,
        name="announcement_detail",
    ),
    path(
        "<slug:pemda_slug>/pengumuman/<int:pk>/lampiran/",
        views_public.announcement_attachment,
        name="announcement_attachment",
    ),
]
