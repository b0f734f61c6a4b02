"""Forms of the logbook, the survey and the evaluation filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.core.choices import Occupation
from balai.organizations.choices import SessionKind

from . import ikm
from .choices import Education, Outcome, Sex

DATE_WIDGET = {"type": "date"}


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )


class VisitForm(forms.Form):
    """The fast entry form: one visitor, a few taps."""

    services = forms.MultipleChoiceField(
        label=_("Services sought"), required=False, widget=forms.CheckboxSelectMultiple
    )
    other_service = forms.ChoiceField(label=_("Another service"), required=False)
    occupation = forms.ChoiceField(
        label=_("Occupation"), choices=Occupation.choices, widget=forms.RadioSelect
    )
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    rw = forms.CharField(label=_("RW"), required=False, max_length=3)
    rt = forms.CharField(label=_("RT"), required=False, max_length=3)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=Outcome.choices,
        initial=Outcome.SERVED,
        widget=forms.RadioSelect,
    )
    session_kind = forms.ChoiceField(
        label=_("Session"), choices=SessionKind.choices, widget=forms.RadioSelect
    )
    event = forms.ChoiceField(label=_("Outreach event"), required=False)

    def __init__(self, *args, top_services, other_services, villages, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The Pemda's outreach events of the day: used when the session is "event".
        self.events = {str(e.pk): e for e in events}
        self.fields["event"].choices = [("", "—")] + [
            (str(e.pk), f"{e.program.name} · {e.venue.name}") for e in events
        ]
        self.service_objects = {str(s.pk): s for s in [*top_services, *other_services]}
        self.fields["services"].choices = [(str(s.pk), s.name) for s in top_services]
        self.fields["other_service"].choices = [("", "—")] + [
            (str(s.pk), s.name) for s in other_services
        ]
        self.fields["village"].choices = [("", _("— outside the area / unknown"))] + [
            (v.code, v.name) for v in villages
        ]
        self.villages = {v.code: v for v in villages}

    def clean_rw(self):
        return _digits(self.cleaned_data["rw"])

    def clean_rt(self):
        return _digits(self.cleaned_data["rt"])

    def clean(self):
        data = super().clean()
        chosen = list(data.get("services") or [])
        if data.get("other_service"):
            chosen.append(data["other_service"])
        if not chosen:
            self.add_error("services", _("Choose at least one service."))
        data["service_objects"] = [self.service_objects[pk] for pk in dict.fromkeys(chosen)]
        data["village_object"] = self.villages.get(data.get("village") or "")
        event = self.events.get(data.get("event") or "")
        if data.get("session_kind") != SessionKind.EVENT:
            event = None
        elif event is None and len(self.events) == 1:
            event = next(iter(self.events.values()))  # the only event of the day
        data["event_object"] = event
        return data


def _digits(value: str) -> str:
    value = (value or "").strip()
    if value and not (value.isdigit() and len(value) <= 3):
        raise forms.ValidationError(_("Up to three digits."))
    return value


class BatchHeaderForm(forms.Form):
    day = _date_field(_("Date on the paper logbook"))


class BatchRowForm(forms.Form):
    """One line of a paper logbook page; a line left empty is skipped."""

    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    session_kind = forms.ChoiceField(label=_("Session"), choices=SessionKind.choices)
    service = forms.ChoiceField(label=_("Service"))
    service2 = forms.ChoiceField(label=_("Second service"), required=False)
    village = forms.ChoiceField(label=_("Desa/kelurahan"), required=False)
    rw = forms.CharField(label=_("RW"), required=False, max_length=3)
    rt = forms.CharField(label=_("RT"), required=False, max_length=3)
    occupation = forms.ChoiceField(label=_("Occupation"), choices=[("", "—"), *Occupation.choices])
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, initial=Outcome.SERVED)

    def __init__(self, *args, services, villages, session_kind=SessionKind.REGULAR, **kwargs):
        super().__init__(*args, **kwargs)
        service_choices = [(str(s.pk), s.name) for s in services]
        self.fields["service"].choices = [("", "—"), *service_choices]
        self.fields["service2"].choices = [("", "—"), *service_choices]
        self.fields["village"].choices = [("", "—")] + [(v.code, v.name) for v in villages]
        self.fields["session_kind"].initial = session_kind
        self.services = {str(s.pk): s for s in services}
        self.villages = {v.code: v for v in villages}

    def clean_rw(self):
        return _digits(self.cleaned_data["rw"])

    def clean_rt(self):
        return _digits(self.cleaned_data["rt"])


class BaseBatchFormSet(forms.BaseFormSet):
    def __init__(self, *args, services, villages, session_kind=SessionKind.REGULAR, **kwargs):
        self.services, self.villages, self.session_kind = services, villages, session_kind
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {
            "services": self.services,
            "villages": self.villages,
            "session_kind": self.session_kind,
        }


def batch_formset(rows: int):
    """A formset of `rows` lines; lines left as they were are skipped."""
    return forms.formset_factory(
        BatchRowForm, formset=BaseBatchFormSet, extra=rows, max_num=rows, absolute_max=rows
    )


class CSVImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), required=False)
    text = forms.CharField(
        label=_("…or paste the lines here"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace", "spellcheck": "false"}),
    )

    MAX_BYTES = 2 * 1024 * 1024

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            raw = upload.read()
            try:
                data["content"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                data["content"] = raw.decode("cp1252", errors="replace")
        elif data.get("text", "").strip():
            data["content"] = data["text"]
        else:
            raise forms.ValidationError(_("Choose a file or paste the lines."))
        return data


# -- the survey ----------------------------------------------------------------------------------
class SurveyForm(forms.Form):
    """The nine SKM questions and the respondent's profile (all profile answers optional)."""

    service = forms.ChoiceField(label=_("Which service did you use?"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=10, max_value=120)
    sex = forms.ChoiceField(
        label=_("Sex"), required=False, choices=Sex.choices, widget=forms.RadioSelect
    )
    education = forms.ChoiceField(
        label=_("Education"), required=False, choices=[("", "—"), *Education.choices]
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), required=False, choices=[("", "—"), *Occupation.choices]
    )

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        for element in ikm.ELEMENTS:
            self.fields[element.field] = forms.TypedChoiceField(
                label=element.question,
                choices=[(str(score), option) for score, option in enumerate(element.options, 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose one answer.")},
            )
        self.fields["service"].choices = [("", "—")] + [(str(s.pk), s.name) for s in services]
        self.services = {str(s.pk): s for s in services}
        self.order_fields(["service", *(e.field for e in ikm.ELEMENTS)])

    @property
    def element_fields(self):
        return [(element, self[element.field]) for element in ikm.ELEMENTS]

    def answers(self) -> dict[str, int]:
        return {e.field: self.cleaned_data[e.field] for e in ikm.ELEMENTS}

    def service_object(self):
        return self.services.get(self.cleaned_data.get("service") or "")


class StaffSurveyForm(SurveyForm):
    """A paper questionnaire typed in by staff: which point, and the day it was filled in."""

    point = forms.ChoiceField(label=_("Service point"))
    answered_on = _date_field(_("Date on the questionnaire"))

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.slug, p.name) for p in points]
        self.points = {p.slug: p for p in points}
        self.order_fields(["point", "answered_on", "service", *(e.field for e in ikm.ELEMENTS)])


