"""The anatomy's panel as Manim mobjects: tables, activation plot, probability bars, inset."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from manim import (
    LEFT,
    RIGHT,
    Animation,
    Circle,
    ImageMobject,
    Line,
    Mobject,
    Rectangle,
    VGroup,
    VMobject,
)

from nnmodel import activations as act_table
from scenes.anatomy.fit import shorten, width_of
from scenes.anatomy.layout import PlotFrame, fit_extent, plot_frame
from scenes.anatomy.names import MARK
from scenes.anatomy.numbers import steepest
from scenes.anatomy.pictures import Pixels
from scenes.core.theme import theme
from scenes.core.view import Box
from scenes.draw import PointCloud
from scenes.mobjects.widgets import math, text
from scenes.narration.anatomy import num

__all__ = ["ActivationPlot", "Inset", "Slide", "image_in", "prob_bars", "table"]

Array = npt.NDArray[np.float64]
MAX_DOTS = 3000
#: The size of the notes on the board (as the notes under the input plane).
NOTE_SIZE = 18


def image_in(pixels: Pixels, box: Box) -> ImageMobject:
    """An image stretched over a screen box."""
    image = ImageMobject(pixels, z_index=2)
    image.stretch_to_fit_width(box.xmax - box.xmin)
    image.stretch_to_fit_height(box.ymax - box.ymin)
    image.move_to((*box.centre, 0.0))
    return image


class Slide(Animation):
    """Move a :class:`PointCloud`'s points from ``start`` to ``end`` positions (no copies)."""

    def __init__(self, cloud: PointCloud, start: Array, end: Array, **kwargs: Any) -> None:
        self.start_xy = np.asarray(start, np.float64)
        self.end_xy = np.asarray(end, np.float64)
        super().__init__(cloud, **kwargs)

    def begin(self) -> None:
        self.interpolate(0.0)

    def interpolate(self, alpha: float) -> None:
        t = float(self.rate_func(alpha))
        cloud = self.mobject
        assert isinstance(cloud, PointCloud)
        cloud.set_positions(self.start_xy + (self.end_xy - self.start_xy) * t)

    def finish(self) -> None:
        self.interpolate(1.0)


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    box: Box,
    size: int = 20,
    mark: int | None = None,
    foot: str = "",
) -> VGroup:
    """A small table in ``box``: a header in the subtext colour, then rows; the first
    column left-aligned, the others right-aligned; row ``mark`` in the accent colour;
    ``foot``, a line under it in the subtext colour (the units a wide layer leaves out)."""
    th = theme()
    cells = [[text(h, size - 2, color=th.subtext) for h in header]]
    for r, values in enumerate(rows):
        color = th.accent if r == mark else th.text
        cells.append([text(c, size, color=color) for c in values])
    n_cols = len(header)
    widths = [max(row[k].width for row in cells if k < len(row)) for k in range(n_cols)]
    gap = 0.35
    lefts = np.concatenate([[0.0], np.cumsum(np.array(widths) + gap)[:-1]])
    height = max(c.height for row in cells for c in row) + 0.16
    group = VGroup()
    for r, row in enumerate(cells):
        y = -r * height
        for k, cell in enumerate(row):
            if k == 0:
                cell.move_to((lefts[k] + cell.width / 2, y, 0.0))
            else:
                right = lefts[k] + widths[k]
                cell.move_to((right - cell.width / 2, y, 0.0))
            group.add(cell)
    rule_y = -height / 2
    total = float(lefts[-1] + widths[-1])
    group.add(Line((0.0, rule_y, 0.0), (total, rule_y, 0.0), stroke_width=1.5, color=th.grid))
    if foot:
        note = text(foot, size - 2, color=th.subtext)
        note.move_to((note.width / 2, -len(cells) * height + 0.04, 0.0))
        group.add(note)
    width, tall = box.xmax - box.xmin, box.ymax - box.ymin
    if group.width > width or group.height > tall:
        group.scale(min(width / group.width, tall / group.height))
    group.move_to((box.centre[0], box.ymax - group.height / 2, 0.0))
    return group


