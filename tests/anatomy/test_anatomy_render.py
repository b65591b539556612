"""A tiny real render: the scene plays its plan, and every number it writes is the network's."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from nnmodel import activations
from nnmodel.gradients import backward
from nnmodel.trajectory import load
from scenes.core.timeline import timeline
from scenes.narration.anatomy import decimals, fixed, num
from scenes.render import pipeline as r

SIZE = (64, 36)
FPS = 3


@pytest.fixture(scope="module")
def rendered(one_layer_traj: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("anatomy") / "anatomy.mp4"
    opts = r.RenderOptions(
        scene="anatomy",
        resolution=SIZE,
        fps=FPS,
        output=out,
        media_dir=out.parent / "media",
        progress=False,
        params={"sample": 3},
    )
    seen: dict[str, Any] = {}
    result = r.render(one_layer_traj, opts, on_scene=lambda s: seen.update(scene=s))
    return {"scene": seen["scene"], "result": result, "traj": load(one_layer_traj)}


def test_the_scene_plays_exactly_its_plan(rendered: dict[str, Any]) -> None:
    scene, result = rendered["scene"], rendered["result"]
    played = [(b, round(s, 6), round(e, 6)) for b, s, e in scene.beat_times]
    planned = [(t.beat.id, round(t.start, 6), round(t.end, 6)) for t in timeline(scene.beats)]
    assert played == planned
    with av.open(str(result.output)) as c:
        frames = sum(1 for _ in c.decode(c.streams.video[0]))
    assert frames == round(planned[-1][2] * FPS)
    srt = result.output.with_suffix(".srt").read_text()
    for beat in scene.beats:
        assert beat.line.caption in srt


def expected_numbers(traj: Any, index: int) -> dict[str, float]:
    """Every number the scene may write, computed here from the stored weights."""
    weights = [(w.astype(np.float64), b.astype(np.float64)) for w, b in traj.weights(-1)]
    x = traj.inputs[index].astype(np.float64)
    y = int(traj.labels[index])
    out: dict[str, float] = {f"x.{u}": x[u] for u in range(2)}
    h, zs = x, []
    for c, ((w, b), layer) in enumerate(zip(weights, traj.layers, strict=True), start=1):
        z = w @ h + b
        h = z if layer.is_output else activations.get(layer.activation)(z)
        zs.append(z)
        out |= {f"b{c}.{u}": b[u] for u in range(len(b))}
        out |= {f"z{c}.{u}": z[u] for u in range(len(z))}
        if not layer.is_output:  # the output's h is its z: written once, as z
            out |= {f"h{c}.{u}": h[u] for u in range(len(h))}
    probs = activations.class_probabilities(h[None])[0]
    out |= {f"p.{k}": p for k, p in enumerate(probs)}
    out["loss"] = -np.log(probs[y])
    g = backward(weights, [L.activation for L in traj.hidden_layers], x[None], [y])
    for c, dz in enumerate(g.dz, start=1):
        out |= {f"delta{c}.{u}": v for u, v in enumerate(dz[0])}
    for layer in range(1, len(weights)):
        up = g.dz[layer][0] @ weights[layer][0]
        slope = activations.get(traj.layers[layer - 1].activation).derivative(zs[layer - 1])
        out |= {f"up{layer}.{u}": v for u, v in enumerate(up)}
        out |= {f"slope{layer}.{u}": v for u, v in enumerate(slope)}
    out |= {f"dW0.{u}.{k}": g.dW[0][u, k] for u in range(g.dW[0].shape[0]) for k in range(2)}
    out |= {f"db0.{u}": v for u, v in enumerate(g.db[0])}
    return out


def test_every_number_on_screen_is_the_network_s(rendered: dict[str, Any]) -> None:
    scene, traj = rendered["scene"], rendered["traj"]
    assert scene.facts.index == 3
    expected = expected_numbers(traj, 3)
    shown = scene.shown
    assert len(shown) > 20
    for beat_id, key, text in shown:
        assert key in expected, (beat_id, key)
        # two decimals, or more where a table's equation needs them to check out
        d = decimals(text)
        assert text == (num(expected[key]) if d <= 2 else fixed(expected[key], d)), (
            beat_id,
            key,
            text,
        )
    keys = {key for _, key, _ in shown}
    # all of it was shown: inputs, biases, every z and h, probabilities, loss, every δ
    assert keys == set(expected)
    by_beat = {b: {k for bb, k, _ in shown if bb == b} for b, _, _ in shown}
    assert {k for k in by_beat["layer-1.forward"] if re.match(r"[zh]1\.", k)} == {
        "z1.0",
        "z1.1",
        "h1.0",
        "h1.1",
    }
    assert by_beat["error"] == {"delta2.0"}
