from django.urls import include, path

from balai.catalog import views_public as catalog
from balai.complaints import views_public as complaints
from balai.organizations import views_public as points
from balai.service_requests import views_public as service_requests

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("lacak/", complaints.complaint_lookup, name="complaint_lookup"),
    path("aduan/<str:code>/", complaints.complaint_track, name="complaint_track"),
    path("aduan/<str:code>/lampiran/<int:pk>/", complaints.attachment_public, name="attachment"),
    path(
        "permohonan/<str:code>/",
        service_requests.service_request_track,
        name="service_request_track",
    ),
    path("<slug:pemda_slug>/", views.pemda_home, name="pemda"),
    path("<slug:pemda_slug>/aduan/baru/", complaints.complaint_new, name="complaint_new"),
    path("", include("balai.visits.urls_public")),  # skm_answer, skm_qr
    path("", include("balai.outreach.urls_public")),
    path("", include("balai.community.urls_public")),
    path("", include("balai.announcements.urls_public")),
    path("", include("balai.evaluation.urls_public")),
    path("<slug:pemda_slug>/layanan/", catalog.service_list, name="service_list"),
    path("<slug:pemda_slug>/layanan/<slug:code>/", catalog.service_detail, name="service_detail"),
    path(
        "<slug:pemda_slug>/layanan/<slug:code>/ajukan/",
        service_requests.service_request_apply,
        name="service_request_apply",
    ),
    path(
        "<slug:pemda_slug>/layanan/<slug:code>/standar.pdf",
        catalog.standard_pdf,
        name="standard_pdf",
    ),
    path("<slug:pemda_slug>/kantor/", points.point_list, name="point_list"),
    path("<slug:pemda_slug>/kantor/<slug:point_slug>/", points.point_detail, name="point_detail"),
    path(
        "<slug:pemda_slug>/kantor/<slug:point_slug>/jam.json",
        points.point_hours_json,
        name="point_hours_json",
    ),
    path(
        "<slug:pemda_slug>/kantor/<slug:point_slug>/jam.ics",
        points.point_hours_ics,
        name="point_hours_ics",
    ),
]
