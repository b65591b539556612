"""Where the anatomy scene draws: the network diagram's geometry and styles (numpy only).

The diagram is columns of neurons (the 2 inputs, each hidden layer, the output layer) joined
by one edge per weight. A layer wider than :data:`MAX_UNITS` draws ``MAX_UNITS - 1`` units
and an honest "+k more" in the last slot: a hidden layer the units that matter most for the
followed point (:func:`scenes.anatomy.numbers.busiest_units`), the output layer the point's
true and predicted classes and then its likeliest others (:func:`output_units`), in
increasing order. The labels under the neurons are one size for the whole diagram
(:data:`LABEL_SIZES`); when even the smallest does not fit between two columns, a column
whose labels would touch those of the column before goes above its neurons instead
(``stagger``), so neighbours never touch. The inputs'
names sit left of the input neurons, the output units' (class) names right of the output
neurons, each in a room of its own
(:func:`diagram_box`). Edges are coloured by sign (:func:`sign_colors`: the theme's
``positive`` and ``negative``, never a class's colour) and drawn thicker
and more opaque for larger magnitudes (:func:`edge_style`); the same style serves weights
and gradients. Everything here is in Manim frame units (the frame is 14.22 × 8, centred on
0) and is tested without rendering.

>>> d = diagram_layout([2, 16, 8], output=[1, 4, 5, 6, 7])
>>> [c.shown for c in d.columns], d.columns[1].more, d.columns[2].units
([2, 5, 5], 11, (1, 4, 5, 6, 7))
>>> diagram_layout([2, 16, 8], picked={1: [9, 2, 3, 14, 0]}).columns[1].units
(0, 2, 3, 9, 14)
>>> d.edge_units(1)[0][:3].tolist(), d.edge_units(1)[1][:3].tolist()
([1, 1, 1], [0, 1, 2])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nnmodel import activations as act_table
from scenes.anatomy.names import MATH_ROOM, NAME_SIZE, text_width
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.view import Box

__all__ = [
    "BOARD",
    "DIAGRAM",
    "EDGE_MARGIN",
    "FRAME_LEFT",
    "HEATMAP",
    "INSET",
    "LABEL_CLEAR",
    "LABEL_MAX",
    "LABEL_SIZES",
    "LEGEND_Y",
    "MAX_EDGE",
    "MAX_UNITS",
    "MIN_EDGE",
    "NAME_GAP",
    "SPOT_PAD",
    "SIGN_NAMES",
    "SUBSCRIPTS",
    "TITLE_FORMS",
    "TITLE_GAP",
    "TITLE_SIZES",
    "TITLE_Y",
    "Column",
    "Diagram",
    "EdgeStyle",
    "PlotFrame",
    "Title",
    "column_titles",
    "diagram_box",
    "diagram_layout",
    "edge_style",
    "fill_rgbs",
    "fit_extent",
    "label_boxes",
    "label_template",
    "output_units",
    "plot_frame",
    "sign_colors",
    "sign_names",
    "titles_clear",
]

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The column titles' baseline height, above the diagram.
TITLE_Y = 2.38
#: The column titles' font sizes: the column's name (``layer 3``) and the line under it
#: (its activation), never smaller: a deep diagram abbreviates its titles instead
#: (:func:`column_titles`).
TITLE_SIZES = (18, 16)
#: The least room between neighbouring column titles (15 px at 480p).
TITLE_GAP = 0.25
#: The legend's height, below the diagram.
LEGEND_Y = -3.72
#: The right-hand panel: the input plane (top; the notes under it take up to 3 lines) and
#: a board for formulas, plots and bars.
INSET = Box(3.05, 6.85, 0.2, 2.35)
BOARD = Box(2.85, 6.95, -3.6, -0.75)
#: The frame's left edge, and the room kept between it and any text.
FRAME_LEFT = -7.111
EDGE_MARGIN = 0.25
#: The side of a neuron's response picture, at most.
HEATMAP = 0.8
#: Half the widest value label under an input neuron ("−0.0012"): the inputs' names keep
#: clear of it, as of the neuron and its picture, by NAME_GAP.
INPUT_LABEL = 0.45
NAME_GAP = 0.12
#: The highlight box's margin around what it encloses, and its gap to the panel.
SPOT_PAD, PANEL_GAP = 0.1, 0.12
#: The widest label under a neuron (a wider one shrinks, with its column's).
LABEL_MAX = 1.6
#: The labels' font sizes, largest first: the diagram's labels take the largest at which
#: the widest fits between two columns (with LABEL_CLEAR to spare); if none does, every
#: other column's go above its neurons, at the largest. The smallest is 12 px tall at 480p.
LABEL_SIZES = (20, 18)
LABEL_CLEAR = 0.2
#: Digits as subscripts: a drawn unit's number in its labels (``h₇``) when a layer is wide.
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
#: Units drawn per layer: a wider layer shows ``MAX_UNITS - 1`` and "+k more".
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
    units
        The units drawn, top to bottom (indices into the layer, increasing).
    x
        Horizontal position of the column.
    ys
        Heights of the drawn units, top to bottom, ``(shown,)``.
    more_at
        Where the "+k more" note goes, or None when every unit is drawn.
    """

    width: int
    units: tuple[int, ...]
    x: float
    ys: Array
    more_at: tuple[float, float] | None

    @property
    def shown(self) -> int:
        """Units drawn."""
        return len(self.units)

    @property
    def more(self) -> int:
        """Units not drawn."""
        return self.width - self.shown

    @property
    def positions(self) -> Array:
        """Centres of the drawn units, ``(shown, 2)``."""
        return np.column_stack([np.full(self.shown, self.x), self.ys])

    def slot(self, unit: int) -> int | None:
        """Where unit ``unit`` is drawn (0 at the top), or None if it is not drawn."""
        return self.units.index(unit) if unit in self.units else None


