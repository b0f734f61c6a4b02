"""Service points for tests, built through the services."""

import datetime as dt

from balai.organizations.choices import ServicePointKind, SessionKind
from balai.organizations.services import opening_rule_add, service_point_create
from balai.regions.models import Region

T = dt.time
WORKING_DAY = ((T(8), T(15)),)


def office(
    pemda,
    region_code,
    name="Mal Pelayanan Publik Bontang",
    *,
    slug=None,
    services=(),
    weekdays=range(5),
    hours=WORKING_DAY,
    night=(),
    **fields,
):
    """A point open `hours` on `weekdays` (regular) and `night` = [(weekday, start, end)]."""
    point = service_point_create(
        actor=None,
        pemda=pemda,
        name=name,
        slug=slug,
        kind=fields.pop("kind", ServicePointKind.MPP),
        region=Region.objects.get(code=region_code),
        services=services,
        **fields,
    )
    for weekday in weekdays:
        for start, end in hours:
            opening_rule_add(actor=None, point=point, weekday=weekday, start=start, end=end)
    for weekday, start, end in night:
        opening_rule_add(
            actor=None,
            point=point,
            weekday=weekday,
            start=start,
            end=end,
            session_kind=SessionKind.NIGHT,
        )
    return point
