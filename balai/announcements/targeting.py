"""Who a campaign reaches: contacts in the targeted areas and citizens subscribed to them.

Rules:
- A region target (the Pemda, a kecamatan, a desa/kelurahan) reaches the contacts attached to
  it or to any region or sub-village unit inside it; a unit target (dusun, RW, RT) reaches the
  contacts of that unit and of the units under it.
- Subscribers are reached when one of their areas is a targeted region, an area containing a
  target (up to the whole Pemda) or, for region targets, an area inside the target.
- The campaign's topic must be one of the subscriber's topics (no topics = every topic).
- Each person once: recipients are deduplicated by normalised phone and e-mail (a contact and a
  subscription with the same number are one person; contacts come first).
- Nobody who opted out: a phone or e-mail opted out of any contact or subscription of the
  Pemda is skipped everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from balai.regions.models import SubVillageUnit

from .choices import Channel
from .models import Campaign, Contact, Subscription
from .phones import normalize_email

CHANNEL_ORDER = (Channel.WHATSAPP, Channel.SMS, Channel.EMAIL)
PHONE_CHANNELS = frozenset({Channel.WHATSAPP, Channel.SMS})


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    name: str = ""
    contact_id: int | None = None
    subscription_id: int | None = None


def ancestor_codes(code: str) -> list[str]:
    """'64.74.02.1006' -> ['64', '64.74', '64.74.02', '64.74.02.1006']."""
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def unit_descendants(unit_ids: set[int]) -> set[int]:
    """The units and every unit under them (dusun -> RW -> RT: at most a few levels)."""
    found = set(unit_ids)
    frontier = set(unit_ids)
    while frontier:
        frontier = (
            set(SubVillageUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def _targets(campaign: Campaign) -> tuple[list[str], set[int], list[str]]:
    """(region codes, unit ids incl. their descendants, village codes of the unit targets)."""
    regions, units, unit_villages = [], set(), []
    for target in campaign.targets.select_related("unit"):
        if target.region_id:
            regions.append(target.region_id)
        else:
            units.add(target.unit_id)
            unit_villages.append(target.unit.village_id)
    return regions, unit_descendants(units) if units else set(), unit_villages


def _inside(field: str, code: str) -> Q:
    return Q(**{field: code}) | Q(**{f"{field}__startswith": code + "."})


def campaign_contacts(campaign: Campaign, regions=None, units=None):
    if regions is None:
        regions, units, _villages = _targets(campaign)
    condition = Q(pk__in=[])
    for code in regions:
        condition |= _inside("region__code", code) | _inside("unit__village__code", code)
    if units:
        condition |= Q(unit_id__in=units)
    return Contact.objects.filter(pemda=campaign.pemda, opted_out_at__isnull=True).filter(condition)


def campaign_subscriptions(campaign: Campaign, regions=None, unit_villages=None):
    if regions is None:
        regions, _units, unit_villages = _targets(campaign)
    up: set[str] = set()
    condition = Q(pk__in=[])
    for code in regions:
        up.update(ancestor_codes(code))
        condition |= Q(areas__code__startswith=code + ".")
    for code in unit_villages:
        up.update(ancestor_codes(code))
    if up:
        condition |= Q(areas__code__in=sorted(up))
    topic = Q(topics="") | Q(topics__contains=f",{campaign.topic},")
    matching = Subscription.objects.filter(pemda=campaign.pemda, opted_out_at__isnull=True).filter(
        condition, topic
    )
    return Subscription.objects.filter(pk__in=matching.values("pk"))


def opted_out_addresses(pemda) -> set[str]:
    out: set[str] = set()
    for model in (Contact, Subscription):
        rows = model.objects.filter(pemda=pemda, opted_out_at__isnull=False).values_list(
            "phone", "email"
        )
        for phone, email in rows:
            out.update(a for a in (phone, normalize_email(email)) if a)
    return out


def _pick(preferred: str, phone: str, email: str, enabled: list[str]) -> tuple[str, str] | None:
    order = [preferred, *(c for c in CHANNEL_ORDER if c != preferred)]
    for channel in order:
        if channel not in enabled:
            continue
        if channel in PHONE_CHANNELS and phone:
            return channel, phone
        if channel == Channel.EMAIL and email:
            return channel, email
    return None


def campaign_recipients(campaign: Campaign) -> list[Recipient]:
    """Everyone the campaign reaches, each once, on one channel (see the module docstring)."""
    regions, units, unit_villages = _targets(campaign)
    enabled = campaign.channel_list
    blocked = opted_out_addresses(campaign.pemda)
    seen: set[str] = set()
    recipients: list[Recipient] = []

    def add(phone: str, email: str, preferred: str, **ids) -> None:
        email = normalize_email(email)
        identity = {a for a in (phone, email) if a}
        if not identity or identity & (seen | blocked):
            return
        choice = _pick(preferred, phone, email, enabled)
        if choice is None:
            return
        seen.update(identity)
        recipients.append(Recipient(channel=choice[0], address=choice[1], **ids))

    contacts = campaign_contacts(campaign, regions, units).order_by("pk")
    for contact in contacts.only("pk", "name", "phone", "email", "channel"):
        add(
            contact.phone,
            contact.email,
            contact.channel,
            name=contact.name,
            contact_id=contact.pk,
        )
    subscriptions = campaign_subscriptions(campaign, regions, unit_villages).order_by("pk")
    for sub in subscriptions.only("pk", "phone", "email"):
        add(sub.phone, sub.email, Channel.WHATSAPP, subscription_id=sub.pk)
    return recipients
