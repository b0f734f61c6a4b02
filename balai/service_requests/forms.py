"""Forms of the counter and the staff pages. They only parse input: the rules are the services'.

The counter form works without JavaScript in two steps: a GET form chooses the service, then
the POST form shows the requirements of the standard in force today as a checklist.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.complaints.forms_public import normalize_phone

from .choices import Channel, Status


class RequirementsField(forms.MultipleChoiceField):
    """The standard's requirements as checkboxes; cleaned to {requirement_id: brought}."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, requirements=(), **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.requirements = list(requirements)
        self.choices = [
            (str(r.pk), r.text if r.is_mandatory else _("%(text)s (optional)") % {"text": r.text})
            for r in self.requirements
        ]

    def clean(self, value):
        chosen = set(super().clean(value))
        return {r.pk: str(r.pk) in chosen for r in self.requirements}


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.opd.short_name})"


class ChooseServiceForm(forms.Form):
    """Step one of the counter form (GET)."""

    service = ServiceChoiceField(
        label=_("Service"), queryset=None, empty_label=_("— choose a service —")
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class CounterForm(forms.Form):
    """Step two of the counter form (POST): where, how, who (optional), and the checklist."""

    service = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput)
    point = forms.ModelChoiceField(
        label=_("Service point"), queryset=None, required=False, empty_label=_("— none —")
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    event = forms.ChoiceField(
        label=_("Outreach event"),
        required=False,
        help_text=_("When the channel is an outreach event."),
    )
    requirements = RequirementsField(
        label=_("Documents brought"),
        help_text=_("Tick what the applicant brought. Without a mandatory one, the clock waits."),
    )
    applicant_name = forms.CharField(
        label=_("Applicant's name"),
        max_length=120,
        required=False,
        help_text=_("Optional."),
    )
    applicant_phone = forms.CharField(
        label=_("Applicant's WhatsApp number"),
        max_length=30,
        required=False,
        help_text=_("Optional: to tell the applicant when it is ready."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, services, points, requirements, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The Pemda's outreach events of the day: used when the channel is "event".
        self.events = {str(e.pk): e for e in events}
        self.fields["event"].choices = [("", "—")] + [
            (str(e.pk), f"{e.program.name} · {e.venue.name}") for e in events
        ]
        self.fields["service"].queryset = services
        self.fields["point"].queryset = points
        self.fields["requirements"] = RequirementsField(
            label=self.fields["requirements"].label,
            help_text=self.fields["requirements"].help_text,
            requirements=requirements,
        )
        self.order_fields(["service", "point", "channel", "event", "requirements"])

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])

    def clean(self):
        data = super().clean()
        event = self.events.get(data.get("event") or "")
        if data.get("channel") != Channel.EVENT:
            event = None
        elif event is None and len(self.events) == 1:
            event = next(iter(self.events.values()))  # the only event of the day
        data["event_object"] = event
        return data


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all")), *Status.choices]
    )
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("all")
    )
    point = forms.ModelChoiceField(
        label=_("Service point"), queryset=None, required=False, empty_label=_("all")
    )

    def __init__(self, *args, services, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["point"].queryset = points

    @property
    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


class EmptyForm(forms.Form):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class CompleteForm(forms.Form):
    """The applicant came back: tick what is there now."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        requirements = list(request.standard.requirements.all())
        self.fields["requirements"] = RequirementsField(
            label=_("Documents brought"), requirements=requirements
        )
        if not self.is_bound:
            self.initial["requirements"] = [
                key for key, brought in (request.checklist or {}).items() if brought
            ]


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the applicant on the tracking page."),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OnTimeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=None, required=False, empty_label=_("all")
    )
    point = forms.ModelChoiceField(
        label=_("Service point"), queryset=None, required=False, empty_label=_("all")
    )

    def __init__(self, *args, services, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["point"].queryset = points

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The period ends before it starts."))
            if end - start > dt.timedelta(days=366):
                raise ValidationError(_("Choose a period of at most a year."))
        return data
