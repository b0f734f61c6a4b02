"""A campaign's reach and effect, from aggregate queries only (no person is listed, except
the few messages whose outcome is unknown, which staff must check one by one).

- Units targeted: per target, the RT/RW/dusun units inside it and the contacts reached.
- Messages: per channel, queued, sent, delivered, read (from the channels' statuses), failed
  and cancelled because the recipient opted out before it went out; "outcome unknown" (a
  worker stopped after handing the message to the provider) is counted and listed, for staff to
  send again or mark as sent.
- Portal views: the announcement page's counter.
- Effect: visits to what the campaign promoted (its service point, service and/or session, e.g.
  the night service) by residents of each targeted area, in equal windows before and after the
  campaign was published (the "after" window ends today at the latest), next to the same figure
  for residents of all other areas as a comparison.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from balai.regions.models import SubVillageUnit
from balai.visits.models import Visit

from .choices import Channel, DeliveryStatus
from .models import Campaign, Delivery
from .targeting import unit_descendants

DEFAULT_WINDOW_DAYS = 14


@dataclass
class AreaEffect:
    label: str
    before: int = 0
    after: int = 0

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def change_percent(self) -> float | None:
        return None if not self.before else 100.0 * (self.after - self.before) / self.before


@dataclass
class Reach:
    campaign: Campaign
    targets: list[dict] = field(default_factory=list)
    channels: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    views: int = 0
    window_days: int = DEFAULT_WINDOW_DAYS
    before: tuple[dt.datetime, dt.datetime] | None = None
    after: tuple[dt.datetime, dt.datetime] | None = None
    effects: list[AreaEffect] = field(default_factory=list)
    targeted_total: AreaEffect | None = None
    elsewhere: AreaEffect | None = None
    unknown: list[Delivery] = field(default_factory=list)


def _messages(campaign: Campaign) -> tuple[list[dict], dict]:
    rows = (
        Delivery.objects.filter(campaign=campaign)
        .values("channel")
        .annotate(
            total=Count("pk"),
            queued=Count(
                "pk", filter=Q(status__in=(DeliveryStatus.QUEUED, DeliveryStatus.SENDING))
            ),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            delivered=Count("pk", filter=Q(delivered_at__isnull=False)),
            read=Count("pk", filter=Q(read_at__isnull=False)),
            failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
            cancelled=Count("pk", filter=Q(status=DeliveryStatus.CANCELLED)),
            unknown=Count("pk", filter=Q(status=DeliveryStatus.UNKNOWN)),
        )
        .order_by("channel")
    )
    labels = dict(Channel.choices)
    channels = [{**row, "label": labels.get(row["channel"], row["channel"])} for row in rows]
    keys = ("total", "queued", "sent", "delivered", "read", "failed", "cancelled", "unknown")
    totals = {k: sum(row[k] for row in channels) for k in keys}
    return channels, totals


def _targets(campaign: Campaign, targets) -> list[dict]:
    """Per target: units inside it and deliveries to contacts there (3 queries in all)."""
    region_codes = [t.region_id for t in targets if t.region_id]
    unit_rows = (
        list(
            SubVillageUnit.objects.filter(pemda=campaign.pemda).values_list(
                "pk", "village_id", "kind"
            )
        )
        if region_codes or any(t.unit_id for t in targets)
        else []
    )
    delivered_to = list(
        Delivery.objects.filter(campaign=campaign, contact__isnull=False).values_list(
            "contact__unit_id", "contact__unit__village_id", "contact__region_id"
        )
    )
    rows = []
    for target in targets:
        if target.region_id:
            code = target.region_id

            def inside(c, code=code):
                return bool(c) and (c == code or c.startswith(code + "."))

            units = [u for u in unit_rows if inside(u[1])]
            contacts = sum(
                1 for unit, village, region in delivered_to if inside(village) or inside(region)
            )
        else:
            ids = unit_descendants({target.unit_id})
            units = [u for u in unit_rows if u[0] in ids]
            contacts = sum(1 for unit, _v, _r in delivered_to if unit in ids)
        rows.append(
            {
                "target": target,
                "rt": sum(1 for u in units if u[2] == "rt"),
                "units": len(units),
                "contacts": contacts,
            }
        )
    return rows


def _promoted(campaign: Campaign) -> Q:
    condition = Q(pemda=campaign.pemda)
    if campaign.service_point_id:
        condition &= Q(point_id=campaign.service_point_id)
    if campaign.session_kind:
        condition &= Q(session_kind=campaign.session_kind)
    if campaign.service_id:
        condition &= Q(services=campaign.service_id)
    return condition


def campaign_reach(
    campaign: Campaign, *, targets, window_days: int = DEFAULT_WINDOW_DAYS, now=None
) -> Reach:
    now = now or timezone.now()
    reach = Reach(campaign=campaign, views=campaign.view_count, window_days=window_days)
    reach.channels, reach.totals = _messages(campaign)
    reach.targets = _targets(campaign, targets)
    if reach.totals.get("unknown"):
        reach.unknown = list(
            Delivery.objects.filter(campaign=campaign, status=DeliveryStatus.UNKNOWN)
            .select_related("contact")
            .order_by("channel", "address")
        )
    start = campaign.published_at
    if start is None or start > now:
        return reach
    end = min(start + dt.timedelta(days=window_days), now)
    length = end - start
    reach.before, reach.after = (start - length, start), (start, end)
    # One grouped query: visits by the visitor's village and RT in the two windows.
    rows = (
        Visit.objects.filter(
            _promoted(campaign), visited_at__gte=start - length, visited_at__lt=end
        )
        .values("village_id", "rt")
        .annotate(
            before=Count("pk", filter=Q(visited_at__lt=start), distinct=True),
            after=Count("pk", filter=Q(visited_at__gte=start), distinct=True),
        )
        .order_by()
    )
    rows = list(rows)
    matched: set[int] = set()
    total = AreaEffect(label="")
    for target in targets:
        region = target.region
        label = str(target.unit) if target.unit_id else f"{region.get_kind_display()} {region.name}"
        effect = AreaEffect(label=label)
        for i, row in enumerate(rows):
            village = row["village_id"] or ""
            if target.region_id:
                hit = village == target.region_id or village.startswith(target.region_id + ".")
            else:
                unit = target.unit
                names = {unit.name, unit.name.lstrip("0")}
                hit = village == unit.village_id and (unit.kind != "rt" or row["rt"] in names)
            if hit:
                effect.before += row["before"]
                effect.after += row["after"]
                if i not in matched:
                    matched.add(i)
                    total.before += row["before"]
                    total.after += row["after"]
        reach.effects.append(effect)
    reach.targeted_total = total
    reach.elsewhere = AreaEffect(
        label="",
        before=sum(r["before"] for i, r in enumerate(rows) if i not in matched),
        after=sum(r["after"] for i, r in enumerate(rows) if i not in matched),
    )
    return reach
