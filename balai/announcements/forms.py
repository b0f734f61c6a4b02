"""Forms of the announcements app (staff and portal)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from balai.organizations.choices import SessionKind

from .choices import Channel, ConsentMethod, ContactRole, Topic

MAX_UPLOAD = 10 * 1024 * 1024


class SubscribeForm(forms.Form):
    phone = forms.CharField(
        label=_("WhatsApp or phone number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("or e-mail"), required=False)
    areas = forms.MultipleChoiceField(label=_("Areas"), choices=())
    topics = forms.MultipleChoiceField(
        label=_("Topics (none chosen: all)"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree to receive announcements from this Pemda and may stop at any time."),
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [
            (a.code, ("— " if a.level == 4 else "") + a.name) for a in areas
        ]
        self.fields["areas"].widget.attrs["size"] = 8

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            raise ValidationError(_("Give a phone number or an e-mail address."))
        return data


class OptOutForm(forms.Form):
    phone = forms.CharField(label=_("WhatsApp or phone number"), required=False, max_length=30)
    email = forms.EmailField(label=_("or e-mail"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            raise ValidationError(_("Give a phone number or an e-mail address."))
        return data


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    attachment = forms.FileField(label=_("Photo or PDF (optional)"), required=False)
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)
    targets = forms.MultipleChoiceField(label=_("Areas"), choices=())
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=Channel.choices,
        initial=[c for c, _label in Channel.choices],
        widget=forms.CheckboxSelectMultiple,
    )
    service_point = forms.TypedChoiceField(
        label=_("Service point promoted"), required=False, coerce=int, empty_value=None
    )
    service = forms.TypedChoiceField(
        label=_("Service promoted"), required=False, coerce=int, empty_value=None
    )
    session_kind = forms.ChoiceField(
        label=_("Session promoted"),
        required=False,
        choices=[("", "—"), *SessionKind.choices],
    )
    program = forms.TypedChoiceField(
        label=_("Outreach program promoted"), required=False, coerce=int, empty_value=None
    )
    event = forms.TypedChoiceField(
        label=_("Service day promoted"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Its program is filled in when none is chosen."),
    )

    def __init__(
        self,
        *args,
        target_choices=(),
        points=(),
        services=(),
        programs=(),
        events=(),
        **kwargs,
    ):
        """The choices are the staff member's Pemda's only (a posted id of another Pemda is
        refused as an invalid choice)."""
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = target_choices
        self.fields["service_point"].choices = [("", "—"), *((p.pk, p.name) for p in points)]
        self.fields["service"].choices = [("", "—"), *((s.pk, s.name) for s in services)]
        self.fields["program"].choices = [("", "—"), *((p.pk, p.name) for p in programs)]
        self.fields["event"].choices = [("", "—"), *((e.pk, event_label(e)) for e in events)]

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload and upload.size > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 10 MB."))
        return upload


def event_label(event) -> str:
    return f"{event.date:%d-%m-%Y} · {event.program.name} · {event.venue.name}"


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send at (local time)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, tz: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = ZoneInfo(tz)

    def clean_at(self):
        value = self.cleaned_data["at"]
        return value.replace(tzinfo=None).replace(tzinfo=self.tz).astimezone(dt.UTC)


class ContactImportForm(forms.Form):
    file = forms.FileField(label=_("Spreadsheet (CSV or XLSX)"))
    consent_method = forms.ChoiceField(
        label=_("Consent was given by"),
        choices=[c for c in ConsentMethod.choices if c[0] != ConsentMethod.PORTAL],
    )


ROLE_CHOICES = ContactRole.choices
