"""The warp's words are written from the network's own numbers, and differ when they do."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel.trajectory import forward, load
from scenes.narration.measure import linear_facts, shift_facts
from scenes.warp.plan import warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def _numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text.replace("−", "-"))]


@pytest.mark.parametrize("angle", [0.0, 35.0, -120.0])
@pytest.mark.parametrize("scales", [(2.3, 0.4), (1.0, 1.0), (5.0, 2.0)])
def test_linear_facts_read_back_the_map_they_describe(
    angle: float, scales: tuple[float, float]
) -> None:
    """W = R(angle)·diag(scales)·R(φ)ᵀ: the SVD facts recover the turn and the stretches."""
    phi = np.radians(20.0)
    a = np.radians(angle) + phi
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    q = np.array([[np.cos(phi), -np.sin(phi)], [np.sin(phi), np.cos(phi)]])
    w = r @ np.diag(scales) @ q.T
    f = linear_facts(w)
    assert f.stretches == pytest.approx(sorted(scales, reverse=True), abs=1e-6)
    assert not f.flips
    if scales[0] != scales[1]:
        assert f.turn == pytest.approx(angle, abs=1e-6)
    mirror = linear_facts(w @ np.diag([1.0, -1.0]))
    assert mirror.flips and mirror.stretches == pytest.approx(f.stretches)


def test_every_number_in_the_captions_comes_from_the_weights() -> None:
    traj = load(GOLDEN)
    beats = {b.id: b for b in warp_plan(traj)}
    weights = traj.weights(-1)
    acts = [L.activation for L in traj.hidden_layers]
    full = forward(weights, [*acts, "linear"], traj.inputs)
    for i, layer in enumerate(traj.hidden_layers):
        n = i + 1
        w, b = weights[i]
        s = np.linalg.svd(np.asarray(w, np.float64), compute_uv=False)
        linear = _numbers(beats[f"layer-{n}.linear"].line.sub)
        assert any(abs(v - round(float(s[0]), 1)) < 0.051 for v in linear), linear
        shift = _numbers(beats[f"layer-{n}.bias"].line.sub)
        assert round(float(np.linalg.norm(b)), 2) in shift
        z = full[i][0]
        slope = np.abs(layer.act.derivative(z))
        share = float(np.mean(slope < 0.05 * 1.0))  # tanh's largest slope is 1
        words = beats[f"layer-{n}.activation"].line.sub
        assert f"{round(share * 100)} %" in words


def test_two_layers_get_the_same_sentence_only_if_their_numbers_agree() -> None:
    traj = load(GOLDEN)
    subs = [b.line.sub for b in warp_plan(traj) if b.id.startswith("layer-")]
    assert len(subs) == len(set(subs))
    same = shift_facts([0.3, 0.4])
    assert same == shift_facts([0.3, 0.4]) and same.length == pytest.approx(0.5)


def _logistic_accuracy(x: np.ndarray, y: np.ndarray) -> float:
    """An independent check: a plain two-class logistic regression, by Newton's method."""
    z = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 1e-12, x.std(axis=0), 1.0)
    a = np.column_stack([z, np.ones(len(z))])
    w = np.zeros(a.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        h = a.T @ (a * (p * (1 - p))[:, None]) + 1e-6 * np.eye(a.shape[1])
        w -= np.linalg.solve(h, a.T @ (p - y))
    return float(np.mean(((a @ w) > 0) == (y == 1)))


def test_how_well_a_flat_boundary_separates_each_layer_is_measured_from_the_points() -> None:
    """The words after each activation: the share a line (a plane in 3-D) gets right in
    that layer's space, and in the space before it."""
    from scenes.narration.measure import line_accuracy

    traj = load(GOLDEN)
    beats = {b.id: b for b in warp_plan(traj)}
    acts = [L.activation for L in traj.hidden_layers]
    full = forward(traj.weights(-1), [*acts, "linear"], traj.inputs)
    spaces = [traj.inputs, *[full[i][1] for i in range(len(acts))]]
    # the input plane's line is the one the video drew ("A line gets 84 % right")
    w, b = (np.asarray(traj.manifest["baseline"][k]) for k in ("W", "b"))
    drawn = float(np.mean(((traj.inputs @ w.T + b)[:, 0] >= 0) == traj.labels))
    for i, layer in enumerate(traj.hidden_layers):
        before, after = (
            line_accuracy(spaces[i], traj.labels) if i else drawn,
            line_accuracy(spaces[i + 1], traj.labels),
        )
        # a fitted line's score: close to an independent fit's (both are lower bounds)
        assert after == pytest.approx(_logistic_accuracy(spaces[i + 1], traj.labels), abs=0.02)
        said = beats[f"layer-{i + 1}.activation"].line.spoken
        cut = {2: "a line", 3: "a plane"}[layer.d_out]
        could = f"After this layer, {cut} could separate {round(after * 100)} % of the points"
        assert could in said, said
        if round(after * 100) != round(before * 100):
            assert f"from {round(before * 100)} % before it" in said
        else:
            assert "as before it" in said


@pytest.mark.parametrize(
    ("w", "said"),
    [
        ([[1.5], [-0.5]], "W maps the line into the plane, scaled 1.6×: the points still lie on"),
        ([[1.0], [2.0], [2.0]], "W maps the line into 3-D space, scaled 3×"),
        ([[1.7, -1.7, -0.5], [0.0, 0.0, 0.0]], "W flattens 3-D space onto a line, scaled 2.5×"),
        ([[1.0, 2.0], [2.0, 4.0]], "W flattens the plane onto a line, scaled 5×"),
        ([[1.0, 2.0], [2.0, 4.0], [0.0, 0.0]], "W flattens the plane onto a line"),
        ([[1.0, 0, 0], [0, 2.0, 0], [0, 0, 0]], "W flattens 3-D space onto a plane, scaled 2×"),
        ([[0.0, 0.0], [0.0, 0.0]], "W sends every point to 0"),
        ([[-2.2]], "W stretches the line 2.2× and flips it end to end"),
        ([[0.5]], "W squeezes the line to 0.5×"),
    ],
)
def test_a_map_that_loses_directions_says_where_the_points_end_up(
    w: list[list[float]], said: str
) -> None:
    """A 1-wide layer feeding a wider one (it crashed the plan), a dead unit's row of zeros
    (the caption said 'onto a plane, scaled 2.4× and 0×' while the points lay on a line)."""
    from scenes.narration.warp import layer_step

    m = np.array(w)
    line = layer_step(
        "linear", 2, d_in=m.shape[1], d_out=m.shape[0], activation="relu", facts=linear_facts(m)
    )
    assert line.sub.startswith(said), line.sub
    assert line.narration.startswith("Layer 2 begins with its weight matrix, W. It ")


def _beats_of(hidden: tuple[int, ...], folder: Path) -> dict[str, Any]:
    """The warp's beats, by id, for a network of ``hidden`` widths briefly trained."""
    from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
    from nnmodel.pipeline import train_to_file

    cfg = RunConfig(
        data=DataConfig("moons", samples=120),
        model=ModelConfig(hidden=hidden),
        train=TrainConfig(epochs=20),
        export=ExportConfig(snapshots=2, grid_lines=5, grid_samples=100, mesh_resolution=16),
        seed=0,
    )
    return {b.id: b for b in warp_plan(load(train_to_file(cfg, folder / "t.npz")))}


def test_a_one_unit_bottleneck_before_a_wider_layer_gets_its_words(tmp_path: Path) -> None:
    lift = _beats_of((1, 2), tmp_path)["layer-2.linear"]
    assert "the points still lie on one line" in lift.line.sub


def test_a_last_hidden_layer_of_one_unit_is_cut_by_a_threshold(tmp_path: Path) -> None:
    """hidden 1,1 crashed the export (no second unit to swap); its separator was called a
    straight line while the picture cuts one line at one point."""
    beats = _beats_of((1, 1), tmp_path)
    assert beats["separator"].line.caption == "The output layer is a threshold"
    # the second one-unit layer does not squeeze the points onto the line they are on
    assert beats["layer-2.one-unit"].line.sub.startswith("the points stay on one line")
    assert beats["layer-1.one-unit"].line.sub.startswith("every point is squeezed")
    assert "grid" not in beats["layer-1.activation"].line.sub  # a line has none to bend


@pytest.mark.parametrize(
    ("n_classes", "d_out", "said"),
    [(2, 3, "a plane could separate 95 %"), (2, 1, "a threshold could separate 95 %"),
     (4, 3, "flat cuts could separate 95 %")],
)  # fmt: skip
def test_an_activation_names_the_cut_the_output_layer_makes(
    n_classes: int, d_out: int, said: str
) -> None:
    """Four classes are cut by argmax regions, not by 'a plane'."""
    from scenes.narration.measure import ActivationFacts
    from scenes.narration.warp import layer_step

    facts = ActivationFacts("tanh", 0.0, line_before=0.8, line_after=0.95)
    line = layer_step(
        "activation", 1, d_in=3, d_out=d_out, activation="tanh", facts=facts, n_classes=n_classes
    )
    assert f"After this layer, {said} of the points, up from 80 %" in line.narration
    if n_classes > 2:
        assert line.sub.endswith("flat cuts could split 95 % of all points"), line.sub
