"""Users, their roles in a Pemda (memberships) and their personal API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role


class User(AbstractUser):
    """A staff member. Citizens do not need an account."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username


class Membership(models.Model):
    """A role a user holds in one Pemda, scoped to an OPD or an area where the role needs it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    opd = models.ForeignKey(
        "organizations.OPD",
        verbose_name=_("OPD"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["pemda", "role"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["opd_head", "opd_staff"])
                | models.Q(opd__isnull=False),
                name="membership_opd_roles_need_opd",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="area_staff") | models.Q(region__isnull=False),
                name="membership_area_role_needs_region",
            ),
            models.UniqueConstraint(
                fields=["user", "pemda", "role", "opd", "region"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = self.opd or self.region or self.pemda
        return f"{self.user} · {self.get_role_display()} · {scope}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class PersonalToken(models.Model):
    """A personal API token. Only its hash is stored; the key is shown once at creation."""

    PREFIX = "blai_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=80)
    key_prefix = models.CharField(_("key prefix"), max_length=16, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(30)

    @staticmethod
    def hash_key(raw: str) -> str:
        return _hash_token(raw)
