"""Input and output of the complaints API: one serializer per operation.

Input serializers only parse (codes and ids become objects of the right Pemda); the services
decide. The output serializer leaves out the reporter's identity unless the user may see it.
"""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from balai.core.permissions import can_see_reporter
from balai.organizations.models import OPD, Pemda
from balai.regions.models import Region

from .choices import Channel, Kind, PauseReason, Status
from .models import Category

FILTER_EARLIEST, FILTER_LATEST = dt.date(1900, 1, 1), dt.date(9000, 1, 1)
REPORTER_FIELDS = ("reporter_name", "reporter_phone", "reporter_email", "reporter_channel_id")


class RequiredBooleanField(serializers.BooleanField):
    """A boolean that must be sent, in JSON and in form data alike (DRF's reads a missing form
    checkbox as false, which would let a verifier skip the rahasia/anonim decision)."""

    default_empty_html = empty


@extend_schema_field(
    {"type": "string", "enum": Kind.values, "description": "pengaduan, aspirasi or informasi"},
    component_name="ComplaintKind",
)
class KindField(serializers.ChoiceField):
    """The complaint's kind, as its own schema component (OPD have a `kind` too)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Kind.choices, **kwargs)


def _reporter(help_text):
    # Not read-only in the schema on purpose: read-only fields are listed as always present.
    return serializers.CharField(required=False, help_text=help_text)


class ComplaintSerializer(serializers.Serializer):
    """A complaint as staff see it. Output only."""

    tracking_code = serializers.CharField(read_only=True)
    pemda = serializers.CharField(source="pemda.slug", read_only=True)
    channel = serializers.ChoiceField(choices=Channel.choices, read_only=True)
    kind = KindField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    category = serializers.CharField(source="category.code", read_only=True, allow_null=True)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True)
    description = serializers.CharField(read_only=True)
    is_secret = serializers.BooleanField(read_only=True, help_text=_("rahasia: not public"))
    is_anonymous = serializers.BooleanField(
        read_only=True, help_text=_("anonim: the reporter is hidden from the OPD")
    )
    region = serializers.CharField(source="region_id", read_only=True, allow_null=True)
    address = serializers.CharField(read_only=True)
    lat = serializers.FloatField(read_only=True, allow_null=True)
    lng = serializers.FloatField(read_only=True, allow_null=True)
    opd = serializers.IntegerField(source="opd_id", read_only=True, allow_null=True)
    opd_name = serializers.CharField(source="opd.name", read_only=True, allow_null=True)
    forwarded_to = serializers.CharField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    assigned_at = serializers.DateTimeField(read_only=True, allow_null=True)
    first_response_at = serializers.DateTimeField(read_only=True, allow_null=True)
    resolved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    response_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    resolution_due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    paused_at = serializers.DateTimeField(read_only=True, allow_null=True)
    pause_reason = serializers.CharField(read_only=True)
    pause_expected_until = serializers.DateField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)
    reporter_name = _reporter(_("Present only when the user may see the reporter."))
    reporter_phone = _reporter(_("Present only when the user may see the reporter."))
    reporter_email = _reporter(_("Present only when the user may see the reporter."))
    reporter_channel_id = _reporter(_("WhatsApp wa_id or Messenger PSID, as the name."))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is None or not can_see_reporter(request.user, instance):
            for name in REPORTER_FIELDS:
                data.pop(name, None)
        else:
            # Logged in one write per response by ComplaintViewSet.finalize_response.
            request.__dict__.setdefault("identities_shown", []).append(instance)
        return data


class ComplaintFilterSerializer(serializers.Serializer):
    """Query parameters of the complaint list."""

    status = serializers.ChoiceField(choices=Status.choices, required=False)
    category = serializers.CharField(required=False, help_text=_("Category code."))
    opd = serializers.IntegerField(required=False, help_text=_("OPD id."))
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    received_after = serializers.CharField(
        required=False,
        help_text=_("ISO 8601 date or date-time; a date counts from the start of that day."),
    )
    received_before = serializers.CharField(
        required=False,
        help_text=_("ISO 8601 date or date-time; a date counts up to the end of that day."),
    )
    q = serializers.CharField(required=False, help_text=_("Search the tracking code and text."))

    def _moment(self, value):
        day = parse_date(value) if len(value) == 10 else None
        try:
            moment = None if day else parse_datetime(value)
        except ValueError:
            moment = None
        if day is None and moment is None:
            raise serializers.ValidationError(_("Use an ISO 8601 date or date-time."))
        if not FILTER_EARLIEST <= (day or moment.date()) < FILTER_LATEST:
            # The bounds become local days and UTC instants: the calendar's ends would overflow.
            raise serializers.ValidationError(_("Use a date between 1900 and 9000."))
        return day or moment

    def validate_received_after(self, value):
        return self._moment(value)

    def validate_received_before(self, value):
        return self._moment(value)


class SlugField(serializers.SlugRelatedField):
    """A slug of an existing row; NUL refused before the query (PostgreSQL text cannot hold it)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class ComplaintCreateSerializer(serializers.Serializer):
    """A complaint taken by an operator or another system (channel "api")."""

    pemda = SlugField(slug_field="slug", queryset=Pemda.objects.filter(is_active=True))
    description = serializers.CharField()
    category = serializers.CharField(required=False, help_text=_("Category code."))
    kind = KindField(required=False)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    region = serializers.CharField(
        required=False, help_text=_("Code of the desa/kelurahan or kecamatan.")
    )
    address = serializers.CharField(required=False, allow_blank=True, max_length=200)
    lat = serializers.FloatField(required=False, min_value=-90, max_value=90)
    lng = serializers.FloatField(required=False, min_value=-180, max_value=180)

    def validate(self, attrs):
        pemda = attrs["pemda"]
        if "category" in attrs:
            attrs["category"] = _category(pemda, attrs["category"])
        if "region" in attrs:
            region = Region.objects.filter(code=attrs["region"]).first()
            if region is None:
                raise serializers.ValidationError({"region": _("Unknown region code.")})
            attrs["region"] = region
        return attrs


