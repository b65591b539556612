"""A class legend beside the clock never touches the clock's last tick label or the frame."""

from __future__ import annotations

import pytest

from scenes.compare.grid import Grid, GridSource
from scenes.compare.layout import (
    BOTTOM,
    CLOCK_BAR,
    CLOCK_MARKER,
    FRAME,
    LEGEND_EDGE,
    LEGEND_RIGHT,
    LEGEND_TICK_GAP,
    LEGEND_WIDE,
    legend_beside_clock,
)
from scenes.compare.plan import compare_plan
from scenes.compare.scene import TICK_SIZE, Board
from scenes.mobjects.widgets import drawn_box, text

#: The fish data's species: two rows of legend beside the clock (the QA's frame).
FISH = ("Arctic char", "Atlantic salmon", "Brown trout (sea-run)", "Rainbow trout")


@pytest.mark.parametrize("size", [(0.8, 0.2), (3.4, 0.49), (5.11, 0.59), (7.5, 0.9)])
@pytest.mark.parametrize("tick", [0.25, 0.6, 0.85])
def test_the_legend_leaves_the_last_tick_label_and_the_frame_room(
    size: tuple[float, float], tick: float
) -> None:
    place = legend_beside_clock(*size, tick)
    box, bar = place.box, place.clock
    # the legend: at its right edge, inside the frame's bottom and under the cells
    assert box.x1 == pytest.approx(LEGEND_RIGHT) and box.width <= LEGEND_WIDE + 1e-9
    assert box.y0 >= FRAME.y0 + LEGEND_EDGE - 1e-9 and box.y1 <= BOTTOM - LEGEND_EDGE + 1e-9
    assert box.width == pytest.approx(size[0] * place.scale)
    assert box.height == pytest.approx(size[1] * place.scale)
    # the last tick label (centred under the track's end) and the marker end well left of it
    assert bar.x1 + tick / 2 <= box.x0 - LEGEND_TICK_GAP + 1e-9
    assert bar.x1 + CLOCK_MARKER <= box.x0 - LEGEND_TICK_GAP + 1e-9
    assert bar.x0 == CLOCK_BAR.x0 < bar.x1 and bar.y == CLOCK_BAR.y


def test_a_bad_legend_size_is_refused() -> None:
    with pytest.raises(ValueError, match="a legend needs a positive size"):
        legend_beside_clock(0.0, 0.5, 0.6)


def test_the_fish_legend_is_drawn_clear_of_the_clock(
    story: GridSource, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison that showed "1,000" touching "Brown trout": its legend, drawn."""
    monkeypatch.setattr(Grid, "legend", property(lambda self: (FISH, None)))
    grid = story.load()
    plan = compare_plan(grid, fps=5)
    assert plan.layout.legend is None  # beside the clock, in two rows
    board = Board(plan, grid)
    assert board.legend is not None
    key = drawn_box(board.legend)
    last = text(f"{plan.clock.last:,}", TICK_SIZE).width
    # the last tick label is centred under the track's end
    assert board.bar.x1 + last / 2 <= key.xmin - LEGEND_TICK_GAP + 1e-6
    assert key.ymin >= FRAME.y0 + LEGEND_EDGE - 1e-6 and key.ymax <= BOTTOM
    assert key.xmax <= LEGEND_RIGHT + 1e-6
