from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "balai.community"
    verbose_name = _("Community spaces and activities")
