"""The complaints REST API: a scoped list, one complaint, intake and explicit workflow steps.

Every step is its own endpoint that parses its input, checks `can_change` and calls one
service; a refused step answers 400 with `{"errors": {field: [...]}}` or `{"detail": "..."}`.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from balai.accounts.choices import Role
from balai.core.audit import audit_identity_views
from balai.core.permissions import can_change, has_role, visible

from . import services
from .choices import Channel
from .models import Complaint, normalize_tracking_code
from .serializers import (
    AssignSerializer,
    ComplaintCreateSerializer,
    ComplaintFilterSerializer,
    ComplaintSerializer,
    ErrorSerializer,
    PauseSerializer,
    ResolveSerializer,
    RespondSerializer,
    ResumeSerializer,
    VerifySerializer,
)

REFUSED = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input or step not allowed now."),
    403: OpenApiResponse(description="The user may not change this complaint."),
    404: OpenApiResponse(description="No such complaint the user may see."),
}


def _step_schema(request, summary: str):
    return extend_schema(
        summary=summary, request=request, responses={200: ComplaintSerializer, **REFUSED}
    )


def _local_bound(value, *, end: bool) -> dt.datetime:
    """A filter bound: a date covers the whole local day, a naive time is local."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    day = value + dt.timedelta(days=1) if end else value
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@extend_schema_view(
    list=extend_schema(
        summary="Complaints the user may see, newest first",
        parameters=[ComplaintFilterSerializer],
        responses={200: ComplaintSerializer(many=True), 400: ErrorSerializer},
    ),
    retrieve=extend_schema(summary="One complaint, by tracking code"),
)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Complaints, scoped by the user's roles (`balai.core.permissions`)."""

    serializer_class = ComplaintSerializer
    lookup_field = "tracking_code"
    lookup_value_regex = "[A-Za-z0-9-]+"

    def finalize_response(self, request, response, *args, **kwargs):
        shown = getattr(request, "identities_shown", None)
        if shown and response.status_code < 400:
            audit_identity_views(actor=request.user, complaints=shown, via="api")
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self):
        queryset = Complaint.objects.select_related("pemda", "category", "opd")
        return visible(self.request.user, queryset).order_by("-received_at", "-id")

    def get_object(self):
        key = self.lookup_url_kwarg or self.lookup_field
        self.kwargs[key] = normalize_tracking_code(self.kwargs[key])
        return super().get_object()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters = ComplaintFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        if "status" in data:
            queryset = queryset.filter(status=data["status"])
        if "category" in data:
            queryset = queryset.filter(category__code=data["category"])
        if "opd" in data:
            queryset = queryset.filter(opd_id=data["opd"])
        if "channel" in data:
            queryset = queryset.filter(channel=data["channel"])
        if "received_after" in data:
            queryset = queryset.filter(
                received_at__gte=_local_bound(data["received_after"], end=False)
            )
        if "received_before" in data:
            queryset = queryset.filter(
                received_at__lt=_local_bound(data["received_before"], end=True)
            )
        if data.get("q"):
            q = data["q"].strip()
            queryset = queryset.filter(
                Q(tracking_code__icontains=q)
                | Q(tracking_code=normalize_tracking_code(q))
                | Q(description__icontains=q)
            )
        return queryset

    def handle_exception(self, exc):
        if isinstance(exc, DjangoValidationError):
            if hasattr(exc, "error_dict"):
                return Response({"errors": exc.message_dict}, status=status.HTTP_400_BAD_REQUEST)
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        if isinstance(exc, exceptions.ValidationError):
            detail = exc.detail
            if isinstance(detail, dict):
                body = {"errors": detail}
            else:
                body = {"detail": " ".join(str(d) for d in detail)}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def _answer(self, complaint: Complaint, *, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=complaint.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary="Take a complaint (operator or Pemda administrator)",
        request=ComplaintCreateSerializer,
        responses={201: ComplaintSerializer, 400: ErrorSerializer, 403: REFUSED[403]},
    )
    def create(self, request):
        serializer = ComplaintCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        pemda = data.pop("pemda")
        if not has_role(request.user, pemda.id, Role.OPERATOR, Role.PEMDA_ADMIN):
            raise exceptions.PermissionDenied
        complaint = services.complaint_submit(
            pemda=pemda, channel=Channel.API, actor=request.user, **data
        )
        return self._answer(complaint, code=status.HTTP_201_CREATED)

    def _step(self, request, serializer_class, run, *, roles: tuple[str, ...] = ()):
        complaint = self.get_object()
        if not can_change(request.user, complaint):
            raise exceptions.PermissionDenied
        if roles and not has_role(request.user, complaint.pemda_id, *roles):
            raise exceptions.PermissionDenied
        data = {}
        if serializer_class is not None:
            serializer = serializer_class(data=request.data, context={"complaint": complaint})
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        run(complaint, request.user, data)
        return self._answer(complaint)

    @_step_schema(VerifySerializer, "Verify: choose the category, rahasia and anonim")
    @action(detail=True, methods=["post"])
    def verify(self, request, tracking_code=None):
        return self._step(
            request,
            VerifySerializer,
            lambda c, user, data: services.complaint_verify(complaint=c, actor=user, **data),
        )

    @_step_schema(AssignSerializer, "Assign to an OPD (the routed one unless given)")
    @action(detail=True, methods=["post"])
    def assign(self, request, tracking_code=None):
        return self._step(
            request,
            AssignSerializer,
            lambda c, user, data: services.complaint_assign(complaint=c, actor=user, **data),
        )

    @_step_schema(RespondSerializer, "Respond to the reporter (public)")
    @action(detail=True, methods=["post"])
    def respond(self, request, tracking_code=None):
        return self._step(
            request,
            RespondSerializer,
            lambda c, user, data: services.complaint_respond(complaint=c, actor=user, **data),
        )

    @_step_schema(PauseSerializer, "Pause: wait for budget, procurement, a third party")
    @action(detail=True, methods=["post"])
    def pause(self, request, tracking_code=None):
        return self._step(
            request,
            PauseSerializer,
            lambda c, user, data: services.complaint_pause(complaint=c, actor=user, **data),
        )

    @_step_schema(ResumeSerializer, "Resume after a pause")
    @action(detail=True, methods=["post"])
    def resume(self, request, tracking_code=None):
        return self._step(
            request,
            ResumeSerializer,
            lambda c, user, data: services.complaint_resume(complaint=c, actor=user, **data),
        )

    @_step_schema(ResolveSerializer, "Resolve: the handling report, for the OPD head")
    @action(detail=True, methods=["post"])
    def resolve(self, request, tracking_code=None):
        return self._step(
            request,
            ResolveSerializer,
            lambda c, user, data: services.complaint_resolve(complaint=c, actor=user, **data),
        )

    @_step_schema(None, "Approve the handling report (OPD head or Pemda administrator)")
    @action(detail=True, methods=["post"])
    def approve(self, request, tracking_code=None):
        return self._step(
            request,
            None,
            lambda c, user, data: services.complaint_approve(complaint=c, actor=user),
            roles=(Role.OPD_HEAD, Role.PEMDA_ADMIN),
        )
