"""The loss and accuracy charts as pure geometry: axes, ticks, polylines and the marker.

A :class:`Chart` maps (epoch, value) to the screen. Its epoch axis is the video's
:class:`~scenes.evolution.timing.Clock` (a log clock gives a log epoch axis), so the
marker of the current epoch crosses the chart at a steady pace. Its value axis is a
:class:`Scale`: accuracy from 0 to 100 %, loss on a log scale when it spans more than
tenfold (training losses usually fall by decades) and from 0 otherwise. A :class:`Series`
is one metric's measured epochs (None, NaN and infinities are "not measured": a recorded
model's metrics exist only at its snapshots), thinned to what a chart can show;
:meth:`Chart.revealed` draws it up to the current epoch, ending exactly at the marker.

>>> from scenes.core.view import Box
>>> from scenes.evolution.timing import Clock
>>> chart = Chart(Box(0, 4, 0, 2), Clock(100, "linear", 10.0), ACCURACY)
>>> chart.xy([50], [0.5]).tolist()
[[2.0, 1.0]]
>>> [t.label for t in chart.y_ticks()]
['0 %', '50 %', '100 %']
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scenes.core.ticks import nice_ticks
from scenes.core.view import Box
from scenes.evolution.timing import Clock

__all__ = [
    "ACCURACY",
    "CHAR_WIDTH",
    "Chart",
    "Scale",
    "Series",
    "Tick",
    "format_loss",
    "latest",
    "loss_scale",
]

Array = npt.NDArray[np.float64]

#: Width of one character of tick labels at the charts' font size, in frame units (a
#: generous estimate, so labels chosen not to overlap never do).
CHAR_WIDTH = 0.15
#: Free space between two tick labels, in frame units.
LABEL_GAP = 0.2
#: Most points of a drawn series (one per 1/1500 of the epoch axis, at most).
MAX_POINTS = 1500


@dataclass(frozen=True)
class Tick:
    """One tick: its value, its label, and its screen coordinate (x or y)."""

    value: float
    label: str
    at: float


@dataclass(frozen=True)
class Scale:
    """A value axis: ``kind`` ``"linear"`` or ``"log"`` from ``lo`` to ``hi``."""

    kind: str
    lo: float
    hi: float
    #: ``"loss"`` or ``"accuracy"``: how tick labels read.
    unit: str = "loss"

    def __post_init__(self) -> None:
        if self.kind not in ("linear", "log"):
            raise ValueError(f"unknown scale {self.kind!r}")
        if not self.hi > self.lo or (self.kind == "log" and self.lo <= 0):
            raise ValueError(f"bad {self.kind} scale from {self.lo} to {self.hi}")

    def share(self, values: npt.ArrayLike) -> Array:
        """Where ``values`` sit between ``lo`` (0) and ``hi`` (1); clipped to [0, 1]."""
        v = np.asarray(values, np.float64)
        if self.kind == "log":
            with np.errstate(divide="ignore", invalid="ignore"):
                s = (np.log(np.maximum(v, self.lo)) - math.log(self.lo)) / math.log(
                    self.hi / self.lo
                )
        else:
            s = (v - self.lo) / (self.hi - self.lo)
        out: Array = np.clip(s, 0.0, 1.0)
        return out

    def ticks(self) -> list[tuple[float, str]]:
        """Round values inside the scale, with their labels.

        >>> Scale("log", 0.003, 0.8).ticks()
        [(0.01, '0.01'), (0.1, '0.1')]
        >>> Scale("linear", 0.0, 0.8).ticks()
        [(0.0, '0'), (0.2, '0.2'), (0.4, '0.4'), (0.6, '0.6'), (0.8, '0.8')]
        """
        if self.unit == "accuracy":
            values = [v for v in (0.0, 0.5, 1.0) if self.lo - 1e-9 <= v <= self.hi + 1e-9]
            return [(v, f"{v * 100:.0f} %") for v in values]
        if self.kind == "linear":
            return [(v, format_loss(v)) for v in nice_ticks(self.lo, self.hi, 5)]
        lo, hi = math.log10(self.lo), math.log10(self.hi)
        for multiples in ((1.0,), (1.0, 3.0), (1.0, 2.0, 5.0)):
            values = [
                m * 10.0**k
                for k in range(math.floor(lo), math.ceil(hi) + 1)
                for m in multiples
                if self.lo * (1 - 1e-9) <= m * 10.0**k <= self.hi * (1 + 1e-9)
            ]
            if len(values) >= 2:
                break
        return [(v, format_loss(v)) for v in values]


#: Accuracy, always from 0 to 100 %.
ACCURACY = Scale("linear", 0.0, 1.0, "accuracy")


def format_loss(value: float) -> str:
    """A loss for a label or a readout: three decimals, or two significant digits when tiny.

    >>> format_loss(0.7519), format_loss(0.01), format_loss(0.00041), format_loss(2.0)
    ('0.752', '0.01', '4.1e−4', '2')
    """
    if value == 0:
        return "0"
    if abs(value) < 0.001:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}".replace("-", "−")
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text


def _finite(values: Sequence[float | None]) -> Array:
    return np.array([np.nan if v is None else float(v) for v in values], np.float64)


def loss_scale(*metrics: Sequence[float | None]) -> Scale:
    """The loss axis for these per-epoch series: log when the measured losses span more than
    tenfold (padded by a fifth of a decade), else linear from 0.

    >>> loss_scale([0.75, 0.3, 0.004]).kind, loss_scale([0.7, 0.2]).kind
    ('log', 'linear')
    """
    values = np.concatenate([_finite(m) for m in metrics]) if metrics else np.zeros(0)
    values = values[np.isfinite(values)]
    positive = values[values > 0]
    if len(positive) == 0:
        return Scale("linear", 0.0, 1.0)
    lo, hi = float(positive.min()), float(positive.max())
    if hi / lo > 10:
        pad = 10**0.2
        return Scale("log", lo / pad, hi * pad)
    return Scale("linear", 0.0, hi * 1.1)


def latest(values: Sequence[float | None], epoch: float) -> float | None:
    """The last measured value at or before ``epoch`` (None if nothing was measured yet).

    >>> latest([0.7, None, 0.5], 1.9), latest([None, 0.4], 0)
    (0.7, None)
    """
    end = min(int(math.floor(epoch + 1e-9)), len(values) - 1)
    for e in range(end, -1, -1):
        v = values[e]
        if v is not None and math.isfinite(v):
            return float(v)
    return None


@dataclass(frozen=True)
class Series:
    """One metric's measured epochs and values, in epoch order (what a chart draws)."""

    epochs: Array
    values: Array

    @classmethod
    def of(
        cls, values: Sequence[float | None], clock: Clock, max_points: int = MAX_POINTS
    ) -> Series:
        """The measured values of a per-epoch metric, thinned to at most about ``max_points``:
        the first measured epoch of every ``1/max_points`` of the epoch axis, and the last.

        >>> s = Series.of([0.7, None, 0.5, float("nan"), 0.4], Clock(4, "linear", 10.0))
        >>> s.epochs.tolist(), s.values.tolist()
        ([0.0, 2.0, 4.0], [0.7, 0.5, 0.4])
        """
        v = _finite(values)[: clock.last_epoch + 1]
        epochs = np.flatnonzero(np.isfinite(v)).astype(np.float64)
        if len(epochs) > max_points:
            bins = np.floor(np.asarray(clock.fraction(epochs)) * max_points)
            keep = np.flatnonzero(np.diff(bins, prepend=-1.0) > 0)
            keep = np.union1d(keep, [len(epochs) - 1])
            epochs = epochs[keep]
        return cls(epochs, v[epochs.astype(np.int64)])

    def __len__(self) -> int:
        return len(self.epochs)

    def value_at(self, epoch: float) -> float | None:
        """The drawn line's value at ``epoch``: between measured neighbours, linearly in the
        epoch; None before the first measured epoch or after the last.

        >>> Series(np.array([0.0, 10.0]), np.array([1.0, 0.0])).value_at(2.5)
        0.75
        """
        if len(self) == 0 or epoch < self.epochs[0] or epoch > self.epochs[-1]:
            return None
        return float(np.interp(epoch, self.epochs, self.values))


