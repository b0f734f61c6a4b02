"""Checking uploads by their content and stripping photo metadata (EXIF, GPS)."""

import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2048
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def clean_upload(data: bytes, name: str = "") -> tuple[ContentFile, str]:
    """Returns a safe file and its content type, or raises ValidationError.

    Images are decoded, rotated upright, shrunk to at most 2048 px and re-encoded as JPEG
    without any metadata; PDFs are accepted as they are; anything else is refused.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    if data.startswith(b"%PDF-"):
        return ContentFile(data, name=_safe_name(data, "pdf")), "application/pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise ValidationError(
                    _("Only photos (JPEG, PNG, WebP) and PDF files are accepted.")
                )
            image.load()
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Only photos (JPEG, PNG, WebP) and PDF files are accepted.")
        ) from exc
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=85, optimize=True)  # no exif= : metadata dropped
    clean = out.getvalue()
    return ContentFile(clean, name=_safe_name(clean, "jpg")), "image/jpeg"


def _safe_name(data: bytes, ext: str) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:20]}.{ext}"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
