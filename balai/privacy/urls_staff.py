"""Staff URLs of the privacy pages, included into the "staff" namespace (balai/core/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:pemda_slug>/privasi/", views.privacy_home, name="privacy_home"),
    path(
        "<slug:pemda_slug>/privasi/pratinjau-pembersihan/",
        views.privacy_purge_preview,
        name="privacy_purge_preview",
    ),
    path("<slug:pemda_slug>/privasi/orang/", views.privacy_person, name="privacy_person"),
    path("<slug:pemda_slug>/privasi/orang/ekspor/", views.privacy_export, name="privacy_export"),
    path("<slug:pemda_slug>/privasi/orang/hapus/", views.privacy_erase, name="privacy_erase"),
]
