"""The outreach planner: which village gets an event day, and when.

Pure functions on plain data (no database) except `candidates_for`, which builds the candidates
of a program from the region tree, the visit logbook and past events.

The problem, for candidates i (villages, each in one kecamatan g(i)) and the weeks w of the
period:

    y[i, w] in {0, 1}               village i gets an event in week w
    sum_w y[i, w] <= 1              each village at most once
    sum_{i in g} y[i, w] <= 1       at most one event per kecamatan per ISO week
    sum_i y[i, w] <= cap(w)         cap(w) = free event days of week w x slots per day

lexicographically: (1) maximise priority-weighted coverage, sum weight_i * placed_i; (2) with
that coverage, minimise priority-weighted lateness, sum weight_i * week_offset(w) * y[i, w]
(weights scaled to integers, the highest is 1,000), so remote villages come first.

Three facts make it small and provable:
- Days inside a week are interchangeable for every constraint, so the plan chooses weeks and
  then puts a week's villages on its days, highest priority first (optimal inside the week by
  the rearrangement inequality).
- Swapping two villages of one kecamatan keeps every constraint, so some optimum serves each
  kecamatan's villages in priority order. Phase 1 (CP-SAT) therefore only decides how many
  events each kecamatan gets: z[g, w] (kecamatan g has an event in week w) and u[g, k] (its
  k-th village is served), maximising sum weight * u. The k-th village of a kecamatan can only
  be in its k-th open week or later, which narrows phase 2.
- Phase 2 is a network: source -> village -> (kecamatan, week) -> week -> sink, each y[i, w]
  the flow on one arc. A min-cost flow (OR-Tools) gives the integral optimum; its optimality is
  proven by the algorithm. CP-SAT on the same rows is the safety net if the flow fails.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

WEIGHT_SCALE = 1000
COMPONENTS = ("remoteness", "population", "since_visit", "demand")
DEFAULT_WEIGHTS: dict[str, float] = {
    "remoteness": 0.5,
    "population": 0.15,
    "since_visit": 0.2,
    "demand": 0.15,
}
MIN_PRIORITY = 0.01  # every candidate keeps a positive weight: coverage counts them all

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class Candidate:
    """A village that may get an event: `key` its desa code, `group` its kecamatan code.

    `components` are the normalised priority factors (0..1, see COMPONENTS); `facts` the raw
    figures behind them for the explanation (distance_km, travel_min, population,
    days_since_visit (None: never visited), visits_per_1000); `name`/`group_name` for the text.
    """

    key: str
    group: str
    weight: float
    components: Mapping[str, float] = field(default_factory=dict)
    name: str = ""
    group_name: str = ""
    facts: Mapping[str, Any] = field(default_factory=dict)
    # each component's share of the weight (weight x component / sum of weights), so the
    # explanation names the factors that count under the chosen weighting
    contributions: Mapping[str, float] = field(default_factory=dict)


@dataclass
class Placement:
    """One event: candidate `key` on `day`, in `slot` (0 = the day's first event)."""

    key: str
    day: dt.date
    slot: int
    reason: str
    rank: int = 0  # the candidate's priority rank (1 = highest)
    locked: bool = False


@dataclass
class PlanResult:
    placements: list[Placement]
    unplaced: list[str]
    status: str  # "optimal" | "feasible" | "infeasible" | "unknown"
    objective: float  # priority-weighted lateness in weeks (lower is better)
    bound: float  # proven lower bound of the objective
    gap: float  # (objective - bound) / objective, 0 when proven optimal
    wall_s: float
    coverage: float = 0.0  # placed weight / total weight of the candidates, 0..1
    messages: list[str] = field(default_factory=list)


# -- days -------------------------------------------------------------------------------------


def available_days(
    start: dt.date,
    end: dt.date,
    weekdays: Iterable[int],
    calendar,
    blackout: Iterable[dt.date] = frozenset(),
) -> list[dt.date]:
    """Event days from `start` to `end` (inclusive) on the given weekdays (0 = Monday).

    Public holidays, cuti bersama and the Pemda's own closed days (`calendar.holiday_name`,
    a `balai.core.calendars.WorkingCalendar`) and the blackout dates are left out. Weekdays
    outside office hours (e.g. Saturday) are allowed: service days run on them.
    """
    allowed = set(weekdays)
    blocked = set(blackout)
    days = []
    day = start
    while day <= end:
        if day.weekday() in allowed and day not in blocked and calendar.holiday_name(day) is None:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# -- priority ---------------------------------------------------------------------------------


def priority(components: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted mean of the normalised components (0..1), never below MIN_PRIORITY."""
    total = sum(max(0.0, float(value)) for value in weights.values())
    if total <= 0:
        return 1.0
    score = sum(
        max(0.0, float(weights.get(name, 0))) * min(1.0, max(0.0, float(components.get(name, 0))))
        for name in weights
    )
    return max(MIN_PRIORITY, score / total)


def _scaled(candidates: list[Candidate]) -> list[int]:
    top = max((c.weight for c in candidates), default=1.0)
    return [max(1, round(c.weight / top * WEIGHT_SCALE)) for c in candidates]


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


# -- solve ------------------------------------------------------------------------------------


def solve(
    candidates: list[Candidate],
    days: list[dt.date],
    slots_per_day: int,
    locked: Mapping[str, dt.date] | None = None,
    one_per_group_per_week: bool = True,
    time_limit_s: float = 10,
    progress: Progress | None = None,
    workers: int = 2,
) -> PlanResult:
    """Place the candidates on the days (see the module docstring for the model).

    `locked` candidates stay on their day (even one outside `days`) and count against that
    day's slots and their kecamatan's week. Deterministic for workers=1; with more workers the
    objective is the same but ties may be broken differently.
    """

    started = time.monotonic()
    report = progress or (lambda percent, message: None)
    locked = dict(locked or {})
    if slots_per_day < 1:
        raise ValueError("slots_per_day must be at least 1")
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ValueError("candidate keys must be unique")
    by_key = {c.key: c for c in candidates}
    scaled = dict(zip(keys, _scaled(candidates), strict=True))
    order = sorted(candidates, key=lambda c: (-c.weight, c.key))
    rank = {c.key: n for n, c in enumerate(order, start=1)}
    days = sorted(set(days))
    report(0, _("Preparing the plan"))

    # Weeks of the period, their free slots per day after the locked events.
    origin = _monday(days[0]) if days else None
    week_days: dict[dt.date, list[dt.date]] = defaultdict(list)
    for day in days:
        week_days[_monday(day)].append(day)
    used_slots: dict[dt.date, int] = defaultdict(int)
    taken: set[tuple[str, dt.date]] = set()  # (kecamatan, week) with a locked event
    placements: list[Placement] = []
    for key, day in sorted(locked.items(), key=lambda item: (item[1], item[0])):
        slot = used_slots[day]
        used_slots[day] += 1
        candidate = by_key.get(key)
        if candidate is not None:
            taken.add((candidate.group, _monday(day)))
        placements.append(
            Placement(key, day, slot, _("Locked by staff on this date."), rank.get(key, 0), True)
        )
    capacity = {
        week: sum(max(0, slots_per_day - used_slots[day]) for day in members)
        for week, members in week_days.items()
    }
    weeks = sorted(week for week, cap in capacity.items() if cap > 0)
    offset = {week: (week - origin).days // 7 for week in weeks} if origin else {}
    free = [c for c in candidates if c.key not in locked]

    # Free candidates of each kecamatan, highest priority first. Swapping two villages of one
    # kecamatan keeps every constraint, so in some optimum they are served in this order:
    # the plan only has to choose how many events each kecamatan gets and in which weeks.
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in sorted(free, key=lambda c: rank[c.key]):
        groups[c.group].append(c)
    open_weeks = {
        group: [week for week in weeks if not (one_per_group_per_week and (group, week) in taken)]
        for group in groups
    }
    solver = _solver(workers)
    total_weight = sum(scaled.values())
    locked_weight = sum(scaled[key] for key in locked if key in scaled)

    # Phase 1: the most priority-weighted coverage (a small model on kecamatan x week).
    report(5, _("Phase 1: coverage"))
    if one_per_group_per_week:
        counts, phase1_optimal = _coverage_counts(
            groups, open_weeks, weeks, capacity, scaled, solver, time_limit_s, report
        )
    else:
        room = sum(capacity[week] for week in weeks)
        chosen_keys = {c.key for c in sorted(free, key=lambda c: rank[c.key])[:room]}
        counts = {
            g: sum(1 for c in members if c.key in chosen_keys) for g, members in groups.items()
        }
        phase1_optimal = True
    if counts is None:
        return PlanResult(
            placements=sorted(placements, key=lambda p: (p.day, p.slot)),
            unplaced=[c.key for c in free],
            status="unknown",
            objective=0.0,
            bound=0.0,
            gap=1.0,
            wall_s=time.monotonic() - started,
            coverage=locked_weight / total_weight if total_weight else 0.0,
        )

    # Phase 2: the weeks, earliest for the highest priority (coverage held by placing exactly
    # the villages phase 1 chose).
    report(45, _("Phase 2: dates"))
    arcs: list[tuple[str, dt.date]] = []
    for group, members in groups.items():
        open_ = open_weeks[group]
        # The chosen villages of a kecamatan are its highest-priority ones (same exchange).
        placed_here = members[: counts[group]]
        for k, c in enumerate(placed_here):
            if one_per_group_per_week:
                # The k-th village of its kecamatan needs k earlier weeks for the ones before it
                # and leaves enough later weeks for the ones after it.
                window = open_[k : len(open_) - (len(placed_here) - 1 - k)]
            else:
                window = open_
            arcs.extend((c.key, week) for week in window)
    cost = {(key, week): scaled[key] * offset[week] for key, week in arcs}
    rows = _rows(arcs, by_key, one_per_group_per_week)
    group_of = {key: by_key[key].group for key, _week in arcs}
    week_of, objective, exact = _dates_flow(arcs, cost, group_of, capacity, one_per_group_per_week)
    bound = objective
    messages: list[str] = []
    if exact:
        status = "optimal" if phase1_optimal else "feasible"
        report(95, _("Phase 2: dates optimal"))
    else:  # a safety net: the flow always solves when phase 1 found the counts
        rows = _rows(arcs, by_key, one_per_group_per_week)
        time_left = max(0.1, time_limit_s - (time.monotonic() - started))
        week_of, objective, bound, status = _dates_cpsat(
            arcs, cost, rows, capacity, week_of, solver, time_left, report
        )
        if status == "optimal" and not phase1_optimal:
            status = "feasible"
        if status == "feasible":
            messages.append(_("The time limit ended before the plan was proven optimal."))
    placements.extend(
        _days_within_weeks(week_of, by_key, week_days, used_slots, slots_per_day, rank)
    )

    placed_keys = {p.key for p in placements}
    unplaced = [c.key for c in order if c.key not in placed_keys]
    gap = 0.0 if status == "optimal" else _gap(objective, bound)
    placements.sort(key=lambda p: (p.day, p.slot))
    _explain(placements, by_key, rank, len(candidates), week_days, origin, slots_per_day)
    covered = sum(scaled[key] for key in placed_keys if key in scaled)
    wall = time.monotonic() - started
    report(100, _("Plan ready"))
    return PlanResult(
        placements=placements,
        unplaced=unplaced,
        status=status,
        objective=float(objective) / WEIGHT_SCALE,
        bound=float(bound) / WEIGHT_SCALE,
        gap=gap,
        wall_s=wall,
        coverage=covered / total_weight if total_weight else 0.0,
        messages=messages,
    )


def _gap(objective: float, bound: float) -> float:
    if objective <= 0:
        return 0.0
    return max(0.0, (objective - bound) / objective)


def _solver(workers: int):
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = 1
    # The models are network-like: their LP bound is already tight, symmetry detection and
    # cutting planes only cost time.
    solver.parameters.symmetry_level = 0
    solver.parameters.linearization_level = 2
    solver.parameters.root_lp_iterations = 200_000
    solver.parameters.max_num_cuts = 0
    solver.parameters.add_cg_cuts = False
    solver.parameters.add_mir_cuts = False
    solver.parameters.add_zero_half_cuts = False
    return solver


def _Callback(report: Progress, phase: str, low: int, high: int):  # noqa: N802
    """A CP-SAT solution callback reporting progress from low to high percent."""
    from ortools.sat.python import cp_model

    class Callback(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def on_solution_callback(self) -> None:
            self.count += 1
            value, bound = self.objective_value, self.best_objective_bound
            closeness = 1.0 if not value else max(0.0, min(1.0, bound / value))
            if bound > value:  # maximising
                closeness = max(0.0, min(1.0, value / bound)) if bound else 1.0
            report(
                low + round((high - low) * closeness),
                _("%(phase)s: solution %(count)d, gap %(gap).1f%%")
                % {"phase": phase, "count": self.count, "gap": 100 * (1 - closeness)},
            )

    return Callback()


def _coverage_counts(groups, open_weeks, weeks, capacity, scaled, solver, time_limit_s, report):
    """How many events each kecamatan gets for the most priority-weighted coverage.

    z[g, w]: kecamatan g has an event in week w; u[g, k]: its k-th village (by priority) is
    served. Returns ({kecamatan: count}, proven) or (None, False) without a solution in time.
    """
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    z = {
        (group, week): model.new_bool_var(f"z[{group},{week:%Y%m%d}]")
        for group in groups
        for week in open_weeks[group]
    }
    u = {
        (group, k): model.new_bool_var(f"u[{group},{k}]")
        for group, members in groups.items()
        for k in range(min(len(members), len(open_weeks[group])))
    }
    for group, members in groups.items():
        served = [u[group, k] for k in range(min(len(members), len(open_weeks[group])))]
        model.add(sum(served) == sum(z[group, week] for week in open_weeks[group]))
        for a, b in itertools.pairwise(served):
            model.add_implication(b, a)
    for week in weeks:
        members = [z[group, week] for group in groups if (group, week) in z]
        if len(members) > capacity[week]:
            model.add(sum(members) <= capacity[week])
    model.maximize(sum(scaled[groups[group][k].key] * var for (group, k), var in u.items()))
    # phase 2 (a network flow) needs little time: most of the budget goes to phase 1
    solver.parameters.max_time_in_seconds = max(0.1, 0.8 * time_limit_s)
    code = solver.solve(model, _Callback(report, _("Phase 1: coverage"), 5, 45))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    counts = dict.fromkeys(groups, 0)
    for (group, _k), var in u.items():
        counts[group] += int(solver.boolean_value(var))
    return counts, code == cp_model.OPTIMAL


def _rows(arcs, by_key, one_per_group_per_week):
    """The constraints of phase 2 as lists of arc indices: per village, kecamatan-week, week."""
    per_village: dict[str, list[int]] = defaultdict(list)
    per_group_week: dict[tuple[str, dt.date], list[int]] = defaultdict(list)
    per_week: dict[dt.date, list[int]] = defaultdict(list)
    for n, (key, week) in enumerate(arcs):
        per_village[key].append(n)
        per_group_week[by_key[key].group, week].append(n)
        per_week[week].append(n)
    group_rows = list(per_group_week.values()) if one_per_group_per_week else []
    return per_village, [row for row in group_rows if len(row) > 1], per_week


def _dates_flow(arcs, cost, group_of, capacity, one_per_group_per_week):
    """Phase 2 as a min-cost flow: source -> village -> (kecamatan, week) -> week -> sink.

    Each y[village, week] is the flow on the arc village -> (its kecamatan, week); the
    (kecamatan, week) node passes at most one unit and the week node at most its capacity.
    The network solver stops only at an optimal flow, which is integral: the optimum of
    phase 2, proven. Returns (week_of, objective, solved).
    """
    from ortools.graph.python import min_cost_flow

    flow = min_cost_flow.SimpleMinCostFlow()
    node: dict[Any, int] = {}

    def at(name) -> int:
        return node.setdefault(name, len(node))

    source, sink = at("source"), at("sink")
    villages = sorted({key for key, _week in arcs})
    for key in villages:
        flow.add_arc_with_capacity_and_unit_cost(source, at(("v", key)), 1, 0)
    placing = []
    for key, week in arcs:
        middle = at(("g", group_of[key], week)) if one_per_group_per_week else at(("w", week))
        placing.append(
            flow.add_arc_with_capacity_and_unit_cost(at(("v", key)), middle, 1, cost[key, week])
        )
    if one_per_group_per_week:
        for name in [name for name in node if name[0] == "g"]:
            flow.add_arc_with_capacity_and_unit_cost(node[name], at(("w", name[2])), 1, 0)
    for week in sorted({week for _key, week in arcs}):
        flow.add_arc_with_capacity_and_unit_cost(at(("w", week)), sink, capacity[week], 0)
    flow.set_node_supply(source, len(villages))
    flow.set_node_supply(sink, -len(villages))
    if flow.solve() != flow.OPTIMAL:
        return {}, 0.0, False
    week_of = {arcs[n][0]: arcs[n][1] for n, arc in enumerate(placing) if flow.flow(arc) > 0}
    return week_of, float(flow.optimal_cost()), True


def _dates_cpsat(arcs, cost, rows, capacity, hint, solver, time_limit_s, report):
    """Phase 2 with CP-SAT, when the LP vertex is not integral (a safety net)."""
    from ortools.sat.python import cp_model

    per_village, group_rows, per_week = rows
    model = cp_model.CpModel()
    y = [model.new_bool_var("") for _arc in arcs]
    for members in per_village.values():
        model.add_exactly_one(y[n] for n in members)
    for members in group_rows:
        model.add_at_most_one(y[n] for n in members)
    for week, members in per_week.items():
        if len(members) > capacity[week]:
            model.add(sum(y[n] for n in members) <= capacity[week])
    for n, (key, week) in enumerate(arcs):
        model.add_hint(y[n], hint.get(key) == week)
    model.minimize(sum(cost[arc] * y[n] for n, arc in enumerate(arcs)))
    solver.parameters.max_time_in_seconds = time_limit_s
    code = solver.solve(model, _Callback(report, _("Phase 2: dates"), 50, 95))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        status = "infeasible" if code == cp_model.INFEASIBLE else "unknown"
        return {}, 0.0, 0.0, status
    week_of = {arcs[n][0]: arcs[n][1] for n, var in enumerate(y) if solver.boolean_value(var)}
    status = "optimal" if code == cp_model.OPTIMAL else "feasible"
    return week_of, solver.objective_value, solver.best_objective_bound, status


def _days_within_weeks(week_of, by_key, week_days, used_slots, slots_per_day, rank):
    """Put each week's villages on its free slots, highest priority on the earliest day."""
    by_week: dict[dt.date, list[str]] = defaultdict(list)
    for key, week in week_of.items():
        by_week[week].append(key)
    placements = []
    for week, keys in sorted(by_week.items()):
        slots = [
            (day, slot) for day in week_days[week] for slot in range(used_slots[day], slots_per_day)
        ]
        for key, (day, slot) in zip(sorted(keys, key=lambda k: rank[k]), slots, strict=False):
            placements.append(Placement(key, day, slot, "", rank[key]))
    return placements


# -- explanations -----------------------------------------------------------------------------


def factor_phrases(candidate: Candidate) -> list[str]:
    """The candidate's main priority factors in words, strongest first."""
    facts = candidate.facts
    phrases: list[tuple[float, str]] = []
    components = candidate.contributions or candidate.components
    if "distance_km" in facts and facts["distance_km"] is not None:
        text = _("%(km).0f km from the seat of government") % {"km": facts["distance_km"]}
        if facts.get("travel_min"):
            text = _("%(km).0f km (%(minutes)d minutes) from the seat of government") % {
                "km": facts["distance_km"],
                "minutes": facts["travel_min"],
            }
        phrases.append((components.get("remoteness", 0), text))
    if "days_since_visit" in facts:
        since = facts["days_since_visit"]
        if since is None:
            phrases.append((components.get("since_visit", 1), _("never visited")))
        else:
            months = max(1, round(since / 30.4))
            phrases.append(
                (
                    components.get("since_visit", 0),
                    ngettext(
                        "last visited %(months)d month ago",
                        "last visited %(months)d months ago",
                        months,
                    )
                    % {"months": months},
                )
            )
    if facts.get("population"):
        phrases.append(
            (
                components.get("population", 0),
                _("%(population)s residents") % {"population": f"{facts['population']:,}"},
            )
        )
    if "visits_per_1000" in facts and facts["visits_per_1000"] is not None:
        phrases.append(
            (
                components.get("demand", 0),
                _("%(rate).1f office visits per 1,000 residents")
                % {"rate": facts["visits_per_1000"]},
            )
        )
    if candidate.contributions:  # factors without weight do not explain anything
        phrases = [item for item in phrases if item[0] > 0]
    phrases.sort(key=lambda item: -item[0])
    return [text for _weight, text in phrases]


def _explain(placements, by_key, rank, total, week_days, origin, slots_per_day) -> None:
    """Fill in `reason`: why this village (rank and main factors) and why this date."""
    events_per_week: dict[dt.date, int] = defaultdict(int)
    groups_per_week: dict[dt.date, set[str]] = defaultdict(set)
    for p in placements:
        events_per_week[_monday(p.day)] += 1
        if p.key in by_key:
            groups_per_week[_monday(p.day)].add(by_key[p.key].group)
    weeks = sorted(week_days)
    for p in placements:
        if p.locked:
            continue
        c = by_key[p.key]
        factors = factor_phrases(c)[:2]
        why = _("Priority %(rank)d of %(total)d") % {"rank": rank[p.key], "total": total}
        if factors:
            why += ": " + ", ".join(factors)
        week = _monday(p.day)
        earlier = [w for w in weeks if w < week]
        full = sum(1 for w in earlier if events_per_week[w] >= len(week_days[w]) * slots_per_day)
        busy = sum(
            1
            for w in earlier
            if events_per_week[w] < len(week_days[w]) * slots_per_day
            and c.group in groups_per_week[w]
        )
        number = (week - origin).days // 7 + 1 if origin else 1
        group = c.group_name or c.group
        if not earlier:
            when = _("the first event day of the period")
        elif full + busy == len(earlier):
            when = _(
                "the earliest free day: of the %(earlier)d earlier weeks, %(full)d were full "
                "and %(busy)d already had an event in Kecamatan %(group)s"
            ) % {"earlier": len(earlier), "full": full, "busy": busy, "group": group}
        else:
            # Cannot happen in a proven optimum: moving the village earlier would be better.
            when = _("week %(week)d (the plan is not proven optimal)") % {"week": number}
        p.reason = _("%(why)s. Date: %(when)s.") % {"why": why, "when": when}


# -- candidates from the database -------------------------------------------------------------

SINCE_VISIT_FULL_DAYS = 3 * 365  # a village unvisited for three years counts as never visited
DEMAND_WINDOW_DAYS = 365


def candidates_for(program, period_start: dt.date, weights: Mapping[str, float]) -> list[Candidate]:
    """The places a program may visit, with their priority under `weights` (four queries).

    Village programs: the desa of the Pemda (kelurahan are urban and served by their offices;
    Buji'an Dusun counts 142 desa), grouped by kecamatan. Kecamatan programs: the kecamatan,
    each its own group. Components, each normalised to 0..1 over the candidates:
    - remoteness: distance to the seat of government (Region.distance_to_seat_km);
    - population: residents (visits.AreaPopulation);
    - since_visit: days since the last held event of any of the Pemda's programs there
      (never visited = 1; three years or more = 1);
    - demand: unmet demand, 1 - (office visits from the place per resident in the year before
      the period) / the highest such rate (visits counted by the visitor's desa; per 1,000
      residents where the population is known, raw counts otherwise).
    """
    from django.db.models import Count, Max

    from balai.organizations.choices import SessionKind
    from balai.regions.choices import Kind, Level
    from balai.regions.models import Region
    from balai.visits.models import AreaPopulation, Visit

    from .choices import EventStatus, VenueLevel
    from .models import Event

    pemda = program.pemda
    weights = {name: float(value) for name, value in (weights or DEFAULT_WEIGHTS).items()}

    villages_level = program.venue_level != VenueLevel.KECAMATAN
    places = Region.objects.filter(code__startswith=f"{pemda.region_id}.", is_active=True)
    if villages_level:
        places = places.filter(level=Level.DESA_KELURAHAN).exclude(kind=Kind.KELURAHAN)
    else:
        places = places.filter(level=Level.KECAMATAN)
    places = list(places.select_related("parent").order_by("code"))
    codes = [place.code for place in places]
    population = dict(
        AreaPopulation.objects.filter(region_id__in=codes).values_list("region_id", "population")
    )
    last_held = dict(
        Event.objects.filter(
            pemda=pemda, status=EventStatus.HELD, date__lt=period_start, venue_id__in=codes
        )
        .values("venue_id")
        .annotate(last=Max("date"))
        .values_list("venue_id", "last")
    )
    since = period_start - dt.timedelta(days=DEMAND_WINDOW_DAYS)
    visits = Visit.objects.filter(
        pemda=pemda,
        visited_at__date__gte=since,
        visited_at__date__lt=period_start,
        village__isnull=False,
    ).exclude(session_kind=SessionKind.EVENT)
    if villages_level:
        counted = visits.filter(village_id__in=codes).values("village_id")
        visit_counts = dict(
            counted.annotate(n=Count("id")).values_list("village_id", "n").order_by()
        )
    else:
        counted = visits.values("village__parent_id").annotate(n=Count("id")).order_by()
        visit_counts = dict(counted.values_list("village__parent_id", "n"))

    far = max((p.distance_to_seat_km or 0 for p in places), default=0) or 1.0
    big = max(population.values(), default=0) or 1
    rates = {}
    for place in places:
        n = visit_counts.get(place.code, 0)
        rates[place.code] = 1000 * n / population[place.code] if population.get(place.code) else n
    top_rate = max(rates.values(), default=0)

    candidates = []
    for place in places:
        last = last_held.get(place.code)
        days_since = (period_start - last).days if last else None
        components = {
            "remoteness": (place.distance_to_seat_km or 0) / far,
            "population": population.get(place.code, 0) / big,
            "since_visit": 1.0
            if days_since is None
            else min(1.0, days_since / SINCE_VISIT_FULL_DAYS),
            "demand": 1.0 - (rates[place.code] / top_rate if top_rate else 0.0),
        }
        facts: dict[str, Any] = {"days_since_visit": days_since}
        if place.distance_to_seat_km is not None:
            facts["distance_km"] = round(place.distance_to_seat_km, 1)
        if population.get(place.code):
            facts["population"] = population[place.code]
            facts["visits_per_1000"] = round(rates[place.code], 1)
        group = place.parent if villages_level else place
        weight_sum = sum(max(0.0, w) for w in weights.values()) or 1.0
        contributions = {
            name: max(0.0, weights.get(name, 0.0)) * value / weight_sum
            for name, value in components.items()
        }
        candidates.append(
            Candidate(
                key=place.code,
                group=group.code,
                weight=priority(components, weights),
                components=components,
                name=place.name,
                group_name=group.name,
                facts=facts,
                contributions=contributions,
            )
        )
    return candidates
