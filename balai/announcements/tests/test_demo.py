"""The Bontang Selatan socialization demo: deterministic, idempotent, with reach figures."""

import random

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from balai.announcements.choices import CampaignStatus
from balai.announcements.models import Campaign, Contact, Delivery
from balai.devtools.demo import DEMO_PASSWORD, demo_load
from balai.devtools.demo_announcements import (
    TITLE,
    demo_bontang_socialization,
    lowest_uptake_kelurahan,
)
from balai.organizations.models import Pemda


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            demo_load()
            pemda = Pemda.objects.get(slug="bontang")
            demo_bontang_socialization(pemda, random.Random(6474))
            yield pemda
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture
def bontang_demo(demo_loaded, db):
    return demo_loaded


def test_the_campaign_reaches_the_rts_of_the_lowest_uptake_kelurahan(bontang_demo):
    assert lowest_uptake_kelurahan(bontang_demo) == "64.74.02.1006"  # Tanjung Laut Indah
    campaign = Campaign.objects.get(pemda=bontang_demo, title=TITLE)
    assert campaign.is_simulated and campaign.status == CampaignStatus.SENT
    assert [t.region_id for t in campaign.targets.all()] == ["64.74.02.1006"]
    deliveries = Delivery.objects.filter(campaign=campaign)
    rt_heads = Contact.objects.filter(
        unit__village_id="64.74.02.1006", unit__kind="rt", opted_out_at__isnull=True
    )
    assert rt_heads.count() >= 17
    assert set(rt_heads.values_list("pk", flat=True)) <= set(
        deliveries.values_list("contact_id", flat=True)
    )
    assert not deliveries.filter(contact__opted_out_at__isnull=False).exists()
    assert not deliveries.filter(contact__unit__village_id="64.74.02.1001").exists()
    statuses = set(deliveries.values_list("status", flat=True))
    assert {"read", "delivered", "failed"} <= statuses
    # A second run changes nothing.
    before = (Contact.objects.count(), Delivery.objects.count())
    assert demo_bontang_socialization(bontang_demo, random.Random(6474)) == 0
    assert (Contact.objects.count(), Delivery.objects.count()) == before


def test_the_reach_page_shows_figures(bontang_demo):
    campaign = Campaign.objects.get(pemda=bontang_demo, title=TITLE)
    client = Client()
    assert client.login(username="bontang.admin", password=DEMO_PASSWORD)
    response = client.get(reverse("staff:announcement_reach", args=["bontang", campaign.pk]))
    assert response.status_code == 200
    reach = response.context["reach"]
    assert reach.totals["total"] > 30 and reach.totals["read"] > 0 and reach.views > 0
    assert reach.before and reach.after
    assert reach.targeted_total.before + reach.targeted_total.after > 0
    assert reach.elsewhere.before > 0
    assert "Demo data" in response.content.decode() or "demo" in response.content.decode()
