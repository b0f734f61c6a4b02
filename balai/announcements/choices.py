"""Choices of the announcements app: campaign and delivery states, channels, roles, topics."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled (opted out)")
    # A worker stopped after handing the message to the provider and before recording the
    # answer: it may or may not have arrived. Never resent automatically; staff decide.
    UNKNOWN = "unknown", _("Outcome unknown")


class ContactRole(models.TextChoices):
    KETUA_RT = "ketua_rt", _("Ketua RT")
    KETUA_RW = "ketua_rw", _("Ketua RW")
    KEPALA_DUSUN = "kepala_dusun", _("Kepala dusun / lingkungan")
    LURAH_KADES = "lurah_kades", _("Lurah / kepala desa")
    TOKOH = "tokoh", _("Tokoh masyarakat")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written form")
    VERBAL = "verbal", _("Verbal, noted by staff")
    PORTAL = "portal", _("Portal form")
    WHATSAPP = "whatsapp", _("WhatsApp message")


class Topic(models.TextChoices):
    SERVICES = "layanan", _("Services and office hours")
    EVENTS = "kegiatan", _("Service days and community activities")
    HEALTH = "kesehatan", _("Health")
    URGENT = "darurat", _("Urgent notices")


class TargetKind(models.TextChoices):
    PEMDA = "pemda", _("The whole Pemda")
    KECAMATAN = "kecamatan", _("Kecamatan")
    VILLAGE = "village", _("Desa/kelurahan")
    UNIT = "unit", _("RW/RT or dusun")
