"""Reads for the evaluation pages: who may see them, the dashboard's figures (cached per Pemda,
period and data version; read from the reporting database), the drill-down lists."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from balai.accounts.choices import Role
from balai.core.permissions import has_role

from .cache import cached
from .indicators import INDICATORS, PROGRAMS, Indicator, Scope, Value
from .periods import Period
from .routers import reporting_reads

EVALUATORS = (Role.LEADERSHIP, Role.PEMDA_ADMIN)


def may_evaluate(user, pemda) -> bool:
    """Leadership and the Pemda's administrators see every figure of the Pemda."""
    return has_role(user, pemda.id, *EVALUATORS)


@dataclass
class Card:
    indicator: Indicator
    current: Value
    previous: Value

    @property
    def delta(self) -> Decimal | int | None:
        if self.current.number is None or self.previous.number is None:
            return None
        return self.current.number - self.previous.number

    @property
    def direction(self) -> str:
        """up | down | same | none"""
        delta = self.delta
        if delta is None:
            return "none"
        return "up" if delta > 0 else "down" if delta < 0 else "same"

    @property
    def verdict(self) -> str:
        """better | worse | neutral"""
        better = self.indicator.higher_is_better
        if better is None or self.direction in ("same", "none"):
            return "neutral"
        return "better" if (self.direction == "up") == better else "worse"


def _values(pemda, period: Period, now) -> dict[str, tuple[Value, Value]]:
    scope = Scope(pemda=pemda, now=now)
    previous = period.previous()
    with reporting_reads():
        return {
            key: (indicator.compute(scope, period), indicator.compute(scope, previous))
            for key, indicator in INDICATORS.items()
        }


def dashboard(pemda, period: Period, *, now=None) -> dict[str, list[Card]]:
    """The cards per program, each with this period's and the previous period's value."""
    now = now or timezone.now()
    values = cached(
        pemda.id, f"dashboard:{period.key}:{len(INDICATORS)}", lambda: _values(pemda, period, now)
    )
    programs: dict[str, list[Card]] = {key: [] for key in PROGRAMS}
    for key, indicator in INDICATORS.items():
        if key in values:
            current, previous = values[key]
            programs[indicator.program].append(Card(indicator, current, previous))
    return {key: cards for key, cards in programs.items() if cards}


def drilldown(pemda, indicator: Indicator, period: Period, *, now=None):
    """The queryset behind an indicator (read from the reporting database when configured)."""
    scope = Scope(pemda=pemda, now=now or timezone.now())
    with reporting_reads() as alias:
        return scope, indicator.rows(scope, period).using(alias)


def upcoming_schedule(pemda, today) -> list[dict]:
    """Published upcoming service days (outreach events) for the public page; empty until the
    outreach app provides them (see `indicators_outreach.upcoming_events`)."""
    try:
        from .indicators_outreach import upcoming_events
    except ImportError:
        return []
    with reporting_reads():
        return upcoming_events(pemda, today)
