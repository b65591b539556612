"""Where each run of a comparison goes in the 16:9 frame: cells, plots, text (numpy only).

The frame (14.22 × 8 units) keeps the captions on top and the clock's bar at the bottom;
between them the cells sit in rows × columns. A cell has its label on top, the plot (the
class-probability mesh and the points) and an *info* stack: the loss and the accuracy, a
tiny loss curve when there is room, and the cell's badges. The info stack goes beside
the plot (``"side"``) or under it (``"below"``), whichever leaves the larger plot. Text
never shrinks below :data:`MIN_TEXT` points (about 7 pixels of x-height at 480p); a grid
whose text would not fit is refused before anything is drawn.

>>> lay = layout((2, 3), badge_lines=3)
>>> lay.rows, lay.cols, lay.mode, lay.text_size
(2, 3, 'side', 18)
>>> all(FRAME.contains(c.box) for c in lay.cells)
True
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from scenes.core.legend_plan import LEGEND_ROW_GAP, plan_legend

__all__ = [
    "BOTTOM",
    "CHAR_WIDTH",
    "CLOCK_MARKER",
    "FRAME",
    "GAP",
    "INFO_CHARS",
    "LEGEND_BAND_LINES",
    "LEGEND_BOX",
    "LEGEND_EDGE",
    "LEGEND_RIGHT",
    "LEGEND_SIZE",
    "LEGEND_TICK_GAP",
    "LEGEND_WIDE",
    "LINE_HEIGHT",
    "MIN_PLOT_SHARE",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MIN_TEXT",
    "DESCRIPTION_LINES",
    "DESCRIPTION_SIZE",
    "DESCRIPTION_WIDTH",
    "TOP",
    "CellLayout",
    "ClockBar",
    "LegendPlace",
    "Layout",
    "LayoutError",
    "Rect",
    "arrangement",
    "badge_line",
    "description_lines",
    "fit_lines",
    "layout",
    "legend_band",
    "legend_beside_clock",
    "legend_lines",
    "split_label",
    "text_width",
]

#: Most runs in one comparison, and most rows and columns of a grid where both vary (the
#: same limits as :mod:`nnmodel.sweep`'s, checked there before training).
MAX_CELLS = 12
MAX_ROWS = 3
MAX_COLUMNS = 4
#: Smallest font size (points): DejaVu Sans at 16 has an x-height of 0.12 units, 7 pixels at
#: 480p.
MIN_TEXT = 16
#: Advance of DejaVu Sans per character and font point, in frame units: a little over the
#: average of labels, badges and numbers as drawn (0.0066 for "ReLU · lr 0.001", 0.0074 for
#: "stopped at epoch 37", 0.0079 for "acc 100 %"); an estimate: the scene measures the real
#: text and scales any line that is still too wide.
CHAR_WIDTH = 0.0075
#: Height of a line of text per font point, in frame units (glyphs and the space between).
LINE_HEIGHT = 0.0168
#: Characters the info stack holds on one line when no badge needs more ("loss 0.00036").
INFO_CHARS = 12
#: Space around a badge's text inside its box, and between two badges.
BADGE_PAD = 0.06
BADGE_GAP = 0.03
#: The plot keeps at least this share of the cell's height (beside the info stack), even if
#: a long badge then has to be drawn a little smaller.
MIN_PLOT_SHARE = 0.8
GAP = 0.24  # between cells
PAD = 0.12  # inside a cell, between its parts
CURVE_MIN = 0.3  # a loss curve lower than this is left out
CURVE_MAX = 0.9
TOP = 2.6  # the captions end above this
BOTTOM = -3.2  # the clock's bar starts below this
MARGIN = 0.3  # left and right of the grid
#: The class legend, at this size: beside the clock (at most this wide and high, at its
#: right end, ending this far from the track; wider without its title if that keeps more
#: names whole), or, when its names do not fit there whole, in a band of its own of up to
#: LEGEND_BAND_LINES lines across the frame, between the grid and the clock.
LEGEND_SIZE = 18
LEGEND_BOX = (3.6, 0.7)
LEGEND_WIDE = 6.2
LEGEND_BAND_LINES = 3
#: A legend beside the clock: its right edge here; at least LEGEND_TICK_GAP right of the
#: clock's last tick label (centred under the track's end) and of its marker; at least
#: LEGEND_EDGE inside the frame's bottom edge and under the cells.
LEGEND_RIGHT = 6.75
LEGEND_TICK_GAP = 0.45
LEGEND_EDGE = 0.08
#: The radius of the clock's marker (the dot at the current epoch).
CLOCK_MARKER = 0.07
#: A description too long for the captions is shown on its own before the cells appear,
#: in the middle of the grid's room: at this size (a little larger than a subcaption), in
#: lines at most as wide as a caption may be (the frame's width less 0.8), at most this many.
DESCRIPTION_SIZE = 24
DESCRIPTION_WIDTH = 128 / 9 - 0.8
DESCRIPTION_LINES = 4


class LayoutError(ValueError):
    """A grid that cannot be laid out legibly (the message says why)."""


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle in frame units: ``[x0, x1] × [y0, y1]``."""

    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def width(self) -> float:
        """``x1 - x0``."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """``y1 - y0``."""
        return self.y1 - self.y0

    @property
    def centre(self) -> tuple[float, float]:
        """The centre ``(x, y)``."""
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def contains(self, other: Rect, tol: float = 1e-9) -> bool:
        """Whether ``other`` lies inside this rectangle."""
        return (
            other.x0 >= self.x0 - tol
            and other.x1 <= self.x1 + tol
            and other.y0 >= self.y0 - tol
            and other.y1 <= self.y1 + tol
        )

    def overlaps(self, other: Rect) -> bool:
        """Whether the two rectangles share some area (touching edges do not count)."""
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > 1e-9
            and min(self.y1, other.y1) - max(self.y0, other.y0) > 1e-9
        )


FRAME = Rect(-64 / 9, 64 / 9, -4.0, 4.0)
"""The visible frame of a 16:9 Manim scene (8 units high)."""


def text_width(text: str, size: float) -> float:
    """Estimated width of one line of ``text`` at font ``size``, in frame units.

    >>> round(text_width("loss 0.263", 16), 2)
    1.2
    """
    return len(text) * CHAR_WIDTH * size


def description_lines(
    text: str,
    width: float = DESCRIPTION_WIDTH,
    size: float = DESCRIPTION_SIZE,
    most: int = DESCRIPTION_LINES,
) -> tuple[str, ...]:
    """A comparison's long description in lines that fit ``width`` at font ``size``.

    As few lines as hold it (at most ``most``), made as even as they can be, broken
    between words (a word longer than a line is broken too). A description that needs more
    lines than ``most`` keeps its first ``most``, the last of them cut after a word and
    ending in "…": never left out, and the voice still says it whole.

    >>> description_lines("two layers of 2 units are too narrow for the spiral, six are "
    ...     "too deep and narrow, and layers of 8 and 2 units are wide enough: width before depth")
    ... # doctest: +NORMALIZE_WHITESPACE
    ('two layers of 2 units are too narrow for the spiral, six are too deep and',
     'narrow, and layers of 8 and 2 units are wide enough: width before depth')
    >>> description_lines("word " * 80, 3.0, 20, 2)
    ('word word word word', 'word word word word…')
    """
    words = " ".join(text.split())
    if not words:
        return ()
    chars = max(int(width / (CHAR_WIDTH * size)), 2)
    lines = textwrap.wrap(words, chars)
    if len(lines) > most:
        last = textwrap.wrap(" ".join(lines[most - 1 :]), chars - 1)[0]
        return (*lines[: most - 1], last.rstrip(" ,;:·-–—") + "…")
    for narrower in range(math.ceil(len(words) / max(len(lines), 1)), chars):
        even = textwrap.wrap(words, narrower)
        if len(even) <= len(lines):
            return tuple(even)
    return tuple(lines)


def line_height(size: float) -> float:
    """Height of a line of text at font ``size``."""
    return LINE_HEIGHT * size


def badge_line(size: float) -> float:
    """Height kept for each line of badges at font ``size``: the line, and the padding of a
    badge's box above and below it (a badge has at least one line, so this is enough for
    any number of badges)."""
    return LINE_HEIGHT * size + 2 * BADGE_PAD + BADGE_GAP


def fit_lines(
    one_line: str,
    lines: tuple[str, ...],
    width: float,
    size: float,
    short: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """A badge's text as one line when it fits ``width``, else as its shorter ``lines``,
    else (when given) as its ``short`` form.

    >>> two = ("stopped at epoch 41", "loss 0.263 reached")
    >>> long = ": ".join(two)
    >>> fit_lines(long, two, 4.8, 16)
    ('stopped at epoch 41: loss 0.263 reached',)
    >>> fit_lines(long, two, 2.4, 16)
    ('stopped at epoch 41', 'loss 0.263 reached')
    >>> fit_lines(long, two, 1.9, 16, ("stopped at", "epoch 41"))
    ('stopped at', 'epoch 41')
    """
    if text_width(one_line, size) <= width:
        return (one_line,)
    if not short or max(text_width(s, size) for s in lines) <= width:
        return lines
    return short


@dataclass(frozen=True)
class CellLayout:
    """One cell's parts, in frame units.

    Attributes
    ----------
    box : Rect
        The whole cell.
    label : Rect
        The label's line (or two), across the top of the cell.
    plot : Rect
        The square where the mesh and points go (the data is fitted inside it).
    numbers : Rect
        Two lines: the loss, then the accuracy.
    curve : Rect or None
        The tiny loss curve, when there is room for one.
    badges : Rect
        Where the badges stack, one line each, from the top.
    """

    box: Rect
    label: Rect
    plot: Rect
    numbers: Rect
    curve: Rect | None
    badges: Rect

    def parts(self) -> list[Rect]:
        """Every part (not the box), for checks."""
        return [p for p in (self.label, self.plot, self.numbers, self.curve, self.badges) if p]


@dataclass(frozen=True)
class ClockBar:
    """The shared clock at the bottom: a counter ("epoch 137") left of a track with ticks."""

    counter_x: float  # left end of the counter text
    x0: float  # the track's left end (epoch 0)
    x1: float  # the track's right end (the last epoch)
    y: float  # the track's height
    tick_y: float  # centre line of the tick labels, under the track

    def x_at(self, u: float) -> float:
        """Where clock time ``u`` (0 … 1) is on the track."""
        return self.x0 + (self.x1 - self.x0) * min(max(u, 0.0), 1.0)


CLOCK_BAR = ClockBar(counter_x=-6.8, x0=-4.7, x1=6.6, y=-3.52, tick_y=-3.8)


@dataclass(frozen=True)
class LegendPlace:
    """Where a class legend beside the clock goes, and the clock's bar it leaves.

    Attributes
    ----------
    box : Rect
        Where the legend's drawn box goes (after scaling it by ``scale``).
    scale : float
        Shrink the legend by this first (1: as built).
    clock : ClockBar
        The clock's bar, shortened so that its last tick label and its marker end
        :data:`LEGEND_TICK_GAP` left of the legend.
    """

    box: Rect
    scale: float
    clock: ClockBar


def legend_beside_clock(
    width: float, height: float, last_tick_width: float, bar: ClockBar = CLOCK_BAR
) -> LegendPlace:
    """Where a legend drawn ``width`` × ``height`` goes at the right end of the clock.

    Its right edge is at :data:`LEGEND_RIGHT`, its middle between the track and the tick
    labels, moved up or down to stay :data:`LEGEND_EDGE` inside the frame's bottom and
    under the cells (:data:`BOTTOM`); a legend wider than :data:`LEGEND_WIDE` or higher
    than that room is scaled down. The track ends where its last tick label (centred under
    its end, ``last_tick_width`` wide) and its marker end :data:`LEGEND_TICK_GAP` left of
    the legend: the labels' row and the legend's rows share a height, so nothing touches.

    >>> place = legend_beside_clock(5.11, 0.59, 0.6)
    >>> round(place.box.x0, 2), round(place.clock.x1, 2), place.scale
    (1.64, 0.89, 1.0)
    >>> FRAME.y0 + LEGEND_EDGE <= place.box.y0 and place.box.y1 <= BOTTOM - LEGEND_EDGE
    True
    """
    if width <= 0 or height <= 0:
        raise ValueError(f"a legend needs a positive size, not {width} × {height}")
    low, high = FRAME.y0 + LEGEND_EDGE, BOTTOM - LEGEND_EDGE
    scale = min(1.0, LEGEND_WIDE / width, (high - low) / height)
    w, h = width * scale, height * scale
    middle = min(max((bar.y + bar.tick_y) / 2, low + h / 2), high - h / 2)
    box = Rect(LEGEND_RIGHT - w, LEGEND_RIGHT, middle - h / 2, middle + h / 2)
    end = box.x0 - LEGEND_TICK_GAP - max(last_tick_width / 2, CLOCK_MARKER)
    return LegendPlace(box, scale, ClockBar(bar.counter_x, bar.x0, end, bar.y, bar.tick_y))


@dataclass(frozen=True)
class Layout:
    """Every cell of a comparison (row by row), the text sizes and the clock's bar."""

    rows: int
    cols: int
    mode: str  # "side" or "below": where the info stack goes
    text_size: int  # labels and numbers
    badge_size: int
    cells: tuple[CellLayout, ...]
    clock: ClockBar = CLOCK_BAR
    #: The class legend's own band, between the grid and the clock (None: beside the clock).
    legend: Rect | None = None


