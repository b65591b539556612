"""The default explainer tells a story: every hidden layer visibly does work."""

from __future__ import annotations

import numpy as np
import pytest

from nnmodel.config import RunConfig
from nnmodel.export import fix_orientation
from nnmodel.pipeline import prepare
from nnmodel.train import train
from nnmodel.trajectory import forward

#: A layer keeps the points spread in two directions: second singular value ≥ this × first.
SPREAD = 0.15


def _spread(h: np.ndarray) -> float:
    s = np.linalg.svd(h - h.mean(axis=0), compute_uv=False)
    return float(s[1] / s[0])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_hidden_layer_but_the_last_squashes_the_points_to_a_line(seed: int) -> None:
    cfg = RunConfig(seed=seed)
    assert cfg.data.name == "moons" and cfg.model.hidden == (3, 2)
    prep = prepare(cfg)
    result = train(cfg, prep.data)
    assert result.metrics["train_acc"][result.epochs_trained] >= 0.98
    weights, _ = fix_orientation(result.final_weights)
    stages = forward(weights, [*cfg.model.activations(), "linear"], prep.data.X.astype(float))
    hidden = [h for _, h in stages[:-1]]
    assert all(_spread(h) >= SPREAD for h in hidden[:-1]), [_spread(h) for h in hidden]
