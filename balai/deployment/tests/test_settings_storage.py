"""STORAGES from the environment: the settings module imported in a fresh process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from balai.deployment.storage import media_storage

ROOT = Path(__file__).resolve().parents[3]
PRINT_STORAGES = (
    "import json, importlib, os; "
    "m = importlib.import_module(os.environ['DJANGO_SETTINGS_MODULE']); "
    "print(json.dumps({'STORAGES': m.STORAGES, 'MIDDLEWARE': m.MIDDLEWARE, "
    "'TRUSTED': getattr(m, 'BALAI_TRUSTED_PROXIES', None), "
    "'HEADER': getattr(m, 'BALAI_PROXY_CLIENT_IP_HEADER', None)}))"
)


def settings_values(module: str, **env: str) -> dict:
    """STORAGES, MIDDLEWARE, proxy settings of `config.settings.<module>` under this env."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BALAI_", "DATABASE_URL"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": f"config.settings.{module}",
            "BALAI_SECRET_KEY": "settings-test-not-secret",
            **env,
        }
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", PRINT_STORAGES],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_production_defaults_to_local_disk_and_hashed_static_files():
    storages = settings_values("production")["STORAGES"]
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_production_with_s3_env_uses_a_private_bucket():
    storages = settings_values(
        "production",
        BALAI_MEDIA_STORAGE="s3",
        BALAI_S3_BUCKET="balai-media",
        BALAI_S3_ENDPOINT_URL="https://s3.dc.example.go.id",
        BALAI_S3_REGION="id-jkt-1",
        BALAI_S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        BALAI_S3_SECRET_ACCESS_KEY="example-secret",
        BALAI_S3_PREFIX="/bangli/",
    )["STORAGES"]
    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "balai-media",
        "endpoint_url": "https://s3.dc.example.go.id",
        "region_name": "id-jkt-1",
        "access_key": "AKIAEXAMPLE",
        "secret_key": "example-secret",
        "location": "bangli",
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, max-age=0"},
        "addressing_style": "path",
        "signature_version": "s3v4",
    }
    assert storages["staticfiles"]["BACKEND"].startswith("whitenoise.")


def test_local_settings_follow_the_same_variable():
    storages = settings_values(
        "local", BALAI_MEDIA_STORAGE="s3", BALAI_S3_BUCKET="b", BALAI_S3_CUSTOM_DOMAIN="m.example"
    )["STORAGES"]
    assert storages["default"]["OPTIONS"]["custom_domain"] == "m.example"
    assert "access_key" not in storages["default"]["OPTIONS"]  # the machine's own credentials


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BALAI_MEDIA_STORAGE": "ftp"}, "use 'local'"),
        ({"BALAI_MEDIA_STORAGE": "s3"}, "BALAI_S3_BUCKET"),
        (
            {"BALAI_MEDIA_STORAGE": "s3", "BALAI_S3_BUCKET": "b", "BALAI_S3_ACCESS_KEY_ID": "x"},
            "BALAI_S3_SECRET_ACCESS_KEY",
        ),
    ],
)
def test_incomplete_configuration_is_refused(env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        media_storage(env)


def test_production_reads_the_client_address_from_the_proxy_header():
    values = settings_values(
        "production",
        BALAI_PROXY_CLIENT_IP_HEADER="X-Real-IP",
        BALAI_TRUSTED_PROXIES="10.0.0.5,unix",
    )
    assert values["MIDDLEWARE"][0] == "balai.deployment.middleware.ProxyClientAddressMiddleware"
    assert (values["HEADER"], values["TRUSTED"]) == ("X-Real-IP", ["10.0.0.5", "unix"])
    assert settings_values("production")["HEADER"] == ""  # off unless configured