@dataclass(frozen=True)
class Diagram:
    """The diagram's geometry: columns (inputs, hidden layers, output), neuron size, spacing,
    and the rooms of the inputs' names (left of column 0) and the output units' names
    (right of the last column).

    Column ``c`` holds the outputs of weight layer ``c - 1``; weight layer ``l`` joins
    column ``l`` to column ``l + 1``.
    """

    columns: tuple[Column, ...]
    radius: float
    spacing: float
    gap: float
    in_room: float = MATH_ROOM
    out_room: float = 0.0
    in_size: int = NAME_SIZE
    out_size: int = NAME_SIZE
    label_size: int = LABEL_SIZES[0]
    stagger: bool = False
    label_span: float = 0.0
    raised: tuple[bool, ...] = ()

    @property
    def too_wide(self) -> bool:
        """Whether some layer has more units than are drawn."""
        return any(c.more for c in self.columns)

    @property
    def label_width(self) -> float:
        """The widest a label under a neuron may be (a wider one shrinks, with its column's):
        what leaves :data:`LABEL_CLEAR` to the labels of the next column (two columns on,
        when staggered)."""
        return float(min(LABEL_MAX, (2 if self.stagger else 1) * self.gap - LABEL_CLEAR))

    def above(self, column: int) -> bool:
        """Whether ``column``'s labels go above its neurons (staggered: where below they
        would touch the labels of the column before)."""
        return column < len(self.raised) and self.raised[column]

    def edge_units(self, layer: int) -> tuple[IntArray, IntArray]:
        """``(dst, src)`` unit indices of weight layer ``layer``'s drawn edges.

        Ordered by destination unit, then source unit, so ``W[dst, src]`` (torch's layout)
        gives each edge its weight.
        """
        d_slot, s_slot = self.edge_slots(layer)
        src, dst = self.columns[layer], self.columns[layer + 1]
        return (
            np.asarray(dst.units, np.int64)[d_slot],
            np.asarray(src.units, np.int64)[s_slot],
        )

    def edge_slots(self, layer: int) -> tuple[IntArray, IntArray]:
        """``(dst, src)`` slots (places in their columns) of the edges of :meth:`edge_units`."""
        src, dst = self.columns[layer], self.columns[layer + 1]
        d, s = np.meshgrid(np.arange(dst.shown), np.arange(src.shown), indexing="ij")
        return d.ravel().astype(np.int64), s.ravel().astype(np.int64)

    def edge_ends(self, layer: int) -> Array:
        """Start (source centre) and end (destination centre) of each drawn edge, (E, 2, 2)."""
        dst, src = self.edge_slots(layer)
        a = self.columns[layer].positions[src]
        b = self.columns[layer + 1].positions[dst]
        return np.stack([a, b], axis=1)

    def node_box(self, size: float = HEATMAP) -> float:
        """The side of a square that fits a neuron's slot (for response heatmaps)."""
        return float(min(size, 0.86 * self.spacing, 0.62 * self.gap))

    @property
    def clear(self) -> float:
        """How far from an output neuron's centre its name starts: clear of the neuron and
        of its response picture."""
        return max(self.radius, self.node_box() / 2) + NAME_GAP

    @property
    def in_clear(self) -> float:
        """How far from an input neuron's centre its name ends: clear of the neuron, its
        picture and the value under it."""
        return max(self.radius, self.node_box() / 2, INPUT_LABEL) + NAME_GAP

    def spot(self, first: int, last: int | None = None) -> Box:
        """The highlight box around columns ``first`` to ``last``: their titles, neurons,
        the labels under them and, at the ends of the diagram, the names beside them."""
        cols = self.columns[first : (first if last is None else last) + 1]
        # clear of its labels (staggered: as wide as the widest expected), short of the
        # next column's neurons
        width = self.label_width
        if self.stagger:
            width = min(width, self.label_span + 0.1)
        half = width / 2 + min(SPOT_PAD, max(self.gap - width, 0.0) / 2)
        left, right = cols[0].x - half, cols[-1].x + half
        if first == 0:
            left = min(left, cols[0].x - self.in_clear - self.in_room - SPOT_PAD)
        if self.columns[-1] is cols[-1] and self.out_room:
            right = max(right, cols[-1].x + self.clear + self.out_room + SPOT_PAD)
        top = TITLE_Y + 0.26
        low = min(min(c.ys.min(), c.more_at[1] if c.more_at else c.ys.min()) for c in cols)
        return Box(float(left), float(right), float(low - self.radius - 0.42), top)


