"""Where the entries of a legend go in a box: rows, one size, names shortened (pure)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

__all__ = [
    "LEGEND_DISC",
    "LEGEND_DISC_BUFF",
    "LEGEND_GAP",
    "LEGEND_MIN_KEPT",
    "LEGEND_ROW_GAP",
    "LegendPlan",
    "Span",
    "plan_legend",
]

#: The legend's geometry at the size it is asked for (frame units); at a smaller size
#: every length shrinks with the text.
LEGEND_DISC = 0.08  # a disc's radius
LEGEND_DISC_BUFF = 0.12  # from a disc's centre to the start of its name
LEGEND_GAP = 0.35  # between two entries of a row
LEGEND_ROW_GAP = 0.1  # between two lines
#: A shortened name keeps at least this many characters before its ellipsis.
LEGEND_MIN_KEPT = 4
#: A text's width and the narrowest it may be shortened to (frame units).
Span = tuple[float, float]


@dataclass(frozen=True)
class LegendPlan:
    """How a legend is laid out in a box: one size for all its text, its entries in rows.

    Texts are numbered in order: the title first (if there is one), then the classes.
    """

    #: Font size of the names and the title.
    size: int
    #: The title has a line of its own, above the rows of classes (else it heads the first).
    title_line: bool
    #: The texts of each row, left to right (not the title on its own line).
    rows: tuple[tuple[int, ...], ...]
    #: Widest each text may be at ``size`` (frame units), ``None`` for no limit: a wider
    #: one is shortened with an ellipsis.
    caps: tuple[float | None, ...]

    @property
    def lines(self) -> int:
        """Lines of text, the title's own line included."""
        return len(self.rows) + int(self.title_line)


def _partitions(n: int, n_rows: int) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every split of ``range(n)`` into ``n_rows`` rows, in order."""
    for cuts in combinations(range(1, n), n_rows - 1):
        bounds = (0, *cuts, n)
        yield tuple(tuple(range(a, b)) for a, b in pairwise(bounds))


def _row_cap(texts: Sequence[Span], room: float) -> float | None:
    """The widest cap on the texts' widths that leaves them ``room`` in all; ``inf`` if
    they fit whole, ``None`` if shortening each as far as it may go is not enough."""
    if sum(w for w, _ in texts) <= room + 1e-9:
        return float("inf")
    left, cap = room, 0.0
    widths = sorted(w for w, _ in texts)
    for j, w in enumerate(widths):  # the narrowest keep their width; the rest share the rest
        if w * (len(widths) - j) > left:
            cap = left / (len(widths) - j)
            break
        left -= w
    if cap <= 0 or any(w > cap and low > cap + 1e-9 for w, low in texts):
        return None
    return cap


def plan_legend(
    names: Sequence[Span],
    title: Span | None,
    height: float,
    size: int,
    box: tuple[float, float],
    min_size: int = 16,
) -> LegendPlan | None:
    """The best layout of a legend in a ``box`` (width, height), or ``None`` if none fits.

    ``names`` and ``title`` give each text's width at ``size`` and the narrowest it may
    be shortened to; ``height`` is a line's height at ``size``. Discs and gaps
    shrink with the text; room for one disc's radius is kept (Manim's bounding box, by
    which a legend is centred, does not count it). The texts stay in order; a row too
    narrow for its texts shortens its longest ones. Best is, in this order: the fewest
    texts shortened, the largest size (from ``size`` down to ``min_size``), the least cut
    off them, the fewest lines, the title on a line of its own, the narrowest widest row.

    Four names that do not fit one row take two, at the same size:

    >>> plan = plan_legend([(1.0, 0.5)] * 4, None, 0.24, 22, (4.0, 0.8))
    >>> plan.size, plan.rows, plan.caps
    (22, ((0, 1), (2, 3)), (None, None, None, None))

    A name too long even at the smallest size is shortened; the other keeps its size:

    >>> plan = plan_legend([(4.0, 0.5), (1.0, 0.5)], None, 0.24, 22, (2.5, 0.6))
    >>> plan.size, plan.rows, [round(c, 2) if c else c for c in plan.caps]
    (22, ((0,), (1,)), [2.22, None])
    """
    width, room = box
    best: tuple[tuple[float, ...], LegendPlan] | None = None
    n_titles = int(title is not None)
    for s in range(size, min_size - 1, -1):
        k = s / size
        gap, row_gap, disc = LEGEND_GAP * k, LEGEND_ROW_GAP * k, LEGEND_DISC * k
        lines = int((room + row_gap) / (height * k + row_gap) + 1e-9)
        texts = [(w * k, low * k) for w, low in ([title] if title else []) + list(names)]
        extra = [0.0] * n_titles + [disc + LEGEND_DISC_BUFF * k] * len(names)
        for title_line in (True, False) if title is not None else (False,):
            first = n_titles if title_line else 0  # the first text in the rows
            head: list[float | None] = []
            if title_line:
                cap = _row_cap(texts[:1], width)
                if cap is None:
                    continue
                head = [None if cap == float("inf") else cap]
            in_rows = len(texts) - first
            for n_rows in range(1, min(lines - int(title_line), in_rows) + 1):
                for split in _partitions(in_rows, n_rows):
                    rows = tuple(tuple(i + first for i in row) for row in split)
                    caps = [*head, *[None] * in_rows]
                    widest = 0.0
                    for row in rows:
                        spare = width - disc - gap * (len(row) - 1) - sum(extra[i] for i in row)
                        cap = _row_cap([texts[i] for i in row], spare)
                        if cap is None:
                            break
                        shown = [min(texts[i][0], cap) + extra[i] for i in row]
                        widest = max(widest, sum(shown) + gap * (len(row) - 1))
                        for i in row:
                            caps[i] = float(cap) if texts[i][0] > cap else None
                    else:
                        cuts = [1 - c / w for c, (w, _) in zip(caps, texts, strict=True) if c]
                        score = (
                            float(len(cuts)),
                            -float(s),
                            round(sum(cuts), 4),
                            float(n_rows + int(title_line)),
                            float(not title_line),
                            round(widest, 4),
                        )
                        if best is None or score < best[0]:
                            best = (score, LegendPlan(s, title_line, rows, tuple(caps)))
    return None if best is None else best[1]
