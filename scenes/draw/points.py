"""PointCloud: many round points, drawn as antialiased discs by the fast cameras."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import Mobject
from manim.utils.color import ManimColor, ParsableManimColor

from scenes.draw.base import (
    ClipBox,
    FloatArray,
    _check_clip_box,
    _lerp,
    _resize_rows,
    _RGBAColors,
    to_rgbas,
)

__all__ = ["PointCloud"]


def _as_points3(arr: npt.ArrayLike) -> FloatArray:
    pts = np.asarray(arr, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] not in (2, 3):
        raise ValueError(f"expected (N, 2) or (N, 3) positions, got {pts.shape}")
    if pts.shape[1] == 3:
        return pts.copy()
    out = np.zeros((len(pts), 3))
    out[:, :2] = pts
    return out


class PointCloud(_RGBAColors, Mobject):
    """Many round points drawn as antialiased discs by :class:`FastCamera`.

    ``points`` is ``(N, 3)`` so Manim's ``shift``/``scale``/``rotate``/``animate`` work;
    ``rgbas`` holds one RGBA row per point. Non-finite positions are skipped when drawing.

    Parameters
    ----------
    positions
        ``(N, 2)`` or ``(N, 3)`` array (default: no points).
    colors
        Anything :func:`to_rgbas` accepts (default white).
    radius
        Disc radius in frame units (so it scales with the output resolution).
    outline_width
        Width of a darker rim in frame units, drawn inside the radius; 0 for none.
    outline_darken
        Rim colour = fill RGB times this factor (used when ``outline_color`` is ``None``).
    outline_color
        Explicit rim colour (alpha follows the fill's alpha).
    clip_box
        ``(xmin, xmax, ymin, ymax)`` in frame coordinates after projection; points whose
        centre lies outside are not drawn and discs are cut at the box edge.
    **kwargs
        Passed to :class:`manim.Mobject` (``z_index``, ``name``).
    """

    def __init__(
        self,
        positions: npt.ArrayLike | None = None,
        colors: Any = None,
        *,
        radius: float = 0.04,
        outline_width: float = 0.0,
        outline_darken: float = 0.55,
        outline_color: ParsableManimColor | None = None,
        clip_box: Sequence[float] | None = None,
        **kwargs: Any,
    ) -> None:
        self.radius = float(radius)
        self.outline_width = float(outline_width)
        self.outline_darken = float(outline_darken)
        self.outline_rgb: FloatArray | None = (
            None
            if outline_color is None
            else np.asarray(ManimColor.parse(outline_color).to_rgb(), dtype=np.float64)
        )
        self.clip_box: ClipBox | None = _check_clip_box(clip_box)
        super().__init__(**kwargs)
        if positions is not None:
            self.points = _as_points3(positions)
        self.rgbas = to_rgbas(colors, len(self.points), default=self.color)

    # -- data -------------------------------------------------------------------------

    def reset_points(self) -> PointCloud:
        """Empty ``points`` and ``rgbas``."""
        self.points = np.zeros((0, 3))
        self.rgbas: FloatArray = np.zeros((0, 4))
        return self

    def get_array_attrs(self) -> list[str]:
        """Per-point arrays: ``points`` and ``rgbas``."""
        return ["points", "rgbas"]

    def set_positions(self, positions: npt.ArrayLike) -> PointCloud:
        """Replace the positions in place (fast path for updaters).

        Parameters
        ----------
        positions
            ``(N, 2)`` or ``(N, 3)``; with 2 columns, z is set to 0. If ``N`` changes,
            colours are truncated or extended with the last colour.

        Returns
        -------
        PointCloud
            ``self``.
        """
        pts = np.asarray(positions, dtype=np.float64)
        if pts.ndim != 2 or pts.shape[1] not in (2, 3):
            raise ValueError(f"expected (N, 2) or (N, 3) positions, got {pts.shape}")
        if self.points.shape != (len(pts), 3):
            self.points = np.zeros((len(pts), 3))
            self.rgbas = _resize_rows(self.rgbas, len(pts))
        self.points[:, : pts.shape[1]] = pts
        if pts.shape[1] == 2:
            self.points[:, 2] = 0.0
        return self

    def get_positions(self) -> FloatArray:
        """The ``(N, 3)`` positions (a view, not a copy)."""
        return self.points

    def set_colors(self, colors: Any) -> PointCloud:
        """Set per-point colours (anything :func:`to_rgbas` accepts).

        Returns
        -------
        PointCloud
            ``self``.
        """
        self.rgbas = to_rgbas(colors, len(self.points))
        return self

    def set_radius(self, radius: float) -> PointCloud:
        """Set the disc radius in frame units.

        Returns
        -------
        PointCloud
            ``self``.
        """
        self.radius = float(radius)
        return self

    def interpolate_color(self, mobject1: Mobject, mobject2: Mobject, alpha: float) -> PointCloud:
        """Interpolate colours and drawing attributes (used by Transform and ``become``).

        Returns
        -------
        PointCloud
            ``self``.
        """
        if not isinstance(mobject1, PointCloud) or not isinstance(mobject2, PointCloud):
            return self
        self._blend_rgbas(mobject1.rgbas, mobject2.rgbas, alpha)
        self.radius = _lerp(mobject1.radius, mobject2.radius, alpha)
        self.outline_width = _lerp(mobject1.outline_width, mobject2.outline_width, alpha)
        self.outline_darken = _lerp(mobject1.outline_darken, mobject2.outline_darken, alpha)
        src = mobject2 if alpha >= 0.5 else mobject1
        self.outline_rgb = None if src.outline_rgb is None else src.outline_rgb.copy()
        self.clip_box = src.clip_box
        if len(self.rgbas) != len(self.points):
            self.rgbas = _resize_rows(self.rgbas, len(self.points))
        return self

    def align_points_with_larger(self, larger_mobject: Mobject) -> PointCloud:
        """Repeat points (and their colours) to match a larger cloud's count.

        Returns
        -------
        PointCloud
            ``self``.
        """
        n = larger_mobject.get_num_points()
        if len(self.points) == 0:
            self.points = np.zeros((n, 3))
            self.rgbas = np.zeros((n, 4))
            return self
        idx = (np.arange(n) * len(self.points)) // n
        self.points = self.points[idx]
        self.rgbas = self.rgbas[idx]
        return self

    # Manim declares Point, but each kind of mobject returns its own (VMobject returns a
    # VectorizedPoint, which is no Point).
    def get_point_mobject(  # type: ignore[override]
        self, center: npt.ArrayLike | None = None
    ) -> PointCloud:
        """A one-point cloud at ``center`` (used by Manim's family alignment)."""
        if center is None:
            center = self.get_center()
        rgba = self.rgbas[:1] if len(self.rgbas) else np.array([[1.0, 1.0, 1.0, 0.0]])
        return PointCloud(
            np.asarray(center, dtype=np.float64).reshape(1, 3),
            rgba,
            radius=self.radius,
            outline_width=self.outline_width,
            clip_box=self.clip_box,
        )

    def pointwise_become_partial(self, mobject: Mobject, a: float, b: float) -> PointCloud:
        """Keep the points with index fraction in ``[a, b)`` of ``mobject``.

        Returns
        -------
        PointCloud
            ``self``.
        """
        n = mobject.get_num_points()
        lo, hi = int(a * n), int(b * n)
        self.points = np.array(mobject.points[lo:hi])
        self.rgbas = np.array(getattr(mobject, "rgbas", np.ones((n, 4)))[lo:hi])
        return self
