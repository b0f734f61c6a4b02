"""Parsing a POSTed Open311 service request (form-encoded, GeoReport v2 field names)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ServiceRequestForm(forms.Form):
    service_code = forms.CharField(max_length=40)
    description = forms.CharField(max_length=4000)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    long = forms.FloatField(required=False, min_value=-180, max_value=180)
    address_string = forms.CharField(required=False, max_length=200)
    address_id = forms.CharField(required=False, max_length=13)
    email = forms.EmailField(required=False)
    first_name = forms.CharField(required=False, max_length=60)
    last_name = forms.CharField(required=False, max_length=60)
    phone = forms.CharField(required=False, max_length=20)

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("long") is None):
            raise forms.ValidationError(_("Send lat and long together."))
        return data

    def error_descriptions(self) -> list[str]:
        return [
            f"{name}: {message}" if name != "__all__" else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]
