"""Background work of the outreach app (run by `balai worker`): executing a plan run."""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from balai.core.signals import pemda_data_changed_send

logger = logging.getLogger(__name__)


def _progress_writer(run_id: int):
    """A progress callback writing to the run's row (best effort).

    The solver may call it from its own threads: there a write uses (and closes) that thread's
    own connection, and a failure (e.g. SQLite's lock while the task's transaction is open) is
    ignored: progress is informative only.
    """
    import threading

    from django.db import DatabaseError, connection

    from .models import PlanRun

    owner = threading.get_ident()

    def write(percent: int, message: str) -> None:
        fields = {"progress": max(0, min(100, int(percent))), "message": str(message)[:200]}
        if threading.get_ident() == owner:
            PlanRun.objects.filter(pk=run_id).update(**fields)
            return
        try:
            PlanRun.objects.filter(pk=run_id).update(**fields)
        except DatabaseError:
            pass
        finally:
            connection.close()

    return write


@task()
def plan_run_execute(plan_run_id: int) -> str:
    """Solve a plan run and replace the program's unlocked planned events of the period."""
    from .choices import RunStatus
    from .models import PlanRun

    run = PlanRun.objects.select_related("program", "pemda").filter(pk=plan_run_id).first()
    if run is None or run.status not in (RunStatus.QUEUED, RunStatus.FAILED):
        return "skipped"
    PlanRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING,
        started_at=timezone.now(),
        progress=1,
        message=_("Collecting villages and days."),
    )
    try:
        return plan_run_apply(run, progress=_progress_writer(run.pk))
    except Exception as exc:  # the run page must say what happened
        logger.exception("plan run %s failed", run.pk)
        PlanRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            message=_("The planner failed: %(error)s") % {"error": str(exc)[:150]},
            error=traceback.format_exc()[-4000:],
        )
        return "failed"


def _fixed_events(program, start: dt.date, end: dt.date):
    """Events of the period the planner must keep: locked ones and any not merely planned."""
    from django.db.models import Q

    from .choices import EventStatus
    from .models import Event

    return list(
        Event.objects.filter(program=program, date__gte=start, date__lte=end)
        .exclude(status__in=[EventStatus.CANCELLED, EventStatus.POSTPONED])
        .filter(Q(locked=True) | ~Q(status=EventStatus.PLANNED))
        .select_related("venue")
        .order_by("date", "slot")
    )


