"""Geometry of small server-rendered SVG bar charts (templates/visits/_columns.svg.html).

No JavaScript and no library: the view computes rectangles, the template draws them. The
viewBox is narrow (400 units) so the labels stay readable on a 360 px phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 400
HEIGHT = 170
LEFT = 30  # room for the axis numbers
BOTTOM = 20  # room for the labels
TOP = 16  # room for the total above the highest column


@dataclass
class Segment:
    key: str
    y: float
    height: float
    value: int
    title: str


@dataclass
class Column:
    x: float
    width: float
    label: str
    show_label: bool
    total: int
    segments: list[Segment] = field(default_factory=list)

    @property
    def centre(self) -> float:
        return self.x + self.width / 2

    @property
    def top(self) -> float:
        return min((s.y for s in self.segments), default=HEIGHT - BOTTOM)


@dataclass
class ColumnChart:
    width: int
    height: int
    left: int
    baseline: float
    columns: list[Column]
    ticks: list[tuple[float, int]]
    series: list[tuple[str, str]]  # (key, label) for the legend
    threshold: tuple[float, str] | None = None


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    for step in (10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(int(value))) - 1)
    return int(-(-value // magnitude) * magnitude)


def column_chart(
    labels: list[str],
    series: list[tuple[str, str, list[int]]],
    *,
    every: int | None = None,
    threshold: float | None = None,
    threshold_label: str = "",
) -> ColumnChart:
    """Stacked columns: `series` is [(key, label, values per column)], stacked in that order."""
    count = max(len(labels), 1)
    totals = [sum(values[i] for _k, _l, values in series) for i in range(len(labels))]
    top_value = _nice_max(max([*totals, threshold or 0, 1]))
    plot_height = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT) / count
    bar = max(slot * 0.7, 1)
    every = every or max(1, -(-count // 10))
    columns = []
    for i, label in enumerate(labels):
        column = Column(
            x=round(LEFT + i * slot + (slot - bar) / 2, 2),
            width=round(bar, 2),
            label=label,
            show_label=i % every == 0,
            total=totals[i],
        )
        y = baseline
        for key, series_label, values in series:
            value = values[i]
            if not value:
                continue
            height = plot_height * value / top_value
            y -= height
            column.segments.append(
                Segment(key, round(y, 2), round(height, 2), value, f"{label} · {series_label}")
            )
        columns.append(column)
    parts = next((n for n in (4, 5, 2) if top_value % n == 0), 1)
    ticks = [
        (round(baseline - plot_height * step / parts, 2), top_value * step // parts)
        for step in range(parts + 1)
    ]
    line = None
    if threshold:
        line = (round(baseline - plot_height * threshold / top_value, 2), threshold_label)
    return ColumnChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        baseline=baseline,
        columns=columns,
        ticks=ticks,
        series=[(key, label) for key, label, _values in series],
        threshold=line,
    )
