"""Clients of the Open311 endpoint: each holds an API key that lets it submit requests."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """An application allowed to POST service requests to one Pemda. Only the key's hash is kept."""

    PREFIX = "o311_"

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="open311_clients"
    )
    name = models.CharField(_("name"), max_length=120)
    key_prefix = models.CharField(_("key prefix"), max_length=16, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["pemda", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def new_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(30)

    @staticmethod
    def hash_key(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
