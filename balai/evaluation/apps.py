from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The rows the evaluation figures are built from: a save or delete of any of them (of one
# Pemda) forgets that Pemda's cached figures. Models of apps not installed are skipped.
WATCHED_MODELS = (
    "complaints.Complaint",
    "visits.Visit",
    "visits.SurveyResponse",
    "visits.UptakeSettings",
    "service_requests.ServiceRequest",
    "outreach.Event",
    "outreach.Program",
    "announcements.Campaign",
    "evaluation.TransparencySetting",
)


class EvaluationConfig(AppConfig):
    name = "balai.evaluation"
    verbose_name = _("Evaluation for leadership")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from balai.accounts.choices import Role
        from balai.core.navigation import register_staff_link
        from balai.core.signals import pemda_data_changed

        from .cache import on_bulk_changed, on_row_changed

        for label in WATCHED_MODELS:
            try:
                model = apps.get_model(label)
            except LookupError:
                continue
            post_save.connect(on_row_changed, sender=model, dispatch_uid=f"eval-{label}-save")
            post_delete.connect(on_row_changed, sender=model, dispatch_uid=f"eval-{label}-del")
        pemda_data_changed.connect(on_bulk_changed, dispatch_uid="eval-bulk")

        register_staff_link(
            "staff:evaluation_dashboard",
            _("Evaluation dashboard"),
            {Role.LEADERSHIP, Role.PEMDA_ADMIN},
            order=5,
        )
        register_staff_link(
            "staff:evaluation_transparency",
            _("Public transparency page"),
            {Role.PEMDA_ADMIN},
            order=70,
        )
