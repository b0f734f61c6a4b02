from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .models import Region


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent", "postal_code", "lat", "lng"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The official region tree. Filter with `parent`, `level` and `q` (name contains)."""

    serializer_class = RegionSerializer
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"

    def get_queryset(self):
        regions = Region.objects.filter(is_active=True)
        params = self.request.query_params
        # NUL is dropped: PostgreSQL text cannot hold it, and no code or name contains it.
        if parent := params.get("parent", "").replace("\x00", ""):
            regions = regions.filter(parent_id=parent)
        if (level := params.get("level", "")).isdigit():
            regions = regions.filter(level=int(level))
        if q := params.get("q", "").replace("\x00", ""):
            regions = regions.filter(name__icontains=q)
        return regions.order_by("code")
