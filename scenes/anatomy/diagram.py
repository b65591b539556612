"""The anatomy's network diagram as Manim mobjects: neurons, weighted edges, labels, pictures.

Its geometry and styles are :mod:`scenes.anatomy.layout`'s; this module only draws them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    Circle,
    Group,
    Line,
    Rectangle,
    RoundedRectangle,
    VGroup,
    VMobject,
)

from scenes.anatomy.fit import width_of, wrap
from scenes.anatomy.layout import (
    LEGEND_Y,
    MIN_EDGE,
    SUBSCRIPTS,
    TITLE_SIZES,
    TITLE_Y,
    ZERO_OPACITY,
    Diagram,
    Title,
    edge_style,
    fill_rgbs,
    sign_colors,
)
from scenes.anatomy.names import IN_LINES, MARK, MARK_ROOM, OUT_LINES
from scenes.anatomy.panels import image_in
from scenes.anatomy.pictures import Pixels
from scenes.core.theme import theme
from scenes.core.view import Box
from scenes.mobjects.widgets import math, text

__all__ = ["NetDiagram", "edge_legend"]

Array = npt.NDArray[np.float64]
#: Drawing order: edges 1, neurons 3, labels 4-5, pictures 6-7, then the highlight.
SPOT_Z = 25
#: The size of a wide column's "+k more" (as the notes beside the pictures).
MORE_SIZE = 18


class NetDiagram:
    """The network drawn from its layout: neurons, weighted edges, titles, "+k more" notes,
    the inputs' names (left) and the output units' names (right).

    Nothing is added to a scene here: the scene fades in what each beat needs. Methods
    build fresh mobjects for a state (edges of given values, neurons of given fills, labels
    under the neurons), so a beat cross-fades from the old state to the new one.

    Parameters
    ----------
    layout
        The geometry (:func:`scenes.anatomy.layout.diagram_layout`).
    titles
        Each column's title, its lines and place
        (:func:`scenes.anatomy.layout.column_titles`).
    inputs
        The inputs' names (the data's columns), or None for x₁ and x₂.
    outputs
        The name of every output unit (drawn for the units the layout draws).
    """

    def __init__(
        self,
        layout: Diagram,
        titles: Sequence[Title],
        inputs: Sequence[str] | None = None,
        outputs: Sequence[str] = (),
    ) -> None:
        th = theme()
        self.layout = layout
        self.titles = VGroup()
        for title in titles:
            sized = zip(title.lines, TITLE_SIZES, strict=False)
            parts = [text(t, pt, color=th.subtext) for t, pt in sized]
            group = VGroup(*parts).arrange(DOWN, buff=0.06)
            if title.scale != 1.0:
                group.scale(title.scale)
            self.titles.add(group.move_to((title.x, TITLE_Y, 0)))
        self.more = VGroup()
        for col in layout.columns:
            if col.more_at is not None:
                note = text(f"+{col.more} more", MORE_SIZE, color=th.subtext)
                if note.width > 0.9 * layout.gap:
                    note.scale_to_fit_width(0.9 * layout.gap)
                self.more.add(note.move_to((*col.more_at, 0.0)))
        names = VGroup()
        for k, (x, y) in enumerate(layout.columns[0].positions):
            if inputs is None:
                label: VMobject = math(f"x_{k + 1}", 26)
            else:
                size = layout.in_size
                label = _lines(wrap(inputs[k], size, layout.in_room, IN_LINES), size, RIGHT)
            names.add(label.next_to(np.array([x - layout.in_clear, y, 0.0]), LEFT, buff=0.0))
        self.input_names = names
        self.unit_names = list(outputs)

    def output_names(self, mark: int | None = None) -> VGroup:
        """The drawn output units' names, right of them, one per unit at its height; the
        unit ``mark`` (the true class) in the accent colour, with a ✓."""
        th = theme()
        col = self.layout.columns[-1]
        group = VGroup()
        if not self.unit_names:
            return group
        size, room = self.layout.out_size, self.layout.out_room
        for u, (x, y) in zip(col.units, col.positions, strict=True):
            lines = wrap(self.unit_names[u], size, room, OUT_LINES)
            if u == mark:  # the ✓ after its last line, which keeps room for it if need be
                if width_of(f"{lines[-1]} {MARK}", size) > room:
                    lines = wrap(self.unit_names[u], size, room - MARK_ROOM, OUT_LINES)
                lines[-1] = f"{lines[-1]} {MARK}"
            color = th.accent if u == mark else th.text
            name = _lines(lines, self.layout.out_size, LEFT, color)
            group.add(name.next_to(np.array([x + self.layout.clear, y, 0.0]), RIGHT, buff=0.0))
        return group

    # -- neurons
    def neurons(self, column: int, fills: Array | None = None, ring: str | None = None) -> VGroup:
        """The column's neurons, filled with ``fills`` (n, 3) RGB (default: background)."""
        th = theme()
        col = self.layout.columns[column]
        group = VGroup()
        for k, (x, y) in enumerate(col.positions):
            fill = th.background if fills is None else _hex(fills[k])
            group.add(
                Circle(
                    radius=self.layout.radius,
                    stroke_color=ring or th.axis,
                    stroke_width=2.5,
                    fill_color=fill,
                    fill_opacity=1.0,
                    z_index=3,
                ).move_to((x, y, 0.0))
            )
        return group

    def filled(self, column: int, values: npt.ArrayLike, vmax: float) -> VGroup:
        """Neurons tinted by the sign and size of ``values`` (one per unit of the layer, all
        of them: the drawn ones are picked)."""
        v = np.asarray(values, np.float64)[list(self.layout.columns[column].units)]
        return self.neurons(column, fill_rgbs(v, vmax))

    # -- edges
    def edges(
        self,
        layer: int,
        values: npt.ArrayLike,
        vmax: float,
        *,
        backward: bool = False,
        dim: float = 1.0,
    ) -> VGroup:
        """Weight layer ``layer``'s drawn edges styled by ``values`` (its full ``(out, in)``
        matrix of weights or gradients); ``backward`` draws each from its end to its start
        (so :class:`manim.Create` grows it backwards); ``dim`` scales the opacity."""
        dst, src = self.layout.edge_units(layer)
        vals = np.asarray(values, np.float64)[dst, src]
        style = edge_style(vals, vmax)
        ends = self.layout.edge_ends(layer)
        group = VGroup()
        order = np.argsort(style.widths, kind="stable")  # thick edges on top
        for e in order:
            a, b = (np.array([*p, 0.0]) for p in ends[e])
            if backward:
                a, b = b, a
            group.add(
                Line(
                    a,
                    b,
                    stroke_width=100 * float(style.widths[e]),
                    stroke_color=style.colors[e],
                    stroke_opacity=float(style.opacities[e]) * dim,
                    z_index=1,
                )
            )
        return group

    def structure(self, layer: int) -> VGroup:
        """Weight layer ``layer``'s edges as thin grey lines: the wiring, no values."""
        th = theme()
        group = VGroup()
        for a, b in self.layout.edge_ends(layer):
            group.add(
                Line(
                    (*a, 0.0),
                    (*b, 0.0),
                    stroke_width=100 * MIN_EDGE,
                    stroke_color=th.grid,
                    stroke_opacity=ZERO_OPACITY,
                    z_index=1,
                )
            )
        return group

    # -- labels
    def tag(self, column: int, unit: int, name: str) -> str:
        """A value's name in a label under unit ``unit`` of ``column``: ``name`` itself, or,
        in a column that does not draw all its units, with the unit's number as a subscript
        (``h₇``), so the viewer knows which units are shown."""
        if not self.layout.columns[column].more:
            return name
        return f"{name}{str(unit + 1).translate(SUBSCRIPTS)}"

    def labels(self, column: int, texts: Sequence[str], color: str | None = None) -> VGroup:
        """One short text under each drawn neuron of ``column`` (``texts``: one per drawn
        unit, top to bottom), on a background chip so edges do not run through it; above
        the neurons where a staggered diagram raises them. Every label of the diagram is
        drawn at its one :attr:`~scenes.anatomy.layout.Diagram.label_size`."""
        th = theme()
        lay = self.layout
        col = lay.columns[column]
        group = VGroup()
        made = [text(s, lay.label_size, color=color or th.text) for s in texts]
        _shrink_alike(made, lay.label_width)  # only a value far beyond the expected
        for (x, y), label in zip(col.positions, made, strict=True):
            if lay.above(column):
                label.move_to((x, y + lay.radius + 0.05 + label.height / 2 + 0.03, 0.0))
            else:
                label.move_to((x, y - lay.radius - 0.05 - label.height / 2 - 0.03, 0.0))
            chip = RoundedRectangle(
                corner_radius=0.05,
                width=label.width + 0.1,
                height=label.height + 0.08,
                stroke_width=0,
                fill_color=th.background,
                fill_opacity=0.85,
                z_index=4,
            ).move_to(label.get_center())
            label.set_z_index(5)
            group.add(VGroup(chip, label))
        return group

    def spotlight(self, column: int, to: int | None = None) -> VMobject:
        """A box around one column, or around columns ``column`` to ``to`` (a weight layer
        and the neurons on both its sides): what the captions speak of. An outline only,
        drawn above the diagram, so moving it redraws nothing else. It holds the columns'
        titles, neurons, labels and names (:meth:`scenes.anatomy.layout.Diagram.spot`)."""
        th = theme()
        b = self.layout.spot(column, to)
        box = RoundedRectangle(
            corner_radius=0.12,
            width=b.xmax - b.xmin,
            height=b.ymax - b.ymin,
            stroke_color=th.accent,
            stroke_width=2.5,
            stroke_opacity=0.8,
            fill_opacity=0.0,
            z_index=SPOT_Z,
        )
        return box.move_to((*b.centre, 0.0))

    def heatmaps(self, column: int, pictures: Sequence[Pixels]) -> Group:
        """Each drawn neuron of ``column`` replaced by a square picture of its response."""
        th = theme()
        side = self.layout.node_box()
        group = Group()
        for (x, y), px in zip(self.layout.columns[column].positions, pictures, strict=False):
            box = Box(x - side / 2, x + side / 2, y - side / 2, y + side / 2)
            image = image_in(px, box)
            image.set_z_index(6)
            frame = Rectangle(
                width=side, height=side, stroke_color=th.axis, stroke_width=1.5, z_index=7
            ).move_to((x, y, 0.0))
            group.add(image, frame)
        return group


