"""Every moment of the training: interpolation through the snapshots, boundaries, views."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from nnmodel.schema import UnitSwap
from nnmodel.trajectory import load
from scenes.core.contours import boundary_segments, contour_segments
from scenes.core.view import Box
from scenes.evolution.frames import (
    Evolving,
    flips,
    hermite,
    locate,
)
from scenes.evolution.timing import Clock

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def test_locate_finds_the_interval_and_the_share_of_it() -> None:
    nodes = [0.0, 0.1, 0.4, 1.0]
    assert locate(nodes, 0.0) == (0, 0.0)
    assert locate(nodes, 0.25) == (1, pytest.approx(0.5))
    assert locate(nodes, 0.4) == (2, 0.0)
    assert locate(nodes, 1.0) == (3, 0.0)


def test_the_cubic_passes_through_every_snapshot_without_overshooting() -> None:
    nodes = np.array([0.0, 0.05, 0.2, 0.3, 0.7, 1.0])
    values = np.array([[0.0, 1.0], [0.1, 0.9], [0.8, 0.8], [0.85, 0.2], [0.85, 0.1], [1.0, 0.1]])

    def at(u: float) -> np.ndarray:
        s, tau = locate(nodes, u)
        return hermite(nodes, lambda i: values[i], s, tau)

    for i, u in enumerate(nodes):
        assert at(float(u)).tolist() == values[i].tolist()
    us = np.linspace(0, 1, 2001)
    path = np.array([at(float(u)) for u in us])
    for s in range(len(nodes) - 1):
        inside = (us >= nodes[s]) & (us <= nodes[s + 1])
        lo = np.minimum(values[s], values[s + 1]) - 1e-12
        hi = np.maximum(values[s], values[s + 1]) + 1e-12
        assert np.all((path[inside] >= lo) & (path[inside] <= hi)), "between its neighbours"
    # No kinks: the speed is continuous across every snapshot.
    step = us[1] - us[0]
    speed = np.diff(path, axis=0) / step
    for u in nodes[1:-1]:
        k = int(round(u / step))
        assert np.allclose(speed[k - 1], speed[k], atol=0.05 * (1 + np.abs(speed[k]).max()))


def test_a_plane_s_contour_is_a_straight_line_where_it_should_be() -> None:
    rows = cols = 40
    x = (np.arange(cols) + 0.5) / cols * 4 - 2  # cell centres over (-2, 2)
    y = (np.arange(rows) + 0.5) / rows * 4 - 2
    gx, gy = np.meshgrid(x, y)
    seg = contour_segments(0.6 * gx - 0.8 * gy - 0.3, (-2.0, 2.0, -2.0, 2.0))
    assert len(seg) > 30
    ends = seg.reshape(-1, 2)
    assert np.allclose(0.6 * ends[:, 0] - 0.8 * ends[:, 1] - 0.3, 0, atol=1e-9)


def test_a_circle_s_contour_stays_on_the_circle() -> None:
    n = 64
    c = (np.arange(n) + 0.5) / n * 2 - 1
    gx, gy = np.meshgrid(c, c)
    seg = contour_segments(gx**2 + gy**2, (-1.0, 1.0, -1.0, 1.0), level=0.25)
    radius = np.linalg.norm(seg.reshape(-1, 2), axis=1)
    assert np.allclose(radius, 0.5, atol=0.01) and len(seg) > 40
    assert len(contour_segments(gx**2 + gy**2, (-1.0, 1.0, -1.0, 1.0), level=5.0)) == 0


def test_a_saddle_gives_two_segments_that_do_not_cross() -> None:
    f = np.array([[1.0, -1.0], [-1.0, 1.0]])  # corners + − + −, mean 0 (≥ 0: connected)
    seg = contour_segments(f, (0.0, 2.0, 0.0, 2.0))
    assert seg.shape == (2, 2, 2)
    mids = seg.mean(axis=1)
    assert np.linalg.norm(mids[0] - mids[1]) > 0.4


def test_decision_boundaries_of_two_and_three_classes() -> None:
    n = 50
    c = (np.arange(n) + 0.5) / n * 2 - 1
    gx, gy = np.meshgrid(c, c)
    p1 = 1 / (1 + np.exp(-8 * gx))
    two = boundary_segments(np.stack([1 - p1, p1], axis=-1), (-1.0, 1.0, -1.0, 1.0))
    assert np.allclose(two[..., 0], 0.0, atol=1e-9)
    logits = np.stack([gx, -gx, 2 * gy], axis=-1) * 6  # three regions
    p = np.exp(logits) / np.exp(logits).sum(axis=-1, keepdims=True)
    three = boundary_segments(p, (-1.0, 1.0, -1.0, 1.0))
    ends = three.reshape(-1, 2)
    lg = np.stack([ends[:, 0], -ends[:, 0], 2 * ends[:, 1]], axis=-1)
    top2 = np.sort(lg, axis=1)[:, -2:]
    assert np.allclose(top2[:, 0], top2[:, 1], atol=0.02), "on a boundary, two classes tie"


def test_unit_swaps_are_undone_to_the_last_snapshot_s_orientation() -> None:
    layers = [SimpleNamespace() for _ in range(3)]  # two hidden layers and the output
    info = SimpleNamespace(
        layers=layers,
        unit_swaps=(UnitSwap(0, 0, 0), UnitSwap(1, 5, 0), UnitSwap(3, 50, 1), UnitSwap(2, 9, 0)),
    )
    # Layer 0 swapped at 0, 1 and 2 but not at 3 (the last): swap 0, 1, 2 back.
    # Layer 1 swapped at the last snapshot only: swap 0, 1 and 2 to match it.
    assert flips(info, 4) == {(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)}  # type: ignore[arg-type]


def test_every_stored_snapshot_is_shown_exactly(moons_traj: Path) -> None:
    traj = load(moons_traj)
    ev = Evolving(traj, Clock(int(traj.epochs[-1])))
    for s, u in enumerate(ev.nodes):
        assert np.array_equal(ev.mesh(float(u)), traj.mesh(s).astype(np.float64))
        stages = traj.stages(s)
        for i in range(len(traj.hidden_layers)):
            pts, _ = ev.layer(i, float(u))
            stored = stages[2 * i + 2].points.astype(np.float64)
            if (s, i) in ev.flipped:
                stored = stored[:, ::-1]
            assert np.array_equal(pts[:, :2], stored)
    # Between two snapshots each mesh value lies between theirs.
    mid = float(ev.nodes[3] + ev.nodes[4]) / 2
    lo = np.minimum(traj.mesh(3), traj.mesh(4)) - 1e-6
    hi = np.maximum(traj.mesh(3), traj.mesh(4)) + 1e-6
    assert np.all((ev.mesh(mid) >= lo) & (ev.mesh(mid) <= hi))


def test_undoing_swaps_makes_the_layers_move_continuously(moons_traj: Path) -> None:
    traj = load(moons_traj)
    ev = Evolving(traj, Clock(int(traj.epochs[-1])))
    swapped = {(sw.snapshot, sw.layer) for sw in traj.info.unit_swaps}
    pairs = [
        (s, i)
        for s in range(traj.n_snapshots - 1)
        for i in range(len(traj.hidden_layers))
        if ((s, i) in swapped) != ((s + 1, i) in swapped)
    ]
    assert pairs, "the default network on the moons swaps units between some snapshots"
    for s, i in pairs:
        raw = [traj.stages(k)[2 * i + 2].points.astype(np.float64) for k in (s, s + 1)]
        shown = [ev.stored_layers(k)[i][0][:, :2] for k in (s, s + 1)]
        raw_jump = np.abs(raw[1] - raw[0]).mean()
        shown_jump = np.abs(shown[1] - shown[0]).mean()
        assert shown_jump < raw_jump, f"layer {i + 1} flips between snapshots {s} and {s + 1}"


@pytest.mark.parametrize("theta", [0.0, 1.3, 4.0])
def test_every_layer_stays_inside_its_panel(wide_traj: Path, theta: float) -> None:
    from dataclasses import replace

    traj = load(wide_traj)  # a projected 5-wide layer, then two 3-wide (3-D) layers
    ev = Evolving(traj, Clock(int(traj.epochs[-1])))
    box = Box(0.0, 2.0, 0.0, 2.0)
    for u in np.linspace(0, 1, 41):
        for i in range(len(traj.hidden_layers)):
            pts, _ = ev.layer(i, float(u))
            view = ev.view(i, float(u), box)
            if ev.dims(i) == 3:
                view = replace(view, phi=1.08, theta=theta)
            xy, _ = view.project(pts)
            assert box.contains(xy), f"layer {i + 1} leaves its panel at u = {u:.3f}"


def test_the_golden_network_s_boundary_is_where_its_mesh_says(tmp_path: Path) -> None:
    traj = load(GOLDEN)
    ev = Evolving(traj, Clock(int(traj.epochs[-1])))
    seg = ev.boundary(1.0)
    assert len(seg) > 10
    # Sample the mesh at the segments' ends (nearest cell): p ≈ 0.5 there.
    x0, x1, y0, y1 = traj.mesh_extent
    res = traj.mesh(-1).shape[0]
    ends = seg.reshape(-1, 2)
    j = np.clip(((ends[:, 0] - x0) / (x1 - x0) * res).astype(int), 0, res - 1)
    i = np.clip(((ends[:, 1] - y0) / (y1 - y0) * res).astype(int), 0, res - 1)
    p = traj.mesh(-1)[i, j, 1]
    assert np.median(np.abs(p - 0.5)) < 0.15
