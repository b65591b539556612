"""The rewind carries the decision boundary back: the output layer's straight separator in
the last hidden space comes back, layer by layer, as the curve the network draws in the
input plane, where the decision regions then meet it."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from nnmodel.trajectory import Trajectory, load
from scenes.core.boundary import boundary_curves, carry
from scenes.core.view import pad3
from scenes.warp import steps as motion
from scenes.warp.plan import (
    BOUNDARY,
    CAPTION,
    HAND_OVER,
    SEPARATOR_OUT,
    rewind_move,
    warp_plan,
)
from tests.render_helpers import small_render

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
SIZE = (480, 270)
FRAME = (14.222, 8.0)  # the frame's width and height in frame units, centred on 0


@pytest.fixture
def traj(golden_or_wide: Trajectory) -> Trajectory:
    return golden_or_wide


def test_every_move_carries_the_boundary_from_stage_to_stage(traj: Trajectory) -> None:
    """Each move's curves start and end where the forward pass puts the boundary: the
    layers carry it unseen, so the rewind can play them back with it."""
    stages = traj.stages(-1)
    weights = traj.weights(-1)
    at = [pad3(c) for c in carry(traj, -1, boundary_curves(traj, -1))]
    for merge_bias in (False, True):
        for i in range(len(traj.hidden_layers)):
            moves = motion.layer_steps(traj, stages, weights, i, merge_bias, at)
            assert all(step.curves is not None for _, step, _ in moves)
            first, last = moves[0][1], moves[-1][1]
            assert first.curves is not None and last.curves is not None
            span = float(np.ptp(at[2 * i + 2])) or 1.0
            assert np.abs(first.curves(0.0) - at[2 * i]).max() < 1e-6 * span
            assert np.abs(last.curves(1.0) - at[2 * i + 2]).max() < 1e-6 * span
            for (_, a, _), (_, b, _) in zip(moves, moves[1:], strict=False):
                assert a.curves is not None and b.curves is not None
                assert np.abs(a.curves(1.0) - b.curves(0.0)).max() < 1e-6 * span


def test_the_rewind_beat_makes_time_for_the_hand_over() -> None:
    traj = load(GOLDEN)
    beats = {b.id: b for b in warp_plan(traj)}
    rewind = beats["rewind"]
    assert rewind.data["boundary"] is True
    moves = int(rewind.data["moves"])
    hand_over = BOUNDARY + HAND_OVER + SEPARATOR_OUT
    expected = CAPTION + hand_over + moves * rewind_move(moves)
    assert rewind.length == pytest.approx(expected, abs=0.05)


def _white_share(frame: np.ndarray, curves: np.ndarray) -> float:
    """The share of the curves' samples drawn in near-white pixels."""
    w, h = FRAME
    px = ((curves[..., 0] + w / 2) / w * SIZE[0]).astype(int).ravel()
    py = ((h / 2 - curves[..., 1]) / h * SIZE[1]).astype(int).ravel()
    inside = (px >= 0) & (px < SIZE[0]) & (py >= 0) & (py < SIZE[1])
    rgb = frame[py[inside], px[inside]].astype(int)
    return float(np.mean(rgb.min(axis=1) > 170))


def test_the_rewind_lands_on_the_curve_the_network_draws(tmp_path: Path) -> None:
    """The last frame of the rewind shows the boundary in the input plane, white, where the
    network's classes meet (before: the points and the grid, and no boundary at all)."""
    traj = load(GOLDEN)
    opts = small_render(
        "warp", tmp_path, SIZE, 15, voice=None, params={"sections": ["Back to the input"]}
    )
    from scenes.render import pipeline as r

    r.render(GOLDEN, opts)
    out = tmp_path / "warp.mp4"
    plan = json.loads(out.with_suffix(".sections.json").read_text())
    regions = next(b for b in plan["beats"] if b["id"] == "regions")
    landed = regions["start"]  # the rewind has landed; the regions begin to fade in
    with av.open(str(out)) as video:
        frame = next(
            f.to_ndarray(format="rgb24")
            for f in video.decode(video.streams.video[0])
            if f.pts is not None and float(f.pts * f.time_base) >= landed
        )
    view = motion.input_view(traj.stages(-1)[0], motion.shows_units(traj))
    on_screen = view.to_screen3(pad3(boundary_curves(traj, -1)))
    assert _white_share(frame, on_screen) > 0.6
    # and nowhere else: a curve moved off the boundary is not white
    assert _white_share(frame, on_screen + np.array([0.0, 0.6, 0.0])) < 0.2