def _fits_whole(names: Sequence[str], title: str | None, box: tuple[float, float]) -> bool:
    """Whether every name (and the title) fits ``box`` whole, by estimated widths a tenth
    wider than usual (a name must not turn out too long when drawn)."""
    spans = [(1.1 * text_width(n, LEGEND_SIZE),) * 2 for n in names]
    head = None if title is None else (1.1 * text_width(title, LEGEND_SIZE),) * 2
    plan = plan_legend(spans, head, line_height(LEGEND_SIZE), LEGEND_SIZE, box)
    return plan is not None and all(cap is None for cap in plan.caps)


def legend_lines(names: Sequence[str], title: str | None) -> int:
    """Lines of a band of its own for the class legend: 0 if its names fit beside the clock
    whole, else the fewest that hold them whole (at most :data:`LEGEND_BAND_LINES`).

    >>> legend_lines(["0", "1"], None), legend_lines(["outer", "middle"], "ring")
    (0, 0)
    >>> dogs = ["German Shepherd", "Labrador Retriever", "Golden Retriever", "French Bulldog",
    ...         "Bernese Mountain Dog", "Cavalier King Charles", "Siberian Husky", "Poodle"]
    >>> legend_lines(dogs, None), legend_lines(dogs, "breed")
    (2, 2)
    """
    if _fits_whole(names, title, LEGEND_BOX) or _fits_whole(
        names, None, (LEGEND_WIDE, LEGEND_BOX[1])
    ):
        return 0
    for lines in range(1, LEGEND_BAND_LINES):
        band = legend_band(lines)
        if _fits_whole(names, title, (band.width, band.height)):
            return lines
    return LEGEND_BAND_LINES


