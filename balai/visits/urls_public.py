"""Public URLs of the questionnaire, included into the "portal" namespace."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("<slug:pemda_slug>/skm/<slug:point_slug>/", views_public.skm_answer, name="skm_answer"),
    path("<slug:pemda_slug>/skm/<slug:point_slug>/qr.svg", views_public.skm_qr, name="skm_qr"),
]
