"""Staff URLs of complaint handling, included into the "staff" namespace (balai/core/urls.py)."""

from django.urls import path

from . import views_evaluation, views_intake, views_staff

urlpatterns = [
    path("notifikasi/", views_staff.notification_list, name="notification_list"),
    path("<slug:pemda_slug>/aduan/", views_staff.complaint_inbox, name="complaint_inbox"),
    path(
        "<slug:pemda_slug>/aduan/telepon/baru/",
        views_intake.complaint_phone_new,
        name="complaint_phone_new",
    ),
    path(
        "<slug:pemda_slug>/evaluasi/aduan/",
        views_evaluation.complaint_evaluation_page,
        name="complaint_evaluation",
    ),
    path(
        "<slug:pemda_slug>/aduan/<str:code>/",
        views_staff.complaint_detail,
        name="complaint_detail",
    ),
    path(
        "<slug:pemda_slug>/aduan/<str:code>/lampiran/<int:pk>/",
        views_staff.complaint_attachment,
        name="complaint_attachment",
    ),
    path(
        "<slug:pemda_slug>/aduan/<str:code>/<slug:step>/",
        views_staff.complaint_step,
        name="complaint_step",
    ),
]
