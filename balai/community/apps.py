from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "balai.community"
    verbose_name = _("Community spaces and activities")

    def ready(self):
        from balai.accounts.choices import Role
        from balai.core.navigation import register_staff_link

        keepers = {Role.PEMDA_ADMIN, Role.AREA_STAFF}
        register_staff_link(
            "staff:community_queue", _("Community space bookings"), keepers, order=70
        )
        register_staff_link(
            "staff:community_activities", _("Community activities"), keepers, order=71
        )
