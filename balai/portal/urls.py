from django.urls import path

from balai.complaints import views_public as complaints
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
]