def _shrink_alike(mobjects: Sequence[VMobject], width: float) -> None:
    """Scale every mobject by the same factor, so that the widest is at most ``width``."""
    widest = max((m.width for m in mobjects), default=0.0)
    if widest > width:
        for m in mobjects:
            m.scale(width / widest)


def _lines(
    lines: Sequence[str], size: int, side: npt.NDArray[np.float64], color: str | None = None
) -> VGroup:
    """Lines of a name, one under the other, aligned on ``side``."""
    made = [text(s, size, color=color or theme().text) for s in lines]
    return VGroup(*made).arrange(DOWN, buff=0.05, aligned_edge=side)


def _hex(rgb: npt.ArrayLike) -> str:
    r, g, b = (int(round(float(c) * 255)) for c in np.clip(np.asarray(rgb), 0, 1))
    return f"#{r:02X}{g:02X}{b:02X}"


def edge_legend() -> VGroup:
    """What colour and width mean, under the diagram."""
    th = theme()
    pos, neg = sign_colors()
    items: list[VMobject] = []
    for color, word in ((pos, "positive"), (neg, "negative")):
        stroke = Line(np.zeros(3), np.array([0.45, 0.0, 0.0]), stroke_width=5, stroke_color=color)
        label = text(word, 18, color=th.subtext).next_to(stroke, RIGHT, buff=0.1)
        items.append(VGroup(stroke, label))
    items.append(text("thicker = larger |value|", 18, color=th.subtext))
    group = VGroup(*items).arrange(RIGHT, buff=0.4)
    return group.move_to((-2.25, LEGEND_Y, 0.0))
