"""What PointCloud and LineBundle share: array types, per-item RGBA colours, clip boxes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Self

import numpy as np
import numpy.typing as npt
from manim import Mobject
from manim.utils.color import ManimColor, ParsableManimColor

__all__ = ["ClipBox", "FloatArray", "to_rgbas"]


FloatArray = npt.NDArray[np.float64]
ClipBox = tuple[float, float, float, float]


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
            clipped: FloatArray = np.clip(arr, 0.0, 1.0)
            return clipped
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


if TYPE_CHECKING:
    # Type-check the mixin as the Mobject it is always mixed into (at run time it stays a
    # plain class, so the MRO of PointCloud and LineBundle is unchanged).
    _MobjectBase = Mobject
else:
    _MobjectBase = object


class _RGBAColors(_MobjectBase):
    """Colour protocol shared by :class:`PointCloud` and :class:`LineBundle`.

    Both keep one RGBA row per item in ``rgbas``; Manim's animations (fades, ``set_color``,
    ``become``) go through these methods.
    """

    rgbas: FloatArray
    color: ManimColor
    clip_box: ClipBox | None

    def set_clip_box(self, clip_box: Sequence[float] | None) -> Self:
        """Clip to ``(xmin, xmax, ymin, ymax)`` in frame coordinates, or ``None`` for no clip."""
        self.clip_box = _check_clip_box(clip_box)
        return self

    def get_points_defining_boundary(self) -> FloatArray:
        """Finite points only, so ``get_center`` and friends ignore NaN/inf."""
        return _finite_rows(self.get_all_points())

    # Manim's Mobject.set_color takes (color, alpha, family), but its own VMobject and PMobject
    # take (color, family), as this does.
    def set_color(  # type: ignore[override]
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
