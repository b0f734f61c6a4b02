from django.urls import include, path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.staff_home, name="home"),
    path("<slug:pemda_slug>/audit/", views.audit_list, name="audit_list"),
    path("", include("balai.complaints.urls_staff")),  # complaint_*, notification_list
    path("", include("balai.visits.urls_staff")),  # visit_*, ikm_report, survey_*
    path("", include("balai.service_requests.urls_staff")),  # service_request_*
    path("", include("balai.outreach.urls_staff")),
    path("", include("balai.community.urls_staff")),
    path("", include("balai.announcements.urls_staff")),
    path("", include("balai.evaluation.urls_staff")),
    path("", include("balai.privacy.urls_staff")),  # privacy_*
]
