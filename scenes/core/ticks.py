"""Tick marks in the data's own units along the input plane's edges (numpy only).

The network and the picture live in standardised coordinates (:mod:`nnmodel.scaling`);
a teacher's video about alcohol and proline must still read in % and mg/L. :func:`edge_ticks`
picks round values in the original units (steps of 1, 2 or 5 times a power of ten), maps
them through the standardisation and the :class:`~scenes.core.view.View` to the screen,
and keeps those that fall on the visible edge of the input plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nnmodel.scaling import Scaling
from scenes.core.view import View

__all__ = [
    "EdgeTicks",
    "Tick",
    "edge_ticks",
    "format_tick",
    "nice_ticks",
]


@dataclass(frozen=True)
class Tick:
    """One tick: its value in original units, its label, and its screen coordinate."""

    value: float
    label: str
    #: Screen x for the bottom edge's ticks, screen y for the left edge's.
    at: float


@dataclass(frozen=True)
class EdgeTicks:
    """Ticks along the bottom and left edges of the visible input plane (screen units)."""

    bottom: tuple[Tick, ...]
    left: tuple[Tick, ...]
    #: The visible plane's screen rectangle ``(xmin, xmax, ymin, ymax)``.
    frame: tuple[float, float, float, float]


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """About ``count`` round values in ``[lo, hi]``, one step of 1, 2 or 5 × 10^k apart.

    >>> nice_ticks(11.03, 14.83)
    [12.0, 13.0, 14.0]
    >>> nice_ticks(11.03, 14.83, 7)
    [11.5, 12.0, 12.5, 13.0, 13.5, 14.0, 14.5]
    >>> nice_ticks(278, 1680)
    [500.0, 1000.0, 1500.0]
    >>> nice_ticks(278, 1680, 7)
    [400.0, 600.0, 800.0, 1000.0, 1200.0, 1400.0, 1600.0]
    >>> nice_ticks(-0.3, 0.3, 3)
    [-0.2, 0.0, 0.2]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return []
    power = math.floor(math.log10((hi - lo) / max(count, 1)))

    def span(step: float) -> tuple[int, int]:
        return math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)

    # The round step whose tick count is closest to ``count`` (the larger step on a tie).
    steps = [m * 10.0**k for k in (power + 1, power, power - 1) for m in (5, 2, 1)]
    step = min(steps, key=lambda st: abs(span(st)[1] - span(st)[0] + 1 - count))
    first, last = span(step)
    # round(…, 12) drops float noise: 0.1 * 3 is 0.30000000000000004
    return [round(k * step, 12) + 0.0 for k in range(first, last + 1)]


def format_tick(value: float, step: float) -> str:
    """``value`` with as many decimals as the tick step needs (thousands separated).

    >>> format_tick(1200.0, 200.0), format_tick(12.5, 0.5), format_tick(-0.2, 0.2)
    ('1,200', '12.5', '−0.2')
    """
    decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "−")  # a real minus sign reads better on screen


def edge_ticks(
    view: View,
    extent: tuple[float, float, float, float],
    scaling: Scaling | None,
    count: int = 5,
) -> EdgeTicks:
    """Ticks in original units along the bottom and left edges of the visible plane.

    ``extent`` is the input plane's ``(xmin, xmax, ymin, ymax)`` in the network's
    coordinates (the grid's); the visible part is where it meets ``view``'s box.
    ``scaling`` maps those coordinates back to the data's units (None: they are the units).
    """
    if view.phi != 0.0 or view.theta != 0.0:
        raise ValueError("ticks along the edges need the flat, unturned input-plane view")
    scale, centre, box = view.scale, view.centre, view.box
    bc = box.centre

    def to_screen(v: float, k: int) -> float:
        return float(bc[k] + (v - centre[k]) * scale)

    def to_data(s: float, k: int) -> float:
        return float(centre[k] + (s - bc[k]) / scale)

    x0, x1, y0, y1 = extent
    frame = (
        max(to_screen(x0, 0), box.xmin),
        min(to_screen(x1, 0), box.xmax),
        max(to_screen(y0, 1), box.ymin),
        min(to_screen(y1, 1), box.ymax),
    )
    mean = (0.0, 0.0) if scaling is None else scaling.mean
    std = (1.0, 1.0) if scaling is None else scaling.std
    edges: list[tuple[Tick, ...]] = []
    for k, (s_lo, s_hi) in enumerate(((frame[0], frame[1]), (frame[2], frame[3]))):
        lo = to_data(s_lo, k) * std[k] + mean[k]
        hi = to_data(s_hi, k) * std[k] + mean[k]
        values = nice_ticks(lo, hi, count)
        step = values[1] - values[0] if len(values) > 1 else abs(hi - lo) or 1.0
        ticks = []
        for v in values:
            at = to_screen((v - mean[k]) / std[k], k)
            if s_lo - 1e-9 <= at <= s_hi + 1e-9:
                ticks.append(Tick(v, format_tick(v, step), at))
        edges.append(tuple(ticks))
    return EdgeTicks(bottom=edges[0], left=edges[1], frame=frame)
