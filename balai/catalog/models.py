"""The service catalog: services and their Standar Pelayanan, versioned by effective date."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import DurationUnit, ServiceCategory, StandardStatus


class Service(models.Model):
    """A public service of the Pemda (e.g. KTP-el, akta kelahiran, surat keterangan usaha)."""

    pemda = models.ForeignKey(
        "organizations.Pemda", on_delete=models.CASCADE, related_name="services"
    )
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=ServiceCategory.choices)
    opd = models.ForeignKey(
        "organizations.OPD",
        verbose_name=_("responsible OPD"),
        on_delete=models.PROTECT,
        related_name="services",
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    keywords = models.CharField(_("search words"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    accepts_online = models.BooleanField(
        _("online applications"),
        default=True,
        help_text=_(
            "Citizens may apply on the portal and bring the documents to the office; the "
            "processing time counts from when the documents are complete."
        ),
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["pemda", "name"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "code"], name="service_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class StandardVersion(models.Model):
    """One version of a service's Standar Pelayanan, in force from `effective_from`.

    The version in force on a date is the published one with the latest `effective_from` on or
    before it; a service request is judged by the version in force when it was filed.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="standards")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=StandardStatus.choices, default=StandardStatus.DRAFT
    )
    effective_from = models.DateField(_("in force from"))
    decree = models.CharField(
        _("decree"), max_length=200, blank=True, help_text=_("The SK that set this standard.")
    )
    # Public components.
    procedure = models.TextField(_("Sistem, mekanisme dan prosedur"))
    processing_time = models.PositiveIntegerField(_("Jangka waktu penyelesaian"))
    processing_unit = models.CharField(_("unit"), max_length=16, choices=DurationUnit.choices)
    fee = models.DecimalField(_("Biaya/tarif (Rp)"), max_digits=12, decimal_places=0, default=0)
    fee_note = models.CharField(_("fee note"), max_length=200, blank=True)
    product = models.TextField(_("Produk pelayanan"))
    complaints_handling = models.TextField(_("Penanganan pengaduan, saran dan masukan"))
    # Internal components.
    legal_basis = models.TextField(_("Dasar hukum"), blank=True)
    facilities = models.TextField(_("Sarana, prasarana dan/atau fasilitas"), blank=True)
    staff_competence = models.TextField(_("Kompetensi pelaksana"), blank=True)
    internal_supervision = models.TextField(_("Pengawasan internal"), blank=True)
    staff_count = models.CharField(_("Jumlah pelaksana"), max_length=200, blank=True)
    service_guarantee = models.TextField(_("Jaminan pelayanan"), blank=True)
    security_guarantee = models.TextField(
        _("Jaminan keamanan dan keselamatan pelayanan"), blank=True
    )
    performance_evaluation = models.TextField(_("Evaluasi kinerja pelaksana"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Standar Pelayanan version")
        verbose_name_plural = _("Standar Pelayanan versions")
        ordering = ["service", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="standard_unique_version"),
            models.UniqueConstraint(
                fields=["service", "effective_from"],
                condition=models.Q(status="published"),
                name="standard_unique_published_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"


class Requirement(models.Model):
    """One item of a standard's Persyaratan: the counter's checklist."""

    standard = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="requirements"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("requirement"), max_length=300)
    is_mandatory = models.BooleanField(_("mandatory"), default=True)

    class Meta:
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")
        ordering = ["standard", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Maklumat(models.Model):
    """A unit's Maklumat Pelayanan (service pledge), in force from a date."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="maklumat"
    )
    text = models.TextField(_("pledge"))
    signed_by = models.CharField(_("signed by"), max_length=200)
    effective_from = models.DateField(_("in force from"))

    class Meta:
        verbose_name = _("Maklumat Pelayanan")
        verbose_name_plural = _("Maklumat Pelayanan")
        ordering = ["unit", "-effective_from"]

    def __str__(self) -> str:
        return f"{self.unit} {self.effective_from}"