class ActivationPlot:
    """An activation curve with a layer's pre-activations of every point as dots on it.

    The dots start on the bottom edge at their ``z`` (a rug of the pre-activations) and
    slide up onto the curve (:meth:`slides`); the band where the curve is flat (slope below
    5 % of its steepest, :func:`scenes.anatomy.numbers.flat_share`'s rule) is shaded.
    """

    def __init__(
        self,
        name: str,
        z: Array,
        colors: Array,
        sample_z: Array,
        box: Box,
    ) -> None:
        th = theme()
        act = act_table.get(name)
        inner = Box(box.xmin + 0.35, box.xmax - 0.1, box.ymin + 0.45, box.ymax - 0.55)
        self.frame: PlotFrame = plot_frame(name, z, inner)
        f = self.frame
        reach = f.zlim[1]
        zs = np.linspace(-reach, reach, 241)
        ys = np.asarray(act(zs), np.float64)
        parts = VGroup()
        flat = np.abs(act.derivative(zs)) < 0.05 * steepest(name)
        for run in _runs(flat):
            z0, z1 = zs[run[0]], zs[run[-1]]
            (sx0, sy0), (sx1, sy1) = f.to_screen([z0, z1], [f.ylim[0], f.ylim[1]])
            parts.add(
                Rectangle(
                    width=max(sx1 - sx0, 0.02),
                    height=sy1 - sy0,
                    stroke_width=0,
                    fill_color=th.subtext,
                    fill_opacity=0.14,
                    z_index=1,
                ).move_to(((sx0 + sx1) / 2, (sy0 + sy1) / 2, 0.0))
            )
        y_axis = 0.0 if f.ylim[0] <= 0 <= f.ylim[1] else f.ylim[0]
        for ends in (f.to_screen([-reach, reach], [y_axis, y_axis]), f.to_screen([0, 0], f.ylim)):
            parts.add(
                Line((*ends[0], 0.0), (*ends[1], 0.0), stroke_width=1.5, color=th.axis, z_index=1)
            )
        for zv, side in ((-reach, LEFT), (reach, RIGHT)):
            (sx, sy) = f.to_screen([zv], [f.ylim[0]])[0]
            tick = text(f"{zv:+.0f}".replace("-", "−"), 16, color=th.subtext)
            parts.add(tick.move_to((sx, sy - 0.2, 0.0), side))
        parts.add(
            text("z", 18, color=th.subtext).move_to((inner.centre[0], inner.ymin - 0.22, 0.0))
        )
        curve = VMobject(stroke_color=th.text, stroke_width=3.5, z_index=2)
        curve.set_points_as_corners([(*p, 0.0) for p in f.to_screen(zs, ys)])
        parts.add(curve)
        formula = math(act.math, 26).move_to((inner.xmin + 0.1, inner.ymax + 0.3, 0.0), LEFT)
        if formula.width > inner.xmax - inner.xmin:
            formula.scale_to_fit_width(inner.xmax - inner.xmin)
        parts.add(formula)
        self.static = parts
        flat_z = z.ravel()
        flat_colors = np.repeat(colors, z.shape[1], axis=0)
        if flat_z.size > MAX_DOTS:
            keep = np.linspace(0, flat_z.size - 1, MAX_DOTS).round().astype(np.int64)
            flat_z, flat_colors = flat_z[keep], flat_colors[keep]
            note = text(f"{MAX_DOTS:,} of {z.size:,} drawn", NOTE_SIZE, color=th.subtext)
            parts.add(note.move_to((inner.xmax, inner.ymin - 0.5, 0.0), RIGHT))
        self.start = f.to_screen(flat_z, np.full(flat_z.size, f.ylim[0]))
        self.end = f.to_screen(flat_z, act(flat_z))
        alpha = np.full((len(flat_colors), 1), 0.55)
        self.dots = PointCloud(
            self.start, np.column_stack([flat_colors[:, :3], alpha]), radius=0.028, z_index=3
        )
        self.sample_start = f.to_screen(sample_z, np.full(sample_z.size, f.ylim[0]))
        self.sample_end = f.to_screen(sample_z, act(sample_z))
        self.sample = PointCloud(
            self.sample_start,
            th.accent,
            radius=0.07,
            outline_width=0.025,
            outline_color=th.background,
            z_index=4,
        )

    def slides(self, **kwargs: Any) -> list[Animation]:
        """The dots sliding from the rug onto the curve."""
        return [
            Slide(self.dots, self.start, self.end, **kwargs),
            Slide(self.sample, self.sample_start, self.sample_end, **kwargs),
        ]

    def mobjects(self) -> list[Mobject]:
        """Everything to fade in, dots included."""
        return [self.static, self.dots, self.sample]