class SurveyLinkForm(forms.Form):
    point = forms.ChoiceField(label=_("Service point"))
    service = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(self, *args, points, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.slug, p.name) for p in points]
        self.fields["service"].choices = [("", "—")] + [(str(s.pk), s.name) for s in services]
        self.points = {p.slug: p for p in points}
        self.services = {str(s.pk): s for s in services}


# -- filters -------------------------------------------------------------------------------------
class PeriodForm(forms.Form):
    start = _date_field(_("From"))
    end = _date_field(_("Until (inclusive)"))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period is before its start."))
        return data


class IKMFilterForm(PeriodForm):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    point = forms.ChoiceField(label=_("Service point"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    weight = forms.ChoiceField(
        label=_("Weight"),
        required=False,
        choices=[(p.key, p.label) for p in ikm.WEIGHT_POLICIES.values()],
    )

    def __init__(self, *args, units, points, services, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["unit"].choices = everything + [(str(u.pk), u.name) for u in units]
        self.fields["point"].choices = everything + [(str(p.pk), p.name) for p in points]
        self.fields["service"].choices = everything + [(str(s.pk), s.name) for s in services]


class VisitListForm(PeriodForm):
    point = forms.CharField(required=False, widget=forms.HiddenInput)
    session = forms.ChoiceField(
        label=_("Session"), required=False, choices=[("", _("All")), *SessionKind.choices]
    )
    occupation = forms.ChoiceField(
        label=_("Occupation"), required=False, choices=[("", _("All")), *Occupation.choices]
    )
    village = forms.CharField(required=False, widget=forms.HiddenInput)
