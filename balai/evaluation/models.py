from django.db import models
from django.utils.translation import gettext_lazy as _


class TransparencySetting(models.Model):
    """What a Pemda publishes on its public transparency page: each section is opt-in."""

    pemda = models.OneToOneField(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="transparency_setting"
    )
    show_complaints = models.BooleanField(
        _("complaint handling performance"),
        default=False,
        help_text=_("Complaints received, share answered within 24 hours, median response time."),
    )
    show_ikm = models.BooleanField(_("IKM per unit"), default=False)
    show_on_time = models.BooleanField(_("service requests ready on time"), default=False)
    show_night_service = models.BooleanField(_("night-service visits per office"), default=False)
    show_outreach = models.BooleanField(_("outreach coverage of villages"), default=False)
    show_schedule = models.BooleanField(_("upcoming service days"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    SECTIONS = (
        "show_complaints",
        "show_ikm",
        "show_on_time",
        "show_night_service",
        "show_outreach",
        "show_schedule",
    )

    class Meta:
        verbose_name = _("transparency setting")
        verbose_name_plural = _("transparency settings")

    def __str__(self) -> str:
        return f"{self.pemda}"

    @property
    def published(self) -> list[str]:
        return [name for name in self.SECTIONS if getattr(self, name)]
