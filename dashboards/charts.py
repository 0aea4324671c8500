"""Chart geometry for server-drawn SVG: bars and stacked bars scaled into a box.

The pages draw charts as inline SVG from this geometry (no chart library, no script, nothing to fetch),
so they work offline and under a strict content-security policy, and a screen reader gets each bar's
label and value as its title.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 220
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 44, 24, 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)
    empty: bool = True


def stacked_bars(points: Sequence[tuple[str, Sequence[int]]], series_names: Sequence[str] = ("mentions",)) -> Chart:
    """One column per point, its values stacked bottom-up in series order."""
    chart = Chart()
    if not points:
        return chart
    top = nice_ceiling(max(sum(values) for _, values in points))
    plot_w, plot_h = WIDTH - MARGIN_LEFT, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / len(points)
    width = max(1.0, step * 0.8)
    for index, (label, values) in enumerate(points):
        x = MARGIN_LEFT + index * step + (step - width) / 2
        base = float(HEIGHT - MARGIN_BOTTOM)
        for series, value in enumerate(values):
            height = plot_h * value / top
            if value:
                name = series_names[series] if series < len(series_names) else f"series {series}"
                chart.bars.append(
                    Bar(
                        round(x, 1),
                        round(base - height, 1),
                        round(width, 1),
                        round(height, 1),
                        series,
                        f"{label}: {value} {name}",
                    )
                )
            base -= height
    chart.ticks = [Tick(round(HEIGHT - MARGIN_BOTTOM - plot_h * i / 4, 1), f"{top * i // 4:,}") for i in range(5)]
    every = max(1, math.ceil(len(points) / 8))
    chart.labels = [
        (round(MARGIN_LEFT + i * step + step / 2, 1), label) for i, (label, _) in enumerate(points) if i % every == 0
    ]
    chart.empty = False
    return chart


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``value`` (and divisible by 4)."""
    if value <= 4:
        return 4
    magnitude = 10 ** int(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        candidate = int(factor * magnitude)
        if candidate >= value and candidate % 4 == 0:
            return candidate
    return int(math.ceil(value / 4) * 4)
