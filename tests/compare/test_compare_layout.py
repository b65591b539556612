"""The comparison's layout: every cell and its text inside the frame, legible, apart."""

from __future__ import annotations

import itertools

import pytest

from nnmodel import presets, sweep
from scenes.compare.layout import (
    BOTTOM,
    CHAR_WIDTH,
    DESCRIPTION_LINES,
    DESCRIPTION_SIZE,
    DESCRIPTION_WIDTH,
    FRAME,
    INFO_CHARS,
    LINE_HEIGHT,
    MAX_CELLS,
    MIN_TEXT,
    TOP,
    LayoutError,
    Rect,
    arrangement,
    badge_line,
    description_lines,
    layout,
    split_label,
    text_width,
)

SHAPES = sorted(
    {(r, c) for r in range(1, 4) for c in range(1, 5) if r * c >= 2}
    | {(1, n) for n in range(2, MAX_CELLS + 1)}
    | {(n, 1) for n in range(2, MAX_CELLS + 1)}
)


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("badge_lines", [0, 1, 2, 3])
def test_every_grid_up_to_the_limit_fits_the_frame_legibly(
    shape: tuple[int, int], badge_lines: int
) -> None:
    try:
        lay = layout(shape, badge_lines, badge_chars=19, labels=["ReLU · lr 0.001"])
    except LayoutError:
        # only the densest grids may refuse the most badge lines, never fewer than 3
        assert badge_lines == 3 and lay_rows(shape) == 3, shape
        return
    assert len(lay.cells) == shape[0] * shape[1]
    assert lay.rows * lay.cols >= len(lay.cells) and lay.rows <= 3 and lay.cols <= 4
    assert lay.text_size >= MIN_TEXT and lay.badge_size >= MIN_TEXT
    grid_area = Rect(FRAME.x0, FRAME.x1, BOTTOM, TOP)
    for a, b in itertools.combinations(lay.cells, 2):
        assert not a.box.overlaps(b.box)
    for cell in lay.cells:
        assert grid_area.contains(cell.box)
        parts = cell.parts()
        assert all(cell.box.contains(p) for p in parts)
        for p, q in itertools.combinations(parts, 2):
            assert not p.overlaps(q), (shape, p, q)
        assert cell.plot.width == pytest.approx(cell.plot.height)  # square, undistorted
        assert cell.plot.width >= 0.8  # a plot of at least 48 × 48 pixels at 480p
        # the numbers fit ("loss 0.00036"), the badges have their lines
        assert cell.numbers.width >= text_width("loss 0.00036", lay.text_size) - 1e-9
        assert cell.numbers.height >= 2 * LINE_HEIGHT * lay.text_size - 1e-9
        assert cell.badges.height >= badge_lines * badge_line(lay.badge_size) - 1e-9
    clock = lay.clock
    assert FRAME.x0 < clock.counter_x < clock.x0 < clock.x1 < FRAME.x1
    assert FRAME.y0 < clock.tick_y - 0.1 and clock.y + 0.1 < BOTTOM


def lay_rows(shape: tuple[int, int]) -> int:
    return arrangement(shape)[0]


def test_lists_are_wrapped_into_the_roomiest_arrangement() -> None:
    assert arrangement((1, 2)) == (1, 2)
    assert arrangement((1, 3)) == (1, 3)
    assert arrangement((1, 5)) == (2, 3)
    assert arrangement((8, 1)) == (2, 4)
    assert arrangement((1, 12)) == (3, 4)
    for n in range(2, MAX_CELLS + 1):
        rows, cols = arrangement((1, n))
        assert rows * cols >= n and (rows - 1) * cols < n  # no empty row


