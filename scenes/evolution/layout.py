"""Where everything of the evolution goes on the 16:9 frame (frame units, numpy only).

The frame is 14.22 × 8 units, centred on 0; the captions take the top 1.5 units. The
input plane is a square on the left, the epoch counter above it and the class legend
below (a legend of several rows makes the square smaller). On the right, the hidden
layers as small multiples (one row of up to four, or two rows), and under them the loss
and accuracy charts side by side; with no hidden layer the charts take the whole right
column.

>>> lay = layout(4)
>>> len(lay.panels), all(FRAME.contains([[b.xmin, b.ymin], [b.xmax, b.ymax]]) for b in lay.panels)
(4, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scenes.core.view import Box

__all__ = ["FRAME", "LEGEND_MAX_HEIGHT", "LEGEND_WIDTH", "Layout", "layout"]

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
        side = min(2.35, (width - (cols - 1) * PANEL_GAP) / cols)
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
