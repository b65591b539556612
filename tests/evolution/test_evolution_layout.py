"""The layout: everything on the frame, nothing overlapping, for 0 to 8 hidden layers."""

from __future__ import annotations

import itertools

import pytest

from scenes.core.view import Box
from scenes.evolution.layout import FRAME, TOP, layout


def overlap(a: Box, b: Box) -> bool:
    return a.xmin < b.xmax and b.xmin < a.xmax and a.ymin < b.ymax and b.ymin < a.ymax


@pytest.mark.parametrize("units", [False, True])
@pytest.mark.parametrize("n", range(9))
def test_every_box_is_on_the_frame_below_the_captions_and_apart(n: int, units: bool) -> None:
    lay = layout(n, units)
    assert len(lay.panels) == len(lay.panel_labels) == n
    for box in lay.boxes():
        assert FRAME.contains([[box.xmin, box.ymin], [box.xmax, box.ymax]])
        assert box.ymax <= TOP
    for x, y in (*lay.panel_labels, *lay.chart_titles, lay.chart_legend, lay.counter, lay.legend):
        assert FRAME.contains([[x, y]]) and y <= TOP
    apart = [lay.plane_area, *lay.panels, *lay.charts]
    for a, b in itertools.combinations(apart, 2):
        assert not overlap(a, b)
    for panel in lay.panels:  # squares, at least a unit wide, above the charts' legend
        assert panel.xmax - panel.xmin == pytest.approx(panel.ymax - panel.ymin)
        assert panel.xmax - panel.xmin >= 1.0
        assert panel.ymin > lay.chart_legend[1]
    # The epoch labels under the charts hang 0.45 past their ends: room for them.
    loss, acc = lay.charts
    assert acc.xmin - loss.xmax >= 0.45 + 0.75 and acc.xmax + 0.45 <= FRAME.xmax + 0.1
    plane = lay.plane
    assert plane.xmax - plane.xmin == pytest.approx(plane.ymax - plane.ymin) or units


def test_too_many_layers_are_refused() -> None:
    with pytest.raises(ValueError, match="0 to 8 hidden layers"):
        layout(9)
