"""Base models and the append-only audit log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit log is append-only.")

    def clear_ip_addresses(self) -> int:
        """Blank the IP address of these rows: the one change the audit log accepts.

        Used only by the retention purge (``balai.privacy``, kind ``core.audit_ip``) once the
        period for addresses has run out; every other field stays as written, and ``update``,
        ``save`` and ``delete`` still refuse.
        """
        return super().update(ip_address=None)

    def delete(self):
        raise TypeError("The audit log is append-only.")


class AuditLog(models.Model):
    """Who did what to which object, when and from where. Rows are never changed or removed,
    except that the retention purge blanks ``ip_address`` after its period (UU 27/2022)."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    pemda = models.ForeignKey(
        "organizations.Pemda",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.CharField(max_length=40, blank=True)
    target_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=200, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["pemda", "-created_at"], name="audit_pemda_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit log is append-only.")