def plan_run_apply(run, progress=None) -> str:
    """Run the planner for `run` and write its proposal (the body of `plan_run_execute`)."""
    from balai.core.audit import audit_record
    from balai.organizations.selectors import pemda_calendar

    from . import planner
    from .choices import EventStatus, RunStatus
    from .models import Event, PlanRun

    program, start, end = run.program, run.period_start, run.period_end
    constraints = run.constraints or {}
    weekdays = set(constraints.get("weekdays") or program.weekdays)
    slots = int(constraints.get("slots_per_day") or program.slots_per_day)
    blackout = {dt.date.fromisoformat(d) for d in constraints.get("blackout") or []}
    days = planner.available_days(start, end, weekdays, pemda_calendar(program.pemda), blackout)

    candidates = list(planner.candidates_for(program, start, run.weights or {}))
    if constraints.get("exclude_visited", True):
        visited = set(
            Event.objects.filter(
                program=program, status=EventStatus.HELD, date__lt=start
            ).values_list("venue_id", flat=True)
        )
        candidates = [c for c in candidates if c.key not in visited]
    fixed = _fixed_events(program, start, end)
    by_key = {c.key: c for c in candidates}
    locked: dict[str, dt.date] = {}
    for event in fixed:
        if event.venue_id in locked:
            continue
        locked[event.venue_id] = event.date
        if event.venue_id not in by_key:  # keep its day and kecamatan week occupied
            code = event.venue_id
            group = code if event.venue.level <= 3 else code.rsplit(".", 1)[0]
            candidate = planner.Candidate(
                key=code,
                group=group,
                weight=planner.MIN_PRIORITY,
                components={},
                name=event.venue.name,
            )
            candidates.append(candidate)
            by_key[code] = candidate
    # A fixed day outside the allowed days (moved by hand) still counts.
    days = sorted(set(days) | {d for d in locked.values() if start <= d <= end})

    if progress:
        progress(
            5, _("%(n)s candidates, %(d)s event days.") % {"n": len(candidates), "d": len(days)}
        )
    result = planner.solve(
        candidates,
        days,
        slots,
        locked=locked,
        one_per_group_per_week=bool(constraints.get("one_per_kecamatan_per_week", True)),
        time_limit_s=float(constraints.get("time_limit_s") or 10),
        progress=progress,
    )
    solver = {
        "solver_status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "wall_s": result.wall_s,
    }
    if result.status == "infeasible":
        PlanRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
            message=_("No plan fits these constraints; nothing was changed."),
            **solver,
        )
        return "infeasible"

    from balai.regions.models import Region

    with transaction.atomic():
        # Two runs of one program write one after the other, never interleaved.
        type(program).objects.select_for_update().filter(pk=program.pk).first()
        fixed_ids = [e.pk for e in fixed]
        stale = Event.objects.filter(
            program=program,
            date__gte=start,
            date__lte=end,
            status=EventStatus.PLANNED,
            locked=False,
        ).exclude(pk__in=fixed_ids)
        removed = stale.count()
        stale.delete()
        new = [p for p in result.placements if p.key not in locked]
        venues = Region.objects.in_bulk([p.key for p in new])
        events = Event.objects.bulk_create(
            Event(
                pemda=program.pemda,
                program=program,
                date=p.day,
                slot=p.slot,
                start_time=program.start_time,
                end_time=program.end_time,
                venue=venues[p.key],
                place=default_place(venues[p.key]),
                plan_run=run,
                explanation={
                    "reason": p.reason,
                    "rank": getattr(p, "rank", 0),
                    "weight": by_key[p.key].weight,
                    "components": dict(by_key[p.key].components),
                    "facts": _jsonable(getattr(by_key[p.key], "facts", {})),
                },
            )
            for p in sorted(new, key=lambda p: (p.day, p.slot))
        )
        opd_ids = list(program.opds.values_list("pk", flat=True))
        service_ids = list(program.services.values_list("pk", flat=True))
        Event.opds.through.objects.bulk_create(
            Event.opds.through(event_id=e.pk, opd_id=o) for e in events for o in opd_ids
        )
        Event.services.through.objects.bulk_create(
            Event.services.through(event_id=e.pk, service_id=s) for e in events for s in service_ids
        )
        pemda_data_changed_send([program.pemda_id])
        if result.status == "optimal":
            summary = _("Done: %(n)s events proposed, proven optimal.") % {"n": len(events)}
        else:
            summary = _("Done: %(n)s events proposed (gap %(gap).1f%%).") % {
                "n": len(events),
                "gap": (result.gap or 0) * 100,
            }
        PlanRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            progress=100,
            finished_at=timezone.now(),
            placed=len(events),
            unplaced=list(result.unplaced),
            message=summary,
            **solver,
        )
        audit_record(
            actor=run.created_by,
            action="outreach.plan.apply",
            target=program,
            changes={"run": run.pk, "created": len(events), "removed": removed, "kept": len(fixed)},
        )
    return result.status


def default_place(region) -> str:
    """Where an event is usually held: the balai desa or the kecamatan/kelurahan office."""
    if region.kind == "desa":
        return _("Balai Desa %(name)s") % {"name": region.name}
    if region.kind == "kelurahan":
        return _("Kantor Kelurahan %(name)s") % {"name": region.name}
    if region.kind in ("kecamatan", "distrik"):
        return _("Kantor Kecamatan %(name)s") % {"name": region.name}
    return _("Kantor %(name)s") % {"name": region.name}


def _jsonable(facts) -> dict:
    out = {}
    for key, value in dict(facts or {}).items():
        if isinstance(value, (int, float, str, bool)) or value is None:
            out[key] = value
        else:
            out[key] = str(value)
    return out
