"""Services and service requests as GeoReport v2 fields (plain dicts, rendered by `formats`)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils.translation import gettext as _

from balai.complaints.choices import OPEN_STATUSES, Status
from balai.complaints.models import Category, Complaint

from .selectors import kecamatan_list

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2025-01-01T00:00:00+00:00"


def pemda_zone(pemda) -> ZoneInfo:
    return ZoneInfo(pemda.timezone)


def w3c(moment: dt.datetime | None, tz: dt.tzinfo) -> str | None:
    return moment.astimezone(tz).isoformat(timespec="seconds") if moment else None


def discovery(endpoint_url: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": _("Contact the complaint desk (unit pengaduan) of the Pemda."),
        "key_service": _(
            "An api_key for submitting requests is issued by the Pemda's administrator."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def service(category: Category) -> dict:
    words = [category.code, *category.name.lower().replace(",", " ").split()]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys(words)),
        "group": category.default_opd.name,
    }


def service_definition(category: Category) -> dict:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": "kecamatan",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("The kecamatan (district) where the problem is."),
                "order": 1,
                "description": _("Kecamatan"),
                "values": [
                    {"key": region.code, "name": region.name}
                    for region in kecamatan_list(category.pemda)
                ],
            }
        ],
    }


def notice(complaint: Complaint) -> str:
    if complaint.status == Status.PAUSED and complaint.pause_expected_until:
        return _("%(reason)s, expected until %(date)s.") % {
            "reason": complaint.get_pause_reason_display(),
            "date": complaint.pause_expected_until.isoformat(),
        }
    return str(complaint.get_status_display())


def service_request(complaint: Complaint, *, tz: dt.tzinfo, absolute_url) -> dict:
    """One public complaint as a service request. No reporter identity, no internal notes."""
    notes = getattr(complaint, "public_notes", None)
    media = getattr(complaint, "public_media", None)
    expected = (
        complaint.response_due_at
        if complaint.first_response_at is None
        else complaint.resolution_due_at
    )
    category = complaint.category
    return {
        "service_request_id": complaint.tracking_code,
        "status": "open" if complaint.status in OPEN_STATUSES else "closed",
        "status_notes": notes[0].text if notes else "",
        "service_name": category.name if category else "",
        "service_code": category.code if category else "",
        "description": complaint.description,
        "agency_responsible": complaint.opd.name if complaint.opd else "",
        "service_notice": notice(complaint),
        "requested_datetime": w3c(complaint.received_at, tz),
        "updated_datetime": w3c(complaint.updated_at, tz),
        "expected_datetime": w3c(expected, tz),
        "address": complaint.address,
        "address_id": complaint.region_id or "",
        "zipcode": complaint.region.postal_code if complaint.region else "",
        "lat": complaint.lat,
        "long": complaint.lng,
        # The public attachment view, never the storage URL (media are private on S3 or disk).
        "media_url": absolute_url(
            reverse("portal:attachment", args=[complaint.tracking_code, media[0].pk])
        )
        if media
        else "",
    }