def legend_band(lines: int) -> Rect:
    """The band of ``lines`` lines of legend at :data:`LEGEND_SIZE` above the clock.

    >>> band = legend_band(2)
    >>> band.y0 == BOTTOM, round(band.height, 2), FRAME.contains(band)
    (True, 0.7, True)
    """
    height = lines * line_height(LEGEND_SIZE) + (lines - 1) * LEGEND_ROW_GAP
    return Rect(FRAME.x0 + MARGIN, FRAME.x1 - MARGIN, BOTTOM, BOTTOM + height)


def arrangement(shape: tuple[int, int]) -> tuple[int, int]:
    """Rows × columns to draw a grid of ``shape`` in.

    A grid where both rows and columns vary keeps its shape. A single list of runs (one
    row or one column) is wrapped into the arrangement that leaves the largest plots.

    Raises
    ------
    LayoutError
        Too many cells, or too many rows or columns.

    >>> arrangement((2, 3)), arrangement((1, 12)), arrangement((5, 1)), arrangement((1, 3))
    ((2, 3), (3, 4), (2, 3), (1, 3))
    """
    rows, cols = shape
    n = rows * cols
    if n < 2:
        raise LayoutError(f"a comparison needs at least 2 runs, not {n}")
    if n > MAX_CELLS:
        raise LayoutError(f"{n} runs are more than a frame holds legibly (at most {MAX_CELLS})")
    if rows > 1 and cols > 1:
        if rows > MAX_ROWS or cols > MAX_COLUMNS:
            raise LayoutError(
                f"a grid of {rows} rows × {cols} columns does not fit one frame: at most "
                f"{MAX_ROWS} rows and {MAX_COLUMNS} columns"
            )
        return rows, cols
    best: tuple[float, int, int] | None = None
    for r in range(1, MAX_ROWS + 1):
        c = math.ceil(n / r)
        if c > MAX_COLUMNS or (r - 1) * c >= n:  # no empty row
            continue
        size = _cells(r, c, 2, INFO_CHARS)[0].plot.width
        if best is None or size > best[0] + 1e-9:
            best = (size, r, c)
    assert best is not None, "MAX_ROWS × MAX_COLUMNS ≥ MAX_CELLS leaves an arrangement"
    return best[1], best[2]