def diagram_box(in_room: float = MATH_ROOM, out_room: float = 0.0) -> Box:
    """Where neuron centres may go, leaving the inputs' names ``in_room`` on the left (and
    the frame's margin), the output names ``out_room`` on the right (and the highlight box
    clear of the panel). The labels under the lowest neurons reach ~0.5 lower.

    >>> diagram_box(MATH_ROOM, 0.0).as_tuple()
    (-5.991, 2.11, -2.75, 1.6)
    """
    xmin = FRAME_LEFT + EDGE_MARGIN + in_room + NAME_GAP + max(HEATMAP / 2, INPUT_LABEL)
    xmax = BOARD.xmin - PANEL_GAP - SPOT_PAD - out_room - NAME_GAP - HEATMAP / 2
    return Box(round(xmin, 6), round(xmax, 6), -2.75, 1.6)


#: Where neuron centres go when the names are x₁, x₂ and no output names are drawn.
DIAGRAM = diagram_box()


def output_units(probs: npt.ArrayLike, label: int, n: int) -> tuple[int, ...]:
    """The ``n`` output units to draw for a point: its true class, the predicted one, then
    the likeliest others (the lower class on a tie), in class order.

    >>> output_units([0.1, 0.05, 0.3, 0.02, 0.5, 0.03], 3, 3)
    (2, 3, 4)
    """
    p = np.asarray(probs, np.float64).ravel()
    order = [int(label), int(np.argmax(p)), *np.argsort(-p, kind="stable").tolist()]
    chosen: list[int] = []
    for u in order:
        if u not in chosen:
            chosen.append(int(u))
    return tuple(sorted(chosen[: min(n, len(p))]))


