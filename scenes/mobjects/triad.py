"""A small orientation triad: the data's axes as short arms from one spot, each named.

It stands in for the axes where their crossing is off screen (a 3-D space after a
sigmoid, framed without the origin): turning with the camera, it keeps the viewer
oriented. Where it goes and how much of it shows is worked out elsewhere, in plain numpy
(:mod:`scenes.warp.steps`: ``triad_layout``, ``triad_level``); this draws it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import Animation, VGroup, VMobject, smooth

from scenes.core.theme import theme
from scenes.mobjects.widgets import math

__all__ = ["Triad", "TriadFade"]

#: The names' font size (Typst math): an italic h 13.6 px high at 480p.
TRIAD_SIZE = 31
#: The arms' width (Manim's: about a hundredth of a frame unit each).
ARM_WIDTH = 3.0


class Triad(VGroup):
    """Arms (one per axis) and their names, in the axes' colour.

    How much of it shows is :attr:`fading` (its own fade in or out with the names of its
    space, :class:`TriadFade`) times :attr:`shown` (how far the axes' crossing is off
    screen), set by :meth:`refresh`; :meth:`place` puts it where the camera sees it.
    """

    def __init__(self, names: Sequence[str], size: float = TRIAD_SIZE) -> None:
        th = theme()
        self.arms: list[VMobject] = []
        for _ in names:  # (ringed in the background colour too: they read over a separator)
            arm = VMobject(stroke_color=th.axis, stroke_width=ARM_WIDTH, fill_opacity=0.0)
            arm.set_stroke(th.background, width=ARM_WIDTH + 4, background=True)
            self.arms.append(arm)
        self.labels: list[VMobject] = []
        for name in names:
            label = math(name, size)
            label.set_fill(th.axis)
            label.set_stroke(th.background, width=5, background=True)
            self.labels.append(label)
        super().__init__(*self.arms, *self.labels)
        self.set_z_index(5)  # (every part: each is drawn by its own)
        self.fading = 0.0
        self.shown = 0.0
        #: Each name's width and height (frame units).
        self.sizes = [(float(m.width), float(m.height)) for m in self.labels]
        #: Where its arms start (screen, frame units): one spot for as long as it is shown.
        self.anchor = np.zeros(2)
        for arm in self.arms:
            arm.set_points_as_corners([np.zeros(3), np.array([1e-3, 0.0, 0.0])])

    @property
    def level(self) -> float:
        """How much of it shows now (0 to 1)."""
        return self.fading * self.shown

    def place(self, tips: np.ndarray, spots: np.ndarray) -> None:
        """Arms from :attr:`anchor` to ``anchor + tips[k]``, names centred on ``anchor +
        spots[k]`` (screen, frame units)."""
        at = np.array([float(self.anchor[0]), float(self.anchor[1]), 0.0])
        for arm, label, tip, spot in zip(self.arms, self.labels, tips, spots, strict=True):
            end = at + np.array([float(tip[0]), float(tip[1]), 0.0])
            if np.linalg.norm(end - at) < 1e-4:  # seen end-on: a dot, not a degenerate line
                end = at + np.array([1e-4, 0.0, 0.0])
            arm.set_points_as_corners([at, end])
            label.move_to(at + np.array([float(spot[0]), float(spot[1]), 0.0]))

    def refresh(self) -> None:
        """Set every part's opacity to :attr:`level` (the names' rings with them)."""
        level = self.level
        for arm in self.arms:
            arm.set_stroke(opacity=0.9 * level)
            arm.set_stroke(opacity=level, background=True)
        for label in self.labels:
            label.set_fill(opacity=level)
            label.set_stroke(opacity=level, background=True)


class TriadFade(Animation):
    """Fade a :class:`Triad` in or out (its :attr:`Triad.fading`; it is removed once gone).

    No copies and no opacities of its own: the triad's updater sets them every frame from
    this fade and from where the axes' crossing is.
    """

    def __init__(self, triad: Triad, fade_in: bool = True, **kwargs: Any) -> None:
        self.fade_in = fade_in
        self.triad = triad
        kwargs.setdefault("rate_func", smooth)
        super().__init__(triad, introducer=fade_in, remover=not fade_in, **kwargs)

    def begin(self) -> None:
        self.interpolate(0.0)

    def interpolate(self, alpha: float) -> None:
        a = float(self.rate_func(alpha))
        self.triad.fading = a if self.fade_in else 1.0 - a
        self.triad.refresh()

    def finish(self) -> None:
        self.interpolate(1.0)
