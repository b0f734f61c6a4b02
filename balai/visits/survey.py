"""Signed SKM links for WhatsApp: they pre-fill the point and the service and work once.

The token is a `django.core.signing` value (14 days) holding the point, the service and a
random nonce, so two links for the same visit differ. Only the token's SHA-256 is stored, on
the response it produced; the unique column makes a second answer with it impossible.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

SALT = "balai.visits.skm-link"
MAX_AGE_DAYS = 14


@dataclass(frozen=True)
class LinkPayload:
    point_id: int
    service_id: int | None


def skm_token(point, service=None) -> str:
    payload = {"p": point.pk, "s": service.pk if service else None, "n": secrets.token_hex(4)}
    return signing.dumps(payload, salt=SALT, compress=True)


def skm_link(point, service=None, *, request=None) -> str:
    """The questionnaire's URL for one respondent: absolute when `request` is given."""
    path = reverse("portal:skm_answer", args=[point.pemda.slug, point.slug])
    url = f"{path}?{urlencode({'t': skm_token(point, service)})}"
    return request.build_absolute_uri(url) if request is not None else url


def skm_token_read(token: str) -> LinkPayload | None:
    """The link's point and service, or None when the token is forged, broken or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        return None
    service = data.get("s")
    return LinkPayload(data["p"], service if isinstance(service, int) else None)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