def diagram_layout(
    widths: Sequence[int],
    box: Box = DIAGRAM,
    max_units: int = MAX_UNITS,
    *,
    output: Sequence[int] | None = None,
    picked: Mapping[int, Sequence[int]] | None = None,
    in_room: float = MATH_ROOM,
    out_room: float = 0.0,
    sizes: tuple[int, int] = (NAME_SIZE, NAME_SIZE),
) -> Diagram:
    """Columns evenly spread across ``box``, units evenly spaced and centred in each.

    Every column uses the same vertical spacing (that of the tallest column, at most 1.45),
    so neurons line up across layers. A column wider than ``max_units`` draws
    ``max_units - 1`` units, and its last slot holds the "+k more" note: the units
    ``picked[column]`` (:func:`scenes.anatomy.numbers.busiest_units`; the output's may be
    given as ``output``, :func:`output_units`), in increasing order; default its first
    ones. ``in_room`` and ``out_room`` are the names' rooms (:func:`diagram_box`), and
    ``sizes`` their font sizes (inputs, outputs). The labels' size and whether they are
    staggered follow from the columns' gap (:data:`LABEL_SIZES`).

    >>> d = diagram_layout([2, 3, 1], Box(-6.3, 2.05, -2.75, 1.6))
    >>> [round(float(c.x), 2) for c in d.columns]
    [-6.3, -2.12, 2.05]
    >>> d.columns[1].ys.round(2).tolist()
    [0.88, -0.57, -2.02]
    """
    if len(widths) < 2 or min(widths) < 1:
        raise ValueError(f"a diagram needs at least 2 columns of at least 1 unit, got {widths}")
    if max_units < 2:
        raise ValueError("max_units must be at least 2 (one unit and the note)")
    chosen = dict(picked or {})
    if output is not None:
        chosen[len(widths) - 1] = output
    slots = [min(w, max_units) for w in widths]
    spacing = min(1.45, (box.ymax - box.ymin) / max(max(slots) - 1, 1))
    xs = np.linspace(box.xmin, box.xmax, len(widths))
    gap = float(xs[1] - xs[0])
    centre = (box.ymin + box.ymax) / 2
    columns = []
    for c, (x, w, n) in enumerate(zip(xs, widths, slots, strict=True)):
        shown = w if w <= max_units else max_units - 1
        units = tuple(range(shown))
        if c in chosen and shown < w:
            units = tuple(sorted(int(u) for u in chosen[c]))
            if len(units) != shown or len(set(units)) != shown or not 0 <= units[0] < w:
                raise ValueError(f"draw {shown} distinct units of {w}, not {chosen[c]}")
            if units[-1] >= w:
                raise ValueError(f"units {chosen[c]} are not all below {w}")
        ys = centre + ((n - 1) / 2 - np.arange(n)) * spacing
        more = (float(x), float(ys[-1])) if shown < w else None
        columns.append(Column(int(w), units, float(x), ys[:shown].astype(np.float64), more))
    radius = float(min(0.19, 0.24 * spacing, 0.12 * gap))
    spans = [label_template(c) for c in columns[1:]]  # the inputs' labels are short
    size, stagger = LABEL_SIZES[0], True
    for pt in LABEL_SIZES:
        if max(text_width(t, pt) for t in spans) <= min(LABEL_MAX, gap - LABEL_CLEAR):
            size, stagger = pt, False
            break
    span = max(text_width(t, size) for t in spans)
    raised = _raise_labels(columns, radius, size, span) if stagger else ()
    return Diagram(
        tuple(columns),
        radius,
        float(spacing),
        gap,
        float(in_room),
        float(out_room),
        *sizes,
        label_size=size,
        stagger=stagger,
        label_span=float(span),
        raised=raised,
    )


#: A label's height (frame units) per point of its size (its chip reaches 0.04 beyond).
LABEL_HEIGHT = 0.011


