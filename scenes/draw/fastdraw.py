"""Fast antialiased drawing of many points and polylines in Manim's Cairo renderer."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from typing import Any, Self

import cairo
import numpy as np
import numpy.typing as npt
from manim import Camera, Mobject, Scene, ThreeDCamera, ThreeDScene, config
from manim.animation.animation import Animation
from manim.constants import RendererType
from manim.mobject.types.image_mobject import AbstractImageMobject
from manim.mobject.types.point_cloud_mobject import PMobject
from manim.mobject.types.vectorized_mobject import VMobject
from manim.utils.color import ManimColor, ParsableManimColor
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import list_update

from scenes.draw.encoding import fast_renderer

__all__ = [
    "FastCamera",
    "FastCameraMixin",
    "FastScene",
    "FastThreeDCamera",
    "FastThreeDScene",
    "LineBundle",
    "PointCloud",
    "to_rgbas",
]

FloatArray = npt.NDArray[np.float64]
ClipBox = tuple[float, float, float, float]

#: Sub-pixel positions per axis for pre-rendered point sprites (position error <= 1/8 px).
SUBPIXEL_STEPS = 4
#: Above this many distinct colours per frame, outlined points use two masks, not sprites.
MAX_SPRITE_COLOURS = 48
#: With ``point_backend = "auto"``, a cloud of opaque discs is composited with numpy (all its
#: discs at once) when it has at least this many points and a disc radius of at most
#: ``VECTOR_MAX_RADIUS`` pixels. Smaller clouds and bigger discs are cheaper as Cairo stamps
#: (numpy's cost grows with the number of pixels, Cairo's mostly with the number of stamps).
VECTOR_MIN_POINTS = 1000
VECTOR_MAX_RADIUS = 3.5
#: The same limits for outlined clouds of more than ``MAX_SPRITE_COLOURS`` colours (opaque or
#: not), which Cairo draws with two masks per point, about three times slower.
VECTOR_MIN_POINTS_MANY_COLOURS = 200
VECTOR_MAX_RADIUS_MANY_COLOURS = 6.0
_MAX_CACHE = 4096
# Numpy compositing: padding offset (clipped to the dummy pixel) and 16-bit-lane constants.
_FAR = 1 << 40
_LANES = np.uint64(0x00FF00FF00FF00FF)
_PAIRS = np.uint64(0x0000FFFF0000FFFF)
_HALF = np.uint64(0x0080008000800080)
_U8, _U16, _U48 = np.uint64(8), np.uint64(16), np.uint64(48)
#: Clouds with at most this many distinct colours look their sprite pixels up in a table.
_MAX_PALETTE = MAX_SPRITE_COLOURS
#: ``log(1 - a / 255)`` for every 8-bit alpha ``a`` (how much of what is below shows through).
_LOG_THROUGH = np.log(np.maximum(1.0 - np.arange(256) / 255.0, 1e-300))


# --------------------------------------------------------------------------- colours


def to_rgbas(colors: Any, n: int, default: ParsableManimColor = "#FFFFFF") -> FloatArray:
    """Turn colour input into an ``(n, 4)`` float RGBA array in ``[0, 1]``.

    Parameters
    ----------
    colors
        ``None`` (use ``default``), one Manim colour (name, hex, ``ManimColor``), one RGB/RGBA
        tuple, a sequence of ``n`` Manim colours, or an ``(n, 3)`` / ``(n, 4)`` float array.
    n
        Number of rows wanted.
    default
        Colour used when ``colors`` is ``None``.

    Returns
    -------
    FloatArray
        A new ``(n, 4)`` array.
    """
    if colors is None:
        colors = default
    if isinstance(colors, (str, ManimColor)):
        rgba = ManimColor.parse(colors).to_rgba()
        return np.tile(np.asarray(rgba, dtype=np.float64), (n, 1))
    arr = np.asarray(colors)
    if arr.dtype.kind in "fiu":
        arr = arr.astype(np.float64)
        if arr.ndim == 1 and arr.shape[0] in (3, 4):
            arr = np.tile(arr, (n, 1))
        if arr.ndim == 2 and arr.shape[1] in (3, 4):
            if arr.shape[1] == 3:
                arr = np.concatenate([arr, np.ones((len(arr), 1))], axis=1)
            if len(arr) != n:
                raise ValueError(f"got {len(arr)} colours for {n} items")
            return np.clip(arr, 0.0, 1.0)
        raise ValueError(f"cannot read colours of shape {arr.shape}")
    rows = [ManimColor.parse(c).to_rgba() for c in colors]
    if len(rows) != n:
        raise ValueError(f"got {len(rows)} colours for {n} items")
    return np.asarray(rows, dtype=np.float64).reshape(n, 4)


def _resize_rows(arr: FloatArray, n: int) -> FloatArray:
    """Keep the first ``n`` rows, repeating the last one (or white) to grow."""
    if len(arr) == n:
        return arr
    if len(arr) > n:
        return arr[:n].copy()
    fill = arr[-1] if len(arr) else np.ones(arr.shape[1])
    return np.concatenate([arr, np.tile(fill, (n - len(arr), 1))], axis=0)


def _as_points3(arr: npt.ArrayLike) -> FloatArray:
    pts = np.asarray(arr, dtype=np.float64)
    if pts.ndim != 2 or pts.shape[1] not in (2, 3):
        raise ValueError(f"expected (N, 2) or (N, 3) positions, got {pts.shape}")
    if pts.shape[1] == 3:
        return pts.copy()
    out = np.zeros((len(pts), 3))
    out[:, :2] = pts
    return out


def _finite_rows(points: FloatArray) -> FloatArray:
    if len(points) == 0:
        return points
    mask = np.isfinite(points).all(axis=1)
    return points if mask.all() else points[mask]


def _lerp(a: float, b: float, t: float) -> float:
    return float(a + (b - a) * t)


def _check_clip_box(box: Sequence[float] | None) -> ClipBox | None:
    if box is None:
        return None
    if len(box) != 4:
        raise ValueError("clip_box is (xmin, xmax, ymin, ymax)")
    x0, x1, y0, y1 = (float(v) for v in box)
    return (min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1))


# --------------------------------------------------------------------------- mobjects


class _RGBAColors:
    """Colour protocol shared by :class:`PointCloud` and :class:`LineBundle`.

    Both keep one RGBA row per item in ``rgbas``; Manim's animations (fades, ``set_color``,
    ``become``) go through these methods.
    """

    rgbas: FloatArray
    color: ManimColor
    submobjects: list[Mobject]
    clip_box: ClipBox | None

    def set_clip_box(self, clip_box: Sequence[float] | None) -> Self:
        """Clip to ``(xmin, xmax, ymin, ymax)`` in frame coordinates, or ``None`` for no clip."""
        self.clip_box = _check_clip_box(clip_box)
        return self

    def get_points_defining_boundary(self) -> FloatArray:
        """Finite points only, so ``get_center`` and friends ignore NaN/inf."""
        return _finite_rows(self.get_all_points())  # type: ignore[attr-defined]

    def set_color(
        self, color: ParsableManimColor = "#FFFF00", family: bool = True, **_: Any
    ) -> Self:
        """Give every item one colour, keeping each item's opacity."""
        self.rgbas[:, :3] = np.asarray(ManimColor.parse(color).to_rgb(), dtype=np.float64)
        self.color = ManimColor.parse(color)
        if family:
            for sub in self.submobjects:
                sub.set_color(color, family=True)
        return self

    def get_color(self) -> ManimColor:
        """Colour of the first item (or the construction colour when empty)."""
        if len(self.rgbas) == 0:
            return ManimColor(self.color)
        return ManimColor.from_rgb(self.rgbas[0, :3])

    def set_opacity(self, opacity: float, family: bool = True) -> Self:
        """Set every item's alpha."""
        self.rgbas[:, 3] = float(opacity)
        if family:
            for sub in self.submobjects:
                sub.set_opacity(opacity, family=True)
        return self

    def fade(self, darkness: float = 0.5, family: bool = True) -> Self:
        """Multiply every item's alpha by ``1 - darkness`` (``fade(1)`` hides it)."""
        self.rgbas[:, 3] *= 1.0 - float(darkness)
        if family:
            for sub in self.submobjects:
                sub.fade(darkness, family=True)
        return self

    def fade_to(self, color: ParsableManimColor, alpha: float, family: bool = True) -> Self:
        """Blend every item's RGB towards ``color`` by ``alpha``."""
        rgb = np.asarray(ManimColor.parse(color).to_rgb(), dtype=np.float64)
        self.rgbas[:, :3] += (rgb - self.rgbas[:, :3]) * float(alpha)
        if family:
            for sub in self.submobjects:
                sub.fade_to(color, alpha, family=True)
        return self

    def _blend_rgbas(self, r1: FloatArray, r2: FloatArray, alpha: float) -> None:
        """Colours between two mobjects' (used by ``interpolate_color``)."""
        if r1.shape == r2.shape and alpha < 1.0:
            self.rgbas = r1 + (r2 - r1) * float(alpha)
        else:
            self.rgbas = np.array(r2 if alpha >= 0.5 else r1, dtype=np.float64)


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

    def get_point_mobject(self, center: npt.ArrayLike | None = None) -> PointCloud:
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

    def get_point_mobject(self, center: npt.ArrayLike | None = None) -> LineBundle:
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


