"""The moving picture of points, grid lines and axes, and the animations that move it."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Animation, Group, Mobject, smooth

from scenes.core.moves import Step
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.view import Box, View, axis_lines, pad3
from scenes.draw import LineBundle, PointCloud

__all__ = ["Hold", "PlayStep", "Rig"]


class Rig:
    """The moving picture: points, grid lines and axes, drawn through a :class:`View`."""

    def __init__(self, colors: np.ndarray, n_points: int, radius: float, box: Box) -> None:
        t = theme()
        self.box = box
        self.colors = colors
        self.points = PointCloud(
            np.zeros((n_points, 2)),
            colors=colors,
            radius=radius,
            outline_width=radius * 0.28,
            clip_box=self.box.as_tuple(),
            z_index=3,
        )
        self.grid = LineBundle(
            np.zeros((1, 2, 2)),
            colors=(*hex_to_rgb(t.grid), t.grid_opacity),
            stroke_width=t.grid_stroke,
            clip_box=self.box.as_tuple(),
            z_index=1,
        )
        self.axes = LineBundle(
            np.zeros((2, 2, 2)),
            colors=(*hex_to_rgb(t.axis), 0.8),
            stroke_width=t.grid_stroke * 1.6,
            clip_box=self.box.as_tuple(),
            z_index=2,
        )
        #: The decision boundary carried back by the rewind (:mod:`scenes.core.boundary`):
        #: drawn only once :attr:`curves_on` (the scene fades it in), as the separator is.
        self.boundary = LineBundle(
            np.zeros((1, 2, 2)),
            colors=(*hex_to_rgb(t.separator), 1.0),
            stroke_width=0.04,  # frame units: as the separator's line (Manim's width 4)
            clip_box=self.box.as_tuple(),
            z_index=4,
        )
        self.curves_on = False
        self.group = Group(self.grid, self.axes, self.points)
        self.view: View | None = None
        self.dims = 2
        #: How long the axes were last drawn (data units about the view's centre; None: as
        #: far as the screen reaches, see :func:`~scenes.core.view.axis_lines`).
        self.reach: float | None = None
        self.shaded = False

    def draw(
        self,
        pts: np.ndarray,
        grid: np.ndarray,
        view: View,
        dims: int,
        curves: np.ndarray | None = None,
    ) -> None:
        """Place everything for one frame (the boundary's ``curves`` too, while shown)."""
        xy, depth = view.project(pts)
        if view.phi > 1e-3:  # 3-D: far points first and a little darker, so depth reads
            order = np.argsort(depth, kind="stable")
            span = float(np.ptp(depth)) or 1.0
            shade = 0.55 + 0.45 * (depth[order] - depth.min()) / span
            rgbas = self.colors[order].copy()
            rgbas[:, :3] *= shade[:, None]
            self.points.set_positions(xy[order])
            self.points.set_colors(rgbas)
            self.shaded = True
        else:
            self.points.set_positions(xy)
            if self.shaded:  # colours only change after depth shading: restore once
                self.points.set_colors(self.colors)
                self.shaded = False
        self.grid.set_lines(view.to_screen3(grid))
        if curves is not None and self.curves_on:
            self.boundary.set_lines(view.to_screen3(curves))
        reach = None
        if dims == 3:  # in 3-D, axes as long as the data is wide, so they don't slash the frame
            finite = pts[np.isfinite(pts).all(axis=1)]
            reach = float(np.abs(finite - pad3(view.centre)).max()) * 1.15 if len(finite) else None
        self.axes.set_lines(view.to_screen3(axis_lines(view, dims, reach)))
        self.view = view
        self.dims = dims
        self.reach = reach


class Hold(Animation):
    """Redraw a mobject every frame of one play without animating it.

    For mobjects that something else changes (another mobject's updater): a play caches
    what does not move into a background image (see :meth:`FastScene.get_moving_mobjects`).
    """

    def __init__(self, mobject: Mobject, **kwargs: Any) -> None:
        super().__init__(mobject, **kwargs)

    def begin(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def clean_up_from_scene(self, scene: Any) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        pass


class PlayStep(Animation):
    """Animate a :class:`Step` on a :class:`Rig`.

    While the rig's boundary is shown, its curves move too; play a :class:`Hold` of
    ``rig.boundary`` alongside, so it is redrawn every frame.
    """

    def __init__(self, rig: Rig, step: Step, dims: int, **kwargs: Any) -> None:
        self.rig, self.step, self.dims = rig, step, dims
        kwargs.setdefault("rate_func", smooth)
        kwargs.setdefault("run_time", step.run_time)
        super().__init__(rig.group, **kwargs)

    def begin(self) -> None:  # no copies of thousands of points: we draw from functions
        self.interpolate(0.0)

    def finish(self) -> None:
        self.interpolate(1.0)

    def clean_up_from_scene(self, scene: Any) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        t = float(self.rate_func(alpha))
        view = self.step.view(t) if self.step.view else self.step.end_view
        curves = self.step.curves(t) if self.step.curves and self.rig.curves_on else None
        self.rig.draw(self.step.points(t), self.step.grid(t), view, self.dims, curves)
