from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


class MeView(APIView):
    """Who the token belongs to, with their roles."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "username": serializers.CharField(),
                "full_name": serializers.CharField(),
                "memberships": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        memberships = request.user.memberships.filter(is_active=True).select_related("pemda")
        return Response(
            {
                "username": request.user.username,
                "full_name": request.user.full_name,
                "memberships": [
                    {
                        "pemda": m.pemda.slug,
                        "role": m.role,
                        "opd": m.opd_id,
                        "region": m.region_id,
                    }
                    for m in memberships
                ],
            }
        )
