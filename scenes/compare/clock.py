"""One clock for several runs: a log-ish map from epochs to time, and each run on it (numpy only).

The comparison plays every run at once, on one epoch clock: at clock time ``u`` (0 at the
start, 1 at the end) every cell shows its network at epoch :meth:`Clock.epoch_at` ``(u)``,
or at its own last epoch once its run is over (it freezes). Time runs on a log-ish scale
of epochs, the way snapshots are taken (``nnmodel.export`` spaces them evenly in
``log(1 + epoch)``): the first epochs, where most happens, get as much time as the many
late ones, and a run of 200 epochs and one of 3,000 both fill the clock.

>>> clock = Clock.for_epochs(200)
>>> clock.knee
4.0
>>> round(float(clock.at_epoch(0)), 3), round(float(clock.at_epoch(200)), 3)
(0.0, 1.0)
>>> round(float(clock.epoch_at(clock.at_epoch(41))), 6)
41.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "KNEE_FRACTION",
    "Clock",
    "Track",
    "loss_curve",
    "nice_ticks",
]

FloatArray = npt.NDArray[np.float64]

#: The clock is linear in epochs below its knee and logarithmic above; the knee is this
#: fraction of the last epoch (at least 1 epoch). With 1/50, epoch 0 → 1 of a 200-epoch run
#: takes 5 % of the clock (not the 13 % of a pure log(1 + epoch)), and the last doubling of
#: epochs about 18 %.
KNEE_FRACTION = 1 / 50


@dataclass(frozen=True)
class Clock:
    """Epochs ``0 … last`` on clock time ``u`` in ``[0, 1]``: ``log(1 + e/k) / log(1 + last/k)``.

    Attributes
    ----------
    last : int
        The last epoch on the clock (the longest run's), at least 1.
    knee : float
        ``k``: where the map turns from linear to logarithmic, in epochs.
    """

    last: int
    knee: float

    def __post_init__(self) -> None:
        if self.last < 1:
            raise ValueError(f"a clock needs at least one epoch, not {self.last}")
        if not self.knee > 0:
            raise ValueError(f"the knee must be > 0, not {self.knee}")

    @classmethod
    def for_epochs(cls, last: int) -> Clock:
        """The clock of runs whose longest ends at epoch ``last``."""
        last = max(int(last), 1)
        return cls(last, max(1.0, last * KNEE_FRACTION))

    @property
    def _span(self) -> float:
        return math.log1p(self.last / self.knee)

    def at_epoch(self, epoch: npt.ArrayLike) -> FloatArray:
        """Clock time of ``epoch`` (scalar or array), clipped to ``[0, 1]``."""
        e = np.clip(np.asarray(epoch, np.float64), 0.0, float(self.last))
        out: FloatArray = np.log1p(e / self.knee) / self._span
        return out

    def epoch_at(self, u: npt.ArrayLike) -> FloatArray:
        """The epoch (a float) at clock time ``u`` (scalar or array, clipped to ``[0, 1]``)."""
        t = np.clip(np.asarray(u, np.float64), 0.0, 1.0)
        e = np.minimum(self.knee * np.expm1(t * self._span), float(self.last))
        # Rounding errors must not put a whole epoch (the last one, or any a snapshot was
        # taken at) a hair below itself: the counter and the numbers floor the epoch.
        whole = np.round(e)
        out: FloatArray = np.where(np.abs(e - whole) < 1e-9 * max(1.0, self.last), whole, e)
        return out


def nice_ticks(clock: Clock, min_gap: float) -> list[int]:
    """Round epochs to label on the clock's bar, at least ``min_gap`` of clock time apart.

    Always 0 and the last epoch; in between 1, 2, 5, 10, 20, 50 … where they fit (a tick
    too close to the last epoch is dropped, not the last epoch).

    >>> nice_ticks(Clock.for_epochs(200), 0.08)
    [0, 2, 5, 10, 20, 50, 100, 200]
    >>> nice_ticks(Clock.for_epochs(3000), 0.12)
    [0, 50, 200, 500, 1000, 3000]
    """
    ticks = [0]
    candidates = [m * 10**p for p in range(0, 7) for m in (1, 2, 5)]
    end = float(clock.at_epoch(clock.last))
    for epoch in candidates:
        if epoch >= clock.last:
            break
        u = float(clock.at_epoch(epoch))
        if u - float(clock.at_epoch(ticks[-1])) >= min_gap and end - u >= min_gap:
            ticks.append(epoch)
    ticks.append(clock.last)
    return ticks


def _forward_fill(values: Sequence[float | None], length: int) -> FloatArray:
    """``values`` as floats, each missing (None or not finite) one replaced by the last
    known before it (NaN before the first), padded or cut to ``length``.

    >>> _forward_fill([None, 0.5, None, 0.25], 5).tolist()
    [nan, 0.5, 0.5, 0.25, 0.25]
    """
    out = np.full(length, np.nan)
    last = np.nan
    for i in range(length):
        v = values[i] if i < len(values) else None
        if v is not None and math.isfinite(v):
            last = float(v)
        out[i] = last
    return out


@dataclass(frozen=True)
class Track:
    """One run on the shared clock: when its snapshots were taken and its per-epoch numbers.

    Build one with :meth:`of`. ``loss`` and ``acc`` have one value per epoch ``0 … last``
    (missing epochs carry the value before them).
    """

    snapshot_epochs: npt.NDArray[np.int64]
    loss: FloatArray
    acc: FloatArray
    last: int

    @classmethod
    def of(
        cls,
        snapshot_epochs: Sequence[int] | npt.NDArray[np.int64],
        loss: Sequence[float | None],
        acc: Sequence[float | None],
        last: int | None = None,
    ) -> Track:
        """A track from a trajectory's snapshot epochs and training metrics per epoch.

        ``last`` (default: the last snapshot's epoch) is the run's last epoch.

        >>> t = Track.of([0, 1, 3], [0.7, 0.6, None, 0.4], [0.5, 0.6, None, 0.9])
        >>> t.last, t.loss_at(2.5), t.acc_at(3)
        (3, 0.6, 0.9)
        """
        epochs = np.asarray(snapshot_epochs, np.int64)
        if len(epochs) < 2:
            raise ValueError(f"a run on the clock needs at least 2 snapshots, not {len(epochs)}")
        end = int(epochs[-1]) if last is None else int(last)
        return cls(epochs, _forward_fill(loss, end + 1), _forward_fill(acc, end + 1), end)

    def epoch(self, clock_epoch: float) -> float:
        """This run's epoch when the clock shows ``clock_epoch``: frozen at its last."""
        return min(max(float(clock_epoch), 0.0), float(self.last))

    def frozen(self, clock_epoch: float) -> bool:
        """Whether the run is over at ``clock_epoch`` (and shows its last epoch)."""
        return float(clock_epoch) >= self.last

    def loss_at(self, clock_epoch: float) -> float:
        """Training loss at the last whole epoch reached (NaN before the first known)."""
        return float(self.loss[int(math.floor(self.epoch(clock_epoch)))])

    def acc_at(self, clock_epoch: float) -> float:
        """Training accuracy at the last whole epoch reached."""
        return float(self.acc[int(math.floor(self.epoch(clock_epoch)))])

    def snapshot_times(self, clock: Clock) -> FloatArray:
        """When each snapshot is on ``clock`` (clock time, 0 … 1)."""
        return clock.at_epoch(self.snapshot_epochs)

    def blend(
        self, clock: Clock, clock_epoch: float, times: FloatArray | None = None
    ) -> tuple[int, int, float]:
        """The two snapshots around ``clock_epoch`` and the weight of the second.

        The picture between two snapshots cross-fades evenly in clock time, from snapshot
        ``s0`` (weight 0) to ``s1`` (weight 1); at or after the last snapshot it is the
        last, alone. ``times`` is :meth:`snapshot_times` on ``clock``, if already known.

        >>> t = Track.of([0, 1, 3, 7], [1.0] * 8, [0.5] * 8)
        >>> c = Clock.for_epochs(7)
        >>> t.blend(c, 0), t.blend(c, 7), t.blend(c, 9)
        ((0, 1, 0.0), (3, 3, 0.0), (3, 3, 0.0))
        >>> s0, s1, w = t.blend(c, 2)
        >>> (s0, s1), 0 < w < 1
        ((1, 2), True)
        """
        e = self.epoch(clock_epoch)
        us = self.snapshot_times(clock) if times is None else times
        u = float(clock.at_epoch(e))
        n = len(us)
        s0 = int(np.searchsorted(us, u, side="right")) - 1
        s0 = min(max(s0, 0), n - 1)
        if s0 == n - 1:
            return s0, s0, 0.0
        span = float(us[s0 + 1] - us[s0])
        w = 0.0 if span <= 0 else (u - float(us[s0])) / span
        return s0, s0 + 1, float(min(max(w, 0.0), 1.0))


def loss_curve(track: Track, clock: Clock, samples: int = 96) -> tuple[FloatArray, FloatArray]:
    """The run's training loss sampled evenly in clock time: ``(u, loss)``.

    Samples after the run's last epoch are NaN (its curve ends where the run ends).

    >>> t = Track.of([0, 5, 10], [1 - e / 10 for e in range(11)], [0.5] * 11)
    >>> u, loss = loss_curve(t, Clock.for_epochs(20), samples=5)  # epochs 0, 1.1, 3.6, 8.8, 20
    >>> u.tolist(), [round(v, 2) for v in loss.tolist()]
    ([0.0, 0.25, 0.5, 0.75, 1.0], [1.0, 0.9, 0.7, 0.2, nan])
    """
    u = np.linspace(0.0, 1.0, samples)
    epochs = clock.epoch_at(u)
    idx = np.minimum(np.floor(epochs + 1e-9).astype(np.int64), track.last)
    loss = track.loss[idx].copy()
    loss[epochs > track.last + 1e-9] = np.nan
    return u, loss
