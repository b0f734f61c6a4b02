"""Media on an S3-compatible server: moto's S3 server on loopback stands in for MinIO or Ceph.

The storage is built exactly as the settings build it (`media_storage` of the environment),
pointed at the local server through BALAI_S3_ENDPOINT_URL. Skipped without moto (a dev
dependency: `moto[server]`).
"""

import io
import socket
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from PIL import Image

from balai.deployment.storage import media_storage

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

BUCKET = "balai-media-test"
KEYS = {"BALAI_S3_ACCESS_KEY_ID": "testing", "BALAI_S3_SECRET_ACCESS_KEY": "testing"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_storages(s3_endpoint):
    endpoint, _client = s3_endpoint
    env = {
        "BALAI_MEDIA_STORAGE": "s3",
        "BALAI_S3_BUCKET": BUCKET,
        "BALAI_S3_ENDPOINT_URL": endpoint,
        "BALAI_S3_REGION": "us-east-1",
        "BALAI_S3_PREFIX": "media",
        **KEYS,
    }
    return {
        "default": media_storage(env),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_round_trip_private_objects_and_short_lived_urls(s3_endpoint, s3_storages):
    endpoint, client = s3_endpoint
    with override_settings(STORAGES=s3_storages):
        from django.core.files.storage import default_storage

        name = default_storage.save("complaints/2026/11/foto.jpg", ContentFile(b"\xff\xd8data"))
        again = default_storage.save("complaints/2026/11/foto.jpg", ContentFile(b"other"))
        assert again != name  # never overwritten
        assert default_storage.exists(name)
        with default_storage.open(name, "rb") as handle:
            assert handle.read() == b"\xff\xd8data"
        key = f"media/{name}"
        acl = client.get_object_acl(Bucket=BUCKET, Key=key)
        grantees = {grant["Grantee"].get("URI", "owner") for grant in acl["Grants"]}
        assert grantees == {"owner"}  # no AllUsers / AuthenticatedUsers grant
        head = client.head_object(Bucket=BUCKET, Key=key)
        assert head["CacheControl"] == "private, max-age=0"

        url = default_storage.url(name)
        assert url.startswith(f"{endpoint}/{BUCKET}/{key}?")
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
        with urllib.request.urlopen(url) as answer:  # noqa: S310 (loopback)
            assert answer.read() == b"\xff\xd8data"
        # (moto does not check signatures or ACLs on reads: the ACL above is what a real
        # server enforces.)

        default_storage.delete(name)
        default_storage.delete(again)
        assert not default_storage.exists(name)


def test_staff_attachment_view_streams_a_photo_from_s3(
    s3_endpoint, s3_storages, bontang, make_member, client
):
    from balai.complaints import services as complaints

    _endpoint, s3 = s3_endpoint
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(out, format="PNG")
    with override_settings(STORAGES=s3_storages):
        complaint = complaints.complaint_submit(
            pemda=bontang,
            channel="phone",
            description="Lampu jalan mati di depan sekolah",
            reporter_name="Siti",
            files=[(out.getvalue(), "lampu.png")],
        )
        attachment = complaint.attachments.get()
        stored = s3.get_object(Bucket=BUCKET, Key=f"media/{attachment.file.name}")["Body"].read()
        assert stored[:2] == b"\xff\xd8"  # re-encoded as JPEG on the way in

        url = f"/staf/{bontang.slug}/aduan/{complaint.tracking_code}/lampiran/{attachment.pk}/"
        assert client.get(url).status_code == 302  # to the login page: no anonymous reads
        client.force_login(make_member(bontang))
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer["Content-Type"] == "image/jpeg"
        assert answer["Cache-Control"] == "private, max-age=3600"
        assert b"".join(answer.streaming_content) == stored
        thumb = client.get(url, {"thumb": 1})
        assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"
