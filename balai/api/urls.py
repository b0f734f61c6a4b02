from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from balai.complaints.api import ComplaintViewSet
from balai.organizations.api import OPDViewSet, PemdaViewSet
from balai.regions.api import RegionViewSet

from .views import MeView

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("pemda", PemdaViewSet, basename="pemda")
router.register("opd", OPDViewSet, basename="opd")
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
