from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    name = "balai.announcements"
    verbose_name = _("Announcements and socialization")

    def ready(self):
        from balai.accounts.choices import Role as R  # noqa: N817
        from balai.core.navigation import register_staff_link
        from balai.messaging import hooks

        from .inbound import on_whatsapp_status, whatsapp_command

        hooks.register_inbound_command(whatsapp_command)
        hooks.whatsapp_status.connect(on_whatsapp_status, dispatch_uid="announcements-status")
        register_staff_link(
            "staff:announcement_list",
            _("Announcements"),
            {R.PEMDA_ADMIN, R.AREA_STAFF, R.LEADERSHIP},
            order=70,
        )
        register_staff_link(
            "staff:contact_list", _("RT/RW contacts"), {R.PEMDA_ADMIN, R.AREA_STAFF}, order=71
        )
