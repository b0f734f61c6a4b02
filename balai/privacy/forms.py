"""Forms of the privacy pages: retention periods, the person search and the erasure."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import MIN_DAYS, person_key


class RetentionForm(forms.Form):
    """One field per kind of personal data; empty keeps the default."""

    def __init__(self, *args, kinds, current: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[kind.key] = forms.IntegerField(
                label=kind.label,
                required=False,
                min_value=MIN_DAYS,
                max_value=36500,
                initial=current.get(kind.key),
                help_text=_("Default: %(days)d days.") % {"days": kind.default_days},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )


class PersonForm(forms.Form):
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("E.g. 0812 3456 7890 or +62 812 3456 7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("E-mail address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        try:
            data["person"] = person_key(phone=data.get("phone", ""), email=data.get("email", ""))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(field, error)
            else:
                raise
        return data


class EraseForm(PersonForm):
    reason = forms.CharField(
        label=_("Legal reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the person's request of 3 March under UU 27/2022 art. 8, letter no. ..."),
    )
    confirm = forms.BooleanField(
        label=_("I have checked the list above: erase this person's data."), required=True
    )