# --------------------------------------------------------------------------- drawing helpers


def _colour_keys(rgbas: FloatArray) -> npt.NDArray[np.uint32]:
    q = np.clip(np.rint(rgbas * 255.0), 0, 255).astype(np.uint32)
    keys: npt.NDArray[np.uint32] = (q[:, 0] << 24) | (q[:, 1] << 16) | (q[:, 2] << 8) | q[:, 3]
    return keys


def _key_to_rgba(key: int) -> tuple[float, float, float, float]:
    return (
        ((key >> 24) & 255) / 255.0,
        ((key >> 16) & 255) / 255.0,
        ((key >> 8) & 255) / 255.0,
        (key & 255) / 255.0,
    )


def _device_transform(ctx: cairo.Context, xy: FloatArray) -> FloatArray:
    """Apply the context's user->device matrix to ``(..., 2)`` frame coordinates."""
    m = ctx.get_matrix()
    out = np.empty(xy.shape, dtype=np.float64)
    out[..., 0] = m.xx * xy[..., 0] + m.xy * xy[..., 1] + m.x0
    out[..., 1] = m.yx * xy[..., 0] + m.yy * xy[..., 1] + m.y0
    return out


def _device_scale(ctx: cairo.Context) -> float:
    m = ctx.get_matrix()
    return math.sqrt(abs(m.xx * m.yy - m.xy * m.yx))


def _device_rect(
    ctx: cairo.Context, clip_box: ClipBox | None, width: int, height: int
) -> tuple[float, float, float, float]:
    """Visible device rectangle ``(x0, x1, y0, y1)``: the screen, cut by the clip box."""
    x0, x1, y0, y1 = 0.0, float(width), 0.0, float(height)
    if clip_box is not None:
        corners = np.array(
            [
                [clip_box[0], clip_box[2]],
                [clip_box[1], clip_box[2]],
                [clip_box[0], clip_box[3]],
                [clip_box[1], clip_box[3]],
            ]
        )
        dev = _device_transform(ctx, corners)
        # Round inwards so no pixel outside the box is touched.
        x0 = max(x0, float(math.ceil(dev[:, 0].min() - 1e-9)))
        x1 = min(x1, float(math.floor(dev[:, 0].max() + 1e-9)))
        y0 = max(y0, float(math.ceil(dev[:, 1].min() - 1e-9)))
        y1 = min(y1, float(math.floor(dev[:, 1].max() + 1e-9)))
    return x0, x1, y0, y1


def _apply_clip(ctx: cairo.Context, rect: tuple[float, float, float, float]) -> None:
    x0, x1, y0, y1 = rect
    ctx.new_path()  # a path left by the last drawing (Manim fills with fill_preserve) would join in
    ctx.rectangle(x0, y0, max(x1 - x0, 0.0), max(y1 - y0, 0.0))
    ctx.clip()


