"""Where the anatomy scene draws: the network diagram's geometry and styles (numpy only).

The diagram is columns of neurons (the 2 inputs, each hidden layer, the output layer) joined
by one edge per weight. A layer wider than :data:`MAX_UNITS` draws its first
``MAX_UNITS - 1`` units and an honest "+k more" in the last slot. Edges are coloured by
sign (:func:`sign_colors`) and drawn thicker and more opaque for larger magnitudes
(:func:`edge_style`); the same style serves weights and gradients. Everything here is in
Manim frame units (the frame is 14.22 × 8, centred on 0) and is tested without rendering.

>>> d = diagram_layout([2, 16, 1])
>>> [c.shown for c in d.columns], d.columns[1].more
([2, 5, 1], 11)
>>> d.edge_units(0)[0][:3].tolist(), d.edge_units(0)[1][:3].tolist()
([0, 0, 1], [0, 1, 0])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nnmodel import activations as act_table
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.view import Box

__all__ = [
    "BOARD",
    "DIAGRAM",
    "INSET",
    "LEGEND_Y",
    "MAX_EDGE",
    "MAX_UNITS",
    "MIN_EDGE",
    "TITLE_Y",
    "Column",
    "Diagram",
    "EdgeStyle",
    "PlotFrame",
    "diagram_layout",
    "edge_style",
    "fill_rgbs",
    "fit_extent",
    "plot_frame",
    "sign_colors",
]

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Where neuron centres may go (the labels under the lowest ones reach ~0.5 lower).
DIAGRAM = Box(-6.3, 2.05, -2.75, 1.6)
#: The column titles' baseline height, above the diagram.
TITLE_Y = 2.38
#: The legend's height, below the diagram.
LEGEND_Y = -3.72
#: The right-hand panel: the input plane (top) and a board for formulas, plots and bars.
INSET = Box(3.05, 6.85, -0.05, 2.35)
BOARD = Box(2.85, 6.95, -3.6, -0.75)
#: Units drawn per layer: a wider layer shows its first ``MAX_UNITS - 1`` and "+k more".
MAX_UNITS = 6
#: Edge widths in frame units, for the smallest and the largest magnitude.
MIN_EDGE, MAX_EDGE = 0.008, 0.075
#: Edge opacity for the smallest and the largest magnitude.
MIN_OPACITY, MAX_OPACITY = 0.45, 1.0
#: Opacity of an edge whose value is exactly 0.
ZERO_OPACITY = 0.22


@dataclass(frozen=True)
class Column:
    """One column of neurons: a layer (or the inputs) as drawn.

    Attributes
    ----------
    width
        Units in the layer.
    shown
        Units drawn (the first ``shown``).
    x
        Horizontal position of the column.
    ys
        Heights of the drawn units, top to bottom, ``(shown,)``.
    more_at
        Where the "+k more" note goes, or None when every unit is drawn.
    """

    width: int
    shown: int
    x: float
    ys: Array
    more_at: tuple[float, float] | None

    @property
    def more(self) -> int:
        """Units not drawn."""
        return self.width - self.shown

    @property
    def positions(self) -> Array:
        """Centres of the drawn units, ``(shown, 2)``."""
        return np.column_stack([np.full(self.shown, self.x), self.ys])


@dataclass(frozen=True)
class Diagram:
    """The diagram's geometry: columns (inputs, hidden layers, output), neuron size, spacing.

    Column ``c`` holds the outputs of weight layer ``c - 1``; weight layer ``l`` joins
    column ``l`` to column ``l + 1``.
    """

    columns: tuple[Column, ...]
    radius: float
    spacing: float
    gap: float

    @property
    def too_wide(self) -> bool:
        """Whether some layer has more units than are drawn."""
        return any(c.more for c in self.columns)

    def edge_units(self, layer: int) -> tuple[IntArray, IntArray]:
        """``(dst, src)`` unit indices of weight layer ``layer``'s drawn edges.

        Ordered by destination unit, then source unit, so ``W[dst, src]`` (torch's layout)
        gives each edge its weight.
        """
        src, dst = self.columns[layer], self.columns[layer + 1]
        d, s = np.meshgrid(np.arange(dst.shown), np.arange(src.shown), indexing="ij")
        return d.ravel().astype(np.int64), s.ravel().astype(np.int64)

    def edge_ends(self, layer: int) -> Array:
        """Start (source centre) and end (destination centre) of each drawn edge, (E, 2, 2)."""
        dst, src = self.edge_units(layer)
        a = self.columns[layer].positions[src]
        b = self.columns[layer + 1].positions[dst]
        return np.stack([a, b], axis=1)

    def node_box(self, size: float) -> float:
        """The side of a square that fits a neuron's slot (for response heatmaps)."""
        return float(min(size, 0.86 * self.spacing, 0.62 * self.gap))


def diagram_layout(
    widths: Sequence[int], box: Box = DIAGRAM, max_units: int = MAX_UNITS
) -> Diagram:
    """Columns evenly spread across ``box``, units evenly spaced and centred in each.

    Every column uses the same vertical spacing (that of the tallest column, at most 1.45),
    so neurons line up across layers. A column wider than ``max_units`` draws its first
    ``max_units - 1`` units, and its last slot holds the "+k more" note.

    >>> d = diagram_layout([2, 3, 1])
    >>> [round(float(c.x), 2) for c in d.columns]
    [-6.3, -2.12, 2.05]
    >>> d.columns[1].ys.round(2).tolist()
    [0.88, -0.57, -2.02]
    """
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"a diagram needs at least 2 columns of at least 1 unit, got {widths}")
    if max_units < 2:
        raise ValueError("max_units must be at least 2 (one unit and the note)")
    slots = [min(w, max_units) for w in widths]
    spacing = min(1.45, (box.ymax - box.ymin) / max(max(slots) - 1, 1))
    xs = np.linspace(box.xmin, box.xmax, len(widths))
    gap = float(xs[1] - xs[0])
    centre = (box.ymin + box.ymax) / 2
    columns = []
    for x, w, n in zip(xs, widths, slots, strict=True):
        shown = w if w <= max_units else max_units - 1
        ys = centre + ((n - 1) / 2 - np.arange(n)) * spacing
        more = (float(x), float(ys[-1])) if shown < w else None
        columns.append(Column(int(w), int(shown), float(x), ys[:shown].astype(np.float64), more))
    radius = float(min(0.19, 0.24 * spacing, 0.12 * gap))
    return Diagram(tuple(columns), radius, float(spacing), gap)