def _runs(mask: npt.NDArray[np.bool_]) -> list[npt.NDArray[np.int64]]:
    """Index runs where ``mask`` is True."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    return [r for r in np.split(idx, np.flatnonzero(np.diff(idx) > 1) + 1) if len(r)]


#: The probability bars' text size (names and values alike, never shrunk one by one).
BAR_SIZE = 18
#: The shortest a probability bar's track may be.
MIN_TRACK = 0.9


def prob_bars(
    names: Sequence[str],
    probs: npt.ArrayLike,
    label: int,
    texts: Sequence[str],
    box: Box,
    rows: Sequence[int] | None = None,
) -> tuple[VGroup, list[Rectangle]]:
    """Class probabilities as horizontal bars in ``box``: ``(labels and values, bars)``.

    One row per class of ``rows`` (default: every class), in that order; the classes left
    out are one last row, "+k more", with their total. Bars are full length at probability
    1; the true class's row is in the accent colour, marked ✓ (a note at the top says so).
    Every name and value is drawn at :data:`BAR_SIZE`: a name too long for its column is
    cut short with an ellipsis. The bars are returned apart so a scene can grow them.
    """
    th = theme()
    p = np.asarray(probs, np.float64).ravel()
    k = len(names)
    keep = list(range(k)) if rows is None else [int(r) for r in rows]
    rest = [c for c in range(k) if c not in keep]
    values = [text(texts[c], BAR_SIZE) for c in keep]
    if rest:
        values.append(text(num(float(p[rest].sum())), BAR_SIZE, color=th.subtext))
    value_w = max(v.width for v in values)
    mark_w = width_of(MARK, BAR_SIZE) + 0.12  # the ✓ and its gap to the name
    room = box.xmax - box.xmin - mark_w - value_w - MIN_TRACK - 0.3
    heads = [f"p({shorten(names[c], BAR_SIZE, room - width_of('p()', BAR_SIZE))})" for c in keep]
    if rest:
        heads.append(f"+{len(rest)} more")
    made = [
        text(h, BAR_SIZE, color=th.accent if r < len(keep) and keep[r] == label else th.subtext)
        for r, h in enumerate(heads)
    ]
    head_w = max(h.width for h in made)
    note = text(f"{MARK} the true class", 16, color=th.accent)
    note.move_to((box.xmin + note.width / 2, box.ymax - note.height / 2, 0.0))
    static = VGroup(note)
    top = box.ymax - note.height - 0.1
    row = min(0.5, (top - box.ymin - 0.6) / len(made))
    x0 = box.xmin + mark_w + head_w + 0.12
    full = box.xmax - value_w - 0.12 - x0
    bars: list[Rectangle] = []
    for r, (head, value) in enumerate(zip(made, values, strict=True)):
        y = top - (r + 0.5) * row
        c = keep[r] if r < len(keep) else None
        static.add(head.move_to((x0 - 0.12 - head.width / 2, y, 0.0)))
        if c == label:
            tick = text(MARK, BAR_SIZE, color=th.accent)
            static.add(tick.next_to(head, LEFT, buff=0.1))
        track = Rectangle(
            width=full, height=0.6 * row, stroke_color=th.grid, stroke_width=1, z_index=1
        ).move_to((x0 + full / 2, y, 0.0))
        static.add(track)
        share = float(p[c]) if c is not None else float(p[rest].sum())
        width = max(full * share, 0.005)
        bar = Rectangle(
            width=width,
            height=0.6 * row,
            stroke_width=0,
            fill_color=th.class_color(c) if c is not None else th.subtext,
            fill_opacity=0.9,
            z_index=2,
        ).move_to((x0 + width / 2, y, 0.0))
        bars.append(bar)
        static.add(value.move_to((x0 + full + 0.12, y, 0.0), LEFT))
    return static, bars


class Inset:
    """The input plane, small, in the panel: an extent fitted into a screen box."""

    def __init__(self, extent: tuple[float, float, float, float], box: Box) -> None:
        self.extent = extent
        self.box = fit_extent(extent, box)

    def to_screen(self, xy: npt.ArrayLike) -> Array:
        """Screen positions of input-plane points ``(n, 2)``."""
        p = np.asarray(xy, np.float64).reshape(-1, 2)
        x0, x1, y0, y1 = self.extent
        b = self.box
        sx = b.xmin + (p[:, 0] - x0) / (x1 - x0) * (b.xmax - b.xmin)
        sy = b.ymin + (p[:, 1] - y0) / (y1 - y0) * (b.ymax - b.ymin)
        return np.column_stack([sx, sy])

    def image(self, pixels: Pixels) -> ImageMobject:
        """A picture of the plane (regions, boundaries) filling the inset."""
        return image_in(pixels, self.box)

    def frame(self) -> Rectangle:
        """The inset's border."""
        b = self.box
        return Rectangle(
            width=b.xmax - b.xmin,
            height=b.ymax - b.ymin,
            stroke_color=theme().axis,
            stroke_width=1.5,
            z_index=3,
        ).move_to((*b.centre, 0.0))

    def points(self, xy: npt.ArrayLike, rgbas: Array) -> PointCloud:
        """The data points, small, clipped to the inset."""
        return PointCloud(
            self.to_screen(xy),
            rgbas,
            radius=0.022,
            clip_box=self.box.as_tuple(),
            z_index=3,
        )

    def ring(self, xy: npt.ArrayLike) -> Circle:
        """A ring around one point of the plane."""
        (x, y) = self.to_screen(xy)[0]
        return Circle(radius=0.09, stroke_color=theme().accent, stroke_width=3, z_index=4).move_to(
            (x, y, 0.0)
        )