def _polyline_runs(
    dev: FloatArray, valid: npt.NDArray[np.bool_], rect: tuple[float, float, float, float]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Clip polyline segments to ``rect``; return emitted vertices and move-to flags.

    ``dev`` is ``(L, M, 2)`` in device space, ``valid`` marks finite samples. Segments are
    clipped with Liang–Barsky; a new sub-path starts at the first drawable segment of a line,
    after a gap, and wherever clipping cut the path.
    """
    n_lines, m = valid.shape
    a = dev[:, :-1].reshape(-1, 2)
    b = dev[:, 1:].reshape(-1, 2)
    seg_ok = (valid[:, :-1] & valid[:, 1:]).reshape(-1)
    d = b - a
    t0 = np.zeros(len(a))
    t1 = np.ones(len(a))
    x0, x1, y0, y1 = rect
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, lo, hi in ((0, x0, x1), (1, y0, y1)):
            p = d[:, axis]
            q_lo = a[:, axis] - lo
            q_hi = hi - a[:, axis]
            parallel = p == 0
            seg_ok &= ~(parallel & ((q_lo < 0) | (q_hi < 0)))
            r_lo = -q_lo / p
            r_hi = q_hi / p
            enter = np.where(p > 0, r_lo, r_hi)
            leave = np.where(p > 0, r_hi, r_lo)
            t0 = np.where(parallel, t0, np.maximum(t0, enter))
            t1 = np.where(parallel, t1, np.minimum(t1, leave))
    seg_ok &= t0 <= t1
    start = a + t0[:, None] * d
    end = a + t1[:, None] * d
    prev_ok = np.concatenate([[False], seg_ok[:-1]])
    prev_cut = np.concatenate([[True], t1[:-1] < 1.0])
    first = (np.arange(len(a)) % (m - 1)) == 0
    new_run = seg_ok & (first | ~prev_ok | prev_cut | (t0 > 0.0))
    verts = np.stack([start, end], axis=1)  # (S, 2, 2)
    keep = np.stack([new_run, seg_ok], axis=1)  # (S, 2)
    moves = np.broadcast_to(np.array([True, False]), keep.shape)
    return verts[keep], moves[keep]


def _stride_groups(
    dev: FloatArray, valid: npt.NDArray[np.bool_], tolerance: float
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Group lines by a power-of-two sample stride that keeps them within ``tolerance`` px.

    Keeping every ``k``-th sample of a smooth curve moves it by about ``k² · c / 8`` where
    ``c`` is the largest second difference of its samples, so straight or gently curved
    lines need far fewer ``line_to`` calls. Lines with gaps keep every sample.

    Returns
    -------
    list of tuple
        ``(sample_indices, line_indices)`` pairs; sample indices always include both ends.
    """
    n_lines, m = valid.shape
    if m <= 2 or tolerance <= 0:
        return [(np.arange(m), np.arange(n_lines))]
    d2 = dev[:, 2:] - 2.0 * dev[:, 1:-1] + dev[:, :-2]
    with np.errstate(invalid="ignore"):
        curv = np.sqrt((d2 * d2).sum(axis=-1)).max(axis=1)
    curv[~valid.all(axis=1) | ~np.isfinite(curv)] = np.inf
    with np.errstate(divide="ignore"):
        ideal = np.sqrt(8.0 * tolerance / np.maximum(curv, 1e-12))
    max_exp = int(math.floor(math.log2(m - 1)))
    exps = np.clip(np.floor(np.log2(np.maximum(ideal, 1.0))), 0, max_exp).astype(np.int64)
    groups = []
    for e in np.unique(exps).tolist():
        k = 1 << int(e)
        idx = np.arange(0, m, k)
        if idx[-1] != m - 1:
            idx = np.append(idx, m - 1)
        groups.append((idx, np.flatnonzero(exps == e)))
    return groups


class _Sprites:
    """Cache of pre-rendered antialiased discs (A8 masks and ARGB sprites)."""

    def __init__(self) -> None:
        self.masks: dict[tuple[int, int, int, int], cairo.ImageSurface] = {}
        self.sprites: dict[tuple[int, int, int, int, int], cairo.ImageSurface] = {}
        self.tables: dict[tuple[int, int, int], _DiscTable] = {}

    @staticmethod
    def size_for(radius: float) -> int:
        return int(math.ceil(2.0 * radius + 3.0))

    def mask(self, size_q: int, outer_q: int, inner_q: int, sub: int) -> cairo.ImageSurface:
        """A8 mask of a disc of radius ``outer_q`` minus one of radius ``inner_q`` (if >= 0).

        Radii are in 1/8 px; the sprite is sized and centred for radius ``size_q`` so masks
        of different radii line up at the same paint position.
        """
        key = (size_q, outer_q, inner_q, sub)
        hit = self.masks.get(key)
        if hit is not None:
            return hit
        if len(self.masks) > _MAX_CACHE:
            self.masks.clear()
        size_r = size_q / 8.0
        size = self.size_for(size_r)
        surf = cairo.ImageSurface(cairo.FORMAT_A8, size, size)
        ctx = cairo.Context(surf)
        ctx.set_antialias(cairo.ANTIALIAS_BEST)
        cx = size_r + 1.0 + (sub // SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        cy = size_r + 1.0 + (sub % SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        ctx.arc(cx, cy, outer_q / 8.0, 0.0, 2.0 * math.pi)
        if inner_q >= 0:
            ctx.new_sub_path()
            ctx.arc_negative(cx, cy, inner_q / 8.0, 2.0 * math.pi, 0.0)
        ctx.fill()
        surf.flush()
        self.masks[key] = surf
        return surf

    def table(self, radius_q: int, inner_q: int, width: int) -> _DiscTable:
        """Coverage lists of all sub-pixel phases for numpy compositing (rows ``width`` px)."""
        key = (radius_q, inner_q, width)
        hit = self.tables.get(key)
        if hit is not None:
            return hit
        if len(self.tables) > 64:
            self.tables.clear()
        n_sub = SUBPIXEL_STEPS**2
        outer = [_mask_coverage(self.mask(radius_q, radius_q, -1, s)) for s in range(n_sub)]
        inner = None
        if inner_q >= 0:
            inner = [_mask_coverage(self.mask(radius_q, inner_q, -1, s)) for s in range(n_sub)]
        table = _DiscTable(outer, inner, width)
        self.tables[key] = table
        return table

    def sprite(
        self, radius_q: int, inner_q: int, fill_key: int, outline_key: int, sub: int
    ) -> cairo.ImageSurface:
        """ARGB sprite: outline-coloured disc with a fill-coloured inner disc on top."""
        key = (radius_q, inner_q, fill_key, outline_key, sub)
        hit = self.sprites.get(key)
        if hit is not None:
            return hit
        if len(self.sprites) > _MAX_CACHE:
            self.sprites.clear()
        radius = radius_q / 8.0
        size = self.size_for(radius)
        surf = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(surf)
        ctx.set_antialias(cairo.ANTIALIAS_BEST)
        cx = radius + 1.0 + (sub // SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        cy = radius + 1.0 + (sub % SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        r, g, b, a = _key_to_rgba(outline_key)
        ctx.set_source_rgba(b, g, r, a)  # Cairo's ARGB32 is BGRA in Manim's RGBA buffer.
        ctx.arc(cx, cy, radius, 0.0, 2.0 * math.pi)
        ctx.fill()
        r, g, b, a = _key_to_rgba(fill_key)
        ctx.set_operator(cairo.OPERATOR_SOURCE)
        ctx.set_source_rgba(b, g, r, a)
        ctx.arc(cx, cy, inner_q / 8.0, 0.0, 2.0 * math.pi)
        ctx.fill()
        surf.flush()
        self.sprites[key] = surf
        return surf


def _mask_coverage(surface: cairo.ImageSurface) -> FloatArray:
    """An A8 surface's coverage as a ``(height, width)`` float array in ``[0, 1]``."""
    surface.flush()
    width, height, stride = surface.get_width(), surface.get_height(), surface.get_stride()
    data = np.frombuffer(surface.get_data(), dtype=np.uint8).reshape(height, stride)
    return data[:, :width].astype(np.float64) / 255.0


class _Entries:
    """One class of a disc sprite's pixels (opaque or partly covered), for every phase.

    ``(phases, count)`` arrays: ``dx``/``dy`` from the sprite's top-left pixel, ``offset =
    dy * width + dx`` in a frame ``width`` pixels wide, and flat ``w_fill``/``w_rim`` weights
    (0..255, indexed by ``phase * count + entry``). Rows are padded with entries whose offset
    is :data:`_FAR`, which clipping sends to the dummy pixel.
    """

    def __init__(self, rows: list[tuple[np.ndarray, ...]], width: int) -> None:
        self.count = count = max(len(r[0]) for r in rows)
        shape = (len(rows), count)
        self.dx = np.zeros(shape, dtype=np.intp)
        self.dy = np.zeros(shape, dtype=np.intp)
        self.offset = np.full(shape, _FAR, dtype=np.intp)
        w_fill = np.zeros(shape, dtype=np.uint64)
        w_rim = np.zeros(shape, dtype=np.uint64)
        for s, (dx, dy, wf, wr) in enumerate(rows):
            k = len(dx)
            self.dx[s, :k], self.dy[s, :k] = dx, dy
            self.offset[s, :k] = dy * width + dx
            w_fill[s, :k], w_rim[s, :k] = wf, wr
        self.w_fill = w_fill.reshape(-1)
        self.w_rim = w_rim.reshape(-1)


class _DiscTable:
    """The pixels of an antialiased disc sprite, per sub-pixel phase, for numpy compositing.

    Made from the same Cairo masks the Cairo path stamps. The sprite is the rim disc with the
    fill disc drawn over it (Cairo's ``OPERATOR_SOURCE``), so with outer coverage ``co`` and
    inner coverage ``ci`` a pixel is ``fill * ci + rim * co * (1 - ci)``; both weights are
    stored in 1/255 steps. ``opaque`` holds the pixels whose weights add up to 255 (opaque
    for an opaque point), ``partial`` the others and ``every`` both.
    """

    def __init__(self, outer: list[FloatArray], inner: list[FloatArray] | None, width: int) -> None:
        self.size = outer[0].shape[0]
        self.has_rim = inner is not None
        opaque, partial, every = [], [], []
        for s, co in enumerate(outer):
            if inner is None:
                w_fill, w_rim = np.rint(co * 255.0), np.zeros_like(co)
            else:
                w_fill = np.rint(inner[s] * 255.0)
                w_rim = np.minimum(np.rint(co * (1.0 - inner[s]) * 255.0), 255.0 - w_fill)
            total = w_fill + w_rim
            dy, dx = np.nonzero(total > 0)
            wf, wr, full = w_fill[dy, dx], w_rim[dy, dx], total[dy, dx] >= 255
            opaque.append((dx[full], dy[full], wf[full], wr[full]))
            partial.append((dx[~full], dy[~full], wf[~full], wr[~full]))
            every.append((dx, dy, wf, wr))
        self.opaque = _Entries(opaque, width)
        self.partial = _Entries(partial, width)
        self.every = _Entries(every, width)


class _Workspace:
    """Arrays reused from frame to frame by :func:`_composite_discs`.

    Fresh multi-megabyte temporaries every frame cost page faults (on a VM, several µs per
    4 KiB page: more than the arithmetic), so large intermediates live here and are grown,
    never shrunk. ``keys`` is a per-pixel buffer of fragment numbers that never needs
    clearing: every use takes fresh numbers above all earlier ones (see :meth:`number`).
    """

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}
        self.keys = np.zeros(0, dtype=np.int32)
        self.next_key = 0
        self._colours: list[tuple[Any, Any, Any]] = []

    def get(self, name: str, n: int, dtype: Any) -> Any:
        """A length-``n`` view of the named array (contents undefined)."""
        arr = self._arrays.get(name)
        if arr is None or arr.dtype != dtype or len(arr) < n:
            grown = max(n, 2 * len(arr)) if arr is not None and arr.dtype == dtype else n
            arr = np.empty(grown, dtype=dtype)
            self._arrays[name] = arr
        return arr[:n]

    def pick(self, name: str, values: np.ndarray, where: np.ndarray) -> Any:
        """``values[where]`` in the named array."""
        out = self.get(name, len(where), values.dtype)
        np.take(values, where, out=out, mode="clip")
        return out

    def ready_keys(self, n_pix: int, need: int) -> npt.NDArray[np.int32]:
        """The ``n_pix + 1`` key buffer, reset if ``need`` more numbers would overflow it."""
        if len(self.keys) != n_pix + 1 or self.next_key + need >= np.iinfo(np.int32).max:
            self.keys = np.full(n_pix + 1, -1, dtype=np.int32)
            self.next_key = 0
        return self.keys

    def number(self, n: int) -> int:
        """Take ``n`` fresh key numbers; returns the first."""
        first = self.next_key
        self.next_key += n
        return first

    def ramp(self, n: int) -> npt.NDArray[np.int32]:
        """``0, 1, ..., n - 1`` (a shared array: do not modify)."""
        arr = self._arrays.get("ramp")
        if arr is None or len(arr) < n:
            arr = np.arange(max(n, 2 * len(arr) if arr is not None else n), dtype=np.int32)
            self._arrays["ramp"] = arr
        return arr[:n]

    def colours(
        self, fill: FloatArray, rim: FloatArray | None
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64] | None, _Palette | None]:
        """Lane colours of ``fill`` and ``rim`` (alpha from ``fill``) and their palette.

        Cached for the last few clouds, as their colours rarely change from frame to frame.
        """
        for i, (f, r, found) in enumerate(self._colours):
            if _same(f, fill) and _same(r, rim):
                if i:
                    self._colours.insert(0, self._colours.pop(i))
                return found
        fill64 = _lanes(fill[:, :3], fill[:, 3])
        rim64 = None if rim is None else _lanes(rim[:, :3], fill[:, 3])
        found = (fill64, rim64, _Palette.of(fill64, rim64))
        self._colours.insert(0, (fill.copy(), None if rim is None else rim.copy(), found))
        del self._colours[4:]
        return found


def _same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and bool(np.array_equal(a, b))


class _Palette:
    """A cloud's distinct (fill, rim) colours and each point's index among them."""

    def __init__(
        self,
        fill: npt.NDArray[np.uint64],
        rim: npt.NDArray[np.uint64] | None,
        index: npt.NDArray[np.intp],
    ) -> None:
        self.fill, self.rim, self.index = fill, rim, index
        self._sprites: dict[int, tuple[_Entries, np.ndarray, np.ndarray]] = {}

    @classmethod
    def of(
        cls, fill: npt.NDArray[np.uint64], rim: npt.NDArray[np.uint64] | None
    ) -> _Palette | None:
        uniq, first, index = np.unique(fill, return_index=True, return_inverse=True)
        if len(uniq) > _MAX_PALETTE:
            return None
        rims = None
        if rim is not None:
            rims = rim[first]
            if not np.array_equal(rims[index], rim):  # rim not a function of fill: no table
                return None
        return cls(uniq, rims, index.reshape(-1).astype(np.intp))

    def sprites(self, part: _Entries) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32]]:
        """Sprite pixels of every colour and entry: lanes and words, ``colour * size + entry``."""
        hit = self._sprites.get(id(part))
        if hit is not None and hit[0] is part:
            return hit[1], hit[2]
        lanes = self.fill[:, None] * part.w_fill[None, :]
        if self.rim is not None:
            lanes += self.rim[:, None] * part.w_rim[None, :]
        lanes = lanes.reshape(-1)
        _div255(lanes, np.empty_like(lanes))
        words = np.empty(len(lanes), dtype=np.uint32)
        _to_words(lanes, words)
        self._sprites[id(part)] = (part, lanes, words)
        return lanes, words


