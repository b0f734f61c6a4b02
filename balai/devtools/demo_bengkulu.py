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
import random

from django.db import transaction

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


def _wednesdays_2022(pemda, count: int) -> list[dt.date]:
    """Every other Wednesday from FIRST_2022 that is not a holiday."""
    from balai.organizations.selectors import pemda_calendar

    calendar = pemda_calendar(pemda)
    days, day = [], FIRST_2022
    while len(days) < count:
        if calendar.holiday_name(day) is None:
            days.append(day)
        day += dt.timedelta(weeks=2)
    return days


@transaction.atomic
def demo_bengkulu_bujian_dusun(pemda, rng: random.Random):
    """Buji'an Dusun: the program, the 11 desa reached in 2022 (held) and the 2023 plan.

    Returns the program. A second run changes nothing.
    """
    from balai.organizations.models import OPD
    from balai.outreach.choices import EventStatus, RunStatus
    from balai.outreach.models import Event, PlanRun, Program
    from balai.outreach.services import event_schedule, plan_run_create, program_create
    from balai.outreach.tasks import plan_run_apply

    program = Program.objects.filter(pemda=pemda, slug=PROGRAM_SLUG).first()
    if program is None:
        opds = OPD.objects.filter(
            pemda=pemda, short_name__in=["Disdukcapil", "DPMPTSP", "Dinkes", "Dinsos"]
        )
        program = program_create(
            actor=None,
            pemda=pemda,
            name=PROGRAM_NAME,
            slug=PROGRAM_SLUG,
            description=(
                "Bupati Senang Berkantor ke Desa: bupati dan OPD berkantor sehari di desa, "
                "melayani adminduk, perizinan berusaha, kesehatan dan layanan langsung lain. "
                "(Data demo, disimulasikan.)"
            ),
            venue_level="village",
            weekdays=[1, 2, 3],
            slots_per_day=1,
            start_time=dt.time(8, 0),
            end_time=dt.time(14, 0),
            target_year=2023,
            target_all=True,
            budget_notes=(
                "Biaya operasional rendah: tim kecil, kendaraan dinas, balai desa sebagai tempat."
            ),
            opds=list(opds),
        )
    if not Event.objects.filter(program=program, date__year=2022).exists():
        reached = villages_reached_2022(pemda)
        for village, day in zip(reached, _wednesdays_2022(pemda, len(reached)), strict=True):
            event_schedule(
                actor=None,
                program=program,
                date=day,
                venue=village,
                place=f"Balai Desa {village.name}",
                host=f"Pemerintah Desa {village.name}",
                status=EventStatus.HELD,
                attendance=rng.randint(120, 380),
                published=True,
                notes="Data demo (disimulasikan).",
            )
    done = PlanRun.objects.filter(
        program=program, period_start=dt.date(2023, 1, 1), status=RunStatus.DONE
    ).exists()
    if not done:
        run = plan_run_create(
            actor=None,
            program=program,
            period_start=dt.date(2023, 1, 1),
            period_end=dt.date(2023, 12, 31),
            constraints={
                "weekdays": [1, 2, 3],
                "slots_per_day": 1,
                "one_per_kecamatan_per_week": True,
                "exclude_visited": True,
            },
            weights=REMOTENESS_ONLY,
            enqueue=False,
        )
        plan_run_apply(run)
    return program
