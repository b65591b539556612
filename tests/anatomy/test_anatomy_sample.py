"""Which point the anatomy follows: the documented rule, and a bad ``sample`` refused early."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nnmodel.schema import LayerInfo
from nnmodel.trajectory import load
from scenes.anatomy.numbers import margins, pick_sample
from scenes.anatomy.plan import check_sample
from scenes.errors import RenderError
from scenes.render import pipeline as r


@dataclass
class OneLayer:
    """Just what the rule reads of a trajectory: a logistic regression whose logit is x."""

    inputs: np.ndarray
    labels: np.ndarray
    test_mask: np.ndarray
    hidden_layers: tuple[LayerInfo, ...] = ()

    def weights(self, snapshot: int) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(np.array([[1.0, 0.0]]), np.zeros(1))]


def points(xs: list[float]) -> np.ndarray:
    return np.column_stack([xs, np.zeros(len(xs))])


def test_the_rule_takes_the_right_training_point_with_the_smallest_margin() -> None:
    # logit = x: point 0 is class 1 at x = 0.3 (right, margin 0.3); point 1 is class 0 at
    # x = 0.05 (wrong: margin −0.05); point 2 is held out (margin 0.01); point 3 is right
    # with margin 0.2; point 4 is right with margin 2.
    traj = OneLayer(
        points([0.3, 0.05, 0.01, -0.2, 2.0]),
        np.array([1, 0, 1, 0, 1]),
        np.array([False, False, True, False, False]),
    )
    assert pick_sample(traj) == 3  # type: ignore[arg-type]


def test_ties_go_to_the_lowest_index_and_all_wrong_falls_back_to_the_smallest_margin() -> None:
    tie = OneLayer(points([0.5, -0.5, 1.0]), np.array([1, 0, 1]), np.zeros(3, bool))
    assert pick_sample(tie) == 0  # type: ignore[arg-type]
    wrong = OneLayer(points([-0.5, 0.1, -2.0]), np.array([1, 0, 1]), np.zeros(3, bool))
    assert pick_sample(wrong) == 1  # type: ignore[arg-type]


def test_margins_are_the_own_class_s_lead_in_logits() -> None:
    np.testing.assert_allclose(margins(np.array([[1.5], [1.5]]), [1, 0]), [1.5, -1.5])
    three = np.array([[2.0, 1.0, -1.0], [0.0, 3.0, 2.5]])
    np.testing.assert_allclose(margins(three, [0, 2]), [1.0, -0.5])


@pytest.mark.parametrize("fixture", ["moons_traj", "wide_traj"])
def test_on_a_real_network_the_pick_is_the_hardest_point_still_right(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    traj = load(request.getfixturevalue(fixture))
    # an independent forward pass from the stored weights
    h = traj.inputs.astype(np.float64)
    for (w, b), layer in zip(traj.weights(-1), traj.layers, strict=True):
        z = h @ w.astype(np.float64).T + b.astype(np.float64)
        h = np.tanh(z) if layer.activation == "tanh" else np.maximum(z, 0.0)
        if layer.is_output:
            h = z
    y = traj.labels
    if h.shape[1] == 1:
        lead = np.where(y == 1, h[:, 0], -h[:, 0])
        right = (h[:, 0] >= 0).astype(int) == y
    else:
        others = h.copy()
        others[np.arange(len(y)), y] = -np.inf
        lead = h[np.arange(len(y)), y] - others.max(axis=1)
        right = h.argmax(axis=1) == y
    pool = right & ~traj.test_mask
    k = pick_sample(traj)
    assert pool[k]
    assert abs(lead[k]) == pytest.approx(np.abs(lead[pool]).min())


def test_a_sample_out_of_range_is_one_line_before_anything_is_drawn(
    one_layer_traj: Path, tmp_path: Path
) -> None:
    traj = load(one_layer_traj)
    n = len(traj.inputs)
    assert check_sample(traj, None) is None and check_sample(traj, n - 1) == n - 1
    for bad in (n, -1, 10**9):
        with pytest.raises(RenderError, match=rf"--sample {bad} is out of range: .* {n} points"):
            check_sample(traj, bad)
    with pytest.raises(RenderError, match="a whole number"):
        check_sample(traj, True)
    out = tmp_path / "a.mp4"
    opts = r.RenderOptions(
        scene="anatomy",
        resolution=(64, 36),
        fps=2,
        output=out,
        progress=False,
        media_dir=tmp_path / "media",
        params={"sample": n},
    )
    with pytest.raises(RenderError, match="out of range") as info:
        r.render(one_layer_traj, opts)
    assert "\n" not in str(info.value)
    assert not out.exists() and not (tmp_path / "media").exists()
