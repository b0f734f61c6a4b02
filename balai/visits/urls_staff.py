"""Staff URLs of the logbook and the survey, included into the "staff" namespace."""

from django.urls import path

from . import views, views_skm

urlpatterns = [
    path("<slug:pemda_slug>/kunjungan/", views.visit_home, name="visit_home"),
    path("<slug:pemda_slug>/kunjungan/daftar/", views.visit_list, name="visit_list"),
    path("<slug:pemda_slug>/kunjungan/serapan/", views.uptake_page, name="visit_uptake"),
    path(
        "<slug:pemda_slug>/kunjungan/<slug:point_slug>/catat/",
        views.visit_entry,
        name="visit_entry",
    ),
    path(
        "<slug:pemda_slug>/kunjungan/<slug:point_slug>/batal/<int:pk>/",
        views.visit_undo,
        name="visit_undo",
    ),
    path(
        "<slug:pemda_slug>/kunjungan/<slug:point_slug>/lembar/",
        views.visit_batch,
        name="visit_batch",
    ),
    path(
        "<slug:pemda_slug>/kunjungan/<slug:point_slug>/impor/",
        views.visit_import,
        name="visit_import",
    ),
    path("<slug:pemda_slug>/skm/", views_skm.ikm_report_page, name="ikm_report"),
    path("<slug:pemda_slug>/skm/isi/", views_skm.survey_entry, name="survey_entry"),
    path("<slug:pemda_slug>/skm/tautan/", views_skm.survey_link, name="survey_link"),
]
