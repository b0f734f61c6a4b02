"""Forms citizens fill in on the portal (no JavaScript needed)."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.regions.choices import Level
from balai.regions.models import Region

from .models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def normalize_phone(value: str) -> str:
    """E.164 for an Indonesian (or international) number, or ValidationError."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number, e.g. 0812 3456 7890.")) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, e.g. 0812 3456 7890."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} {obj.name}"


def village_choices(pemda):
    """Desa/kelurahan grouped by kecamatan, for a select that works without JavaScript."""
    villages = Region.objects.filter(
        code__startswith=pemda.region_id + ".", level=Level.DESA_KELURAHAN, is_active=True
    ).select_related("parent")
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in villages.order_by("parent__name", "name"):
        groups.setdefault(f"Kecamatan {village.parent.name}", []).append(
            (village.code, f"{village.get_kind_display()} {village.name}")
        )
    return [("", _("— choose if you know it —")), *groups.items()]


class PublicComplaintForm(forms.Form):
    description = forms.CharField(
        label=_("What happened, and where?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        min_length=10,
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("— not sure —"),
    )
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    address = forms.CharField(label=_("Street, landmark"), max_length=200, required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-11.5, max_value=6.5)
    lng = forms.FloatField(
        required=False, widget=forms.HiddenInput, min_value=94.5, max_value=141.5
    )
    photos = MultipleFileField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 3 photos. Location data inside the photo is removed."),
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone / WhatsApp (optional)"),
        max_length=30,
        required=False,
        help_text=_("Only staff handling the complaint can see it."),
    )
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot for bots

    def __init__(self, *args, pemda, **kwargs):
        super().__init__(*args, **kwargs)
        self.pemda = pemda
        self.fields["category"].queryset = Category.objects.filter(pemda=pemda, is_active=True)
        self.fields["village"].choices = village_choices(pemda)
        self.fields["photos"].widget.attrs["accept"] = "image/*"

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_photos(self):
        photos = self.cleaned_data["photos"]
        if len(photos) > 3:
            raise ValidationError(_("At most 3 photos."))
        return photos

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise ValidationError(_("The map pin is incomplete; place it again."))
        return data

    def clean_village(self):
        code = self.cleaned_data["village"]
        if not code:
            return None
        region = Region.objects.filter(
            code=code, code__startswith=self.pemda.region_id + "."
        ).first()
        if region is None:
            raise ValidationError(_("Choose a desa/kelurahan of this Pemda."))
        return region


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How well was your complaint handled?"),
        choices=[(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), widget=forms.Textarea(attrs={"rows": 3})
    )
