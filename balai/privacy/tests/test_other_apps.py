"""Kinds of apps built alongside: used only while their models have the fields named."""

import datetime as dt

import pytest
import time_machine

from balai.privacy.registry import _KINDS, PersonalDataKind, get_kind, kinds, register
from balai.privacy.services import person_key, person_rows, privacy_purge

from .conftest import PHONE, at


def test_a_kind_whose_model_lacks_a_field_is_skipped():
    register(
        PersonalDataKind(
            key="test.broken",
            label="broken",
            model="complaints.Complaint",
            fields={"no_such_field": ""},
            age="received_at",
            default_days=30,
            action="anonymise",
            purpose="",
            legal_basis="",
        )
    )
    try:
        assert "test.broken" not in {k.key for k in kinds()}
        assert "complaints.reporter" in {k.key for k in kinds()}
    finally:
        _KINDS.pop("test.broken")


def test_an_apps_own_kind_is_not_replaced_by_the_fallback():
    from balai.privacy.registry import register_fallback_kinds

    own = PersonalDataKind(
        key="announcements.subscription",
        label="own",
        model="announcements.Subscription",
        fields={"phone": ""},
        age="created_at",
        default_days=99,
        action="delete",
        purpose="",
        legal_basis="",
    )
    register(own)
    try:
        register_fallback_kinds()
        assert get_kind("announcements.subscription").default_days == 99
    finally:
        _KINDS.pop("announcements.subscription")
        register_fallback_kinds()


@pytest.fixture
def subscriptions(bontang):
    if "announcements.subscription" not in {k.key for k in kinds()}:
        pytest.skip("announcements.Subscription is not there yet")
    from balai.announcements.models import Subscription

    make = Subscription.objects.create
    return {
        "gone": make(
            pemda=bontang,
            phone=PHONE,
            consent_at=at(2026, 1, 1),
            consent_method="portal",
            opted_out_at=at(2026, 11, 1),
        ),
        "active": make(
            pemda=bontang,
            email="aktif@example.id",
            consent_at=at(2025, 1, 1),
            consent_method="portal",
        ),
    }


def test_subscriptions_are_deleted_a_month_after_unsubscribing(bontang, subscriptions):
    from balai.announcements.models import Subscription

    person = person_key(phone="0812 3456 7890")
    found = {e.kind.key: e.count for e in person_rows(pemda=bontang, person=person)}
    assert found["announcements.subscription"] == 1
    with time_machine.travel(at(2026, 11, 1) + dt.timedelta(days=29), tick=False):
        privacy_purge(pemda=bontang)
    assert Subscription.objects.count() == 2
    with time_machine.travel(at(2026, 11, 1) + dt.timedelta(days=31), tick=False):
        privacy_purge(pemda=bontang)
    assert list(Subscription.objects.values_list("email", flat=True)) == ["aktif@example.id"]
