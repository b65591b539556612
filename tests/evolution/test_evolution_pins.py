"""The charts' pin labels never overlap another label or a ring, as placed and as drawn."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import manim
import numpy as np
import pytest

from scenes.evolution.pins import MARGIN, Rect, crosses, overlap, place_labels, ring
from scenes.render import pipeline as r
from tests.evolution.test_evolution_numbers import curve, curve_file
from tests.render_helpers import small_render

BOUNDS: Rect = (0.0, 2.6, -1.0, 1.0)


def clashes(rings: list[tuple[float, float]], labels: list[Rect], margin: float) -> list[str]:
    """Every label that comes within ``margin`` of another label or of any ring."""
    out = []
    for i, label in enumerate(labels):
        out += [f"label {i} on label {j}" for j in range(i) if overlap(label, labels[j], margin)]
        out += [
            f"label {i} on ring {j}"
            for j, at in enumerate(rings)
            if overlap(label, ring(at), margin)
        ]
    return out


def test_a_label_goes_where_it_prefers_when_that_is_free() -> None:
    """Above and to the right of its ring on the loss chart, below on the accuracy's."""
    (up,) = place_labels([(1.0, 0.0)], [(0.4, 0.2)], up=True, bounds=BOUNDS)
    (down,) = place_labels([(1.0, 0.0)], [(0.4, 0.2)], up=False, bounds=BOUNDS)
    assert up[0] > 1.1 and up[2] > 0.1
    assert down[0] > 1.1 and down[3] < -0.1


def test_an_earlier_label_keeps_off_a_later_ring() -> None:
    """The spiral's video: "−22 %" (epoch 164) was placed up and right of its ring, over
    where the jump's ring (epoch 746) later came; every ring is known before any label."""
    rings = [(1.0, 0.0), (1.45, 0.32)]
    first, second = place_labels(rings, [(0.62, 0.2), (0.45, 0.2)], up=True, bounds=BOUNDS)
    assert not overlap(first, ring(rings[1]))
    assert clashes(rings, [first, second], MARGIN) == []


def test_a_label_keeps_off_the_curve_when_a_place_near_its_ring_is_free() -> None:
    """Above-right of the ring is taken by a later ring, below-right lies on the falling
    curve (the spiral's "−22 %"): the label goes to a free place off the curve."""
    rings = [(1.0, 0.0), (1.45, 0.32)]
    curve = np.array([[0.0, 0.05], [0.9, 0.03], [1.0, 0.0], [1.4, -0.35], [2.6, -0.5]])
    first, _ = place_labels(
        rings, [(0.62, 0.2), (0.45, 0.2)], up=True, bounds=BOUNDS, lines=[curve]
    )
    assert not crosses(first, curve) and clashes(rings, [first], MARGIN) == []
    (plain, _) = place_labels(rings, [(0.62, 0.2), (0.45, 0.2)], up=True, bounds=BOUNDS)
    assert crosses(plain, curve), "without the curve, it would have gone below-right"
    # with no such place near the ring, a label may lie on a curve, never on a label
    everywhere = [np.array([[x, -1.0], [x, 1.0]]) for x in np.linspace(0.0, 2.6, 60)]
    labels = place_labels(
        rings, [(0.62, 0.2), (0.45, 0.2)], up=True, bounds=BOUNDS, lines=everywhere
    )
    assert clashes(rings, labels, MARGIN) == []


def test_a_crowded_chart_stacks_its_labels_outward() -> None:
    """Ten events on top of each other: every label still finds a place of its own."""
    rings = [(1.0 + 0.02 * k, 0.01 * k) for k in range(10)]
    labels = place_labels(rings, [(0.5, 0.2)] * 10, up=True, bounds=BOUNDS)
    assert clashes(rings, labels, MARGIN) == []


def test_near_the_right_end_a_label_goes_left() -> None:
    (label,) = place_labels([(2.55, 0.0)], [(0.5, 0.2)], up=True, bounds=BOUNDS)
    assert label[1] <= BOUNDS[1] and label[0] < 2.55


@pytest.mark.parametrize("seed", range(40))
def test_random_pins_never_overlap(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    rings = [(float(x), float(y)) for x, y in rng.uniform([0, -0.9], [2.6, 0.9], (n, 2))]
    sizes = [(float(w), 0.2) for w in rng.uniform(0.3, 0.9, n)]
    for up in (True, False):
        labels = place_labels(rings, sizes, up=up, bounds=BOUNDS)
        assert clashes(rings, labels, MARGIN) == []
        assert labels == place_labels(rings, sizes, up=up, bounds=BOUNDS)  # deterministic


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="2 rings but 1 label sizes"):
        place_labels([(0.0, 0.0)] * 2, [(0.4, 0.2)], up=True, bounds=BOUNDS)
    with pytest.raises(ValueError, match="must be positive"):
        place_labels([(0.0, 0.0)], [(0.0, 0.2)], up=True, bounds=BOUNDS)


def test_the_spiral_s_pins_are_drawn_apart(tmp_path: Path) -> None:
    """Rendered: spiral 16,16 pins "−22 %", "÷10" and "90 %", then the jump's "×25" at
    epoch 746. Its ring fell on "−22 %" and its label crowded it; drawn, no label touches
    another label or any ring."""
    loss, acc, test = curve("spiral_tanh")
    path = curve_file(tmp_path, loss, acc, test)
    seen: dict[str, Any] = {}
    opts = small_render("evolution", tmp_path, (96, 54), 2)
    r.render(path, opts, on_scene=lambda scene: seen.setdefault("scene", scene))
    scene = seen["scene"]
    pins = [m for m in scene.mobjects if isinstance(m, manim.VGroup) and m.z_index == 4]
    assert len(pins) == 4
    for chart in scene.charts:
        box = chart.box
        mine = [p for p in pins if box.xmin - 0.01 <= p[0].get_x() <= box.xmax + 0.01]
        rings = [(float(p[0].get_x()), float(p[0].get_y())) for p in mine]
        labels = [_box(p[1]) for p in mine]
        assert mine and clashes(rings, labels, 0.0) == []


def _box(mob: manim.Mobject) -> Rect:
    (x0, y0, _), (x1, y1, _) = mob.get_corner(manim.DL), mob.get_corner(manim.UR)
    return float(x0), float(x1), float(y0), float(y1)
