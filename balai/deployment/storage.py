"""The media storage (uploaded files) from the environment: local disk or an S3-compatible bucket.

Complaint photos and documents are personal data. They are served only through Balai's
permission-checked views (which open the file through the storage and stream it), never from a
public URL: on S3 every object is written with the private ACL, and any URL the storage makes
is presigned and short-lived (`BALAI_S3_URL_EXPIRE` seconds).

Imported by `config/settings/base.py` before Django is set up: no models, no settings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def _get(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name, "").strip()
    return value or None


def media_storage(env: Mapping[str, str] | None = None) -> dict:
    """The STORAGES["default"] entry for `BALAI_MEDIA_STORAGE` (`local`, the default, or `s3`)."""
    env = os.environ if env is None else env
    kind = (_get(env, "BALAI_MEDIA_STORAGE") or "local").lower()
    if kind == "local":
        return dict(LOCAL)
    if kind != "s3":
        raise ImproperlyConfigured(
            f"BALAI_MEDIA_STORAGE={kind!r}: use 'local' (the default) or 's3'."
        )
    bucket = _get(env, "BALAI_S3_BUCKET")
    if bucket is None:
        raise ImproperlyConfigured("BALAI_MEDIA_STORAGE=s3 needs BALAI_S3_BUCKET.")
    access_key = _get(env, "BALAI_S3_ACCESS_KEY_ID")
    secret_key = _get(env, "BALAI_S3_SECRET_ACCESS_KEY")
    if (access_key is None) != (secret_key is None):
        raise ImproperlyConfigured(
            "Set both BALAI_S3_ACCESS_KEY_ID and BALAI_S3_SECRET_ACCESS_KEY, or neither (then "
            "the machine's own credentials are used, e.g. an instance role)."
        )
    expire = _get(env, "BALAI_S3_URL_EXPIRE") or "300"
    options = {
        "bucket_name": bucket,
        "endpoint_url": _get(env, "BALAI_S3_ENDPOINT_URL"),
        "region_name": _get(env, "BALAI_S3_REGION"),
        "access_key": access_key,
        "secret_key": secret_key,
        "custom_domain": _get(env, "BALAI_S3_CUSTOM_DOMAIN"),
        "location": (_get(env, "BALAI_S3_PREFIX") or "").strip("/"),
        # Personal data: never public-read, never overwritten, URLs signed and short-lived.
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": int(expire),
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, max-age=0"},
        # Path-style addressing works with every S3-compatible server (MinIO, Ceph, Garage).
        "addressing_style": _get(env, "BALAI_S3_ADDRESSING_STYLE") or "path",
        "signature_version": "s3v4",
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }
