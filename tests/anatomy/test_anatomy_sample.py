"""Which point the anatomy follows: the documented rule, and a bad ``sample`` refused early."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from nnmodel.schema import LayerInfo
from nnmodel.trajectory import load
from scenes.anatomy.numbers import CLEAR_MARGIN, choose_sample, margins, pick_sample
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


def test_the_rule_takes_the_clearly_right_training_point_with_the_smallest_margin() -> None:
    # logit = x: point 0 is class 1 at x = 0.3 (right, but margin 0.3 < 0.4: a near
    # coin-flip); point 1 is class 0 at x = 0.05 (wrong); point 2 is held out (margin 0.5);
    # point 3 is right with margin 0.45; point 4 is right with margin 2.
    traj = OneLayer(
        points([0.3, 0.05, 0.5, -0.45, 2.0]),
        np.array([1, 0, 1, 0, 1]),
        np.array([False, False, True, False, False]),
    )
    assert choose_sample(traj) == (3, "clear")  # type: ignore[arg-type]
    assert CLEAR_MARGIN == 0.4


def test_ties_go_to_the_lowest_index_and_the_fallbacks_say_why() -> None:
    tie = OneLayer(points([0.5, -0.5, 1.0]), np.array([1, 0, 1]), np.zeros(3, bool))
    assert choose_sample(tie) == (0, "clear")  # type: ignore[arg-type]
    unsure = OneLayer(points([0.1, -0.3, 0.2]), np.array([1, 0, 1]), np.zeros(3, bool))
    assert choose_sample(unsure) == (1, "closest")  # type: ignore[arg-type]
    wrong = OneLayer(points([-0.5, 0.1, -2.0]), np.array([1, 0, 1]), np.zeros(3, bool))
    assert choose_sample(wrong) == (1, "wrong")  # type: ignore[arg-type]


@dataclass
class DeadRelu(OneLayer):
    """One ReLU unit, h = relu(x − 1), then logit = h − 0.5: every point with x ≤ 1 is
    class 0 with its unit zeroed (no gradient flows back from it); points beyond x = 1
    pass gradient."""

    hidden_layers: tuple[LayerInfo, ...] = (
        LayerInfo(0, 2, 1, "relu", is_output=False, projected=False),
    )

    def weights(self, snapshot: int) -> list[tuple[np.ndarray, np.ndarray]]:
        return [
            (np.array([[1.0, 0.0]]), np.array([-1.0])),
            (np.array([[1.0]]), np.array([-0.5])),
        ]


def test_the_default_point_passes_gradient_back_or_the_words_are_told_why() -> None:
    # points 0 and 1 are right with margin 0.5 but their unit is zeroed; point 2 (x = 2,
    # h = 1, logit 0.5) is right and passes gradient; point 3 (x = 1.2, logit -0.3) is
    # class 0, right but unsure
    flowing = DeadRelu(points([0.0, 0.5, 2.0, 1.2]), np.array([0, 0, 1, 0]), np.zeros(4, bool))
    assert choose_sample(flowing) == (2, "clear")  # type: ignore[arg-type]
    dead = DeadRelu(points([0.0, 0.5]), np.array([0, 0]), np.zeros(2, bool))
    assert choose_sample(dead) == (0, "stopped")  # type: ignore[arg-type]


def test_margins_are_the_own_class_s_lead_in_logits() -> None:
    np.testing.assert_allclose(margins(np.array([[1.5], [1.5]]), [1, 0]), [1.5, -1.5])
    three = np.array([[2.0, 1.0, -1.0], [0.0, 3.0, 2.5]])
    np.testing.assert_allclose(margins(three, [0, 2]), [1.0, -0.5])


@pytest.mark.parametrize("fixture", ["moons_traj", "wide_traj"])
def test_on_a_real_network_the_pick_is_the_hardest_point_still_clearly_right(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    traj = load(request.getfixturevalue(fixture))
    # an independent forward pass from the stored weights
    h = traj.inputs.astype(np.float64)
    alive = np.ones(len(h), bool)
    for (w, b), layer in zip(traj.weights(-1), traj.layers, strict=True):
        z = h @ w.astype(np.float64).T + b.astype(np.float64)
        if layer.is_output:
            h = z
        elif layer.activation == "tanh":
            h = np.tanh(z)
            alive &= (1 - h**2 >= 0.05).any(axis=1)
        else:
            h = np.maximum(z, 0.0)
            alive &= (z > 0).any(axis=1)
    y = traj.labels
    if h.shape[1] == 1:
        lead = np.where(y == 1, h[:, 0], -h[:, 0])
        right = (h[:, 0] >= 0).astype(int) == y
    else:
        others = h.copy()
        others[np.arange(len(y)), y] = -np.inf
        lead = h[np.arange(len(y)), y] - others.max(axis=1)
        right = h.argmax(axis=1) == y
    pool = right & ~traj.test_mask & alive & (lead >= 0.4)
    assert pool.any()
    k, why = choose_sample(traj)
    assert why == "clear" and pool[k] and k == pick_sample(traj)
    assert lead[k] == pytest.approx(lead[pool].min())


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
