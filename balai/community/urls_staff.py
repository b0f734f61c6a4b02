"""Staff URLs of community spaces, included into the "staff" namespace."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:pemda_slug>/ruang/", views.queue, name="community_queue"),
    path("<slug:pemda_slug>/ruang/pesanan/baru/", views.booking_new, name="community_booking_new"),
    path(
        "<slug:pemda_slug>/ruang/pesanan/<int:pk>/", views.booking_detail, name="community_booking"
    ),
    path(
        "<slug:pemda_slug>/ruang/pesanan/<int:pk>/setujui/",
        views.booking_approve,
        name="community_booking_approve",
    ),
    path(
        "<slug:pemda_slug>/ruang/pesanan/<int:pk>/tolak/",
        views.booking_refuse,
        name="community_booking_refuse",
    ),
    path(
        "<slug:pemda_slug>/ruang/pesanan/<int:pk>/batal/",
        views.booking_cancel,
        name="community_booking_cancel",
    ),
    path("<slug:pemda_slug>/ruang/tempat/", views.space_list, name="community_spaces"),
    path("<slug:pemda_slug>/ruang/tempat/baru/", views.space_edit, name="community_space_new"),
    path("<slug:pemda_slug>/ruang/tempat/<int:pk>/", views.space_edit, name="community_space_edit"),
    path("<slug:pemda_slug>/ruang/kegiatan/", views.activity_list, name="community_activities"),
    path(
        "<slug:pemda_slug>/ruang/kegiatan/baru/",
        views.activity_edit,
        name="community_activity_new",
    ),
    path(
        "<slug:pemda_slug>/ruang/kegiatan/<int:pk>/",
        views.activity_edit,
        name="community_activity_edit",
    ),
    path(
        "<slug:pemda_slug>/ruang/kegiatan/<int:pk>/hapus/",
        views.activity_delete,
        name="community_activity_delete",
    ),
]
