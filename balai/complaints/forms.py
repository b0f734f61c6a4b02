"""Forms of the staff side: the inbox filter, bulk actions and one form per workflow step.

The forms only parse input; every rule about the complaint itself is the service's. The two
confidentiality questions have no default on purpose: the verifier must answer them.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.organizations.models import OPD, Pemda
from balai.organizations.selectors import opd_list
from balai.regions.models import Region

from .choices import Channel, Kind, PauseReason, RejectReason, Status
from .forms_public import MultipleFileField
from .models import Attachment, Category, Complaint, normalize_tracking_code
from .selectors import kecamatan_list

YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _yes_no(label, help_text):
    """A required yes/no question as two radio buttons, neither chosen beforehand."""
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )


def secret_field():
    return _yes_no(_("Rahasia?"), _("Yes: the report is never shown in public."))


def anonymous_field():
    return _yes_no(
        _("Anonim?"), _("Yes: the reporter's identity is hidden, also from the OPD handling it.")
    )


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.default_opd.short_name})"


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.parent_id and obj.parent.level >= 3:
            return f"{obj.parent.name} / {obj.name}"
        return f"{obj.get_kind_display()} {obj.name}"


def place_queryset(pemda):
    return (
        Region.objects.filter(code__startswith=pemda.region_id + ".", is_active=True)
        .select_related("parent")
        .order_by("code")
    )


def categories_of(pemda):
    return Category.objects.filter(pemda=pemda, is_active=True).select_related("default_opd")


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code or words")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All")
    )
    opd = forms.ModelChoiceField(
        label=_("OPD"), queryset=OPD.objects.none(), required=False, empty_label=_("All")
    )
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    date_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, pemda, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["status"].choices = every + list(Status.choices)
        self.fields["channel"].choices = every + list(Channel.choices)
        self.fields["category"].queryset = Category.objects.filter(pemda=pemda)
        self.fields["opd"].queryset = opd_list(pemda=pemda)
        self.fields["kecamatan"].queryset = kecamatan_list(pemda)

    @property
    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped and its error shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end is before the start."))
        return data


class BulkForm(forms.Form):
    VERIFY, SPAM = "verify", "spam"

    complaints = forms.ModelMultipleChoiceField(
        label=_("Complaints"),
        queryset=Complaint.objects.none(),
        to_field_name="tracking_code",
        error_messages={"required": _("Select at least one complaint.")},
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(VERIFY, _("Verify")), (SPAM, _("Reject as spam"))],
        widget=forms.RadioSelect,
    )
    category = CategoryChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False
    )
    is_secret = secret_field()
    is_anonymous = anonymous_field()

    def __init__(self, *args, pemda, complaints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["complaints"].queryset = complaints
        self.fields["category"].queryset = categories_of(pemda)
        self.fields["is_secret"].required = False
        self.fields["is_anonymous"].required = False

    def clean(self):
        data = super().clean()
        if data.get("action") == self.VERIFY:
            for name in ("category",):
                if not data.get(name):
                    self.add_error(name, _("Choose the category to verify with."))
            for name in ("is_secret", "is_anonymous"):
                if self.data.get(name) not in ("0", "1"):
                    self.add_error(name, _("Choose yes or no."))
        return data


class VerifyForm(forms.Form):
    category = CategoryChoiceField(label=_("Category"), queryset=Category.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    is_secret = secret_field()
    is_anonymous = anonymous_field()
    region = PlaceChoiceField(
        label=_("Kecamatan or desa/kelurahan"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("— unknown —"),
    )

    def __init__(self, *args, complaint, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "category": complaint.category_id,
                "kind": complaint.kind,
                "region": complaint.region_id,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_of(complaint.pemda)
        self.fields["region"].queryset = place_queryset(complaint.pemda)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=RejectReason.choices, widget=forms.RadioSelect
    )
    duplicate_code = forms.CharField(
        label=_("Duplicate of (tracking code)"), required=False, max_length=20
    )
    note = forms.CharField(
        label=_("Note to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.complaint = complaint

    def clean_duplicate_code(self):
        code = self.cleaned_data["duplicate_code"].strip()
        if not code:
            return None
        original = (
            Complaint.objects.filter(
                pemda_id=self.complaint.pemda_id, tracking_code=normalize_tracking_code(code)
            )
            .exclude(pk=self.complaint.pk)
            .first()
        )
        if original is None:
            raise ValidationError(_("No other complaint of this Pemda has this code."))
        return original


class ForwardForm(forms.Form):
    to_pemda = forms.ModelChoiceField(
        label=_("To another Pemda in Balai"),
        queryset=Pemda.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    to_body = forms.CharField(
        label=_("Or to an outside body"),
        required=False,
        max_length=200,
        help_text=_("E.g. PLN UP3 Bali Timur, Balai Jalan Nasional, Polres."),
    )
    note = forms.CharField(
        label=_("Why and where (shown to the reporter)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_pemda"].queryset = (
            Pemda.objects.filter(is_active=True).exclude(pk=complaint.pemda_id).order_by("name")
        )


class AssignForm(forms.Form):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=OPD.objects.none())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = opd_list(pemda=complaint.pemda)
        if complaint.opd_id:
            self.fields["opd"].queryset = self.fields["opd"].queryset.exclude(pk=complaint.opd_id)


class RespondForm(forms.Form):
    text = forms.CharField(
        label=_("Response to the reporter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note (never shown to the reporter)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)


class RedactForm(forms.Form):
    description = forms.CharField(
        label=_("Description without identifying details"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=_("Delete these photos or files"),
        queryset=Attachment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, complaint, **kwargs):
        kwargs.setdefault("initial", {"description": complaint.description})
        super().__init__(*args, **kwargs)
        self.fields["remove_attachments"].queryset = Attachment.objects.filter(complaint=complaint)
        self.fields["remove_attachments"].label_from_instance = lambda a: (
            f"{a.content_type} · {a.size // 1024} KB · {a.created_at:%Y-%m-%d}"
        )


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Waiting for"), choices=PauseReason.choices)
    expected_until = forms.DateField(
        label=_("Expected end of the wait"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Note to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)


class ResumeForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the reporter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)


class ResolveForm(forms.Form):
    actions = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))
    photos = MultipleFileField(
        label=_("Photos of the result"),
        required=False,
        help_text=_("Up to 5 photos or PDF files. Location data inside photos is removed."),
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["accept"] = "image/*,application/pdf"

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > 5:
            raise ValidationError(_("At most 5 files."))
        return photos


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)


class EmptyForm(forms.Form):
    """Steps without input (start, approve): only the CSRF token."""

    def __init__(self, *args, complaint, **kwargs):
        super().__init__(*args, **kwargs)