def label_boxes(column: Column, radius: float, size: int, span: float, above: bool) -> list[Box]:
    """Where the labels of ``column``'s neurons go (as :meth:`NetDiagram.labels` puts them),
    each as wide as ``span`` and :data:`LABEL_HEIGHT` tall for its ``size``: under each
    neuron, or ``above`` it."""
    tall = LABEL_HEIGHT * size
    boxes = []
    for y in column.ys:
        near = y + radius + 0.08 if above else y - radius - 0.08 - tall
        boxes.append(Box(column.x - span / 2, column.x + span / 2, near, near + tall))
    return boxes


def _raise_labels(
    columns: Sequence[Column], radius: float, size: int, span: float
) -> tuple[bool, ...]:
    """Staggered labels: from left to right, a column's go above its neurons if under them
    they would touch the labels of the column before (and above they would not)."""

    def touch(a: list[Box], b: list[Box]) -> bool:
        return any(
            p.xmin < q.xmax + LABEL_CLEAR / 2
            and q.xmin < p.xmax + LABEL_CLEAR / 2
            and p.ymin < q.ymax + 0.04
            and q.ymin < p.ymax + 0.04
            for p in a
            for q in b
        )

    raised = [False]
    for before, col in zip(columns[:-1], columns[1:], strict=True):
        prev = label_boxes(before, radius, size, span, raised[-1])
        under = label_boxes(col, radius, size, span, False)
        over = label_boxes(col, radius, size, span, True)
        raised.append(touch(prev, under) and not touch(prev, over))
    return tuple(raised)


@dataclass(frozen=True)
class Title:
    """A column's title as drawn: its lines (the name, then what is under it), centred at
    ``x``, each line at its :data:`TITLE_SIZES` size times ``scale``; ``width`` is the
    widest line's (estimated from the font's advances, :func:`~scenes.anatomy.names.text_width`).
    """

    lines: tuple[str, ...]
    x: float
    width: float
    scale: float = 1.0

    @property
    def left(self) -> float:
        """The title's left end."""
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        """The title's right end."""
        return self.x + self.width / 2


#: How the hidden columns are titled, from the fullest form to the most abbreviated: the
#: first that keeps :data:`TITLE_GAP` between every two neighbours at full size is used,
#: for every hidden column alike. ``L3`` is layer 3 (the captions and the highlight say
#: which); in the last form the activation is left to the captions, which name it in
#: every layer's beat.
TITLE_FORMS = ("full", "short", "bare")


def _title_lines(form: str, column: int, act: str) -> tuple[str, ...]:
    """Hidden column ``column``'s title lines in ``form`` (:data:`TITLE_FORMS`).

    >>> [_title_lines(f, 3, "leaky_relu") for f in TITLE_FORMS]
    [('layer 3', 'leaky relu'), ('L3', 'leaky relu'), ('L3',)]
    """
    name = act.replace("_", " ")
    if form == "full":
        return (f"layer {column}", name)
    if form == "short":
        return (f"L{column}", name)
    return (f"L{column}",)


def _title_width(lines: Sequence[str], scale: float = 1.0) -> float:
    return scale * max(text_width(t, pt) for t, pt in zip(lines, TITLE_SIZES, strict=False))


def _place_titles(diagram: Diagram, lines: Sequence[tuple[str, ...]], scale: float) -> list[Title]:
    """Titles centred over their columns, except the first and the last, which move out
    (over the inputs' and the output's names, where nothing else is at their height) as
    far as they must to keep :data:`TITLE_GAP` from their neighbour and to stay inside
    their column's highlight (:meth:`Diagram.spot`)."""
    cols = diagram.columns
    titles = [
        Title(t, c.x, _title_width(t, scale), scale) for t, c in zip(lines, cols, strict=True)
    ]
    if len(titles) > 2:
        first, second = titles[0], titles[1]
        right = min(second.left - TITLE_GAP, diagram.spot(0).xmax - SPOT_PAD / 2)
        x = min(first.x, right - first.width / 2)
        titles[0] = Title(first.lines, x, first.width, scale)
        last, before = titles[-1], titles[-2]
        left = max(before.right + TITLE_GAP, diagram.spot(len(cols) - 1).xmin + SPOT_PAD / 2)
        x = max(last.x, left + last.width / 2)
        titles[-1] = Title(last.lines, x, last.width, scale)
    return titles


