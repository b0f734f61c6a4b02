"""A Pemda's retention periods for personal data (UU 27/2022 PDP)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionPolicy(models.Model):
    """How long one kind of personal data is kept by a Pemda (overrides the default).

    ``kind`` is a key of ``balai.privacy.registry`` (e.g. ``complaints.reporter``).
    """

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="retention_policies"
    )
    kind = models.CharField(_("kind of personal data"), max_length=60)
    days = models.PositiveIntegerField(
        _("retention period (days)"),
        validators=[MinValueValidator(30), MaxValueValidator(36500)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        ordering = ["pemda", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "kind"], name="retention_policy_once"),
            models.CheckConstraint(condition=models.Q(days__gte=30), name="retention_min_30_days"),
        ]

    def __str__(self) -> str:
        return f"{self.pemda} · {self.kind}: {self.days}"
