"""The call center's form: an operator enters a complaint received by phone."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from balai.core.permissions import has_role
from balai.organizations.models import Pemda

from . import services
from .choices import Channel, Kind
from .forms_public import MultipleFileField, normalize_phone, village_choices
from .models import Category
from .selectors import CALL_CENTER


class PhoneComplaintForm(forms.Form):
    caller_phone = forms.CharField(
        label=gettext_lazy("Caller's number"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("As shown by the phone, e.g. 0366 5501000 or 0812 3456 7890."),
    )
    caller_name = forms.CharField(
        label=gettext_lazy("Caller's name"), max_length=120, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("What the caller reports"), widget=forms.Textarea(attrs={"rows": 5})
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=Kind.choices, initial=Kind.PENGADUAN
    )
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=gettext_lazy("— decide at verification —"),
    )
    village = forms.ChoiceField(label=gettext_lazy("Desa/kelurahan"), required=False)
    address = forms.CharField(
        label=gettext_lazy("Street, landmark"), max_length=200, required=False
    )
    photos = MultipleFileField(label=gettext_lazy("Photos"), required=False)

    def __init__(self, *args, pemda, **kwargs):
        super().__init__(*args, **kwargs)
        self.pemda = pemda
        self.fields["category"].queryset = Category.objects.filter(pemda=pemda, is_active=True)
        self.fields["village"].choices = village_choices(pemda)

    def clean_caller_phone(self):
        return normalize_phone(self.cleaned_data["caller_phone"])

    def clean_village(self):
        from balai.regions.models import Region

        code = self.cleaned_data["village"]
        if not code:
            return None
        region = Region.objects.filter(
            code=code, code__startswith=self.pemda.region_id + "."
        ).first()
        if region is None:
            raise ValidationError(_("Choose a desa/kelurahan of this Pemda."))
        return region


@login_required
@require_http_methods(["GET", "POST"])
def complaint_phone_new(request, pemda_slug: str):
    pemda = get_object_or_404(Pemda, slug=pemda_slug, is_active=True)
    if not has_role(request.user, pemda.id, *CALL_CENTER):
        raise PermissionDenied
    form = PhoneComplaintForm(request.POST or None, request.FILES or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_submit(
                pemda=pemda,
                channel=Channel.PHONE,
                actor=request.user,
                description=data["description"],
                kind=data["kind"],
                category=data["category"],
                region=data["village"],
                address=data["address"],
                reporter_name=data["caller_name"],
                reporter_phone=data["caller_phone"],
                files=[(f.read(), f.name) for f in data["photos"]],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Complaint %(code)s recorded. Read the code out to the caller.")
                % {"code": complaint.tracking_code},
            )
            return redirect(
                "staff:complaint_detail", pemda_slug=pemda.slug, code=complaint.tracking_code
            )
    return render(request, "complaints/staff_phone_new.html", {"pemda": pemda, "form": form})
