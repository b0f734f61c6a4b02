"""Lists of the community spaces app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Facility(models.TextChoices):
    """What a space offers its users."""

    INTERNET = "internet", _("Internet (Wi-Fi)")
    PROJECTOR = "projector", _("Projector and screen")
    SOUND_SYSTEM = "sound_system", _("Sound system")
    KITCHEN = "kitchen", _("Kitchen")
    CHAIRS_TABLES = "chairs_tables", _("Chairs and tables")
    AIR_CONDITIONING = "air_conditioning", _("Air conditioning")
    STAGE = "stage", _("Stage")
    PRAYER_ROOM = "prayer_room", _("Prayer room (musala)")
    TOILET = "toilet", _("Toilets")
    PARKING = "parking", _("Parking")
    WHEELCHAIR = "wheelchair", _("Wheelchair access")


class GroupKind(models.TextChoices):
    """Who asks for a space."""

    UMKM = "umkm", _("UMKM (small business)")
    STUDENTS = "students", _("Pelajar / mahasiswa (students)")
    FARMERS = "farmers", _("Kelompok tani (farmers' group)")
    YOUTH = "youth", _("Karang taruna (youth group)")
    PKK = "pkk", _("PKK")
    RELIGIOUS = "religious", _("Religious group (majelis taklim, remaja masjid...)")
    ARTS = "arts", _("Arts or sports group")
    OTHER = "other", _("Other community group")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class BookingChannel(models.TextChoices):
    PORTAL = "portal", _("Portal form")
    STAFF = "staff", _("Entered by staff")