def _sizes(cell_height: float) -> tuple[int, int]:
    """Text and badge sizes for cells this high."""
    text = 20 if cell_height >= 4 else 18 if cell_height >= 2.6 else MIN_TEXT
    return text, max(MIN_TEXT, text - 2)


def split_label(label: str, width: float, size: float) -> tuple[str, ...]:
    """A cell's label as one line if it fits ``width``, else two (split at a " · ", or at
    the last space that lets the first line fit).

    >>> split_label("ReLU · lr 0.1", 4.0, 18)
    ('ReLU · lr 0.1',)
    >>> split_label("tanh · 2, 2, 2, 2, 2, 2 · too deep and narrow", 4.3, 20)
    ('tanh · 2, 2, 2, 2, 2, 2', 'too deep and narrow')
    """
    if text_width(label, size) <= width:
        return (label,)
    parts = label.split(" · ")
    for k in range(len(parts) - 1, 0, -1):
        head, tail = " · ".join(parts[:k]), " · ".join(parts[k:])
        if text_width(head, size) <= width:
            return head, tail
    words = label.split(" ")
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k])
        if text_width(head, size) <= width:
            return head, " ".join(words[k:])
    return (label,)


def _cell(
    box: Rect, text: int, badge: int, lines: tuple[int, int], badge_chars: int, mode: str
) -> CellLayout | None:
    """The parts of one cell in ``mode`` (``lines``: of the label, of the badges), or None
    if they do not fit."""
    label_lines, badge_lines = lines
    head = label_lines * line_height(text)
    label = Rect(box.x0, box.x1, box.y1 - head, box.y1)
    top = label.y0 - PAD / 2
    body = top - box.y0
    numbers_h = 2 * line_height(text)
    badges_h = badge_lines * badge_line(badge)
    numbers_w = INFO_CHARS * CHAR_WIDTH * text
    info_w = max(numbers_w, badge_chars * CHAR_WIDTH * badge + 2 * BADGE_PAD)
    if mode == "side":
        # The info stack beside the plot: numbers, the curve under them, badges at the bottom.
        plot_side = min(body, box.width - info_w - PAD)
        plot_side = max(plot_side, min(MIN_PLOT_SHARE * body, box.width - numbers_w - PAD))
        if plot_side <= 0 or body < numbers_h + badges_h:
            return None
        plot = Rect(box.x0, box.x0 + plot_side, top - plot_side, top)
        info = Rect(plot.x1 + PAD, box.x1, box.y0, top)
        numbers = Rect(info.x0, info.x1, info.y1 - numbers_h, info.y1)
        badges = Rect(info.x0, info.x1, info.y0, info.y0 + badges_h)
        room = numbers.y0 - badges.y1 - PAD
        curve = None
        if room >= CURVE_MIN:
            h = min(room, CURVE_MAX)
            curve = Rect(info.x0, info.x1, numbers.y0 - PAD / 2 - h, numbers.y0 - PAD / 2)
    else:
        # Under the plot: the numbers with the curve to their right, then the badges.
        plot_side = min(box.width, body - numbers_h - badges_h - 2 * PAD)
        if plot_side < max(numbers_w, info_w) or box.width < numbers_w:
            return None
        x0 = box.x0 + (box.width - plot_side) / 2
        plot = Rect(x0, x0 + plot_side, top - plot_side, top)
        numbers = Rect(plot.x0, plot.x0 + numbers_w, plot.y0 - PAD - numbers_h, plot.y0 - PAD)
        badges = Rect(plot.x0, plot.x1, numbers.y0 - PAD - badges_h, numbers.y0 - PAD)
        curve = None
        if plot.x1 - numbers.x1 - PAD >= 3 * CURVE_MIN and numbers_h >= CURVE_MIN:
            curve = Rect(numbers.x1 + PAD, plot.x1, numbers.y0 + PAD / 2, numbers.y1 - PAD / 2)
    return CellLayout(box, label, plot, numbers, curve, badges)