def sign_colors() -> tuple[str, str]:
    """``(positive, negative)``: the theme's first two colours, Okabe-Ito's sky blue and
    orange, the pair colour-blind viewers tell apart best (TensorFlow Playground's
    convention: blue for positive, orange for negative)."""
    th = theme()
    return th.classes[0], th.classes[1]


@dataclass(frozen=True)
class EdgeStyle:
    """How each edge is drawn: width (frame units), colour (hex) and opacity."""

    widths: Array
    colors: tuple[str, ...]
    opacities: Array


def _strength(values: npt.ArrayLike, vmax: float) -> Array:
    """``sqrt(|v| / vmax)`` in [0, 1]: the square root keeps small values visible."""
    v = np.abs(np.asarray(values, np.float64))
    if vmax <= 0 or not np.isfinite(vmax):
        return np.zeros_like(v)
    out: Array = np.sqrt(np.clip(v / vmax, 0.0, 1.0))
    return out


def edge_style(values: npt.ArrayLike, vmax: float) -> EdgeStyle:
    """Edges for ``values`` (weights or gradients): sign → colour, magnitude → width, opacity.

    ``vmax`` is the magnitude drawn widest (the largest over the whole network, so widths
    compare across layers). A value of exactly 0 (a gradient stopped by a ReLU, say) has
    no sign: it is drawn thinnest, in the grid's grey, faintly.

    >>> s = edge_style([2.0, -0.5, 0.0], 2.0)
    >>> pos, neg = sign_colors()
    >>> s.widths.round(4).tolist(), s.colors == (pos, neg, theme().grid)
    ([0.075, 0.0415, 0.008], True)
    """
    t = _strength(values, vmax).ravel()
    pos, neg = sign_colors()
    v = np.asarray(values, np.float64).ravel()
    opacity = MIN_OPACITY + (MAX_OPACITY - MIN_OPACITY) * t
    return EdgeStyle(
        MIN_EDGE + (MAX_EDGE - MIN_EDGE) * t,
        tuple(neg if x < 0 else pos if x > 0 else theme().grid for x in v),
        np.where(v == 0, ZERO_OPACITY, opacity),
    )


