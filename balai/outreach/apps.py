from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "balai.outreach"
    verbose_name = _("Mobile service days and village coverage")

    def ready(self):
        from balai.accounts.choices import Role
        from balai.core.navigation import register_staff_link

        register_staff_link(
            "staff:outreach_programs",
            _("Mobile service days"),
            {Role.PEMDA_ADMIN, Role.LEADERSHIP, Role.EVENT_STAFF, Role.AREA_STAFF},
            order=450,
        )