def _lanes(rgb: FloatArray, alpha: FloatArray) -> npt.NDArray[np.uint64]:
    """Premultiplied 8-bit R, G, B, A in the four 16-bit lanes of a uint64, per row."""
    q = np.empty((len(rgb), 4), dtype=np.uint16)
    scale = np.clip(alpha, 0.0, 1.0) * 255.0
    np.copyto(q[:, :3], np.clip(rgb, 0.0, 1.0) * scale[:, None] + 0.5, casting="unsafe")
    np.copyto(q[:, 3], scale + 0.5, casting="unsafe")
    return q.view(np.uint64).reshape(-1)


def _div255(x: npt.NDArray[np.uint64], tmp: npt.NDArray[np.uint64]) -> None:
    """``x / 255`` rounded, in place, in every 16-bit lane (lanes must be < 65280)."""
    x += _HALF
    np.right_shift(x, _U8, out=tmp)
    tmp &= _LANES
    x += tmp
    x >>= _U8
    x &= _LANES


def _to_words(x: npt.NDArray[np.uint64], out: npt.NDArray[np.uint32]) -> None:
    """16-bit lanes (each < 256) to RGBA pixel words."""
    n = len(x)
    np.copyto(out.view(np.uint8).reshape(n, 4), x.view(np.uint16).reshape(n, 4), casting="unsafe")


def _from_words(words: npt.NDArray[np.uint32], out: npt.NDArray[np.uint64]) -> None:
    """RGBA pixel words to 16-bit lanes."""
    n = len(words)
    np.copyto(out.view(np.uint16).reshape(n, 4), words.view(np.uint8).reshape(n, 4))


def _over(
    dst: npt.NDArray[np.uint64],
    src: npt.NDArray[np.uint64],
    tmp: npt.NDArray[np.uint64],
    tmp2: npt.NDArray[np.uint64],
) -> None:
    """``dst = src over dst`` for premultiplied 16-bit lanes, in place (as pixman does it)."""
    np.right_shift(src, _U48, out=tmp2)
    np.subtract(np.uint64(255), tmp2, out=tmp2)
    dst *= tmp2
    _div255(dst, tmp)
    dst += src


