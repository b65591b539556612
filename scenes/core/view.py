"""Where data lands on screen: a uniform-scale orthographic view with smooth framing (numpy only).

A :class:`View` maps data coordinates (2-D or 3-D) to screen coordinates inside a plot box:
rotate by the camera angles, scale uniformly (never per axis: that would distort angles),
and place the data centre at the box centre. :func:`step_views` frames a whole animated
step so that no point leaves the box at any moment, zooming smoothly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from scenes.core.geometry import fit_scale, interpolate_scale

__all__ = [
    "Array",
    "Box",
    "View",
    "axis_lines",
    "fit",
    "pad3",
    "required_scale",
    "rotation",
    "step_views",
]

Array = npt.NDArray[np.float64]

_TINY = float(np.finfo(np.float64).tiny)  # the smallest scale a view gets (never 0)
_MIN_LINEAR_FACTOR = 0.05  # step_views: deeper zooms than 20× use the log-scale bump


@dataclass(frozen=True)
class Box:
    """An axis-aligned screen rectangle ``[xmin, xmax] × [ymin, ymax]`` (frame units)."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float

    @property
    def centre(self) -> Array:
        """Centre point (x, y)."""
        return np.array([(self.xmin + self.xmax) / 2, (self.ymin + self.ymax) / 2])

    @property
    def half_width(self) -> float:
        """Half of the width."""
        return (self.xmax - self.xmin) / 2

    @property
    def half_height(self) -> float:
        """Half of the height."""
        return (self.ymax - self.ymin) / 2

    def as_tuple(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)``."""
        return (self.xmin, self.xmax, self.ymin, self.ymax)

    def contains(self, xy: npt.ArrayLike, tol: float = 1e-9) -> bool:
        """Whether every finite point of ``xy`` (…, 2) lies inside the box."""
        pts = np.asarray(xy, np.float64).reshape(-1, 2)
        pts = pts[np.isfinite(pts).all(axis=1)]
        return bool(
            np.all(pts[:, 0] >= self.xmin - tol)
            and np.all(pts[:, 0] <= self.xmax + tol)
            and np.all(pts[:, 1] >= self.ymin - tol)
            and np.all(pts[:, 1] <= self.ymax + tol)
        )


def pad3(points: npt.ArrayLike) -> Array:
    """Zero-pad (…, d ≤ 3) coordinates to (…, 3)."""
    p = np.asarray(points, np.float64)
    if p.shape[-1] == 3:
        return p
    out = np.zeros((*p.shape[:-1], 3))
    out[..., : p.shape[-1]] = p
    return out


def rotation(phi: float, theta: float) -> Array:
    """Camera rotation: turn by ``theta`` about z, then tilt by ``phi`` about x.

    ``phi = 0`` looks straight down the z axis (a flat 2-D view); as ``phi`` grows, the z
    axis rises on screen.
    """
    c, s = np.cos(theta), np.sin(theta)
    rz = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    c, s = np.cos(phi), np.sin(phi)
    rx = np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])
    out: Array = rx.T @ rz
    return out


@dataclass(frozen=True)
class View:
    """Data → screen: ``screen = box.centre + scale · (R · (p − centre))[:2]``.

    ``depth`` (the third rotated coordinate) grows towards the viewer.
    """

    box: Box
    centre: Array
    scale: float
    phi: float = 0.0
    theta: float = 0.0

    def project(self, points: npt.ArrayLike) -> tuple[Array, Array]:
        """Screen coordinates (…, 2) and depth (…) of data points (…, d ≤ 3)."""
        p = pad3(points) - pad3(self.centre)
        q = p @ rotation(self.phi, self.theta).T
        screen = self.box.centre + self.scale * q[..., :2]
        return screen, q[..., 2]

    def to_screen3(self, points: npt.ArrayLike) -> Array:
        """Screen coordinates as (…, 3) with z = 0, ready for a Manim mobject."""
        xy, _ = self.project(points)
        out = np.zeros((*xy.shape[:-1], 3))
        out[..., :2] = xy
        return out

    def interpolate(self, other: View, t: float) -> View:
        """Blend towards ``other``: centre and angles linearly, scale geometrically."""
        return replace(
            self,
            centre=(1 - t) * pad3(self.centre) + t * pad3(other.centre),
            scale=interpolate_scale(self.scale, other.scale, t),
            phi=(1 - t) * self.phi + t * other.phi,
            theta=(1 - t) * self.theta + t * other.theta,
        )


def _finite(points: npt.ArrayLike) -> Array:
    p = pad3(points).reshape(-1, 3)
    return p[np.isfinite(p).all(axis=1)]


def fit(
    points: npt.ArrayLike,
    box: Box,
    *,
    three_d: bool,
    margin: float = 0.88,
    max_scale: float = 1e4,
) -> tuple[Array, float]:
    """Centre and uniform scale that put every point inside ``box`` (with ``margin``).

    In 3-D the scale comes from the bounding sphere, so the fit holds for every camera angle.

    >>> c, s = fit(np.array([[0.0, 0.0], [2.0, 1.0]]), Box(-1, 1, -1, 1), three_d=False)
    >>> c.tolist(), round(s, 3)
    ([1.0, 0.5, 0.0], 0.88)
    """
    p = _finite(points)
    if len(p) == 0:
        return np.zeros(3), 1.0
    centre = (p.min(axis=0) + p.max(axis=0)) / 2
    dims = 3 if three_d else 2
    scale = fit_scale(
        p[:, :dims],
        box.half_width,
        box.half_height,
        margin,
        center=centre[:dims],
        max_scale=max_scale,
    )
    return centre, scale


def required_scale(view: View, points: npt.ArrayLike, margin: float = 0.96) -> float:
    """The largest scale at which ``view`` (with its centre and angles) keeps ``points`` inside."""
    p = _finite(points)
    if len(p) == 0:
        return view.scale
    q = (p - pad3(view.centre)) @ rotation(view.phi, view.theta).T
    limits = []
    for axis, half in ((0, view.box.half_width), (1, view.box.half_height)):
        extent = float(np.abs(q[:, axis]).max())
        if extent > 1e-12:
            limits.append(margin * half / extent)
    return min(limits) if limits else view.scale


def step_views(
    start: View,
    end: View,
    positions: Callable[[float], Any],
    samples: int = 16,
) -> Callable[[float], View]:
    """A smooth view path from ``start`` to ``end`` that keeps moving points on screen.

    ``positions(t)`` gives the data points at time ``t`` of the step. The path blends the
    two views, then zooms out in the middle just enough (a ``sin(πt)`` bump, so both ends
    stay exact and the zoom is smooth) that every sampled moment fits: the ``samples``
    evenly spaced times strictly between 0 and 1. The bump scales by
    ``1 − (1 − f)·sin(πt)``; when that would have to shrink by more than 20× (or below 0)
    to fit a moment near either end, it is taken in log-scale instead, ``f ** sin(πt)``,
    never shrinking more than the most demanding moment needs.
    """
    ts = np.linspace(0.0, 1.0, samples + 2)[1:-1]
    factor = 1.0  # the linear bump's deepest shrink
    log_factor, least = 0.0, 1.0  # the log-scale bump, and the smallest ratio any moment needs
    for t in ts:
        blended = start.interpolate(end, float(t))
        need = required_scale(blended, positions(float(t)))
        if need < blended.scale:
            bump = max(float(np.sin(np.pi * t)), 1e-3)
            ratio = need / blended.scale
            factor = min(factor, 1.0 - (1.0 - ratio) / bump)
            least = min(least, ratio)
            log_factor = min(log_factor, float(np.log(max(ratio, 1e-300))) / bump)
    linear = factor >= _MIN_LINEAR_FACTOR

    def view_at(t: float) -> View:
        blended = start.interpolate(end, t)
        if not 0.0 < t < 1.0:
            return blended  # exactly ``start`` and ``end``
        bump = float(np.sin(np.pi * t))
        if linear:
            shrink = 1.0 - (1.0 - factor) * bump
        else:
            shrink = max(float(np.exp(log_factor * bump)), least)
        return replace(blended, scale=max(blended.scale * shrink, _TINY))

    return view_at


def axis_lines(view: View, dims: int, length: float | None = None) -> Array:
    """The coordinate axes through the data origin, (dims, 2, 3) in data coordinates.

    Each axis spans the visible range (about the box's half diagonal in data units).
    """
    reach = (
        length
        if length is not None
        else float(np.hypot(view.box.half_width, view.box.half_height) / view.scale * 1.5)
    )
    c = pad3(view.centre)
    lines = np.zeros((dims, 2, 3))
    for k in range(dims):
        lines[k, 0, k], lines[k, 1, k] = c[k] - reach, c[k] + reach
    return lines
