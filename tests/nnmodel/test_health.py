"""health.diagnose names dead, saturated and collapsed layers, early stops and stalled runs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from nnmodel import health, trajectory
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import Dataset
from nnmodel.export import build
from nnmodel.health import Finding, diagnose
from nnmodel.schema import Divergence
from nnmodel.trajectory import Trajectory

F32 = npt.NDArray[np.float32]
#: A hidden layer as (W, b), W shaped (out, in) as in torch.
Layer = tuple[Sequence[Sequence[float]], Sequence[float]]

#: 25 points on a 5×5 grid over [-1, 1]²: values exact in float32, so every z is exact.
STEPS = (-1.0, -0.5, 0.0, 0.5, 1.0)
GRID = np.array([(a, b) for a in STEPS for b in STEPS], np.float32)
IDENTITY: Layer = ([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])


def _weights(layers: Sequence[Layer], classes: int) -> list[tuple[F32, F32]]:
    """The hidden layers as float32 arrays, plus an output layer (one logit for 2 classes)."""
    out = [(np.array(w, np.float32), np.array(b, np.float32)) for w, b in layers]
    logits, width = (1 if classes == 2 else classes), out[-1][0].shape[0]
    return [*out, (np.full((logits, width), 0.5, np.float32), np.zeros(logits, np.float32))]


def make(
    tmp_path: Path,
    layers: Sequence[Layer],
    activation: str | Sequence[str] = "relu",
    *,
    first: Sequence[Layer] | None = None,
    x: F32 = GRID,
    test_mask: npt.NDArray[np.bool_] | None = None,
    losses: Sequence[float] = (0.69, 0.3),
    stopped_early: bool = False,
    target_loss: float | None = None,
    classes: int = 2,
    diverged: Divergence | None = None,
    lr: float = 0.03,
) -> Trajectory:
    """Write and load a trajectory whose hidden layers are exactly ``layers``.

    Two snapshots: epoch 0 (``first``, or ``layers`` when not given) and the last epoch
    (``layers``); ``losses`` is the training loss of every epoch, from epoch 0. With 3
    classes, the class of a point is the third of the x range it lies in.
    """
    acts = (activation,) if isinstance(activation, str) else tuple(activation)
    widths = tuple(len(b) for _, b in layers)
    last = len(losses) - 1
    cfg = RunConfig(
        model=ModelConfig(hidden=widths, activation=acts),
        train=TrainConfig(epochs=max(last, 1), target_loss=target_loss, lr=lr),
        export=ExportConfig(snapshots=2, grid_lines=2, grid_samples=100, mesh_resolution=8),
    )
    if classes == 2:
        y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    else:
        y = np.digitize(x[:, 0], [-0.25, 0.25]).astype(np.int64)
    names = ("a", "b", "c")[:classes]
    data = Dataset(np.ascontiguousarray(x, np.float32), y, names, "hand")
    mask = np.zeros(len(y), bool) if test_mask is None else test_mask
    metrics: dict[str, list[float | None]] = {
        "train_loss": list(losses),
        "train_acc": [0.5] * len(losses),
        "test_loss": [None] * len(losses),
        "test_acc": [None] * len(losses),
    }
    by_epoch = {
        0: _weights(layers if first is None else first, classes),
        last: _weights(layers, classes),
    }
    info, arrays = build(
        cfg, data, by_epoch, last, metrics, mask, stopped_early=stopped_early, diverged=diverged
    )
    return trajectory.load(trajectory.write(tmp_path / "t.npz", info, arrays))


def kinds(findings: Sequence[Finding]) -> list[tuple[str, int | None, int | None]]:
    return [(f.kind, f.layer, f.unit) for f in findings]


def only(findings: Sequence[Finding], kind: str) -> list[Finding]:
    return [f for f in findings if f.kind == kind]


# --------------------------------------------------------------------------- a healthy net


def test_a_healthy_network_has_no_finding(tmp_path: Path) -> None:
    for act in ("relu", "tanh", "sigmoid", "linear"):
        layers: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.1, 0.1, 0.1])]
        traj = make(tmp_path, layers, act)
        assert diagnose(traj) == [], act
        assert diagnose(traj, 0) == [], act


# --------------------------------------------------------------------------- dead units


def test_a_relu_unit_below_zero_everywhere_is_dead(tmp_path: Path) -> None:
    # unit 3: z = -1 everywhere; unit 2: z = x - 1 <= 0, reaching exactly 0 at x = 1
    w = [[1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [0.0, 1.0]]
    traj = make(tmp_path, [(w, [0.5, -1.0, -1.0, 0.5])])
    found = diagnose(traj)
    assert kinds(found) == [("dead-unit", 0, 1), ("dead-unit", 0, 2)]
    assert found[1].text == (
        "Layer 1, unit 3 is a dead ReLU: it outputs 0 for every point, so it can no longer learn."
    )
    assert [f.share for f in found] == [1.0, 1.0]


def test_a_unit_alive_on_one_held_out_point_is_not_dead(tmp_path: Path) -> None:
    # z = x - 0.75 > 0 only where x = 1, and those points are all held out
    layers: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], [0.1, 0.1, -0.75])]
    held_out = GRID[:, 0] == 1.0
    assert only(diagnose(make(tmp_path, layers, test_mask=held_out)), "dead-unit") == []


def test_a_leaky_relu_unit_is_never_dead(tmp_path: Path) -> None:
    layers: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], [0.5, 0.5, -1.0])]
    assert kinds(diagnose(make(tmp_path, layers, "relu"))) == [("dead-unit", 0, 2)]
    assert diagnose(make(tmp_path, layers, "leaky_relu")) == []


def test_death_is_read_at_the_snapshot_asked_for(tmp_path: Path) -> None:
    alive: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.5, 0.5, 0.5])]
    dead: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.5, 0.5, -5.0])]
    traj = make(tmp_path, dead, first=alive)
    assert diagnose(traj, 0) == []
    assert kinds(diagnose(traj, -1)) == kinds(diagnose(traj, 1)) == [("dead-unit", 0, 2)]
    with pytest.raises(IndexError):
        diagnose(traj, 2)


def test_dead_units_of_a_wide_layer_are_found_at_full_width(tmp_path: Path) -> None:
    # 5 units: stored through a 3-D projection, but units 2 and 5 are dead at full width
    w = [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]]
    traj = make(tmp_path, [(w, [0.5, -1.0, 0.5, 0.5, -2.0])])
    assert traj.info.layers[0].projected
    found = diagnose(traj)
    assert kinds(found) == [("dead-unit", 0, 1), ("dead-unit", 0, 4)]
    assert "unit 2 " in found[0].text and "unit 5 " in found[1].text


def test_many_dead_units_make_one_finding(tmp_path: Path) -> None:
    n = health.MAX_UNITS_NAMED
    alive_w, alive_b = [[1.0, 0.0], [0.0, 1.0]], [0.5, 0.5]
    w, b = alive_w + [[0.0, 0.0]] * (n + 1), alive_b + [-1.0] * (n + 1)
    found = diagnose(make(tmp_path, [(w, b)]))
    assert kinds(found) == [("dead-unit", 0, None)]
    assert found[0].text.startswith(f"Layer 1: {n + 1} of {n + 3} units are dead ReLUs")
    assert found[0].share == 1.0
    # as many as MAX_UNITS_NAMED: one finding each
    found = diagnose(make(tmp_path, [(w[:-1], b[:-1])]))
    assert kinds(found) == [("dead-unit", 0, u) for u in range(2, n + 2)]


# --------------------------------------------------------------------------- saturation


def test_a_tanh_unit_with_huge_weights_is_saturated(tmp_path: Path) -> None:
    # unit 1: z = 50x + 10y, |z| < 2.18 only at (0, 0): saturated on 24 of 25 points
    layers: list[Layer] = [([[50.0, 10.0], [1.0, 0.0], [0.0, 1.0]], [0.0, 0.0, 0.0])]
    found = diagnose(make(tmp_path, layers, "tanh"))
    assert kinds(found) == [("saturated-unit", 0, 0)]
    assert found[0].share == pytest.approx(24 / 25)
    assert found[0].text == (
        "Layer 1, unit 1 (tanh) is saturated on 96 % of the points: its slope is almost 0, "
        "so it barely learns."
    )


def test_saturated_on_fewer_than_90_percent_is_not_saturated(tmp_path: Path) -> None:
    # z = 50x: unsaturated on the 5 points where x = 0, saturated on 20 of 25 (80 %)
    layers: list[Layer] = [([[50.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [0.0, 0.0, 0.0])]
    assert diagnose(make(tmp_path, layers, "tanh")) == []
    # a bias of 10 moves those 5 points to the flat end too: saturated everywhere
    layers = [([[50.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [10.0, 0.0, 0.0])]
    found = diagnose(make(tmp_path, layers, "tanh"))
    assert kinds(found) == [("saturated-unit", 0, 0)]
    assert found[0].share == 1.0 and "saturated on every point" in found[0].text


def test_sigmoid_saturates_at_the_same_place_on_its_curve(tmp_path: Path) -> None:
    # |z| = 3 on every point: tanh is flat there (slope 0.01), sigmoid not yet (0.045 of 0.25)
    layers: list[Layer] = [([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [3.0, 0.0, 0.0])]
    assert kinds(diagnose(make(tmp_path, layers, "tanh"))) == [("saturated-unit", 0, 0)]
    assert diagnose(make(tmp_path, layers, "sigmoid")) == []
    # |z| = 6: flat for sigmoid too (slope 0.0025)
    layers = [([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], [-6.0, 0.0, 0.0])]
    found = diagnose(make(tmp_path, layers, "sigmoid"))
    assert kinds(found) == [("saturated-unit", 0, 0)] and "(sigmoid)" in found[0].text


def test_relu_units_are_never_saturated(tmp_path: Path) -> None:
    layers: list[Layer] = [([[50.0, 10.0], [1.0, 0.0], [0.0, 1.0]], [0.0, 0.0, 0.0])]
    assert only(diagnose(make(tmp_path, layers, "relu")), "saturated-unit") == []


# --------------------------------------------------------------------------- collapse


def test_a_rank_one_layer_collapses_onto_a_line(tmp_path: Path) -> None:
    layers: list[Layer] = [([[1.0, 1.0], [2.0, 2.0], [-1.0, -1.0]], [0.0, 1.0, 0.0])]
    found = diagnose(make(tmp_path, layers, "linear", classes=3))
    assert kinds(found) == [("collapsed-layer", 0, None)]
    assert found[0].text == (
        "Layer 1 squashes all the points onto a line: only one direction is left to tell "
        "the classes apart."
    )
    assert found[0].share is None


def test_within_3_percent_of_a_line_is_a_line(tmp_path: Path) -> None:
    flat: list[Layer] = [([[1.0, 0.0], [0.0, 0.02]], [0.0, 0.0]), IDENTITY]  # 1 : 0.02
    assert kinds(diagnose(make(tmp_path, flat, "linear"))) == [("collapsed-layer", 0, None)]
    thicker: list[Layer] = [([[1.0, 0.0], [0.0, 0.05]], [0.0, 0.0]), IDENTITY]  # 1 : 0.05
    assert diagnose(make(tmp_path, thicker, "linear")) == []


def test_a_line_before_a_single_logit_is_not_a_loss(tmp_path: Path) -> None:
    # two classes: the output reads one direction of the last hidden layer anyway
    rank_one: list[Layer] = [IDENTITY, ([[1.0, 1.0], [2.0, 2.0]], [0.0, 0.0])]
    assert diagnose(make(tmp_path, rank_one, "linear")) == []
    found = diagnose(make(tmp_path, rank_one, "linear", classes=3))
    assert kinds(found) == [("collapsed-layer", 1, None)]
    # a single point is a loss whatever the output
    zero: list[Layer] = [IDENTITY, ([[0.0, 0.0], [0.0, 0.0]], [1.0, 1.0])]
    assert kinds(diagnose(make(tmp_path, zero, "linear"))) == [("collapsed-layer", 1, None)]


def test_a_constant_layer_collapses_onto_a_point(tmp_path: Path) -> None:
    layers: list[Layer] = [([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], [0.3, 0.2, 0.1])]
    found = diagnose(make(tmp_path, layers, "tanh"))
    assert kinds(found) == [("collapsed-layer", 0, None)]
    assert "sends every point to the same place" in found[0].text


def test_an_all_dead_layer_names_its_units_then_the_collapse(tmp_path: Path) -> None:
    layers: list[Layer] = [([[1.0, 0.0], [0.0, 1.0]], [-2.0, -2.0]), IDENTITY]
    found = diagnose(make(tmp_path, layers, "relu"))
    # layer 2 sees one point: its findings would only repeat layer 1's, so none
    assert kinds(found) == [("dead-unit", 0, 0), ("dead-unit", 0, 1), ("collapsed-layer", 0, None)]
    assert "Layer 1 sends every point to the same place" in found[-1].text


def test_a_line_is_reported_once_not_in_every_later_layer(tmp_path: Path) -> None:
    rank_one: Layer = ([[1.0, 1.0], [2.0, 2.0]], [0.0, 0.0])
    found = diagnose(make(tmp_path, [rank_one, IDENTITY, IDENTITY], "linear", classes=3))
    assert kinds(found) == [("collapsed-layer", 0, None)]
    # ...but a later layer squeezing that line to a point is news
    zero: Layer = ([[0.0, 0.0], [0.0, 0.0]], [1.0, 1.0])
    found = diagnose(make(tmp_path, [rank_one, zero], "linear"))
    assert kinds(found) == [("collapsed-layer", 0, None), ("collapsed-layer", 1, None)]
    assert "onto a line" in found[0].text and "same place" in found[1].text


def test_a_one_unit_layer_is_a_line_by_construction(tmp_path: Path) -> None:
    one: Layer = ([[1.0, 1.0]], [0.0])
    wide: Layer = ([[1.0], [2.0]], [0.0, 0.0])  # 1 → 2: a line again, a consequence
    assert diagnose(make(tmp_path, [one, wide], "linear", classes=3)) == []
    # a constant single unit is a point, though
    found = diagnose(make(tmp_path, [([[0.0, 0.0]], [0.5])], "tanh"))
    assert kinds(found) == [("collapsed-layer", 0, None)]


def test_data_on_a_line_is_not_blamed_on_the_layers(tmp_path: Path) -> None:
    t = np.linspace(-1.0, 1.0, 12, dtype=np.float32)
    on_a_line = np.stack([t, 2 * t], axis=1)
    assert diagnose(make(tmp_path, [IDENTITY], "linear", x=on_a_line, classes=3)) == []


# --------------------------------------------------------------------------- the run


def test_stopping_at_the_target_loss_is_reported(tmp_path: Path) -> None:
    losses = [0.69 - 0.01 * e for e in range(42)]  # 0.28 at epoch 41
    layers = [IDENTITY]
    traj = make(tmp_path, layers, "tanh", losses=losses, stopped_early=True, target_loss=0.3)
    found = diagnose(traj)
    assert kinds(found) == [("stopped-early", None, None)]
    assert found[0].text == "Stopped at epoch 41: the loss reached 0.28, under the target of 0.3."
    assert diagnose(make(tmp_path, layers, "tanh", losses=losses)) == []


def test_a_diverged_run_says_so_and_suggests_a_lower_learning_rate(tmp_path: Path) -> None:
    losses = [0.693, 0.693, 0.692]  # stuck, then NaN at epoch 3: the divergence is the news
    for loss, became, lr, hint in (
        ("nan", "NaN", 0.03, "0.003"),
        ("inf", "infinite", 1000.0, "0.1"),  # a tenth, but not a rate still huge
    ):
        traj = make(
            tmp_path, [IDENTITY], "tanh", losses=losses, diverged=Divergence(3, loss), lr=lr
        )
        assert traj.info.final.diverged == Divergence(3, loss)
        found = diagnose(traj)
        assert kinds(found) == [("diverged", None, None)]
        assert found[0].text == (
            f"Training diverged at epoch 3: the loss became {became}; "
            f"try a lower learning rate, e.g. --lr {hint}."
        )
        assert kinds(diagnose(traj, 0)) == kinds(found)  # about the whole run
    assert kinds(diagnose(make(tmp_path, [IDENTITY], "tanh", losses=losses))) == [
        ("no-progress", None, None)
    ]


def test_a_loss_that_barely_moved_is_no_progress(tmp_path: Path) -> None:
    stuck = make(tmp_path, [IDENTITY], "tanh", losses=[0.693, 0.692, 0.690, 0.689])
    found = diagnose(stuck)
    assert kinds(found) == [("no-progress", None, None)]
    assert found[0].text == (
        "The loss barely moved in 3 epochs: the learning rate may be too small."
    )
    assert kinds(diagnose(stuck, 0)) == kinds(found)  # about the whole run


def test_a_loss_that_moved_is_progress(tmp_path: Path) -> None:
    for losses in ([0.693, 0.6, 0.5], [0.693, 0.675], [0.693, 0.3, 0.69]):
        assert diagnose(make(tmp_path, [IDENTITY], "tanh", losses=losses)) == [], losses


def test_run_findings_come_first_then_layer_by_layer(tmp_path: Path) -> None:
    layers: list[Layer] = [
        ([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]], [0.5, -1.0, 0.5]),
        ([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]], [0.1, 0.1, -1.0]),
    ]
    traj = make(tmp_path, layers, "relu", losses=[0.7, 0.7])
    found = diagnose(traj)
    assert kinds(found) == [
        ("no-progress", None, None),
        ("dead-unit", 0, 1),
        ("dead-unit", 1, 2),
    ]
    assert "epoch:" in found[0].text and "Layer 2, unit 3" in found[2].text
    for f in found:
        assert f.kind in health.KINDS
        assert json.loads(json.dumps(f.to_json())) == f.to_json()
        assert f.text.endswith(".") and len(f.text) <= 110


def test_a_real_run_with_a_tiny_learning_rate_makes_no_progress(tmp_path: Path) -> None:
    from nnmodel.pipeline import train_to_file

    cfg = RunConfig(
        data=DataConfig("moons", samples=40),
        model=ModelConfig(hidden=(2,)),
        train=TrainConfig(epochs=3, lr=1e-6),
        export=ExportConfig(snapshots=2, grid_lines=2, grid_samples=100, mesh_resolution=8),
    )
    stuck = trajectory.load(train_to_file(cfg, tmp_path / "stuck.npz"))
    assert kinds(only(diagnose(stuck), "no-progress")) == [("no-progress", None, None)]
    learning = replace(cfg, train=TrainConfig(epochs=3, lr=0.3))
    moved = trajectory.load(train_to_file(learning, tmp_path / "moved.npz"))
    assert only(diagnose(moved), "no-progress") == []