def _cells(
    rows: int,
    cols: int,
    badge_lines: int,
    badge_chars: int,
    labels: Sequence[str] = (),
    bottom: float = BOTTOM,
) -> tuple[CellLayout, ...]:
    """Every cell of a rows × cols arrangement above ``bottom``, in the better mode (larger
    plots)."""
    width = (FRAME.width - 2 * MARGIN - (cols - 1) * GAP) / cols
    height = (TOP - bottom - (rows - 1) * GAP) / rows
    text, badge = _sizes(height)
    label_lines = max((len(split_label(s, width, text)) for s in labels), default=1)
    best: tuple[CellLayout, ...] | None = None
    for mode in ("side", "below"):
        cells = []
        for i in range(rows):
            for j in range(cols):
                x0 = FRAME.x0 + MARGIN + j * (width + GAP)
                y1 = TOP - i * (height + GAP)
                box = Rect(x0, x0 + width, y1 - height, y1)
                cell = _cell(box, text, badge, (label_lines, badge_lines), badge_chars, mode)
                if cell is None:
                    break
                cells.append(cell)
        if len(cells) == rows * cols and (
            best is None or cells[0].plot.width > best[0].plot.width + 1e-9
        ):
            best = tuple(cells)
    if best is None:
        raise LayoutError(
            f"{rows} × {cols} cells with {badge_lines} badge lines each do not fit the frame"
        )
    return best