class _Cloud:
    """One call's discs: positions, phases and colours, and the per-fragment helpers."""

    def __init__(
        self,
        work: _Workspace,
        table: _DiscTable,
        xs: npt.NDArray[np.intp],
        ys: npt.NDArray[np.intp],
        subs: npt.NDArray[np.intp],
        fill: FloatArray,
        rim: FloatArray,
        rect: tuple[int, int, int, int],
        n_pix: int,
        width: int,
    ) -> None:
        self.work, self.xs, self.ys, self.subs, self.rect = work, xs, ys, subs, rect
        self.n_pix = n_pix
        x0, x1, y0, y1 = rect
        size = table.size
        self.edge = np.flatnonzero((xs < x0) | (ys < y0) | (xs + size > x1) | (ys + size > y1))
        self.corner = ys * width + xs
        self.fill, self.rim, self.palette = work.colours(fill, rim if table.has_rim else None)
        self.point = np.arange(len(xs), dtype=np.intp)

    def pixels(self, name: str, part: _Entries) -> npt.NDArray[np.intp]:
        """``(N, count)`` pixel of every fragment; clipped ones go to the dummy ``n_pix``."""
        n = len(self.xs)
        pix = self.work.get(name, n * part.count, np.intp).reshape(n, part.count)
        np.take(part.offset, self.subs, axis=0, out=pix, mode="clip")
        pix += self.corner[:, None]
        if len(self.edge):
            x0, x1, y0, y1 = self.rect
            edge = self.edge
            fx = self.xs[edge, None] + part.dx[self.subs[edge]]
            fy = self.ys[edge, None] + part.dy[self.subs[edge]]
            rows = pix[edge]
            rows[(fx < x0) | (fx >= x1) | (fy < y0) | (fy >= y1)] = self.n_pix
            pix[edge] = rows
        np.minimum(pix, self.n_pix, out=pix)
        return pix

    def sprite(self, tag: str, part: _Entries, ids: npt.NDArray[np.intp], words: bool) -> Any:
        """Sprite pixels of fragments ``ids`` (flat index into the ``(N, count)`` grid).

        Premultiplied 16-bit lanes, or RGBA words if ``words``.
        """
        work, k, count = self.work, len(ids), part.count
        point = work.get(tag + "point", k, np.intp)
        np.floor_divide(ids, count, out=point)
        # Entry ``phase * count + i`` of fragment ``point * count + i``.
        shift = (self.subs - self.point) * count
        if self.palette is not None:
            lanes, packed = self.palette.sprites(part)
            shift += self.palette.index * len(part.w_fill)
            at = work.pick(tag + "at", shift, point)
            at += ids
            return work.pick(tag + ("words" if words else "lanes"), packed if words else lanes, at)
        entry = work.pick(tag + "entry", shift, point)
        entry += ids
        out = work.pick(tag + "lanes", self.fill, point)
        out *= work.pick(tag + "weight", part.w_fill, entry)
        if self.rim is not None:
            rim = work.pick(tag + "rim", self.rim, point)
            rim *= work.pick(tag + "weight", part.w_rim, entry)
            out += rim
        _div255(out, work.get(tag + "tmp", k, np.uint64))
        if not words:
            return out
        packed = work.get(tag + "words", k, np.uint32)
        _to_words(out, packed)
        return packed


def _composite_discs(
    pixels: npt.NDArray[np.uint8],
    table: _DiscTable,
    xs: npt.NDArray[np.intp],
    ys: npt.NDArray[np.intp],
    subs: npt.NDArray[np.intp],
    fill: FloatArray,
    rim: FloatArray,
    rect: tuple[float, float, float, float],
    work: _Workspace,
) -> None:
    """Composite disc sprites "over" ``pixels`` in array order, all at once with numpy.

    Parameters
    ----------
    pixels
        ``(H, W, 4)`` uint8 premultiplied RGBA, modified in place (Manim's pixel array, which
        Cairo sees as ARGB32: the bytes are R, G, B, A).
    table
        The sprite geometry (made for rows ``W`` pixels wide).
    xs, ys, subs
        Each sprite's top-left pixel and sub-pixel phase.
    fill, rim
        ``(N, 4)`` straight RGBA in ``[0, 1]``; the rim's alpha is ignored (the fill's is used).
    rect
        Integer device rectangle ``(x0, x1, y0, y1)``; pixels outside it are left alone.
    work
        Reusable arrays.

    Notes
    -----
    Every (disc, pixel) pair is a fragment; a per-pixel buffer of fragment numbers (keys)
    orders them. When every disc is opaque:

    1. The fully covered fragments write their disc's number into the key buffer in draw
       order (one scatter: the last disc wins), and each pixel's winner writes its colour.
       Nothing below it can show.
    2. A partly covered (antialiased) fragment is visible only if no later disc covers its
       pixel fully: one gather of the key buffer.
    3. The visible partial fragments are composited "over" the pixels from the bottom up:
       each round, a scatter in reverse order leaves every pixel's earliest remaining
       fragment on top, and those are blended in one vectorised step. Most pixels have one
       or two such fragments. Where points pile up (say 80 discs within a few pixels, as
       when an activation squeezes the data), a round would finish few of them; then all
       that remain go to :func:`_composite_stacks`, which handles any depth in one pass.

    Translucent discs skip step 1 (all their fragments are partial). The arithmetic is
    pixman's (premultiplied 8-bit channels, ``x / 255`` rounded, one "over" per fragment in
    draw order), so the result is Cairo's sequence of stamps to within a level or two (a
    few levels in deep stacks, which are rounded once instead of after every stamp).
    """
    height, width = pixels.shape[:2]
    n_pix = height * width
    words = pixels.reshape(n_pix, 4).view(np.uint32).reshape(n_pix)
    box = (int(rect[0]), int(rect[1]), int(rect[2]), int(rect[3]))
    cloud = _Cloud(work, table, xs, ys, subs, fill, rim, box, n_pix, width)
    n = len(xs)
    keys = work.ready_keys(n_pix, n + n * table.every.count)
    first = work.number(n)
    key = np.arange(first, first + n, dtype=np.int32)[:, None]

    part = table.every
    if table.opaque.count and bool((fill[:, 3] >= 1.0).all()):
        part = table.partial
        pix = cloud.pixels("opaque_pix", table.opaque)
        order = work.get("opaque_key", pix.size, np.int32).reshape(pix.shape)
        np.copyto(order, key)
        keys[pix] = order
        seen = work.get("opaque_seen", pix.size, np.int32).reshape(pix.shape)
        np.take(keys, pix, out=seen, mode="clip")
        _settle(keys, pix, order, seen, np.less)
        won = np.equal(seen, order, out=work.get("opaque_won", pix.size, bool).reshape(pix.shape))
        won &= pix < n_pix
        top = np.flatnonzero(won)
        words[work.pick("opaque_top", pix.reshape(-1), top)] = cloud.sprite(
            "opaque_", table.opaque, top, words=True
        )
    if part.count == 0:
        return

    pix = cloud.pixels("partial_pix", part)
    seen = work.get("partial_seen", pix.size, np.int32).reshape(pix.shape)
    np.take(keys, pix, out=seen, mode="clip")
    live = np.less(seen, key, out=work.get("partial_live", pix.size, bool).reshape(pix.shape))
    live &= pix < n_pix
    found = np.flatnonzero(live)
    if len(found) == 0:
        return
    # Latest fragment first, so that in a scatter the earliest one lands last.
    ids = work.get("peel_ids0", len(found), np.intp)
    np.copyto(ids, found[::-1])
    at = work.pick("peel_pix0", pix.reshape(-1), ids)
    last = work.number(len(ids)) + len(ids) - 1
    tag = work.get("peel_tag0", len(ids), np.int32)
    np.subtract(np.int32(last), work.ramp(len(ids)), out=tag)
    flip = 0
    while True:
        keys[at] = tag
        got = work.get("peel_seen", len(at), np.int32)
        np.take(keys, at, out=got, mode="clip")
        _settle(keys, at, tag, got, np.greater)
        won = np.equal(got, tag, out=work.get("peel_won", len(at), bool))
        n_won = int(np.count_nonzero(won))
        if 2 * n_won < len(at):  # deep stacks (points piled up): all of them at once
            _composite_stacks(work, cloud, part, words, at, ids)
            return
        if n_won < len(at):
            sel = np.flatnonzero(won)
            w_pix = work.pick("peel_wpix", at, sel)
            w_ids = work.pick("peel_wids", ids, sel)
        else:
            w_pix, w_ids = at, ids
        colour = cloud.sprite("partial_", part, w_ids, words=False)
        below = work.pick("peel_below", words, w_pix)
        dst = work.get("peel_dst", n_won, np.uint64)
        tmp = work.get("peel_tmp", n_won, np.uint64)
        _from_words(below, dst)
        _over(dst, colour, tmp, work.get("peel_tmp2", n_won, np.uint64))
        _to_words(dst, below)
        words[w_pix] = below
        if n_won == len(at):
            return
        rest = np.flatnonzero(np.logical_not(won, out=won))
        flip ^= 1
        at = work.pick(f"peel_pix{flip}", at, rest)
        ids = work.pick(f"peel_ids{flip}", ids, rest)
        tag = work.pick(f"peel_tag{flip}", tag, rest)


