"""Simulated socialization campaign of Kecamatan Bontang Selatan, Kota Bontang.

After the first month of the night service (launched 13 June 2022) the evaluation found uptake
low and uneven; the answer was socialization down to RT level through the lurah. This demo
picks the kelurahan of Bontang Selatan whose residents used the night counters least (night
visits per 1,000 residents in the four weeks after the launch: Tanjung Laut Indah in the
simulated logbook), gives its RT heads, its lurah and a few community figures simulated
contacts, adds simulated WhatsApp subscribers, and records a campaign published on 11 July 2022
promoting the night service there, with simulated deliveries and WhatsApp statuses (sent,
delivered, read, failed) and portal views, so that the reach page shows figures and the effect
compares the two weeks before and after with the simulated visits. Everything here is
simulated demo data and marked so (`is_simulated`); no message is sent to anyone. A second run
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from balai.accounts.models import User
from balai.announcements.choices import (
    CampaignStatus,
    Channel,
    ConsentMethod,
    ContactRole,
    DeliveryStatus,
)
from balai.announcements.models import Campaign, Contact, Delivery
from balai.announcements.services import campaign_create, contact_create, subscription_subscribe
from balai.announcements.targeting import campaign_recipients
from balai.organizations.choices import SessionKind
from balai.organizations.models import Pemda
from balai.regions.models import Region, SubVillageUnit
from balai.visits.models import AreaPopulation, Visit

KECAMATAN = "64.74.02"
FALLBACK_KELURAHAN = "64.74.02.1006"  # Tanjung Laut Indah
LAUNCH = dt.date(2022, 6, 13)
# Monday 11 July 2022, 09.00 WITA: four weeks after the launch.
PUBLISHED = dt.datetime(2022, 7, 11, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))
TITLE = "Layanan malam di kantor kelurahan: Senin-Kamis pukul 19.00-21.00 WITA"
FIGURES = ("Ustaz", "Ibu PKK", "Ketua Karang Taruna", "Ketua kelompok nelayan")
FIRST_NAMES = (
    "Ahmad", "Budi", "Hasan", "Rahmat", "Syamsul", "Andi", "Irwan", "Sulaiman", "Darmawan",
    "Hendra", "Ismail", "Yusuf", "Siti", "Nur", "Wahyuni", "Hasnah", "Rosmini", "Marlina",
)  # fmt: skip
LAST_NAMES = ("Saputra", "Lahamid", "Daeng", "Pattola", "Hidayat", "Sulaeman", "Rauf", "Said")


def lowest_uptake_kelurahan(pemda: Pemda) -> str:
    """The kelurahan of Bontang Selatan with the fewest night visits per 1,000 residents (by
    visitors' home kelurahan) in the four weeks after the launch."""
    tz = ZoneInfo(pemda.timezone)
    start = dt.datetime.combine(LAUNCH, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(weeks=4)
    villages = list(
        Region.objects.filter(parent_id=KECAMATAN, is_active=True).values_list("code", flat=True)
    )
    nights = dict(
        Visit.objects.filter(
            pemda=pemda,
            session_kind=SessionKind.NIGHT,
            visited_at__gte=start,
            visited_at__lt=end,
            village_id__in=villages,
        )
        .values_list("village_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people = dict(
        AreaPopulation.objects.filter(region_id__in=villages).values_list("region_id", "population")
    )
    if not nights or not people:
        return FALLBACK_KELURAHAN
    return min(
        (code for code in villages if people.get(code)),
        key=lambda code: (1000 * nights.get(code, 0) / people[code], code),
    )


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _phone(serial: int) -> str:
    return f"+62812{7400_0000 + serial:08d}"


@transaction.atomic
def demo_bontang_socialization(pemda: Pemda, rng: random.Random) -> int:
    """Create the simulated contacts, subscribers, campaign and deliveries once.

    Returns how many deliveries were created (0 when the campaign exists already).
    """
    if Campaign.objects.filter(pemda=pemda, title=TITLE, is_simulated=True).exists():
        return 0
    admin = User.objects.filter(username=f"{pemda.slug}.admin").first()
    code = lowest_uptake_kelurahan(pemda)
    kelurahan = Region.objects.get(code=code)
    consent = dt.datetime(2022, 7, 4, 10, 0, tzinfo=dt.UTC)
    serial = 0

    def contact(**kw):
        nonlocal serial
        serial += 1
        created = contact_create(
            actor=admin,
            pemda=pemda,
            phone=_phone(serial),
            consent_at=consent,
            consent_method=ConsentMethod.WRITTEN,
            is_simulated=True,
            **kw,
        )
        return created

    rts = list(SubVillageUnit.objects.filter(village=kelurahan, kind="rt").order_by("name"))
    for unit in rts:
        contact(role=ContactRole.KETUA_RT, name=f"{_name(rng)} (Ketua RT {unit.name})", unit=unit)
    contact(role=ContactRole.LURAH_KADES, name=f"Lurah {kelurahan.name}", region=kelurahan)
    for figure in FIGURES:
        contact(role=ContactRole.TOKOH, name=f"{figure} {_name(rng)}", region=kelurahan)
    # Neighbouring kelurahan have RT heads too (not reached by this campaign).
    for other in Region.objects.filter(parent_id=KECAMATAN).exclude(code=code).order_by("code"):
        unit = SubVillageUnit.objects.filter(village=other, kind="rt").order_by("name").first()
        if unit is not None:
            contact(
                role=ContactRole.KETUA_RT, name=f"{_name(rng)} (Ketua RT {unit.name})", unit=unit
            )
    # Citizens who sent "daftar" or used the portal: most for the kelurahan, some Pemda-wide.
    for n in range(24):
        area = (
            kelurahan
            if n < 16
            else (pemda.region if n < 20 else Region.objects.get(code=KECAMATAN))
        )
        subscription_subscribe(
            pemda=pemda,
            areas=[area],
            phone=_phone(500 + n),
            consent_method=ConsentMethod.WHATSAPP if n % 3 else ConsentMethod.PORTAL,
            is_simulated=True,
        )
    # One RT head asked to stop before the campaign: not messaged.
    first = Contact.objects.filter(pemda=pemda, unit__village=kelurahan).order_by("pk").first()
    if first is not None:
        Contact.objects.filter(pk=first.pk).update(opted_out_at=consent + dt.timedelta(days=2))

    published = PUBLISHED.astimezone(dt.UTC)
    campaign = campaign_create(
        actor=admin,
        pemda=pemda,
        title=TITLE,
        body=(
            f"Kantor Kelurahan {kelurahan.name} kini melayani juga pada malam hari, Senin sampai "
            "Kamis pukul 19.00-21.00 WITA, untuk warga yang bekerja atau melaut pada siang hari: "
            "surat keterangan domisili, pengantar nikah, SKTM, kartu keluarga dan akta kelahiran.\n"
            "Bawa KTP-el dan kartu keluarga. Layanan gratis.\n"
            "Mohon Ketua RT meneruskan pengumuman ini kepada warga.\n"
            "(Data demo: kampanye ini disimulasikan.)"
        ),
        regions=[kelurahan],
        # The night session is promoted (at whichever office residents use): its visits by
        # residents of the kelurahan measure the effect.
        session_kind=SessionKind.NIGHT,
        channels=f"{Channel.WHATSAPP},{Channel.SMS},{Channel.EMAIL}",
        is_simulated=True,
    )
    recipients = campaign_recipients(campaign)
    deliveries = []
    for index, r in enumerate(recipients):
        sent_at = published + dt.timedelta(seconds=2 * index + rng.randint(0, 3))
        roll = rng.random()
        row = Delivery(
            campaign=campaign,
            contact_id=r.contact_id,
            subscription_id=r.subscription_id,
            channel=r.channel,
            address=r.address,
            idempotency_key=f"announcement-{campaign.pk}:{r.channel}:{r.address}",
            attempts=1,
            created_at=published,
            sent_at=sent_at,
            provider_message_id=f"wamid.DEMO{campaign.pk:04d}{index:05d}",
        )
        if roll < 0.05:
            row.status, row.sent_at = DeliveryStatus.FAILED, None
            row.failed_at = sent_at
            row.last_error = "131026: pesan tidak dapat dikirim (simulasi)"
        elif roll < 0.12:
            row.status = DeliveryStatus.SENT
        else:
            row.delivered_at = sent_at + dt.timedelta(minutes=rng.randint(0, 240))
            if rng.random() < 0.72:
                row.status = DeliveryStatus.READ
                row.read_at = row.delivered_at + dt.timedelta(minutes=rng.randint(1, 600))
            else:
                row.status = DeliveryStatus.DELIVERED
        deliveries.append(row)
    Delivery.objects.bulk_create(deliveries)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.SENT,
        created_at=published - dt.timedelta(days=3),
        published_at=published,
        sent_at=published + dt.timedelta(minutes=5),
        view_count=len(recipients) * 3 + rng.randint(20, 60),
    )
    return len(deliveries)