def titles_clear(titles: Sequence[Title]) -> bool:
    """Whether every two neighbouring titles keep :data:`TITLE_GAP` between them and the
    row stays in the frame, clear of the panel (by the estimated widths)."""
    pairs = zip(titles, titles[1:], strict=False)
    apart = all(a.right + TITLE_GAP <= b.left + 1e-9 for a, b in pairs)
    inside = titles[0].left >= FRAME_LEFT + EDGE_MARGIN - 1e-9
    return apart and inside and titles[-1].right <= BOARD.xmin - PANEL_GAP + 1e-9


def column_titles(
    diagram: Diagram, acts: Sequence[str], output: str, standardised: bool = False
) -> tuple[Title, ...]:
    """Each column's title: ``input`` (over ``standardised`` when the network sees its
    inputs so), each hidden layer's name and activation, ``output`` over the output's
    activation. The hidden columns take the fullest of :data:`TITLE_FORMS` whose titles
    keep :data:`TITLE_GAP` apart at full size; if even the barest does not, every title
    shrinks by one factor until they do (no network nnwarp trains needs it).

    >>> d = diagram_layout([2, 4, 4, 1])
    >>> [t.lines for t in column_titles(d, ["tanh", "relu"], "sigmoid")]
    [('input',), ('layer 1', 'tanh'), ('layer 2', 'relu'), ('output', 'sigmoid')]
    >>> deep = diagram_layout([2, *[4] * 8, 1])
    >>> [t.lines[0] for t in column_titles(deep, ["tanh"] * 8, "sigmoid")]
    ['input', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'L8', 'output']
    """
    if len(acts) != len(diagram.columns) - 2:
        raise ValueError(f"{len(acts)} activations for {len(diagram.columns) - 2} hidden layers")
    head = ("input", "standardised") if standardised else ("input",)
    tail = ("output", output.replace("_", " "))
    titles: list[Title] = []
    for form in TITLE_FORMS:
        lines = [head, *[_title_lines(form, i + 1, a) for i, a in enumerate(acts)], tail]
        titles = _place_titles(diagram, lines, 1.0)
        if titles_clear(titles):
            return tuple(titles)
    # the barest form, shrunk alike until its neighbours keep their distance
    scale = 1.0
    while not titles_clear(titles) and scale > 0.3:
        scale *= 0.95
        titles = _place_titles(diagram, [t.lines for t in titles], scale)
    return tuple(titles)


def label_template(column: Column) -> str:
    """The widest label a neuron of ``column`` is expected to carry: a name (``δ``), the
    unit's number as a subscript when the column does not draw all its units, and a
    two-decimal value with its sign.

    >>> label_template(diagram_layout([2, 16, 1]).columns[1])
    'δ₁₆=−0.00'
    """
    sub = str(column.width).translate(SUBSCRIPTS) if column.more else ""
    return f"δ{sub}=−0.00"


def sign_colors() -> tuple[str, str]:
    """``(positive, negative)``: the theme's sign colours (``positive``, ``negative``), a
    pair of their own. They are never the class colours: the data thumbnail, the points,
    the probability bars and the output's response are in class colours, and a positive
    logit (class 1) drawn in class 0's colour would read backwards.

    >>> sign_colors() == (theme().positive, theme().negative)
    True
    >>> set(sign_colors()) & set(theme().classes[:3])
    set()
    """
    th = theme()
    return th.positive, th.negative


#: What the words call nnwarp's own sign colours (:func:`sign_names`).
SIGN_NAMES = {"#B968F0": "purple", "#F84B4B": "red"}


def sign_names() -> tuple[str, str] | None:
    """What the words call the sign colours, ``(positive, negative)``: their names when
    they are nnwarp's own, None when a theme changed them (the words then name no colour:
    the legend shows it).

    >>> sign_names()
    ('purple', 'red')
    """
    pos, neg = (c.upper() for c in sign_colors())
    if pos in SIGN_NAMES and neg in SIGN_NAMES:
        return SIGN_NAMES[pos], SIGN_NAMES[neg]
    return None


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
