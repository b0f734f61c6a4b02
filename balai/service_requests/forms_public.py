"""The citizen's online application form. It only parses input: the rules are the services'."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balai.complaints.forms_public import normalize_phone


class OnlineApplicationForm(forms.Form):
    """Which office, who and how to reach them. No documents are uploaded: they are shown at the
    office, so no scan of a KTP or KK is ever kept online."""

    point = forms.ModelChoiceField(
        label=_("Office where you will bring the documents"),
        queryset=None,
        empty_label=_("— choose an office —"),
    )
    applicant_name = forms.CharField(label=_("Your name"), max_length=120)
    applicant_phone = forms.CharField(
        label=_("WhatsApp number"),
        max_length=30,
        help_text=_("We tell you here when it is ready. Only the office's staff can see it."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.CharField(required=False, widget=forms.HiddenInput)  # honeypot for bots

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points
        if not points.exists():  # the service is handled at the OPD itself
            del self.fields["point"]

    def clean_applicant_name(self):
        return self.cleaned_data["applicant_name"].strip()

    def clean_applicant_phone(self):
        return normalize_phone(self.cleaned_data["applicant_phone"])
