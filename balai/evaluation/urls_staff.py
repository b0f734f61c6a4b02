from django.urls import path

from . import views

urlpatterns = [
    path("<slug:pemda_slug>/evaluasi/", views.dashboard_page, name="evaluation_dashboard"),
    path(
        "<slug:pemda_slug>/evaluasi/transparansi/",
        views.transparency_settings,
        name="evaluation_transparency",
    ),
]
