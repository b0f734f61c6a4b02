from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "balai.core"
    verbose_name = _("Core")

    def ready(self):
        from balai.accounts.choices import Role as R  # noqa: N817

        from .navigation import register_staff_link

        # The pages of the apps that predate the registry; newer apps register their own.
        everyone = frozenset(R)
        register_staff_link(
            "staff:complaint_inbox", _("Complaint inbox"), everyone - {R.EVENT_STAFF}, order=10
        )
        register_staff_link(
            "staff:visit_home",
            _("Visit logbook"),
            {R.AREA_STAFF, R.EVENT_STAFF, R.PEMDA_ADMIN},
            order=20,
        )
        register_staff_link(
            "staff:service_request_list",
            _("Service requests"),
            everyone - {R.OPERATOR},
            order=30,
        )
        register_staff_link(
            "staff:visit_uptake",
            _("Uptake of services"),
            {R.PEMDA_ADMIN, R.LEADERSHIP, R.AREA_STAFF},
            order=40,
        )
        register_staff_link(
            "staff:ikm_report", _("SKM / IKM"), {R.PEMDA_ADMIN, R.LEADERSHIP}, order=50
        )
        register_staff_link(
            "staff:complaint_evaluation",
            _("Complaint evaluation"),
            {R.PEMDA_ADMIN, R.LEADERSHIP, R.OPERATOR},
            order=60,
        )
        register_staff_link("staff:audit_list", _("Audit log"), {R.PEMDA_ADMIN}, order=900)
