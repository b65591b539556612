"""Where everything of the evolution goes on the 16:9 frame (frame units, numpy only).

The frame is 14.22 × 8 units, centred on 0; the captions take the top 1.5 units. The
input plane is a square on the left, the epoch counter above it and the class legend
below (a legend of several rows makes the square smaller). On the right, the hidden
layers as small multiples (one row of up to four, or two rows), and under them the loss
and accuracy charts side by side; with no hidden layer the charts take the whole right
column. With scales in the data's own units, :func:`axis_names` fits the columns' names
along the plot's sides.

>>> lay = layout(4)
>>> len(lay.panels), all(FRAME.contains([[b.xmin, b.ymin], [b.xmax, b.ymax]]) for b in lay.panels)
(4, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scenes.core.view import Box

__all__ = [
    "FRAME",
    "LEGEND_MAX_HEIGHT",
    "LEGEND_WIDTH",
    "NAME_GAP",
    "NAME_MIN_SIZE",
    "NAME_SIZE",
    "AxisName",
    "Layout",
    "axis_names",
    "layout",
]

#: The visible frame, a little inside Manim's (so nothing touches the edge).
FRAME = Box(-7.0, 7.0, -3.95, 3.95)
#: Below the captions: everything but the captions lives under this line.
TOP = 2.45
#: The input plane (a square) and the column it heads.
PLANE = Box(-6.9, -1.55, -3.42, 1.93)
#: Room the input plane gives up for the scales in the data's own units (left, bottom).
UNITS_ROOM = (1.15, 0.8)
#: The right column: small multiples above, charts below.
RIGHT = (-0.95, 6.95)
#: Height of a row of labels (panel names, chart titles), frame units.
LABEL_ROW = 0.34
#: The class legend under the plane: as wide as the plane's column, at most this high
#: (the plane gives up room for a legend of several rows); where its one row is centred,
#: the lowest a taller one reaches, and the room between it and the plane's area.
LEGEND_WIDTH = PLANE.xmax - PLANE.xmin
LEGEND_MAX_HEIGHT = 1.1
LEGEND_Y = -3.72
LEGEND_BOTTOM = -3.88
LEGEND_CLEAR = 0.15
PANEL_GAP = 0.3
#: The largest side of a hidden layer's picture (one row of them): a 16-unit layer seen in
#: 3-D needs the room; the charts under them keep about two units of height.
PANEL_SIDE = 2.6
#: The names of the plane's axes (the data's columns): drawn at this size, shrunk down to
#: the least size still read at 480p (the tick labels' is 20) to fit their side of the
#: plot, then shortened with an ellipsis.
NAME_SIZE = 22
NAME_MIN_SIZE = 18
#: Room between the tick labels and an axis name: under the bottom ones, left of the left.
NAME_GAP = (0.08, 0.12)


@dataclass(frozen=True)
class Layout:
    """The boxes of one evolution frame."""

    #: Where the input plane is framed (inset for scales in the data's units, if any).
    plane: Box
    #: The whole square of the plane, scales included (what the plane's view draws into).
    plane_area: Box
    #: Left end and height of the epoch counter's row, centre of the class legend.
    counter: tuple[float, float]
    legend: tuple[float, float]
    #: One box per hidden layer, and the centre of its label above it.
    panels: tuple[Box, ...]
    panel_labels: tuple[tuple[float, float], ...]
    #: Plot areas of the loss and the accuracy chart, their titles' row, the legend's row.
    charts: tuple[Box, Box]
    chart_titles: tuple[tuple[float, float], tuple[float, float]]
    chart_legend: tuple[float, float]

    def boxes(self) -> list[Box]:
        """Every box, for checks (all inside :data:`FRAME`)."""
        return [self.plane, self.plane_area, *self.panels, *self.charts]


def _panels(n: int) -> tuple[tuple[Box, ...], tuple[tuple[float, float], ...]]:
    x0, x1 = RIGHT
    width = x1 - x0
    if n == 0:
        return (), ()
    rows = 1 if n <= 4 else 2
    cols = math.ceil(n / rows)
    top = TOP - LABEL_ROW
    if rows == 1:
        side = min(PANEL_SIDE, (width - (cols - 1) * PANEL_GAP) / cols)
    else:
        side = min(1.05, (width - (cols - 1) * 0.25) / cols)
    gap = PANEL_GAP if rows == 1 else 0.25
    boxes, labels = [], []
    for i in range(n):
        r, c = divmod(i, cols)
        in_row = min(cols, n - r * cols)
        row_width = in_row * side + (in_row - 1) * gap
        left = (x0 + x1) / 2 - row_width / 2 + c * (side + gap)
        row_top = top - r * (side + LABEL_ROW + 0.12)
        boxes.append(Box(left, left + side, row_top - side, row_top))
        labels.append((left + side / 2, row_top + LABEL_ROW / 2 + 0.02))
    return tuple(boxes), tuple(labels)


def layout(n_hidden: int, units: bool = False, legend_height: float = 0.0) -> Layout:
    """The layout for a network of ``n_hidden`` hidden layers (0 to 8).

    ``units``: the input plane carries scales in the data's own units (data from a file).
    ``legend_height``: how high the class legend is; one taller than a row (up to
    :data:`LEGEND_MAX_HEIGHT`) takes room from the bottom of the plane's square, which
    stays a square, centred in its column.

    >>> lay = layout(2, legend_height=1.0)
    >>> area = lay.plane_area
    >>> round(area.xmax - area.xmin, 2), round(area.ymin - (lay.legend[1] + 0.5), 2)
    (4.66, 0.15)
    """
    if not 0 <= n_hidden <= 8:
        raise ValueError(f"the evolution shows 0 to 8 hidden layers, not {n_hidden}")
    key_y = max(LEGEND_Y, LEGEND_BOTTOM + legend_height / 2)  # the class legend's centre
    area = PLANE
    give = key_y + legend_height / 2 + LEGEND_CLEAR - PLANE.ymin
    if give > 1e-6:
        area = Box(PLANE.xmin + give / 2, PLANE.xmax - give / 2, PLANE.ymin + give, PLANE.ymax)
    plane = area
    if units:
        left, bottom = UNITS_ROOM
        plane = Box(area.xmin + left, area.xmax, area.ymin + bottom, area.ymax)
    panels, labels = _panels(n_hidden)
    x0, x1 = RIGHT
    # Charts: a legend row, a title row, the plot, then the epoch labels under it; they
    # start right under the small multiples.
    below = min((b.ymin for b in panels), default=TOP)
    legend_y = below - 0.3 if n_hidden else TOP - LABEL_ROW / 2
    title_y = legend_y - LABEL_ROW - 0.02
    plot_top = title_y - 0.36
    plot_bottom = -3.45
    # Left of each plot its value labels ("100 %" is 0.75 wide); right of it half of its
    # last epoch label ("1,000" is 0.7 wide) must stay clear of the next chart's labels
    # and of the frame's edge.
    values, overhang = 0.82, 0.45
    width = (x1 - x0 - 2 * values - 2 * overhang) / 2
    loss = Box(x0 + values, x0 + values + width, plot_bottom, plot_top)
    acc_left = loss.xmax + overhang + values
    accuracy = Box(acc_left, acc_left + width, plot_bottom, plot_top)
    mid = (x0 + x1) / 2
    return Layout(
        plane=plane,
        plane_area=area,
        counter=(PLANE.xmin, TOP - LABEL_ROW / 2 - 0.02),
        legend=((PLANE.xmin + PLANE.xmax) / 2, key_y),
        panels=panels,
        panel_labels=labels,
        charts=(loss, accuracy),
        chart_titles=((x0, title_y), (acc_left - values, title_y)),
        chart_legend=(mid, legend_y),
    )


@dataclass(frozen=True)
class AxisName:
    """Where one axis name goes and how it is drawn."""

    #: Font size.
    size: int
    #: The widest the name may be at ``size`` (along its axis): a longer one is shortened
    #: with an ellipsis. None: it fits whole.
    cap: float | None
    #: The box it takes on the frame, the rotated name's for the y axis.
    box: Box


def _fitted(length: float, room: float, size: int, min_size: int) -> tuple[int, float | None]:
    """The largest size from ``size`` down to ``min_size`` at which a name ``length`` long
    at ``size`` fits ``room``, and at ``min_size`` the cap to shorten it to if none does."""
    for s in range(size, min_size - 1, -1):
        if length * s / size <= room + 1e-9:
            return s, None
    return min_size, room


def axis_names(
    plot: Box,
    names: tuple[tuple[float, float], tuple[float, float]],
    below: float,
    beside: float,
    size: int = NAME_SIZE,
    min_size: int = NAME_MIN_SIZE,
) -> tuple[AxisName, AxisName]:
    """The x and y axis names of the input plane drawn in ``plot``, each inside its side.

    ``names`` are the x and the y name's ``(width, height)`` at ``size``, unrotated;
    ``below`` is the lowest the bottom tick labels reach, ``beside`` the leftmost the left
    ones do. The x name is centred under the plot, below its tick labels, at most as wide
    as the plot; the y name, turned a quarter, is centred beside it, left of its tick
    labels, at most as tall as the plot. So neither reaches past the plot's corners: they
    never cross each other, nor the epoch counter above the plot. A name too long for its
    side is drawn smaller, down to ``min_size``, then shortened (its ``cap``).

    >>> plot = Box(-4.0, -1.0, -2.0, 1.0)  # a plot 3 units wide and tall
    >>> x, y = axis_names(plot, ((2.0, 0.3), (6.0, 0.3)), below=-2.4, beside=-4.5)
    >>> x.size, x.cap, [round(v, 2) for v in x.box.as_tuple()]
    (22, None, [-3.5, -1.5, -2.78, -2.48])
    >>> y.size, y.cap, [round(v, 2) for v in y.box.as_tuple()]
    (18, 3.0, [-4.87, -4.62, -2.0, 1.0])
    """
    (xw, xh), (yw, yh) = names
    width, height = plot.xmax - plot.xmin, plot.ymax - plot.ymin
    x_size, x_cap = _fitted(xw, width, size, min_size)
    y_size, y_cap = _fitted(yw, height, size, min_size)
    kx, ky = x_size / size, y_size / size
    x_long = xw * kx if x_cap is None else x_cap
    y_long = yw * ky if y_cap is None else y_cap
    mid_x, mid_y = (plot.xmin + plot.xmax) / 2, (plot.ymin + plot.ymax) / 2
    top = below - NAME_GAP[0]
    right = beside - NAME_GAP[1]
    x_box = Box(mid_x - x_long / 2, mid_x + x_long / 2, top - xh * kx, top)
    y_box = Box(right - yh * ky, right, mid_y - y_long / 2, mid_y + y_long / 2)
    return AxisName(x_size, x_cap, x_box), AxisName(y_size, y_cap, y_box)
