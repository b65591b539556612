"""The decision boundary as curves: on the network's own boundary, and carried by each layer
onto the output layer's straight line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel.trajectory import Trajectory, decide, forward, load
from scenes.core.boundary import boundary_curves, carry

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def _classes(traj: Trajectory, x: np.ndarray) -> np.ndarray:
    acts = [L.activation for L in traj.hidden_layers]
    return decide(forward(traj.weights(-1), [*acts, "linear"], x)[-1][0])


def _border_cells(traj: Trajectory) -> tuple[np.ndarray, float]:
    """Centres of the mesh cells whose class differs from a neighbour's (the border the
    decision regions' picture shows), and the cell size."""
    x0, x1, y0, y1 = traj.mesh_extent
    n = 120
    cell = (x1 - x0) / n
    xs, ys = x0 + cell * (np.arange(n) + 0.5), y0 + (y1 - y0) / n * (np.arange(n) + 0.5)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    k = _classes(traj, grid)
    edge = np.zeros_like(k, bool)
    edge[:, :-1] |= k[:, :-1] != k[:, 1:]
    edge[:-1, :] |= k[:-1, :] != k[1:, :]
    return grid[edge], max(cell, (y1 - y0) / n)


@pytest.fixture
def traj(golden_or_wide: Trajectory) -> Trajectory:
    return golden_or_wide


def test_the_curves_are_the_border_the_regions_show(traj: Trajectory) -> None:
    curves = boundary_curves(traj, -1)
    assert curves.ndim == 3 and curves.shape[-1] == 2 and len(curves)
    border, cell = _border_cells(traj)
    pts = curves.reshape(-1, 2)
    # every border cell of the regions has the curve within two cells of it ...
    gap = np.sqrt(((border[:, None] - pts[None]) ** 2).sum(-1)).min(axis=1)
    assert float(np.quantile(gap, 0.99)) < 2 * cell
    # ... and the curve parts classes: a step to either side of it lands in two classes
    tangent = np.gradient(curves, axis=1)
    normal = tangent[..., ::-1] * [1.0, -1.0]
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    side_a = _classes(traj, curves + 0.5 * cell * normal)
    side_b = _classes(traj, curves - 0.5 * cell * normal)
    assert float(np.mean(side_a != side_b)) > 0.95


def test_the_curves_are_evenly_resampled_and_deterministic(traj: Trajectory) -> None:
    curves = boundary_curves(traj, -1)
    step = np.linalg.norm(np.diff(curves, axis=1), axis=-1)
    even = step.sum(axis=1, keepdims=True) / step.shape[1]  # a chord cuts a corner: shorter
    assert (step <= even * 1.3).all() and (np.median(step / even, axis=1) > 0.97).all()
    assert np.array_equal(curves, boundary_curves(traj, -1))


def test_every_layer_carries_the_curves_as_it_carries_the_points(traj: Trajectory) -> None:
    """The points pushed through :func:`carry` land where the file stored them, so the
    curves move with the picture; in the last hidden space they lie on the separator."""
    stages = traj.stages(-1)
    carried = carry(traj, -1, traj.inputs)
    assert len(carried) == len(stages)
    for got, stage in zip(carried, stages, strict=True):
        assert got.shape == stage.points.shape
        span = float(np.ptp(stage.points)) or 1.0
        assert float(np.abs(got - stage.points).max()) < 1e-4 * span
    if traj.layers[-2].projected:
        return  # a projected last space shows the separator only approximately
    curves = carry(traj, -1, boundary_curves(traj, -1))
    last = curves[2 * len(traj.hidden_layers)]
    sep = traj.separator(-1)
    scores = last @ sep.w.T + sep.b
    if scores.shape[-1] == 1:
        off = np.abs(scores[..., 0])
    else:  # on a border the top two scores tie
        top2 = np.sort(scores, axis=-1)[..., -2:]
        off = top2[..., 1] - top2[..., 0]
    # on the line to within 0.5 % of the picture (between vertices a chord cuts the curve)
    assert float(off.max()) / float(np.linalg.norm(sep.w)) < 5e-3 * float(np.ptp(last))


def test_one_class_everywhere_has_no_curve() -> None:
    traj = load(GOLDEN)
    w, b = traj.weights(-1)[-1]
    far = type(traj).__new__(type(traj))
    far.__dict__.update(traj.__dict__)
    far.weights = lambda s: [*traj.weights(s)[:-1], (np.zeros_like(w), b + 5.0)]  # type: ignore[method-assign]
    assert boundary_curves(far, -1).shape == (0, 160, 2)
