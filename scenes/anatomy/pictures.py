"""The anatomy's images as RGBA pixels (numpy only): neuron responses and decision regions.

Every function takes values on a grid whose row 0 is the lowest y (as
:func:`scenes.anatomy.numbers.grid_points` and the stored mesh) and returns ``uint8``
pixels ``(R, R, 4)`` whose row 0 is the top of the picture, ready for an image mobject.

>>> px = diverging(np.array([[-1.0, 0.0], [0.5, 1.0]]), 1.0)
>>> px.shape, px.dtype.name, px[1, 1].tolist() == [*background_bytes(), 255]
((2, 2, 4), 'uint8', True)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from scenes.anatomy.layout import sign_colors
from scenes.anatomy.numbers import response_tint
from scenes.core.theme import hex_to_rgb, theme

__all__ = [
    "background_bytes",
    "boundary",
    "diverging",
    "probability",
    "regions",
    "two_classes",
]

Array = npt.NDArray[np.float64]
Pixels = npt.NDArray[np.uint8]

#: How strongly a value at the scale's top tints a response (the rest is background).
RESPONSE_TINT = 0.9
#: How strongly each class tints its region in the input-plane inset.
REGION_TINT = 0.28


def _rgb(color: str) -> Array:
    return np.array(hex_to_rgb(color), np.float64)


def background_bytes() -> list[int]:
    """The theme's background as 3 bytes."""
    return [int(round(c * 255)) for c in hex_to_rgb(theme().background)]


def _pixels(rgb: Array) -> Pixels:
    """Float RGB (R, C, 3), row 0 lowest y → uint8 RGBA, row 0 at the top, opaque."""
    rgba = np.concatenate([np.flipud(rgb), np.ones((*rgb.shape[:2], 1))], axis=-1)
    out: Pixels = (np.clip(rgba, 0.0, 1.0) * 255).round().astype(np.uint8)
    return out


def diverging(values: npt.ArrayLike, vmax: float) -> Pixels:
    """A response: background at 0, towards the sign colours (:func:`sign_colors`, never a
    class's) for positive and negative values, fully tinted at ``|v| ≥ vmax``; the tint
    grows as ``sqrt(|v| / vmax)`` (as the edges' widths do,
    :func:`scenes.anatomy.numbers.response_tint`), so small values still show."""
    v = np.asarray(values, np.float64)
    t = np.abs(response_tint(v, vmax))[..., None]
    pos, neg = (_rgb(c) for c in sign_colors())
    bg = _rgb(theme().background)
    tint = np.where(v[..., None] < 0, neg, pos)
    return _pixels(bg + (tint - bg) * (RESPONSE_TINT * t))


def probability(p: npt.ArrayLike, color: str) -> Pixels:
    """One class's probability: background at 0, the class's colour at 1."""
    v = np.clip(np.asarray(p, np.float64), 0.0, 1.0)[..., None]
    bg = _rgb(theme().background)
    return _pixels(bg + (_rgb(color) - bg) * (RESPONSE_TINT * v))


def two_classes(p1: npt.ArrayLike, color0: str, color1: str) -> Pixels:
    """One logit's probability ``p(class 1)``: class 0's colour below ½, class 1's above,
    background at ½ (where the decision flips)."""
    p = np.clip(np.asarray(p1, np.float64), 0.0, 1.0)[..., None]
    bg = _rgb(theme().background)
    tint = np.where(p < 0.5, _rgb(color0), _rgb(color1))
    return _pixels(bg + (tint - bg) * (RESPONSE_TINT * np.abs(2 * p - 1)))


def boundary(classes: npt.ArrayLike, width: int = 1) -> npt.NDArray[np.bool_]:
    """Cells next to a cell of another class (the decision boundary), thickened ``width``
    cells on each side.

    >>> boundary(np.array([[0, 0, 1, 1]]), 0).tolist()
    [[False, True, True, False]]
    """
    c = np.asarray(classes)
    edge = np.zeros(c.shape, bool)
    dx = c[:, 1:] != c[:, :-1]
    dy = c[1:, :] != c[:-1, :]
    edge[:, 1:] |= dx
    edge[:, :-1] |= dx
    edge[1:, :] |= dy
    edge[:-1, :] |= dy
    for _ in range(width):
        grown = edge.copy()
        grown[1:, :] |= edge[:-1, :]
        grown[:-1, :] |= edge[1:, :]
        grown[:, 1:] |= edge[:, :-1]
        grown[:, :-1] |= edge[:, 1:]
        edge = grown
    return edge


def regions(
    classes: npt.ArrayLike,
    lines: Sequence[tuple[npt.NDArray[np.bool_], str]] = (),
) -> Pixels:
    """Decision regions, each tinted with its class's colour, with boundary ``lines``
    (masks from :func:`boundary`, each with a colour) drawn over them in order."""
    th = theme()
    c = np.asarray(classes, np.int64)
    n = int(c.max()) + 1 if c.size else 1
    palette = np.array([hex_to_rgb(th.class_color(k)) for k in range(max(n, 1))])
    bg = _rgb(th.background)
    rgb = bg + (palette[c] - bg) * REGION_TINT
    for mask, color in lines:
        rgb[mask] = _rgb(color)
    return _pixels(rgb)
