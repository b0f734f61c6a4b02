"""Simulated Buji'an Dusun ("Bupati Senang Berkantor ke Desa") of Kabupaten Bengkulu Selatan.

The regent and OPD work from a village for a day. In 2022 the program reached 11 of the 142
desa; the goal for 2023 is every desa, the remote ones (far from Manna) first.

Which 11 desa were reached in 2022 is not published: the demo takes, in each of the 11
kecamatan, its desa farthest from the seat of government (the "remote first" story started in
2022, one village per kecamatan), on Wednesdays from 6 July 2022, farthest first. The 2023 plan
for the other 131 desa is produced by the real planner (`balai.outreach.planner`) with
remoteness as the only weight: three event days a week (Tuesday to Thursday), one village a
day, holidays and cuti bersama excluded. Attendance is simulated. Deterministic and idempotent.
"""

from __future__ import annotations

import datetime as dt

from balai.regions.choices import Kind, Level
from balai.regions.models import Region

PROGRAM_SLUG = "bujian-dusun"
PROGRAM_NAME = "Buji'an Dusun"
FIRST_2022 = dt.date(2022, 7, 6)  # a Wednesday
REMOTENESS_ONLY = {"remoteness": 1.0, "population": 0.0, "since_visit": 0.0, "demand": 0.0}


def villages_reached_2022(pemda) -> list[Region]:
    """The 11 desa taken as reached in 2022: the farthest desa of each kecamatan, farthest first.

    Needs the village distances (`village_distances_update`); ties go to the lower code.
    """
    desa = (
        Region.objects.filter(
            code__startswith=f"{pemda.region_id}.",
            level=Level.DESA_KELURAHAN,
            kind=Kind.DESA,
            is_active=True,
            distance_to_seat_km__isnull=False,
        )
        .select_related("parent")
        .order_by("code")
    )
    farthest: dict[str, Region] = {}
    for village in desa:
        best = farthest.get(village.parent_id)
        if best is None or village.distance_to_seat_km > best.distance_to_seat_km:
            farthest[village.parent_id] = village
    return sorted(farthest.values(), key=lambda v: (-v.distance_to_seat_km, v.code))
