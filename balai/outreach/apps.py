from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "balai.outreach"
    verbose_name = _("Mobile service days and village coverage")
