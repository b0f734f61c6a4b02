from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from balai.core.permissions import visible

from .models import OPD, Pemda


class PemdaSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region_id", read_only=True)

    class Meta:
        model = Pemda
        fields = ["slug", "name", "region", "seat_name", "seat_lat", "seat_lng", "timezone"]


class PemdaViewSet(viewsets.ReadOnlyModelViewSet):
    """The Pemda of this installation (public)."""

    serializer_class = PemdaSerializer
    permission_classes = [AllowAny]
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"
    queryset = Pemda.objects.filter(is_active=True).order_by("name")


class OPDSerializer(serializers.ModelSerializer):
    pemda = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = OPD
        fields = ["id", "pemda", "name", "short_name", "kind", "region"]


class OPDViewSet(viewsets.ReadOnlyModelViewSet):
    """OPD the authenticated user may see."""

    serializer_class = OPDSerializer

    def get_queryset(self):
        return visible(self.request.user, OPD.objects.select_related("pemda")).order_by(
            "pemda__name", "short_name"
        )
