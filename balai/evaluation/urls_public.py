from django.urls import path

from . import views_public

urlpatterns = [
    path(
        "<slug:pemda_slug>/transparansi/",
        views_public.transparency_page,
        name="evaluation_transparency",
    ),
]