def _composite_stacks(
    work: _Workspace,
    cloud: _Cloud,
    part: _Entries,
    words: npt.NDArray[np.uint32],
    at: npt.NDArray[np.intp],
    ids: npt.NDArray[np.intp],
) -> None:
    """Composite fragments ``ids`` (at pixels ``at``) over ``words``, each pixel's in order.

    Sorted by (pixel, fragment number), fragment ``i`` of a pixel shows through those above
    it with weight ``prod_{j > i} (1 - a_j)``: a cumulative sum of ``log(1 - a)`` gives every
    weight at once, however deep the stacks. Rounded once (Cairo rounds after every stamp).
    """
    n = len(ids)
    bits = max(int(ids.max()).bit_length(), 1)
    order = work.pick("stack_sort", at, work.ramp(n))
    order <<= bits
    order |= ids
    order.sort()
    pix = work.get("stack_pix", n, np.intp)
    np.right_shift(order, bits, out=pix)
    order &= (1 << bits) - 1
    new = work.get("stack_new", n, bool)
    new[0] = True
    np.not_equal(pix[1:], pix[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    n_seg = len(starts)
    seg_pix = work.pick("stack_seg_pix", pix, starts)
    lanes = cloud.sprite("stack_", part, order, words=False)
    alpha = work.get("stack_alpha", n, np.uint64)
    np.right_shift(lanes, _U48, out=alpha)
    cum = work.pick("stack_cum", _LOG_THROUGH, alpha)
    np.cumsum(cum, out=cum)
    seg = work.get("stack_seg", n, np.intp)
    np.cumsum(new, out=seg)
    seg -= 1
    last = work.get("stack_last", n_seg, np.intp)
    last[:-1] = starts[1:]
    last[-1] = n
    last -= 1
    weight = work.pick("stack_weight", cum, work.pick("stack_last_of", last, seg))
    weight -= cum
    np.exp(weight, out=weight)
    through = work.pick("stack_through", cum, last)
    through[1:] -= cum[starts[1:] - 1]
    np.exp(through, out=through)
    below = work.pick("stack_below", words, seg_pix)
    below8 = below.view(np.uint8).reshape(n_seg, 4)
    chan16 = lanes.view(np.uint16).reshape(n, 4)
    value = work.get("stack_value", n, np.float64)
    total = work.get("stack_total", n_seg, np.float64)
    for c in range(4):
        np.multiply(chan16[:, c], weight, out=value)
        np.add.reduceat(value, starts, out=total)
        total += below8[:, c] * through
        total += 0.5
        np.minimum(total, 255.0, out=total)
        np.copyto(below8[:, c], total, casting="unsafe")
    words[seg_pix] = below


def _settle(
    buffer: npt.NDArray[np.int32],
    where: np.ndarray,
    values: np.ndarray,
    seen: np.ndarray,
    behind: Callable[..., Any],
) -> None:
    """After ``buffer[where] = values``, make sure each slot got the right one of its values.

    With repeated indices NumPy writes in order in practice (so the last value aimed at a
    slot lands), but does not promise it. ``behind(seen, values)`` marks values that should
    have won over what the slot holds; those are written again until none is left. ``seen``
    must hold ``buffer[where]`` and is kept up to date.
    """
    while True:
        late = behind(seen, values)
        if not late.any():
            return
        buffer[where[late]] = values[late]
        np.take(buffer, where, out=seen, mode="clip")


# --------------------------------------------------------------------------- cameras


class FastCameraMixin:
    """Adds :class:`PointCloud` and :class:`LineBundle` display to a Cairo camera.

    Must come before a :class:`manim.Camera` subclass in the bases. Points and lines are
    projected with ``transform_points_pre_display`` (so 3-D projection and fixed-in-frame
    work) and mapped to pixels with the same cached Cairo matrix Manim uses for VMobjects.
    Lines are stroked on the cached Cairo context; points are stamped there too, or, for big
    clouds of small discs, composited straight into the pixel array with numpy (see
    :attr:`point_backend`).
    """

    #: Cairo antialiasing for polylines (FAST is ~2x quicker than DEFAULT and looks alike).
    line_antialias: cairo.Antialias = cairo.ANTIALIAS_FAST
    #: Max distance in pixels between a drawn polyline and its samples after dropping
    #: samples on nearly straight stretches (0 keeps every sample).
    line_tolerance: float = 0.25
    #: Depth-sort points back to front (3-D cameras).
    depth_sort_points: bool = False
    #: How :class:`PointCloud` discs are drawn: ``"cairo"`` stamps one cached sprite (or two
    #: masks) per point, so its cost grows with the point count; ``"numpy"`` composites all of
    #: a cloud's discs into the pixel array at once, so its cost grows with the pixels covered
    #: and a point costs far less; ``"auto"`` picks numpy where it measured faster (see
    #: :data:`VECTOR_MIN_POINTS` and :data:`VECTOR_MIN_POINTS_MANY_COLOURS`). Both give the
    #: same picture to within a couple of levels.
    point_backend: str = "auto"

    # Attributes provided by manim.Camera (declared for readers and type checkers).
    pixel_width: int
    pixel_height: int
    pixel_array: Any
    display_funcs: dict[type[Mobject], Callable[[list[Any], Any], Any]]
    get_cairo_context: Callable[[Any], cairo.Context]
    transform_points_pre_display: Callable[[Mobject, FloatArray], FloatArray]

    def _fast_display_funcs(self) -> dict[type[Mobject], Callable[[list[Any], Any], Any]]:
        funcs: dict[type[Mobject], Callable[[list[Any], Any], Any]] | None = getattr(
            self, "_fast_funcs", None
        )
        if funcs is None:
            base: Any = self
            funcs = {
                PointCloud: self.display_point_clouds,
                LineBundle: self.display_line_bundles,
                VMobject: base.display_multiple_vectorized_mobjects,
                PMobject: base.display_multiple_point_cloud_mobjects,
                AbstractImageMobject: base.display_multiple_image_mobjects,
                Mobject: lambda batch, pa: batch,
            }
            self._fast_funcs = funcs
            self._sprites = _Sprites()
        return funcs

    def type_or_raise(self, mobject: Mobject) -> type[Mobject]:
        """Return the display class of ``mobject`` (our two classes first).

        Returns
        -------
        type
            The key into ``display_funcs``.
        """
        funcs = self._fast_display_funcs()
        self.display_funcs = funcs
        for kind in funcs:
            if isinstance(mobject, kind):
                return kind
        raise TypeError(f"Displaying an object of class {type(mobject)} is not supported")

    # -- shared -----------------------------------------------------------------------

    def _project(self, mob: Mobject, points: FloatArray) -> tuple[FloatArray, np.ndarray]:
        """Project finite points; return ``(projected, finite_mask)`` with the same length.

        Manim's ``transform_points_pre_display`` replaces the *whole* array by one origin
        point if any value is non-finite, so non-finite rows are zeroed first and masked.
        """
        finite = np.isfinite(points).all(axis=1)
        src = points if finite.all() else np.where(finite[:, None], points, 0.0)
        projected = self.transform_points_pre_display(mob, src)
        if projected.shape != src.shape:  # pragma: no cover - defensive
            projected = src
        return projected, finite & np.isfinite(projected).all(axis=1)

    def _zoom_for(self, mob: Mobject) -> float:
        fixed = getattr(self, "fixed_in_frame_mobjects", ())
        get_zoom = getattr(self, "get_zoom", None)
        if get_zoom is None or mob in fixed:
            return 1.0
        return float(get_zoom())

    # -- points -----------------------------------------------------------------------

    def display_point_clouds(self, clouds: list[PointCloud], pixel_array: Any) -> None:
        """Draw a batch of :class:`PointCloud` mobjects on ``pixel_array``."""
        self._fast_display_funcs()
        ctx = self.get_cairo_context(pixel_array)
        for cloud in clouds:
            if len(cloud.points) and cloud.radius > 0:
                self._draw_cloud(ctx, cloud, pixel_array)

    def _numpy_target(self, pixel_array: Any) -> npt.NDArray[np.uint8] | None:
        """``pixel_array`` if numpy may composite into it directly, else ``None``."""
        arr = pixel_array
        if (
            isinstance(arr, np.ndarray)
            and arr.dtype == np.uint8
            and arr.ndim == 3
            and arr.shape == (self.pixel_height, self.pixel_width, 4)
            and arr.flags.c_contiguous
            and arr.flags.writeable
            and sys.byteorder == "little"  # the 16-bit lanes are views of the pixel bytes
        ):
            return arr
        return None

    def _numpy_pays(
        self, n: int, radius: float, outlined: bool, fill: FloatArray, rim: FloatArray
    ) -> bool:
        """Whether to composite this cloud with numpy (see :attr:`point_backend`)."""
        backend = self.point_backend
        if backend not in ("auto", "numpy", "cairo"):
            raise ValueError(f"point_backend must be 'auto', 'numpy' or 'cairo', not {backend!r}")
        if backend != "auto":
            return backend == "numpy"
        if n < min(VECTOR_MIN_POINTS, VECTOR_MIN_POINTS_MANY_COLOURS):
            return False
        if radius > max(VECTOR_MAX_RADIUS, VECTOR_MAX_RADIUS_MANY_COLOURS):
            return False
        if outlined and self._workspace().colours(fill, rim)[2] is None:  # many colours
            return n >= VECTOR_MIN_POINTS_MANY_COLOURS and radius <= VECTOR_MAX_RADIUS_MANY_COLOURS
        opaque = bool((fill[:, 3] >= 1.0).all())
        return opaque and n >= VECTOR_MIN_POINTS and radius <= VECTOR_MAX_RADIUS

    def _workspace(self) -> _Workspace:
        work: _Workspace | None = getattr(self, "_work", None)
        if work is None:
            work = self._work = _Workspace()
        return work

    def _draw_cloud(self, ctx: cairo.Context, cloud: PointCloud, pixel_array: Any = None) -> None:
        projected, ok = self._project(cloud, cloud.points)
        rgbas = cloud.rgbas
        if len(rgbas) != len(projected):
            rgbas = _resize_rows(rgbas, len(projected))
        ok &= rgbas[:, 3] > 0.5 / 255.0
        scale = _device_scale(ctx) * self._zoom_for(cloud)
        radius = cloud.radius * scale
        if radius < 0.05:
            return
        rect = _device_rect(ctx, cloud.clip_box, self.pixel_width, self.pixel_height)
        if rect[0] >= rect[1] or rect[2] >= rect[3]:
            return
        dev = _device_transform(ctx, projected[:, :2])
        if cloud.clip_box is not None:
            cb = cloud.clip_box
            px, py = projected[:, 0], projected[:, 1]
            ok &= (px >= cb[0]) & (px <= cb[1]) & (py >= cb[2]) & (py <= cb[3])
        margin = radius + 2.0
        ok &= (dev[:, 0] > rect[0] - margin) & (dev[:, 0] < rect[1] + margin)
        ok &= (dev[:, 1] > rect[2] - margin) & (dev[:, 1] < rect[3] + margin)
        idx = np.flatnonzero(ok)
        if len(idx) == 0:
            return
        if self.depth_sort_points:
            idx = idx[np.argsort(projected[idx, 2], kind="stable")]
        radius_q = max(int(round(radius * 8.0)), 1)
        radius = radius_q / 8.0
        outline = min(cloud.outline_width * scale, radius)
        inner_q = int(round((radius - outline) * 8.0)) if outline >= 0.125 else -1

        corner = dev[idx] - (radius + 1.0)
        base = np.floor(corner)
        sub_xy = np.minimum((corner - base) * SUBPIXEL_STEPS, SUBPIXEL_STEPS - 1).astype(np.intp)
        sub_arr = sub_xy[:, 0] * SUBPIXEL_STEPS + sub_xy[:, 1]
        x_arr = base[:, 0].astype(np.intp)
        y_arr = base[:, 1].astype(np.intp)
        fill = rgbas[idx]
        if cloud.outline_rgb is not None:
            rim = np.concatenate([np.tile(cloud.outline_rgb, (len(fill), 1)), fill[:, 3:]], axis=1)
        else:
            rim = np.concatenate([fill[:, :3] * cloud.outline_darken, fill[:, 3:]], axis=1)

        target = self._numpy_target(pixel_array)
        if target is not None and self._numpy_pays(len(idx), radius, inner_q >= 0, fill, rim):
            table = self._sprites.table(radius_q, inner_q, self.pixel_width)
            surface = ctx.get_target()
            surface.flush()
            _composite_discs(
                target,
                table,
                x_arr,
                y_arr,
                sub_arr,
                fill,
                rim,
                rect,
                self._workspace(),
            )
            surface.mark_dirty()
            return

        subs = sub_arr.tolist()
        xs = x_arr.tolist()
        ys = y_arr.tolist()
        ctx.save()
        try:
            ctx.identity_matrix()
            ctx.new_path()  # Manim's VMobjects leave their path behind
            if cloud.clip_box is not None:
                _apply_clip(ctx, rect)
            if inner_q < 0:
                self._draw_masked(ctx, radius_q, fill, xs, ys, subs)
            else:
                self._draw_outlined(ctx, radius_q, inner_q, fill, rim, xs, ys, subs)
        finally:
            ctx.restore()

    def _draw_masked(
        self,
        ctx: cairo.Context,
        radius_q: int,
        fill: FloatArray,
        xs: list[int],
        ys: list[int],
        subs: list[int],
    ) -> None:
        """Plain discs: one A8 mask per sub-pixel offset, source colour per point."""
        cache = self._sprites
        masks = [cache.mask(radius_q, radius_q, -1, s) for s in range(SUBPIXEL_STEPS**2)]
        mask_surface = ctx.mask_surface
        keys = _colour_keys(fill)
        if len(keys) and bool((keys == keys[0]).all()):
            r, g, b, a = fill[0]
            ctx.set_source_rgba(b, g, r, a)
            for x, y, s in zip(xs, ys, subs, strict=True):
                mask_surface(masks[s], x, y)
            return
        set_source = ctx.set_source_rgba
        bgra = fill[:, [2, 1, 0, 3]].tolist()
        for x, y, s, c in zip(xs, ys, subs, bgra, strict=True):
            set_source(*c)
            mask_surface(masks[s], x, y)

    def _draw_outlined(
        self,
        ctx: cairo.Context,
        radius_q: int,
        inner_q: int,
        fill: FloatArray,
        rim: FloatArray,
        xs: list[int],
        ys: list[int],
        subs: list[int],
    ) -> None:
        """Discs with a rim: cached ARGB sprites per colour, or two masks per point."""
        cache = self._sprites
        fill_keys = _colour_keys(fill)
        rim_keys = _colour_keys(rim)
        pair = (fill_keys.astype(np.uint64) << np.uint64(32)) | rim_keys.astype(np.uint64)
        uniq, inverse = np.unique(pair, return_inverse=True)
        if len(uniq) <= MAX_SPRITE_COLOURS:
            n_sub = SUBPIXEL_STEPS**2
            table = [
                cache.sprite(radius_q, inner_q, int(u) >> 32, int(u) & 0xFFFFFFFF, s)
                for u in uniq.tolist()
                for s in range(n_sub)
            ]
            ids = (inverse.reshape(-1) * n_sub + np.asarray(subs, dtype=np.int64)).tolist()
            set_surface = ctx.set_source_surface
            paint = ctx.paint
            for x, y, i in zip(xs, ys, ids, strict=True):
                set_surface(table[i], x, y)
                paint()
            return
        n_sub = SUBPIXEL_STEPS**2
        outer = [cache.mask(radius_q, radius_q, -1, s) for s in range(n_sub)]
        ring = [cache.mask(radius_q, radius_q, inner_q, s) for s in range(n_sub)]
        inner = [cache.mask(radius_q, inner_q, -1, s) for s in range(n_sub)]
        # Opaque points: full outline disc under the fill (no seam); translucent: a ring.
        under = outer if bool((fill[:, 3] >= 0.999).all()) else ring
        set_source = ctx.set_source_rgba
        mask_surface = ctx.mask_surface
        rim_bgra = rim[:, [2, 1, 0, 3]].tolist()
        fill_bgra = fill[:, [2, 1, 0, 3]].tolist()
        for x, y, s, rc, fc in zip(xs, ys, subs, rim_bgra, fill_bgra, strict=True):
            set_source(*rc)
            mask_surface(under[s], x, y)
            set_source(*fc)
            mask_surface(inner[s], x, y)

    # -- lines ------------------------------------------------------------------------

    def display_line_bundles(self, bundles: list[LineBundle], pixel_array: Any) -> None:
        """Draw a batch of :class:`LineBundle` mobjects on ``pixel_array``."""
        self._fast_display_funcs()
        ctx = self.get_cairo_context(pixel_array)
        for bundle in bundles:
            if bundle.num_lines and bundle.samples_per_line >= 2 and bundle.stroke_width > 0:
                self._draw_bundle(ctx, bundle)

    def _draw_bundle(self, ctx: cairo.Context, bundle: LineBundle) -> None:
        n_lines, m = bundle.num_lines, bundle.samples_per_line
        projected, ok = self._project(bundle, bundle.points)
        scale = _device_scale(ctx) * self._zoom_for(bundle)
        width = bundle.stroke_width * scale
        rect = _device_rect(ctx, bundle.clip_box, self.pixel_width, self.pixel_height)
        if rect[0] >= rect[1] or rect[2] >= rect[3] or width <= 0:
            return
        dev = _device_transform(ctx, projected[:, :2]).reshape(n_lines, m, 2)
        valid = ok.reshape(n_lines, m)
        rgbas = bundle.rgbas
        if len(rgbas) != n_lines:
            rgbas = _resize_rows(rgbas, n_lines)
        visible = rgbas[:, 3] > 0.5 / 255.0
        pad = width + 2.0
        geo_rect = (rect[0] - pad, rect[1] + pad, rect[2] - pad, rect[3] + pad)
        keys = _colour_keys(rgbas)

        ctx.save()
        try:
            ctx.identity_matrix()
            ctx.new_path()  # Manim's VMobjects leave their path behind
            if bundle.clip_box is not None:
                _apply_clip(ctx, rect)
            ctx.set_line_width(width)
            ctx.set_line_join(cairo.LINE_JOIN_BEVEL)
            ctx.set_line_cap(cairo.LINE_CAP_BUTT)
            ctx.set_antialias(self.line_antialias)
            move_to, line_to = ctx.move_to, ctx.line_to
            for key in np.unique(keys[visible]).tolist():
                rows = np.flatnonzero((keys == key) & visible)
                for stride, sel in _stride_groups(dev[rows], valid[rows], self.line_tolerance):
                    sub_dev = dev[rows[sel]][:, stride]
                    sub_valid = valid[rows[sel]][:, stride]
                    inside = (
                        bool(sub_valid.all())
                        and sub_dev[..., 0].min() >= geo_rect[0]
                        and sub_dev[..., 0].max() <= geo_rect[1]
                        and sub_dev[..., 1].min() >= geo_rect[2]
                        and sub_dev[..., 1].max() <= geo_rect[3]
                    )
                    if inside:
                        for flat in sub_dev.reshape(len(sub_dev), -1).tolist():
                            it = iter(flat)
                            move_to(next(it), next(it))
                            for x, y in zip(it, it, strict=True):
                                line_to(x, y)
                        continue
                    verts, moves = _polyline_runs(sub_dev, sub_valid, geo_rect)
                    for (x, y), mv in zip(verts.tolist(), moves.tolist(), strict=True):
                        if mv:
                            move_to(x, y)
                        else:
                            line_to(x, y)
                r, g, b, a = _key_to_rgba(int(key))
                ctx.set_source_rgba(b, g, r, a)
                ctx.stroke()
        finally:
            ctx.restore()


class FastCamera(FastCameraMixin, Camera):
    """Manim's 2-D Cairo camera plus fast :class:`PointCloud` / :class:`LineBundle` drawing."""


class FastThreeDCamera(FastCameraMixin, ThreeDCamera):
    """Manim's 3-D camera plus fast drawing; points are drawn back to front."""

    depth_sort_points = True


def _fast_renderer_kwargs(camera_class: type[Camera], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Give a scene the fast encoder unless a renderer was passed (tests pass their own)."""
    if kwargs.get("renderer") is None and config.renderer == RendererType.CAIRO:
        skip = bool(kwargs.get("skip_animations", False))
        kwargs["renderer"] = fast_renderer(camera_class, skip_animations=skip)
    return kwargs


class FastScene(Scene):
    """A :class:`manim.Scene` drawn with :class:`FastCamera` and encoded by
    :class:`scenes.draw.encoding.FastFileWriter`.

    It also redraws less per frame: see :meth:`get_moving_mobjects`.
    """

    def __init__(self, camera_class: type[Camera] = FastCamera, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class, **_fast_renderer_kwargs(camera_class, kwargs))

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        """What to redraw every frame of a play: everything drawn after the first moving part.

        Manim paints the mobjects that do not move once, into a cached background, and draws
        the rest over it every frame. It cuts that list in the order mobjects were *added*,
        so a caption or a panel of text added after the animated points was redrawn on
        every frame of every move, 60-130 glyph outlines at a time. This cuts it in the
        order they are *drawn* (``z_index``, then order added), which gives the same picture
        by construction: the cached part is exactly what would be drawn first.

        A mobject counts as moving if it or an ancestor is animated, has an updater, or is
        in the foreground (Manim's criteria). Anything changed by *another* mobject's
        updater must be a submobject of it, or be animated too.
        """
        if not self.renderer.camera.use_z_index:
            return super().get_moving_mobjects(*animations)
        moving: set[int] = set()
        pending = list(animations)
        while pending:
            anim = pending.pop()
            moving.update(id(m) for m in anim.mobject.get_family())
            pending.extend(getattr(anim, "animations", []))
        for mob in self.get_mobject_family_members():
            if mob.updaters:
                moving.update(id(m) for m in mob.get_family())
        for mob in self.foreground_mobjects:
            moving.update(id(m) for m in mob.get_family())
        drawn = extract_mobject_family_members(
            list_update(self.mobjects, self.foreground_mobjects),
            use_z_index=True,
            only_those_with_points=True,
        )
        first = next((i for i, mob in enumerate(drawn) if id(mob) in moving), None)
        if first is None:
            # Nothing drawn moves (e.g. only a point-less holder has an updater). Not an empty
            # list: Manim's renderer takes that as "draw every mobject", over the cached frame.
            return [Mobject()]
        return drawn[first:]


class FastThreeDScene(ThreeDScene):
    """A :class:`manim.ThreeDScene` drawn with :class:`FastThreeDCamera`, encoded fast."""

    def __init__(self, camera_class: type[Camera] = FastThreeDCamera, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class, **_fast_renderer_kwargs(camera_class, kwargs))
