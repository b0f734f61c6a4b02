"""The REST API: token authentication, scoping and the reference-data endpoints."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from balai.accounts.choices import Role
from balai.accounts.models import PersonalToken
from balai.accounts.services import token_create, token_revoke
from balai.organizations.models import OPD
from balai.organizations.services import opd_create, pemda_create
from balai.regions.models import Region
from balai.regions.services import regions_import


@pytest.fixture
def api():
    return APIClient()


def bearer(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


def test_token_is_stored_hashed_and_authenticates(api, bontang, make_member):
    admin = make_member(bontang, Role.PEMDA_ADMIN)
    token, key = token_create(actor=admin, name="sync")
    assert key.startswith("blai_") and key not in token.key_hash
    assert not PersonalToken.objects.filter(key_hash=key).exists()
    response = bearer(api, key).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["memberships"] == [
        {"pemda": bontang.slug, "role": "pemda_admin", "opd": None, "region": None}
    ]
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("key", ["blai_wrong", "", "blai_a blai_b"])
def test_bad_tokens_are_refused(api, key, db):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}".strip())
    assert api.get("/api/v1/me/").status_code == 401


def test_revoked_and_expired_tokens_are_refused(api, bontang, make_member):
    user = make_member(bontang, Role.OPERATOR)
    token, key = token_create(actor=user, name="a")
    assert token_revoke(actor=user, token_id=str(token.pk)) == 1
    assert bearer(api, key).get("/api/v1/me/").status_code == 401
    token2, key2 = token_create(actor=user, name="b")
    PersonalToken.objects.filter(pk=token2.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert bearer(api, key2).get("/api/v1/me/").status_code == 401


def test_anonymous_may_read_regions_and_pemda_but_not_opd(api, bontang):
    regions = api.get("/api/v1/regions/", {"parent": "64.74"}).json()
    assert [r["code"] for r in regions["results"]] == ["64.74.01", "64.74.02", "64.74.03"]
    bs = api.get("/api/v1/regions/64.74.02/").json()
    assert bs["name"] == "Bontang Selatan" and bs["kind"] == "kecamatan"
    assert api.get("/api/v1/pemda/").json()["results"][0]["timezone"] == "Asia/Makassar"
    assert api.get("/api/v1/opd/").status_code in (401, 403)


def test_opd_list_is_scoped_to_the_users_pemda(
    api, bontang, make_member, django_assert_max_num_queries
):
    regions_import(only="17.01")
    other = pemda_create(actor=None, region=Region.objects.get(code="17.01"))
    opd_create(actor=None, pemda=other, name="Dinas PUPR", short_name="PUPR", kind="dinas")
    user = make_member(bontang, Role.OPERATOR)
    _token, key = token_create(actor=user, name="x")
    with django_assert_max_num_queries(5):
        names = [o["short_name"] for o in bearer(api, key).get("/api/v1/opd/").json()["results"]]
    assert sorted(names) == sorted(
        OPD.objects.filter(pemda=bontang).values_list("short_name", flat=True)
    )
    assert "PUPR" not in names


def test_schema_and_docs_are_served(client):
    assert client.get("/api/v1/schema/").status_code == 200
    assert client.get("/api/v1/docs/").status_code == 200
