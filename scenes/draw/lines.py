"""LineBundle: many polylines, stroked with one Cairo path per colour by the fast cameras."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import Mobject

from scenes.draw.base import (
    ClipBox,
    FloatArray,
    _check_clip_box,
    _lerp,
    _resize_rows,
    _RGBAColors,
    to_rgbas,
)

__all__ = ["LineBundle"]


class LineBundle(_RGBAColors, Mobject):
    """``L`` polylines of ``M`` samples each, drawn with one stroke per colour group.

    ``points`` is ``(L*M, 3)`` (line-major) so Manim's transformations work; ``rgbas`` holds
    one RGBA row per line. A non-finite sample breaks its line there.

    Parameters
    ----------
    lines
        ``(L, M, 2)`` or ``(L, M, 3)`` array (default: no lines).
    colors
        Anything :func:`to_rgbas` accepts, one colour per line (default white).
    stroke_width
        Line width in frame units.
    clip_box
        ``(xmin, xmax, ymin, ymax)`` in frame coordinates after projection; nothing is drawn
        outside it.
    **kwargs
        Passed to :class:`manim.Mobject`.
    """

    def __init__(
        self,
        lines: npt.ArrayLike | None = None,
        colors: Any = None,
        *,
        stroke_width: float = 0.02,
        clip_box: Sequence[float] | None = None,
        **kwargs: Any,
    ) -> None:
        self.stroke_width = float(stroke_width)
        self.clip_box: ClipBox | None = _check_clip_box(clip_box)
        self.samples_per_line = 0
        super().__init__(**kwargs)
        if lines is not None:
            self.set_lines(lines)
        self.rgbas = to_rgbas(colors, self.num_lines, default=self.color)

    # -- data -------------------------------------------------------------------------

    def reset_points(self) -> LineBundle:
        """Remove all lines."""
        self.points = np.zeros((0, 3))
        self.rgbas: FloatArray = np.zeros((0, 4))
        self.samples_per_line = 0
        return self

    @property
    def num_lines(self) -> int:
        """Number of polylines ``L``."""
        if self.samples_per_line == 0:
            return 0
        return len(self.points) // self.samples_per_line

    def get_lines(self) -> FloatArray:
        """The lines as an ``(L, M, 3)`` view of ``points``."""
        m = max(self.samples_per_line, 1)
        return self.points.reshape(-1, m, 3)

    def set_lines(self, lines: npt.ArrayLike) -> LineBundle:
        """Replace all polylines in place (fast path for updaters).

        Parameters
        ----------
        lines
            ``(L, M, 2)`` or ``(L, M, 3)``; with 2 columns z is 0. If ``L`` changes, colours
            are truncated or extended with the last colour.

        Returns
        -------
        LineBundle
            ``self``.
        """
        arr = np.asarray(lines, dtype=np.float64)
        if arr.ndim != 3 or arr.shape[2] not in (2, 3):
            raise ValueError(f"expected (L, M, 2) or (L, M, 3) lines, got {arr.shape}")
        n_lines, m, d = arr.shape
        if self.points.shape != (n_lines * m, 3) or self.samples_per_line != m:
            self.points = np.zeros((n_lines * m, 3))
            self.samples_per_line = m
            if hasattr(self, "rgbas"):
                self.rgbas = _resize_rows(self.rgbas, n_lines)
        flat = self.points.reshape(n_lines, m, 3)
        flat[..., :d] = arr
        if d == 2:
            flat[..., 2] = 0.0
        return self

    def set_colors(self, colors: Any) -> LineBundle:
        """Set per-line colours (anything :func:`to_rgbas` accepts).

        Returns
        -------
        LineBundle
            ``self``.
        """
        self.rgbas = to_rgbas(colors, self.num_lines)
        return self

    def set_stroke_width(self, width: float) -> LineBundle:
        """Set the line width in frame units.

        Returns
        -------
        LineBundle
            ``self``.
        """
        self.stroke_width = float(width)
        return self

    def interpolate_color(self, mobject1: Mobject, mobject2: Mobject, alpha: float) -> LineBundle:
        """Interpolate colours and width; copy the line structure (used by ``become``).

        Returns
        -------
        LineBundle
            ``self``.
        """
        if not isinstance(mobject1, LineBundle) or not isinstance(mobject2, LineBundle):
            return self
        self._blend_rgbas(mobject1.rgbas, mobject2.rgbas, alpha)
        src = mobject2 if alpha >= 0.5 else mobject1
        self.samples_per_line = src.samples_per_line
        self.stroke_width = _lerp(mobject1.stroke_width, mobject2.stroke_width, alpha)
        self.clip_box = src.clip_box
        if len(self.rgbas) != self.num_lines:
            self.rgbas = _resize_rows(self.rgbas, self.num_lines)
        return self

    def _resampled(self, m: int) -> FloatArray:
        lines = self.get_lines()
        m_src = lines.shape[1]
        if m_src == m:
            return lines.copy()
        if m_src == 1:
            return np.repeat(lines, m, axis=1)
        u = np.linspace(0.0, m_src - 1, m)
        i0 = np.minimum(np.floor(u).astype(np.int64), m_src - 2)
        frac = (u - i0)[None, :, None]
        out: FloatArray = lines[:, i0] * (1.0 - frac) + lines[:, i0 + 1] * frac
        return out

    def _restructure(self, n_lines: int, m: int) -> None:
        lines = self._resampled(m)
        if len(lines) == 0:
            lines = np.zeros((n_lines, m, 3))
            rgbas = np.zeros((n_lines, 4))
        else:
            idx = (np.arange(n_lines) * len(lines)) // n_lines
            lines = lines[idx]
            rgbas = self.rgbas[idx] if len(self.rgbas) else np.ones((n_lines, 4))
        self.points = lines.reshape(-1, 3)
        self.samples_per_line = m
        self.rgbas = rgbas

    def align_points(self, mobject: Mobject) -> LineBundle:
        """Give both bundles the same line count and samples per line.

        Returns
        -------
        LineBundle
            ``self``.
        """
        if not isinstance(mobject, LineBundle):
            return self
        n_lines = max(self.num_lines, mobject.num_lines, 1)
        m = max(self.samples_per_line, mobject.samples_per_line, 2)
        for mob in (self, mobject):
            if mob.num_lines != n_lines or mob.samples_per_line != m:
                mob._restructure(n_lines, m)
        return self

    def align_points_with_larger(self, larger_mobject: Mobject) -> LineBundle:
        """See :meth:`align_points`."""
        if isinstance(larger_mobject, LineBundle):
            self._restructure(
                max(larger_mobject.num_lines, 1), max(larger_mobject.samples_per_line, 2)
            )
        return self

    # Manim declares Point, but each kind of mobject returns its own (VMobject returns a
    # VectorizedPoint, which is no Point).
    def get_point_mobject(  # type: ignore[override]
        self, center: npt.ArrayLike | None = None
    ) -> LineBundle:
        """A degenerate one-line bundle at ``center``."""
        if center is None:
            center = self.get_center()
        m = max(self.samples_per_line, 2)
        line = np.tile(np.asarray(center, dtype=np.float64).reshape(1, 1, 3), (1, m, 1))
        rgba = self.rgbas[:1] if len(self.rgbas) else np.array([[1.0, 1.0, 1.0, 0.0]])
        return LineBundle(line, rgba, stroke_width=self.stroke_width, clip_box=self.clip_box)

    def pointwise_become_partial(self, mobject: Mobject, a: float, b: float) -> LineBundle:
        """Each line becomes the part of ``mobject``'s line between fractions ``a`` and ``b``.

        Returns
        -------
        LineBundle
            ``self``.
        """
        if not isinstance(mobject, LineBundle) or mobject.num_lines == 0:
            return self
        lines = mobject.get_lines()
        m = lines.shape[1]
        u = np.linspace(a, b, m) * (m - 1)
        i0 = np.clip(np.floor(u).astype(np.int64), 0, max(m - 2, 0))
        frac = np.clip(u - i0, 0.0, 1.0)[None, :, None]
        i1 = np.minimum(i0 + 1, m - 1)
        self.points = (lines[:, i0] * (1.0 - frac) + lines[:, i1] * frac).reshape(-1, 3)
        self.samples_per_line = m
        self.rgbas = mobject.rgbas.copy()
        return self
