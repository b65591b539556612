"""A move of the picture as pure data: where points and grid are at each moment, and the view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scenes.core.view import View, pad3

__all__ = ["Positions", "Step", "lerp"]

Positions = Callable[[float], np.ndarray]


@dataclass
class Step:
    """One animated move: where points and grid are at time t ∈ [0, 1], and the view.

    ``start_view`` and ``view`` (the framed path between the two views) are filled in by
    :meth:`Warp.move` when the step is played. ``curves`` (if given) are more lines the
    move carries as it carries the grid: the decision boundary (:mod:`scenes.core.boundary`).
    """

    points: Positions
    grid: Positions
    end_view: View
    run_time: float = 2.5
    view: Callable[[float], View] | None = None
    start_view: View | None = None
    curves: Positions | None = None
    #: A framing the camera holds while the picture moves, and the shares of the move it
    #: takes to get there and to leave it (see :func:`scenes.core.view.step_views`).
    via: View | None = None
    phases: tuple[float, float] = (0.0, 0.0)

    def reversed(self) -> Step:
        """The same move backwards (after it was played), ending where it started."""
        assert self.start_view is not None, "only a played step can be reversed"
        curves = self.curves
        return Step(
            lambda t: self.points(1 - t),
            lambda t: self.grid(1 - t),
            self.start_view,
            self.run_time,
            curves=None if curves is None else (lambda t: curves(1 - t)),
        )


def lerp(a: np.ndarray, b: np.ndarray) -> Positions:
    """Straight-line interpolation between two arrays of the same shape (padded to 3-D)."""
    a3, b3 = pad3(a), pad3(b)
    return lambda t: (1 - t) * a3 + t * b3
