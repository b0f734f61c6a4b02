"""Forms of the outreach staff pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.organizations.choices import Weekday

from .choices import EventStatus, VenueLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class BootstrapForm(forms.Form):
    """Text, number, date and file inputs get Bootstrap's form-control class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.Select)
            ):
                continue
            widget.attrs.setdefault("class", "form-control")


class ProgramForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    slug = forms.SlugField(
        label=_("Web address"),
        max_length=60,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name when empty."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    venue_level = forms.ChoiceField(label=_("Venue level"), choices=VenueLevel.choices)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Allowed weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    slots_per_day = forms.IntegerField(label=_("Events per day"), min_value=1, max_value=10)
    start_time = forms.TimeField(label=_("Usual start time"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("Usual end time"), required=False, widget=TIME)
    opds = forms.MultipleChoiceField(
        label=_("Participating OPD"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    services = forms.MultipleChoiceField(
        label=_("Services offered"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    target_year = forms.IntegerField(
        label=_("Coverage target year"), required=False, min_value=2000, max_value=2100
    )
    target_all = forms.BooleanField(label=_("Target: every village (or kecamatan)"), required=False)
    target_count = forms.IntegerField(label=_("Target count"), required=False, min_value=1)
    budget_notes = forms.CharField(
        label=_("Budget and capacity notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_public = forms.BooleanField(label=_("Shown on the public schedule"), required=False)

    def __init__(self, *args, opds, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.opd_objects = {str(o.pk): o for o in opds}
        self.service_objects = {str(s.pk): s for s in services}
        self.fields["opds"].choices = [(str(o.pk), o.short_name or o.name) for o in opds]
        self.fields["services"].choices = [(str(s.pk), s.name) for s in services]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The event must end after it starts."))
        return data

    def program_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["opds"] = [self.opd_objects[k] for k in data.get("opds", [])]
        data["services"] = [self.service_objects[k] for k in data.get("services", [])]
        return data


class PlanForm(BootstrapForm):
    period_start = forms.DateField(label=_("From"), widget=DATE)
    period_end = forms.DateField(label=_("Until"), widget=DATE)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Allowed weekdays"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    slots_per_day = forms.IntegerField(label=_("Events per day"), min_value=1, max_value=10)
    blackout = forms.CharField(
        label=_("Blackout dates"),
        required=False,
        help_text=_(
            "One date per line (YYYY-MM-DD); holidays and cuti bersama are left out anyway."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    one_per_kecamatan_per_week = forms.BooleanField(
        label=_("At most one event per kecamatan per week"), required=False, initial=True
    )
    exclude_visited = forms.BooleanField(
        label=_("Leave out villages already visited by this program"), required=False, initial=True
    )
    remoteness = forms.FloatField(label=_("Remoteness"), min_value=0, max_value=100)
    population = forms.FloatField(label=_("Population"), min_value=0, max_value=100)
    since_visit = forms.FloatField(label=_("Time since the last visit"), min_value=0, max_value=100)
    demand = forms.FloatField(label=_("Unmet demand"), min_value=0, max_value=100)

    WEIGHTS = ("remoteness", "population", "since_visit", "demand")

    @property
    def rhythm_fields(self):
        return [self[name] for name in self.fields if name not in self.WEIGHTS]

    @property
    def weight_fields(self):
        return [self[name] for name in self.WEIGHTS]

    def clean_blackout(self):
        import datetime as dt

        out = []
        for line in self.cleaned_data["blackout"].replace(",", "\n").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                out.append(dt.date.fromisoformat(line).isoformat())
            except ValueError as exc:
                raise forms.ValidationError(
                    _("%(value)s is not a date (YYYY-MM-DD).") % {"value": line}
                ) from exc
        return out

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data

    def constraints(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in (
                "weekdays",
                "slots_per_day",
                "blackout",
                "one_per_kecamatan_per_week",
                "exclude_visited",
            )
        }

    def weights(self) -> dict:
        return {
            key: self.cleaned_data[key]
            for key in ("remoteness", "population", "since_visit", "demand")
        }


class MoveForm(BootstrapForm):
    date = forms.DateField(label=_("New date"), widget=DATE)
    confirm = forms.BooleanField(label=_("Move despite the warnings"), required=False)


class EventForm(BootstrapForm):
    status = forms.ChoiceField(label=_("Status"), choices=EventStatus.choices)
    reason = forms.CharField(
        label=_("Reason (for cancelling or postponing)"), required=False, max_length=300
    )
    start_time = forms.TimeField(label=_("Start"), required=False, widget=TIME)
    end_time = forms.TimeField(label=_("End"), required=False, widget=TIME)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    host = forms.CharField(label=_("Host"), required=False, max_length=200)
    attendance = forms.IntegerField(label=_("Attendance"), required=False, min_value=0)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("status") in (EventStatus.CANCELLED, EventStatus.POSTPONED)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for cancelling or postponing the event."))
        return data


class PhotoForm(BootstrapForm):
    image = forms.FileField(label=_("Photo"))
    caption = forms.CharField(label=_("Caption"), required=False, max_length=200)
