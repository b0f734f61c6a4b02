from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "balai.privacy"
    verbose_name = _("Personal data protection")

    def ready(self) -> None:
        from balai.accounts.choices import Role
        from balai.core.navigation import register_staff_link

        from .registry import register_builtin_kinds

        register_builtin_kinds()
        register_staff_link(
            "staff:privacy_home", _("Personal data (UU 27/2022)"), {Role.PEMDA_ADMIN}, order=910
        )
