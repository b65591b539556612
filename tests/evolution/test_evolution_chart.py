"""Chart geometry without drawing: scales, ticks, the revealed lines and the marker."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenes.core.view import Box
from scenes.evolution.chart import (
    ACCURACY,
    CHAR_WIDTH,
    Chart,
    Scale,
    Series,
    latest,
    loss_scale,
)
from scenes.evolution.timing import Clock

BOX = Box(0.0, 3.0, -1.0, 1.0)


def decaying_loss(last: int) -> list[float | None]:
    return [0.7 * math.exp(-e / (last / 6)) + 0.002 for e in range(last + 1)]


def test_loss_spanning_decades_gets_a_log_axis_holding_every_value() -> None:
    loss = decaying_loss(1000)
    scale = loss_scale(loss, [None] * 1001)
    assert scale.kind == "log" and scale.lo < min(loss) and scale.hi > max(loss)
    share = scale.share(loss)
    assert np.all((share > 0) & (share < 1)) and np.all(np.diff(share) < 0)
    # equal ratios, equal steps
    tenfold = scale.share(0.5) - scale.share(0.05)
    assert tenfold == pytest.approx(scale.share(0.05) - scale.share(0.005))
    assert [label for _, label in scale.ticks()] == ["0.01", "0.1", "1"]


def test_a_narrow_loss_gets_a_linear_axis_from_zero() -> None:
    scale = loss_scale([0.74, 0.5, None, float("nan"), 0.31])
    assert (scale.kind, scale.lo) == ("linear", 0.0) and scale.hi == pytest.approx(0.814)
    assert scale.share(0.0) == 0.0 and scale.share(10.0) == 1.0  # clipped


def test_accuracy_runs_from_0_to_100_percent() -> None:
    assert ACCURACY.share([0.0, 0.5, 1.0]).tolist() == [0.0, 0.5, 1.0]
    assert [label for _, label in ACCURACY.ticks()] == ["0 %", "50 %", "100 %"]
    with pytest.raises(ValueError):
        Scale("log", 0.0, 1.0)


def test_a_series_keeps_measured_values_only_and_thins_long_runs() -> None:
    clock = Clock(100_000, "log")
    values: list[float | None] = [1.0 / (1 + e) for e in range(100_001)]
    values[5] = None
    s = Series.of(values, clock, max_points=500)
    assert s.epochs[0] == 0 and s.epochs[-1] == 100_000 and 5 not in s.epochs
    assert len(s) <= 502
    assert np.all(np.diff(s.epochs) > 0)
    # every kept value is the measured one
    assert np.allclose(s.values, [values[int(e)] for e in s.epochs])
    recorded: list[float | None] = [None] * 101
    for e in (0, 10, 50, 100):
        recorded[e] = 0.5
    assert Series.of(recorded, Clock(100)).epochs.tolist() == [0, 10, 50, 100]


@pytest.mark.parametrize("mapping", ["log", "linear"])
def test_the_line_is_revealed_up_to_the_marker(mapping: str) -> None:
    clock = Clock(200, mapping)
    chart = Chart(BOX, clock, ACCURACY)
    acc = [min(1.0, 0.5 + e / 300) for e in range(201)]
    series = Series.of(acc, clock)
    for epoch in (0.0, 17.4, 133.0, 200.0):
        drawn = chart.revealed(series, epoch)
        shown = drawn[np.isfinite(drawn).all(axis=1)]
        marker = chart.marker(series, epoch)
        assert np.allclose(shown[-1], marker), "the line ends at the marker"
        assert np.all(np.isnan(drawn[len(shown) :])), "nothing of the future is drawn"
        assert np.all(np.diff(shown[:, 0]) >= 0)
        assert BOX.contains(shown)
        cursor = chart.cursor(epoch)
        assert cursor[0, 0] == cursor[1, 0] == pytest.approx(marker[0])
    assert chart.marker(series, 200.0).tolist() == pytest.approx([BOX.xmax, BOX.ymax])
    assert chart.x([0, 200]).tolist() == [BOX.xmin, BOX.xmax]


def test_a_marker_between_sparse_measurements_sits_on_the_drawn_line() -> None:
    clock = Clock(100, "linear")
    chart = Chart(BOX, clock, Scale("linear", 0.0, 1.0))
    values: list[float | None] = [None] * 101
    values[0], values[40], values[100] = 1.0, 0.6, 0.2
    series = Series.of(values, clock)
    assert chart.marker(series, 20.0).tolist() == pytest.approx(chart.xy([20], [0.8])[0].tolist())
    assert latest(values, 39.9) == 1.0 and latest(values, 40) == 0.6
    nothing = Series.of([None] * 101, clock)
    assert np.isnan(chart.marker(nothing, 50.0)).all()
    assert np.isnan(chart.revealed(nothing, 50.0)).all()


@pytest.mark.parametrize("mapping", ["log", "linear"])
@pytest.mark.parametrize("last", [3, 122, 1000, 99_999])
def test_epoch_labels_never_overlap_and_end_at_the_last_epoch(mapping: str, last: int) -> None:
    chart = Chart(Box(0.0, 2.7, 0.0, 2.0), Clock(last, mapping), ACCURACY)
    ticks = chart.x_ticks()
    assert ticks[-1].value == last and ticks[-1].at == pytest.approx(2.7)
    assert ticks[0].value == 0
    for a, b in zip(ticks, ticks[1:], strict=False):
        right = a.at + len(a.label) * CHAR_WIDTH / 2
        left = b.at - len(b.label) * CHAR_WIDTH / 2
        assert right < left, f"{a.label} and {b.label} overlap"
    if mapping == "log":
        inner = [t.value for t in ticks[1:-1]]
        assert all(math.log10(v).is_integer() for v in inner), inner


def test_value_ticks_sit_inside_the_plot() -> None:
    chart = Chart(BOX, Clock(10), loss_scale(decaying_loss(10)))
    ticks = chart.y_ticks()
    assert ticks and all(BOX.ymin <= t.at <= BOX.ymax for t in ticks)
