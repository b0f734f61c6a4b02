"""Forms of community spaces; they work without JavaScript (native date and time inputs)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.organizations.choices import Weekday

from .choices import BookingStatus, Facility, GroupKind
from .services import normalize_phone


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class BookingForm(forms.Form):
    """A group's request for a space; date and times in the Pemda's zone."""

    space = forms.TypedChoiceField(label=_("Space"), coerce=int)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    group_name = forms.CharField(label=_("Name of the group"), max_length=150)
    group_kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)
    purpose = forms.CharField(
        label=_("Activity"),
        max_length=300,
        help_text=_("Shown on the public calendar once approved, with the group's name."),
    )
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, max_value=10_000)
    contact_name = forms.CharField(label=_("Contact person"), max_length=120)
    contact_phone = forms.CharField(
        label=_("Phone / WhatsApp"),
        max_length=30,
        help_text=_("Only the office's staff see it, to answer your request."),
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot for bots

    def __init__(self, *args, spaces, tz: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.spaces = {s.pk: s for s in spaces}
        self.tz = tz
        self.fields["space"].choices = [
            (
                s.pk,
                _("%(name)s (up to %(capacity)s people)")
                % {"name": s.name, "capacity": s.capacity},
            )
            for s in spaces
        ]
        self.fields["date"].widget.attrs["min"] = f"{dt.datetime.now(tz).date():%Y-%m-%d}"
        self.fields["contact_phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel"}
        )
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"

    def clean_contact_phone(self):
        return normalize_phone(self.cleaned_data["contact_phone"])

    def clean(self):
        data = super().clean()
        if all(data.get(k) is not None for k in ("date", "start", "end")):
            data["starts_at"] = dt.datetime.combine(data["date"], data["start"], self.tz)
            data["ends_at"] = dt.datetime.combine(data["date"], data["end"], self.tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", _("The end must be after the start."))
        if "space" in data:
            data["space_object"] = self.spaces.get(data["space"])
        return data


class StaffBookingForm(BookingForm):
    approve = forms.BooleanField(label=_("Approve at once"), required=False, initial=True)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the group will read it)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CancelForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, cancel this booking"), required=True)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=500, required=False)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Booking code"), max_length=12)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *BookingStatus.choices],
    )


class SpaceForm(forms.Form):
    point = forms.TypedChoiceField(label=_("Office"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, max_value=10_000)
    facilities = forms.MultipleChoiceField(
        label=_("Facilities"),
        choices=Facility.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_bookable = forms.BooleanField(label=_("Groups may ask to book it"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    notes = forms.CharField(
        label=_("Notes for users"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=_("Photo (optional)"), required=False)

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.pk, p.name) for p in points]
        self.fields["photo"].widget.attrs["accept"] = "image/*"


class ActivityForm(forms.Form):
    space = forms.TypedChoiceField(label=_("Space"), coerce=int)
    title = forms.CharField(label=_("Title"), max_length=150)
    organiser = forms.CharField(label=_("Organised by"), max_length=150)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Until"), widget=TimeInput())
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput())
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_public = forms.BooleanField(
        label=_("Show on the public calendar"), required=False, initial=True
    )

    def __init__(self, *args, spaces, **kwargs):
        super().__init__(*args, **kwargs)
        self.spaces = {s.pk: s for s in spaces}
        self.fields["space"].choices = [(s.pk, f"{s.name} · {s.point.name}") for s in spaces]

    def clean(self):
        data = super().clean()
        s, e = data.get("start_time"), data.get("end_time")
        if s and e and e <= s:
            self.add_error("end_time", _("The end must be after the start."))
        if "space" in data:
            data["space_object"] = self.spaces.get(data["space"])
            if data["space_object"] is None:
                raise ValidationError(_("Choose a space."))
        return data