@pytest.mark.parametrize(
    ("shape", "message"),
    [
        ((1, 1), "at least 2 runs"),
        ((1, 13), "13 runs are more than a frame holds"),
        ((4, 3), "a grid of 4 rows × 3 columns does not fit"),
        ((2, 5), "a grid of 2 rows × 5 columns does not fit"),
    ],
)
def test_grids_that_do_not_fit_are_refused(shape: tuple[int, int], message: str) -> None:
    with pytest.raises(LayoutError, match=message):
        layout(shape)


def test_the_limits_are_the_sweeps() -> None:
    assert sweep.MAX_CELLS == MAX_CELLS


def test_long_badges_widen_the_info_stack_but_the_plot_keeps_most_of_the_cell() -> None:
    plain = layout((2, 3), badge_lines=1, badge_chars=9)  # "dead ReLU"
    stops = layout((2, 3), badge_lines=3, badge_chars=19)  # "stopped at epoch 37"
    assert plain.cells[0].plot.width > stops.cells[0].plot.width
    assert stops.cells[0].badges.width >= 19 * CHAR_WIDTH * stops.badge_size
    body = stops.cells[0].plot.y1 - stops.cells[0].box.y0  # under the label
    assert stops.cells[0].plot.width >= 0.79 * body


def test_labels_split_into_two_lines_only_when_needed() -> None:
    assert split_label("ReLU · lr 0.1", 3.0, 16) == ("ReLU · lr 0.1",)
    long = "tanh · 2, 2, 2, 2, 2, 2 · too deep and narrow"
    assert split_label(long, 4.4, 20) == ("tanh · 2, 2, 2, 2, 2, 2", "too deep and narrow")
    assert split_label("a very long label without dots", 1.8, 16) == (
        "a very long",
        "label without dots",
    )
    one = layout((1, 3), labels=["ReLU"])
    two = layout((1, 3), labels=["ReLU", long])
    assert two.cells[0].label.height == pytest.approx(2 * one.cells[0].label.height)
    assert len("loss 0.00036") <= INFO_CHARS


LONG = (
    "does a network of many narrow layers untangle the spiral better than one of a few wide "
    "ones, and how much does the learning rate matter once the layers are wide enough?"
)


@pytest.mark.parametrize(
    "text",
    [
        presets.get("spiral-depth").description,
        LONG,
        LONG * 3,  # longer than the lines hold
        "a_single_identifier_longer_than_any_line_" * 3,
        "short",
    ],
)
def test_a_long_description_is_wrapped_to_fit_and_never_dropped(text: str) -> None:
    """The rule, in layout numbers: at most DESCRIPTION_LINES lines, each as wide as a
    caption may be at DESCRIPTION_SIZE, together inside the grid's room; the words as
    written, or (only when they need more lines) the first of them and "…"."""
    lines = description_lines(text)
    assert 1 <= len(lines) <= DESCRIPTION_LINES
    assert all(text_width(line, DESCRIPTION_SIZE) <= DESCRIPTION_WIDTH for line in lines)
    assert FRAME.width - DESCRIPTION_WIDTH >= 0.8 - 1e-9  # (a caption's margins)
    assert len(lines) * LINE_HEIGHT * DESCRIPTION_SIZE < TOP - BOTTOM
    assert DESCRIPTION_SIZE >= MIN_TEXT
    joined = "".join(lines).replace(" ", "")
    whole = text.replace(" ", "")
    if joined.endswith("…"):
        assert len(lines) == DESCRIPTION_LINES and whole.startswith(joined[:-1])
        room = DESCRIPTION_WIDTH / (CHAR_WIDTH * DESCRIPTION_SIZE)  # characters a line holds
        assert sum(map(len, lines)) > 0.8 * DESCRIPTION_LINES * room  # cut only when full
    else:
        assert joined == whole


def test_the_spiral_depth_description_takes_two_even_lines() -> None:
    """The preset's 131 characters: two lines, neither much longer than the other."""
    first, second = description_lines(presets.get("spiral-depth").description)
    assert abs(len(first) - len(second)) <= 10
    assert description_lines("") == ()
