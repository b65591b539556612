"""The warp's words are written from the network's own numbers, and differ when they do."""

from __future__ import annotations

import re
from pathlib import Path

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
