"""Scales in the data's units: round tick values, placed where those values are."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnmodel.scaling import Scaling
from nnmodel.trajectory import Stage
from scenes.core.ticks import edge_ticks, format_tick, nice_ticks
from scenes.warp.steps import PLOT, UNITS_INSET, input_view

WINE = Scaling(mean=(12.96, 739.4), std=(0.81, 319.8))


def _view(extent: tuple[float, float, float, float], units: bool = True):  # type: ignore[no-untyped-def]
    x0, x1, y0, y1 = extent
    grid = np.array([[[x0, y0], [x1, y0]], [[x0, y1], [x1, y1]]])
    stage = Stage("input", -1, np.array([[x0, y0], [x1, y1]]), grid)
    return input_view(stage, units)


def test_tick_labels_are_the_original_values_at_their_positions() -> None:
    extent = (-2.4, 2.4, -2.4, 2.4)
    view = _view(extent)
    ticks = edge_ticks(view, extent, WINE)
    assert len(ticks.bottom) >= 3 and len(ticks.left) >= 3
    for k, edge in enumerate((ticks.bottom, ticks.left)):
        for tick in edge:
            # back from the screen through the view and the standardisation
            data = view.centre[k] + (tick.at - view.box.centre[k]) / view.scale
            assert data * WINE.std[k] + WINE.mean[k] == pytest.approx(tick.value, abs=1e-9)
            assert float(tick.label.replace(",", "").replace("−", "-")) == tick.value
    assert [t.label for t in ticks.left] == ["0", "500", "1,000", "1,500"]
    # every tick lies on the visible edge of the plane
    x0, x1, y0, y1 = ticks.frame
    assert all(x0 <= t.at <= x1 for t in ticks.bottom)
    assert all(y0 <= t.at <= y1 for t in ticks.left)


def test_the_input_plane_leaves_room_for_the_scales_only_when_asked() -> None:
    extent = (-1.0, 1.0, -1.0, 1.0)
    plain, units = _view(extent, False), _view(extent, True)
    assert plain.box == units.box == PLOT  # one box for every later move
    lo_plain, _ = plain.project(np.array([[-1.0, -1.0]]))
    lo_units, _ = units.project(np.array([[-1.0, -1.0]]))
    assert lo_units[0, 0] >= UNITS_INSET.xmin - 1e-9 and lo_units[0, 1] >= UNITS_INSET.ymin - 1e-9
    assert lo_plain[0, 1] < UNITS_INSET.ymin  # without scales the plane uses the whole plot


def test_ticks_without_standardisation_are_the_coordinates() -> None:
    extent = (0.0, 10.0, -5.0, 5.0)
    ticks = edge_ticks(_view(extent), extent, None)
    assert [t.value for t in ticks.bottom] == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]


@given(
    st.floats(-1e6, 1e6),
    st.floats(1e-3, 1e6),
    st.integers(2, 9),
)
def test_nice_ticks_are_round_evenly_spaced_and_inside(lo: float, width: float, count: int) -> None:
    hi = lo + width
    values = nice_ticks(lo, hi, count)
    assert values, "a range always gets a tick"
    assert all(lo - 1e-9 * width <= v <= hi + 1e-9 * width for v in values)
    if len(values) >= 2:
        steps = np.diff(values)
        assert np.allclose(steps, steps[0], rtol=1e-6)
        mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
        assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-3
        labels = [format_tick(v, steps[0]) for v in values]
        assert len(set(labels)) == len(labels), "every tick reads differently"
