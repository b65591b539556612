"""Many classes: the output units drawn include the point's true and predicted classes, and
every name, mark and probability sits beside its own unit, at one common size."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import SVGMobject, VMobject

from nnmodel.trajectory import Trajectory, load
from scenes.anatomy.layout import BOARD, MAX_UNITS, output_units
from scenes.anatomy.panels import BAR_SIZE, prob_bars
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.mobjects.textcache import Outlines
from scenes.mobjects.widgets import text
from tests.anatomy.anatomy_helpers import scene_for

pytestmark = pytest.mark.usefixtures("own_media")


def glyphs(mobject: VMobject) -> list[VMobject]:
    """The texts in a mobject's family."""
    return [m for m in mobject.get_family() if isinstance(m, SVGMobject | Outlines)]


def one_per_class(traj: Trajectory) -> dict[int, int]:
    """A training point of each class: its index."""
    return {int(k): int(np.flatnonzero(traj.labels == k)[0]) for k in np.unique(traj.labels)}


def test_the_units_drawn_are_the_true_the_predicted_then_the_likeliest_in_class_order() -> None:
    p = [0.02, 0.3, 0.01, 0.2, 0.05, 0.25, 0.04, 0.13]
    assert output_units(p, 7, 5) == (1, 3, 4, 5, 7)  # 7 (true), 1 (predicted), then 5, 3, 4
    assert output_units(p, 1, 3) == (1, 3, 5)  # true and predicted at once
    assert output_units(p, 2, 2) == (1, 2)  # the least likely class, because it is the true one
    assert output_units([0.5, 0.5], 0, 5) == (0, 1)  # fewer classes than slots: all of them


def test_an_8_class_diagram_draws_each_point_s_true_and_predicted_class(dogs_traj: Path) -> None:
    traj = load(dogs_traj)
    for label, index in one_per_class(traj).items():
        f = gather(traj, -1, index)
        out = f.layout.columns[-1]
        probs = f.point.probs
        assert out.width == 8 and out.shown == MAX_UNITS - 1 and out.more == 3
        assert label in out.units and int(np.argmax(probs)) in out.units
        assert list(out.units) == sorted(out.units)  # in class order: a stable order
        others = [u for u in range(8) if u not in out.units]
        drawn = [u for u in out.units if u not in (label, int(np.argmax(probs)))]
        assert min(probs[drawn], default=1.0) >= max(probs[others])  # then the likeliest
        # every drawn edge into the output carries its own unit's weight
        dst, src = f.layout.edge_units(len(f.weights) - 1)
        assert set(dst.tolist()) == set(out.units)
        ends = f.layout.edge_ends(len(f.weights) - 1)
        for (a, b), d, s in zip(ends, dst, src, strict=True):
            assert b[1] == pytest.approx(out.ys[out.slot(int(d))])
            assert a[1] == pytest.approx(f.layout.columns[-2].ys[int(s)])


def test_the_plan_says_the_outputs_drawn_are_picked(dogs_traj: Path) -> None:
    traj = load(dogs_traj)
    beats = {b.id: b for b in anatomy_plan(traj, gather(traj))}
    assert "wide layers: the 5 our point uses most" in beats["diagram"].line.sub  # not "first 5"


def test_the_true_class_s_name_and_mark_sit_beside_its_own_unit(dogs_traj: Path) -> None:
    traj = load(dogs_traj)
    index = one_per_class(traj)[7]  # 'Yorkshire Terrier': not among the first five
    scene = scene_for(traj, index)
    f, d = scene.facts, scene.diagram
    out = f.layout.columns[-1]
    assert scene.true_unit() == 7 and 7 in out.units
    names, plain = d.output_names(7), d.output_names(None)
    assert len(names) == out.shown
    spot = f.layout.spot(len(f.widths) - 1)
    for slot, (x, y) in enumerate(out.positions):
        name = names[slot]
        assert name.get_center()[1] == pytest.approx(y, abs=1e-6)  # on its unit's row
        assert name.get_left()[0] > x + f.layout.radius  # right of its neuron
        assert spot.xmin < name.get_left()[0] and name.get_right()[0] < spot.xmax
    mine = out.slot(7)
    assert mine is not None
    assert names[mine][-1].width > plain[mine][-1].width  # the ✓, on the true unit's name
    assert all(names[k].width == plain[k].width for k in range(out.shown) if k != mine)
    assert spot.xmax < BOARD.xmin  # the highlight stays off the panel


@pytest.mark.parametrize("label", [0, 5, 7])
def test_the_probability_rows_are_one_size_and_the_mark_is_on_the_true_row(
    dogs_traj: Path, label: int
) -> None:
    traj = load(dogs_traj)
    f = gather(traj, -1, one_per_class(traj)[label])
    out = f.layout.columns[-1]
    texts = [f"{p:.2f}" for p in f.point.probs]
    static, bars = prob_bars(traj.class_names, f.point.probs, label, texts, BOARD, out.units)
    assert len(bars) == out.shown + 1  # the drawn classes, in their order, then "+3 more"
    assert BOARD.xmin - 1e-6 <= static.get_left()[0] < static.get_right()[0] <= BOARD.xmax + 1e-6
    left = [m for m in glyphs(static) if m.get_right()[0] < bars[0].get_left()[0]]
    ys = [float(b.get_center()[1]) for b in bars[: out.shown]]

    def on_row(y: float) -> list[VMobject]:
        return [m for m in left if abs(m.get_center()[1] - y) < 0.05]

    # one common size: every "p(…)" as tall as a short one drawn at the bars' size
    full = text("p(Beagle)", BAR_SIZE).height
    heads = [max(on_row(y), key=lambda m: m.width) for y in ys]
    np.testing.assert_allclose([m.height for m in heads], full, rtol=1e-3)
    # the ✓ is on the true class's row, just left of its name, and on no other row
    for c, y in zip(out.units, ys, strict=True):
        marks = [m for m in on_row(y) if m is not heads[ys.index(y)]]
        assert len(marks) == (1 if c == label else 0), (c, label)
        for m in marks:
            assert 0 < heads[ys.index(y)].get_left()[0] - m.get_right()[0] < 0.2


@pytest.mark.parametrize("fixture", ["moons_traj", "wide_traj", "dogs_traj"])
def test_labels_names_and_highlights_do_not_collide(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """2, 3 and 8 classes: a column's labels and names stay inside its highlight box, the
    output's box stays off the panel, and the input names off the frame's edge."""
    traj = load(request.getfixturevalue(fixture))
    scene = scene_for(traj)
    f, d = scene.facts, scene.diagram
    last = len(f.widths) - 1
    for column in range(len(f.widths)):
        col = f.layout.columns[column]
        texts = ["z=−4.59" if column == last else "h=−0.16"] * col.shown
        labels = d.labels(column, texts)
        box = f.layout.spot(column)
        assert labels.get_left()[0] > box.xmin and labels.get_right()[0] < box.xmax, column
        assert labels.get_bottom()[1] > box.ymin
    names = d.output_names(scene.true_unit())
    box = f.layout.spot(last)
    assert names.get_right()[0] < box.xmax < BOARD.xmin
    inputs = d.input_names
    assert inputs.get_left()[0] >= -7.111 + 0.2  # off the frame's edge (15 px at 480p)
    assert inputs.get_left()[0] > f.layout.spot(0).xmin > -7.111
    assert inputs.get_right()[0] < f.layout.columns[0].x - f.layout.radius