def _category(pemda, code: str) -> Category:
    category = Category.objects.filter(pemda=pemda, code=code, is_active=True).first()
    if category is None:
        raise serializers.ValidationError({"category": _("Unknown category for this Pemda.")})
    return category


class _StepSerializer(serializers.Serializer):
    """Input of one workflow step; `context["complaint"]` is the complaint it applies to."""

    @property
    def complaint(self):
        return self.context["complaint"]


class VerifySerializer(_StepSerializer):
    category = serializers.CharField(help_text=_("Category code."))
    is_secret = RequiredBooleanField(help_text=_("rahasia: keep the complaint out of public."))
    is_anonymous = RequiredBooleanField(help_text=_("anonim: hide the reporter from the OPD."))
    kind = KindField(required=False)

    def validate_category(self, value):
        category = Category.objects.filter(
            pemda_id=self.complaint.pemda_id, code=value, is_active=True
        ).first()
        if category is None:
            raise serializers.ValidationError(_("Unknown category for this Pemda."))
        return category


class AssignSerializer(_StepSerializer):
    opd = serializers.IntegerField(
        required=False, help_text=_("OPD id; empty: the routed OPD of the category and area.")
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_opd(self, value):
        opd = OPD.objects.filter(pk=value, pemda_id=self.complaint.pemda_id).first()
        if opd is None:
            raise serializers.ValidationError(_("Unknown OPD for this Pemda."))
        return opd


class RespondSerializer(_StepSerializer):
    text = serializers.CharField(help_text=_("The public response to the reporter."))


class PauseSerializer(_StepSerializer):
    reason = serializers.ChoiceField(choices=PauseReason.choices)
    expected_until = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResumeSerializer(_StepSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ResolveSerializer(_StepSerializer):
    actions = serializers.CharField(help_text=_("What was done (the handling report)."))
    done_on = serializers.DateField()


class ErrorSerializer(serializers.Serializer):
    """A refused request: field errors, or one message for the whole step."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    detail = serializers.CharField(required=False)
