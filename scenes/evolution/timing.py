"""The evolution's clock: which epoch of training the video shows at each moment (numpy only).

A :class:`Clock` maps an epoch ``e`` of a training of ``E`` epochs to a fraction
``u ∈ [0, 1]`` of the training's screen time, and back. Two mappings:

``"linear"``
    ``u = e / E``: every epoch gets the same time.
``"log"`` (the default)
    ``u = ln(1 + e/k) / ln(1 + E/k)``, with a *knee* of ``k`` epochs (default ``E/100``, at
    least 1): about linear for the first ``k`` epochs, then each tenfold of epochs gets the
    same time. With ``k = E/100`` the last two decades of epochs take about 85 % of the
    time (the last one half of it) and the first ``E/100`` epochs the rest, so the
    opening, where training changes fastest, is slow and the slow tail is quick. The
    trajectory's snapshots are log-spaced too (:func:`nnmodel.export.choose_snapshots`),
    so they land about evenly on this clock.

``duration`` is the screen time of the whole training in seconds (the pauses at the
story's key moments come on top). The chart's epoch axis uses the same fraction, so its
marker moves at a steady pace.

>>> clock = Clock(1000)
>>> round(clock.fraction(10), 3), round(clock.fraction(100), 3), clock.fraction(1000)
(0.15, 0.52, 1.0)
>>> round(float(clock.epoch(clock.fraction(250))), 6)
250.0
>>> round(clock.seconds(100), 2)
12.47
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import overload

import numpy as np
import numpy.typing as npt

from nnmodel.snapshots import KNEE_SHARE, log_share

__all__ = [
    "DEFAULT_DURATION",
    "DEFAULT_MAPPING",
    "MAPPINGS",
    "MAX_DURATION",
    "MIN_DURATION",
    "Clock",
    "snapshot_gaps",
]

#: The mappings from epochs to screen time.
MAPPINGS = ("log", "linear")
DEFAULT_MAPPING = "log"
#: Seconds of screen time for the whole training, by default, and the limits.
DEFAULT_DURATION = 24.0
MIN_DURATION = 4.0
MAX_DURATION = 600.0
# The default log knee, KNEE_SHARE of the training's epochs (the last two decades), and the
# log mapping itself are nnmodel.snapshots': its jump detector measures on this clock.

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Clock:
    """Epochs ↔ screen time for a training of ``last_epoch`` epochs.

    Parameters
    ----------
    last_epoch
        The last epoch shown (the trajectory's last snapshot), at least 1.
    mapping
        ``"log"`` or ``"linear"`` (see the module's docstring).
    duration
        Seconds of screen time from epoch 0 to ``last_epoch``.
    knee
        The log mapping's knee ``k`` in epochs (None: ``max(1, last_epoch / 100)``).
    """

    last_epoch: int
    mapping: str = DEFAULT_MAPPING
    duration: float = DEFAULT_DURATION
    knee: float | None = None

    def __post_init__(self) -> None:
        if self.mapping not in MAPPINGS:
            raise ValueError(
                f"unknown time mapping {self.mapping!r}; choose from {', '.join(MAPPINGS)}"
            )
        if self.last_epoch < 1:
            raise ValueError(f"a clock needs at least one epoch, not {self.last_epoch}")
        if not MIN_DURATION <= self.duration <= MAX_DURATION:
            raise ValueError(
                f"the training's duration must be between {MIN_DURATION:g} and "
                f"{MAX_DURATION:g} seconds, not {self.duration:g}"
            )
        if self.knee is not None and not self.knee > 0:
            raise ValueError(f"the log clock's knee must be positive, not {self.knee}")

    @property
    def k(self) -> float:
        """The log mapping's knee in epochs."""
        return self.knee if self.knee is not None else max(1.0, KNEE_SHARE * self.last_epoch)

    @overload
    def fraction(self, epoch: float) -> float: ...
    @overload
    def fraction(self, epoch: npt.ArrayLike) -> float | Array: ...
    def fraction(self, epoch: npt.ArrayLike) -> float | Array:
        """The share ``u ∈ [0, 1]`` of the training's screen time at which ``epoch`` is shown.

        Epochs outside ``[0, last_epoch]`` are clipped to it.
        """
        e = np.clip(np.asarray(epoch, np.float64), 0.0, float(self.last_epoch))
        if self.mapping == "linear":
            u = e / self.last_epoch
        else:
            u = log_share(e, self.last_epoch, self.k)
        out = np.clip(u, 0.0, 1.0)
        return float(out) if out.ndim == 0 else out

    @overload
    def epoch(self, u: float) -> float: ...
    @overload
    def epoch(self, u: npt.ArrayLike) -> float | Array: ...
    def epoch(self, u: npt.ArrayLike) -> float | Array:
        """The (fractional) epoch shown at share ``u`` of the screen time: the inverse of
        :meth:`fraction`. ``u`` is clipped to ``[0, 1]``."""
        v = np.clip(np.asarray(u, np.float64), 0.0, 1.0)
        if self.mapping == "linear":
            e = v * self.last_epoch
        else:
            e = self.k * np.expm1(v * np.log1p(self.last_epoch / self.k))
        out = np.clip(e, 0.0, float(self.last_epoch))
        return float(out) if out.ndim == 0 else out

    def seconds(self, epoch: float) -> float:
        """Screen seconds from epoch 0 to ``epoch`` (pauses not counted)."""
        return self.duration * self.fraction(epoch)

    def frames(self, fps: float) -> int:
        """Whole frames of the training's screen time at ``fps`` (at least 1)."""
        return max(1, round(self.duration * fps))


def snapshot_gaps(epochs: npt.ArrayLike, clock: Clock) -> Array:
    """Screen seconds between consecutive snapshot epochs on ``clock``.

    Between two snapshots the picture is interpolated, so the longest gap says how far
    the video leans on interpolation (see :func:`scenes.evolution.plan.snapshots_wanted`).

    >>> snapshot_gaps([0, 500, 1000], Clock(1000, "linear", 10.0)).tolist()
    [5.0, 5.0]
    """
    u = clock.fraction(np.asarray(epochs, np.float64))
    out: Array = np.diff(np.atleast_1d(u)) * clock.duration
    return out