def fill_rgbs(values: npt.ArrayLike, vmax: float) -> Array:
    """Neuron fill colours (n, 3): the background blended towards the sign's colour by the
    value's strength (as :func:`edge_style`), so 0 is the background itself.

    >>> np.allclose(fill_rgbs([0.0, 5.0], 1.0)[0], hex_to_rgb(theme().background))
    True
    """
    t = _strength(values, vmax).ravel()[:, None]
    pos, neg = (np.array(hex_to_rgb(c)) for c in sign_colors())
    bg = np.array(hex_to_rgb(theme().background))
    v = np.asarray(values, np.float64).ravel()[:, None]
    tint = np.where(v < 0, neg, pos)
    out: Array = bg + (tint - bg) * (0.85 * t)
    return out


def fit_extent(extent: tuple[float, float, float, float], box: Box) -> Box:
    """The largest screen rectangle in ``box`` with the extent's aspect ratio, centred.

    >>> fit_extent((0.0, 2.0, 0.0, 1.0), Box(0, 4, 0, 4)).as_tuple()
    (0.0, 4.0, 1.0, 3.0)
    """
    x0, x1, y0, y1 = extent
    scale = min((box.xmax - box.xmin) / (x1 - x0), (box.ymax - box.ymin) / (y1 - y0))
    w, h = (x1 - x0) * scale, (y1 - y0) * scale
    cx, cy = box.centre
    return Box(float(cx - w / 2), float(cx + w / 2), float(cy - h / 2), float(cy + h / 2))


@dataclass(frozen=True)
class PlotFrame:
    """A function plot's data limits and the screen box they fill (axes not to scale)."""

    box: Box
    zlim: tuple[float, float]
    ylim: tuple[float, float]

    def to_screen(self, z: npt.ArrayLike, y: npt.ArrayLike) -> Array:
        """Screen positions ``(n, 2)`` of ``(z, y)`` pairs; values outside are clamped to
        the frame's edge (drawn at the edge, not dropped)."""
        z0, z1 = self.zlim
        y0, y1 = self.ylim
        zz = np.clip(np.asarray(z, np.float64).ravel(), z0, z1)
        yy = np.clip(np.asarray(y, np.float64).ravel(), y0, y1)
        sx = self.box.xmin + (zz - z0) / (z1 - z0) * (self.box.xmax - self.box.xmin)
        sy = self.box.ymin + (yy - y0) / (y1 - y0) * (self.box.ymax - self.box.ymin)
        return np.column_stack([sx, sy])


def plot_frame(name: str, z: npt.ArrayLike, box: Box) -> PlotFrame:
    """Limits for activation ``name``'s curve over a layer's pre-activations ``z``.

    The z range is symmetric, ``±max(3, |z|'s 99th percentile)`` rounded up to a whole
    number (at least ±3 so the curve's bends show; the percentile keeps a few outliers from
    squeezing everything else); the y range is the curve's over it, padded by 8 %.

    >>> f = plot_frame("tanh", [0.5, -1.0], Box(0, 4, 0, 2))
    >>> f.zlim, tuple(round(v, 3) for v in f.ylim)
    ((-3.0, 3.0), (-1.154, 1.154))
    """
    v = np.abs(np.asarray(z, np.float64).ravel())
    reach = float(np.percentile(v, 99)) if len(v) else 0.0
    r = float(np.ceil(max(3.0, reach)))
    curve = np.asarray(act_table.get(name)(np.linspace(-r, r, 241)), np.float64)
    lo, hi = float(curve.min()), float(curve.max())
    pad = 0.08 * max(hi - lo, 1e-9)
    return PlotFrame(box, (-r, r), (lo - pad, hi + pad))
