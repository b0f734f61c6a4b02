from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from balai.core import views as core_views

admin.site.site_header = _("Balai administration")
admin.site.site_title = _("Balai")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("akun/", include("balai.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staf/", include("balai.core.urls")),
    path("api/v1/", include("balai.api.urls")),
    path("open311/v2/", include("balai.open311.urls")),
    path("webhooks/", include("balai.messaging.urls")),
    path("health/", core_views.health, name="health"),
    path("ready/", core_views.ready, name="ready"),
    path("", include("balai.portal.urls")),
]