def layout(
    shape: tuple[int, int],
    badge_lines: int = 2,
    badge_chars: int = INFO_CHARS,
    labels: Sequence[str] = (),
    legend_lines: int = 0,
) -> Layout:
    """The layout of a grid of ``shape`` (rows, columns) of runs.

    Parameters
    ----------
    shape : tuple of int
        The grid's rows and columns (a single list is wrapped, see :func:`arrangement`).
    badge_lines : int
        Lines to keep free for badges in every cell (the most any cell needs).
    badge_chars : int
        Characters of the longest badge line: the info stack is made that wide, unless the
        plot would keep less than :data:`MIN_PLOT_SHARE` of the cell's height.
    labels : sequence of str
        The cells' labels: a label too long for one line gets two (:func:`split_label`).
    legend_lines : int
        Lines of a band for the class legend between the grid and the clock (0: none, the
        legend goes beside the clock).

    Raises
    ------
    LayoutError
        A grid that does not fit legibly.
    """
    rows, cols = arrangement(shape)
    band = legend_band(legend_lines) if legend_lines > 0 else None
    bottom = BOTTOM if band is None else band.y1 + GAP
    cells = _cells(rows, cols, max(badge_lines, 0), badge_chars, labels, bottom)
    n = shape[0] * shape[1]
    text, badge = _sizes(cells[0].box.height)
    mode = "side" if cells[0].numbers.x0 > cells[0].plot.x1 else "below"
    return Layout(rows, cols, mode, text, badge, cells[:n], legend=band)
