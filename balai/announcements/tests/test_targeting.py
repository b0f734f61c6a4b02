"""Acceptance: a campaign to one kelurahan reaches exactly its RT heads and its subscribers,
each once, nobody outside it, nobody who opted out."""

import pytest

from balai.announcements import services
from balai.announcements.choices import Channel, Topic
from balai.announcements.targeting import campaign_recipients

from .conftest import KECAMATAN, TL, TLI, add_contact, region

pytestmark = pytest.mark.django_db


def _campaign(pemda, **kw):
    return services.campaign_create(
        actor=None, pemda=pemda, title="Layanan malam", body="Buka Senin-Kamis 19.00", **kw
    )


def test_a_kelurahan_campaign_reaches_its_rt_heads_and_subscribers_once(bontang, rts):
    tli1, tli2, tli3 = rts["tli"]
    inside = [
        add_contact(bontang, "Ketua RT 001", "0812-1111-0001", unit=tli1),
        add_contact(bontang, "Ketua RT 002", "0812-1111-0002", unit=tli2),
        add_contact(bontang, "Ketua RW 001", "0812-1111-0009", unit=rts["rw"], role="ketua_rw"),
        add_contact(
            bontang,
            "Lurah",
            "",
            region=region(TLI),
            email="Lurah@TLI.example",
            role="lurah_kades",
            channel=Channel.EMAIL,
        ),
    ]
    # The head of RT 003 is also subscribed with the same number (written differently): once.
    rt3 = add_contact(bontang, "Ketua RT 003", "+62 812 1111 0003", unit=tli3)
    services.subscription_subscribe(pemda=bontang, areas=[region(TLI)], phone="6281211110003")
    # Subscribers: to the kelurahan, to its kecamatan, to the whole Pemda, by e-mail.
    sub_village = services.subscription_subscribe(
        pemda=bontang, areas=[region(TLI)], phone="0813-2222-0001"
    )
    sub_kec = services.subscription_subscribe(
        pemda=bontang, areas=[region(KECAMATAN)], phone="0813-2222-0002"
    )
    sub_pemda = services.subscription_subscribe(
        pemda=bontang, areas=[region("64.74")], email="Warga@Example.com"
    )
    # Outside: the neighbour kelurahan's RT heads and subscribers, another kecamatan.
    add_contact(bontang, "Ketua RT TL", "0812-3333-0001", unit=rts["tl"][0])
    add_contact(bontang, "Lurah TL", "0812-3333-0002", region=region(TL), role="lurah_kades")
    services.subscription_subscribe(pemda=bontang, areas=[region(TL)], phone="0813-4444-0001")
    services.subscription_subscribe(
        pemda=bontang, areas=[region("64.74.01")], phone="0813-4444-0002"
    )
    # Only another topic: not reached.
    services.subscription_subscribe(
        pemda=bontang, areas=[region(TLI)], topics=[Topic.HEALTH], phone="0813-5555-0001"
    )
    # Opted out: a contact and a subscriber (the subscriber is also an RT head: skipped).
    gone = add_contact(bontang, "Ketua RT 002b", "0812-6666-0001", unit=tli2)
    services.subscriber_opt_out(pemda=bontang, phone="0812-6666-0001")
    services.subscription_subscribe(pemda=bontang, areas=[region(TLI)], phone="0813-7777-0001")
    services.subscriber_opt_out(pemda=bontang, phone="0813-7777-0001")
    add_contact(bontang, "Also opted out", "0813-7777-0001", unit=tli3)

    campaign = _campaign(bontang, regions=[region(TLI)])
    recipients = campaign_recipients(campaign)

    addresses = [r.address for r in recipients]
    assert len(addresses) == len(set(addresses))
    assert sorted(addresses) == sorted(
        [
            "+6281211110001",
            "+6281211110002",
            "+6281211110009",
            "lurah@tli.example",
            "+6281211110003",
            "+6281322220001",
            "+6281322220002",
            "warga@example.com",
        ]
    )
    by_address = {r.address: r for r in recipients}
    assert by_address["+6281211110003"].contact_id == rt3.pk  # the contact, not the subscriber
    assert by_address["lurah@tli.example"].channel == Channel.EMAIL
    assert by_address["+6281322220001"].subscription_id == sub_village.pk
    assert by_address["+6281322220002"].subscription_id == sub_kec.pk
    assert by_address["warga@example.com"].subscription_id == sub_pemda.pk
    assert {c.pk for c in inside} <= {r.contact_id for r in recipients}
    assert gone.pk not in {r.contact_id for r in recipients}


def test_an_rt_target_reaches_that_rt_and_the_subscribers_of_its_kelurahan(bontang, rts):
    tli1, tli2, _ = rts["tli"]
    add_contact(bontang, "RT 001", "0812-1111-0001", unit=tli1)
    add_contact(bontang, "RT 002", "0812-1111-0002", unit=tli2)
    services.subscription_subscribe(pemda=bontang, areas=[region(TLI)], phone="0813-2222-0001")
    services.subscription_subscribe(pemda=bontang, areas=[region(TL)], phone="0813-2222-0002")
    campaign = _campaign(bontang, units=[tli1])
    assert sorted(r.address for r in campaign_recipients(campaign)) == [
        "+6281211110001",
        "+6281322220001",
    ]


def test_a_rw_target_reaches_the_rt_under_it(bontang, rts):
    add_contact(bontang, "RT 003", "0812-1111-0003", unit=rts["tli"][2])
    add_contact(bontang, "RT TL", "0812-1111-0004", unit=rts["tl"][0])
    campaign = _campaign(bontang, units=[rts["rw"]])
    assert [r.address for r in campaign_recipients(campaign)] == ["+6281211110003"]


def test_a_kecamatan_target_reaches_subscribers_of_its_villages(bontang, rts):
    services.subscription_subscribe(pemda=bontang, areas=[region(TL)], phone="0813-2222-0002")
    services.subscription_subscribe(
        pemda=bontang, areas=[region("64.74.01")], phone="0813-3333-0003"
    )
    campaign = _campaign(bontang, regions=[region(KECAMATAN)])
    assert [r.address for r in campaign_recipients(campaign)] == ["+6281322220002"]


def test_channels_not_chosen_fall_back_or_skip(bontang, rts):
    add_contact(bontang, "RT 001", "0812-1111-0001", unit=rts["tli"][0], email="rt1@example.com")
    add_contact(bontang, "RT 002", "0812-1111-0002", unit=rts["tli"][1])
    campaign = _campaign(bontang, regions=[region(TLI)], channels="email")
    assert [(r.channel, r.address) for r in campaign_recipients(campaign)] == [
        ("email", "rt1@example.com")
    ]


def test_targets_outside_the_pemda_are_refused(bontang):
    from django.core.exceptions import ValidationError

    from balai.regions.services import regions_import

    regions_import(only="64.72")
    with pytest.raises(ValidationError):
        _campaign(bontang, regions=[region("64.72")])
    with pytest.raises(ValidationError):
        _campaign(bontang)
