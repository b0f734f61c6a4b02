"""The official region tree of Indonesia and the sub-village units each Pemda keeps."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Level, SubVillageKind


class Region(models.Model):
    """A provinsi, kabupaten/kota, kecamatan or desa/kelurahan, keyed by its Kemendagri code."""

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    distance_to_seat_km = models.FloatField(
        _("distance to the seat of government (km)"), null=True, blank=True
    )
    is_active = models.BooleanField(
        _("in the current edition"),
        default=True,
        help_text=_("False when the latest edition no longer lists this region."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="region_level_range"
            ),
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="region_parent_by_level",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_village(self) -> bool:
        return self.level == Level.DESA_KELURAHAN


class RegionBoundary(models.Model):
    """A region's simplified boundary as a GeoJSON geometry (kept apart: it is large)."""

    region = models.OneToOneField(
        Region, on_delete=models.CASCADE, primary_key=True, related_name="boundary"
    )
    geometry = models.JSONField(_("geometry"))

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region)


class SubVillageUnit(models.Model):
    """A dusun/lingkungan, RW or RT inside a desa/kelurahan, as the Pemda keeps them."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="subvillage_units"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="subvillage_units",
        limit_choices_to={"level": Level.DESA_KELURAHAN},
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SubVillageKind.choices)
    name = models.CharField(_("name or number"), max_length=80)

    class Meta:
        verbose_name = _("sub-village unit")
        verbose_name_plural = _("sub-village units")
        ordering = ["village", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "kind", "name"],
                condition=models.Q(parent__isnull=True),
                name="subvillage_unique_top_name",
            ),
            models.UniqueConstraint(
                fields=["parent", "kind", "name"],
                condition=models.Q(parent__isnull=False),
                name="subvillage_unique_child_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}, {self.village.name}"
