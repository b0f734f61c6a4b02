from django.urls import path

from . import views, views_report

urlpatterns = [
    path("<slug:pemda_slug>/evaluasi/", views.dashboard_page, name="evaluation_dashboard"),
    path(
        "<slug:pemda_slug>/evaluasi/transparansi/",
        views.transparency_settings,
        name="evaluation_transparency",
    ),
    path(
        "<slug:pemda_slug>/evaluasi/laporan.pdf",
        views_report.report_pdf,
        name="evaluation_report_pdf",
    ),
    path(
        "<slug:pemda_slug>/evaluasi/laporan.xlsx",
        views_report.report_xlsx,
        name="evaluation_report_xlsx",
    ),
    path(
        "<slug:pemda_slug>/evaluasi/<slug:indicator_id>/",
        views.drilldown_page,
        name="evaluation_drilldown",
    ),
]
