"""Staff URLs of service requests, included into the "staff" namespace (balai/core/urls.py)."""

from django.urls import path

from . import views_staff

urlpatterns = [
    path(
        "<slug:pemda_slug>/permohonan/",
        views_staff.service_request_list,
        name="service_request_list",
    ),
    path(
        "<slug:pemda_slug>/permohonan/baru/",
        views_staff.service_request_new,
        name="service_request_new",
    ),
    path(
        "<slug:pemda_slug>/permohonan/tepat-waktu/",
        views_staff.service_request_on_time,
        name="service_request_on_time",
    ),
    path(
        "<slug:pemda_slug>/permohonan/<str:code>/",
        views_staff.service_request_detail,
        name="service_request_detail",
    ),
    path(
        "<slug:pemda_slug>/permohonan/<str:code>/<slug:step>/",
        views_staff.service_request_step,
        name="service_request_step",
    ),
]