@dataclass(frozen=True)
class Chart:
    """One chart: ``box`` is its plot area (frame units), the epoch axis is ``clock``'s."""

    box: Box
    clock: Clock
    scale: Scale

    def x(self, epochs: npt.ArrayLike) -> Array:
        """Screen x of epochs."""
        u = np.asarray(self.clock.fraction(np.asarray(epochs, np.float64)), np.float64)
        out: Array = self.box.xmin + u * (self.box.xmax - self.box.xmin)
        return out

    def y(self, values: npt.ArrayLike) -> Array:
        """Screen y of values (clipped to the plot)."""
        out: Array = self.box.ymin + self.scale.share(values) * (self.box.ymax - self.box.ymin)
        return out

    def xy(self, epochs: npt.ArrayLike, values: npt.ArrayLike) -> Array:
        """Screen points ``(n, 2)`` of ``(epoch, value)`` pairs."""
        return np.column_stack([self.x(epochs), self.y(values)])

    def frame(self) -> Array:
        """The two axis lines, ``(2, 2, 2)``: the epoch axis along the bottom, the value
        axis up the left side."""
        b = self.box
        return np.array(
            [[[b.xmin, b.ymin], [b.xmax, b.ymin]], [[b.xmin, b.ymin], [b.xmin, b.ymax]]]
        )

    def revealed(self, series: Series, epoch: float) -> Array:
        """``series`` drawn up to ``epoch``: its measured points so far, then a head point
        at ``epoch`` on the line to the next one; ``(len + 1, 2)``, NaN rows after the head
        (a NaN ends a drawn line)."""
        out = np.full((len(series) + 1, 2), np.nan)
        if len(series) == 0:
            return out
        shown = int(np.searchsorted(series.epochs, epoch, side="right"))
        out[:shown] = self.xy(series.epochs[:shown], series.values[:shown])
        head = series.value_at(epoch)
        if head is not None and shown < len(series) + 1:
            out[shown] = self.xy([epoch], [head])[0]
        return out

    def marker(self, series: Series, epoch: float) -> Array:
        """The point of ``series`` at ``epoch`` (NaN where it has no value there)."""
        value = series.value_at(epoch)
        if value is None:
            return np.full(2, np.nan)
        out: Array = self.xy([epoch], [value])[0]
        return out

    def cursor(self, epoch: float) -> Array:
        """The vertical line through the plot at ``epoch``, ``(2, 2)``."""
        x = float(self.x([epoch])[0])
        return np.array([[x, self.box.ymin], [x, self.box.ymax]])

    def x_ticks(self, char_width: float = CHAR_WIDTH) -> list[Tick]:
        """Epoch ticks whose labels do not overlap: 0, the powers of ten and the last epoch
        on a log clock; round values on a linear one. The last epoch wins a clash."""
        last = self.clock.last_epoch
        if self.clock.mapping == "log":
            values = [0.0] + [10.0**k for k in range(0, int(math.log10(last)) + 1)]
        else:
            values = nice_ticks(0.0, float(last), 5)
        if all(abs(v - last) > 1e-9 for v in values):
            values.append(float(last))
        ticks = [Tick(v, f"{round(v):,}", float(self.x([v])[0])) for v in values]

        def half(t: Tick) -> float:
            return len(t.label) * char_width / 2

        kept: list[Tick] = []
        for tick in ticks:
            clash = kept and tick.at - half(tick) < kept[-1].at + half(kept[-1]) + LABEL_GAP
            if clash:
                if tick.value != last:
                    continue
                while kept and tick.at - half(tick) < kept[-1].at + half(kept[-1]) + LABEL_GAP:
                    kept.pop()
            kept.append(tick)
        return kept

    def y_ticks(self) -> list[Tick]:
        """Value ticks with their screen y."""
        return [Tick(v, label, float(self.y([v])[0])) for v, label in self.scale.ticks()]
