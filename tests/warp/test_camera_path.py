"""Every frame of a warp's moves is readable: no layer seen edge-on, nothing off the plot.

The scene's own moves are played (dry run, no pixels) and each move's view path is sampled
at many moments together with its geometry, as the frames would show them. The checks
measure the picture with plain numpy, independently of the camera planning under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import manim
import numpy as np
import pytest
from manim import linear

from nnmodel.config import DataConfig, ModelConfig, RunConfig
from nnmodel.trajectory import load
from scenes.core.moves import Step
from scenes.core.view import View, pad3
from scenes.warp import Warp
from scenes.warp.plan import rewind_move

TIMES = np.linspace(0.0, 1.0, 241)  # more moments than a -qh move has frames


def minor_share(view: View, points: np.ndarray) -> float:
    """The picture's narrowest spread as a share of the shape's own second spread (1: the
    best any camera could show; near 0: seen edge-on). Nearly straight shapes count 1."""
    p = pad3(points).reshape(-1, 3)
    p = p[np.isfinite(p).all(axis=1)]
    c = p - p.mean(axis=0)
    own = np.linalg.svd(c, compute_uv=False)
    if own[1] < 0.03 * own[0]:
        return 1.0
    xy, _ = view.project(p)
    seen = np.linalg.svd(xy - xy.mean(axis=0), compute_uv=False)
    return float(seen[1] / (view.scale * own[1]))


def outside(view: View, points: np.ndarray) -> float:
    """The share of the points drawn outside the plot box."""
    xy, _ = view.project(pad3(points).reshape(-1, 3))
    b = view.box
    out = (xy[:, 0] < b.xmin) | (xy[:, 0] > b.xmax) | (xy[:, 1] < b.ymin) | (xy[:, 1] > b.ymax)
    return float(out.mean())


def played_moves(path: Path) -> Iterator[tuple[str, Step]]:
    """Every move the warp plays, forward and rewound, through the scene's own ``move``."""
    with manim.tempconfig({"dry_run": True, "pixel_width": 160, "pixel_height": 90}):
        scene = Warp(trajectory=load(path))
        scene.prepare()
        for layer in scene.traj.hidden_layers:
            for kind, step, dims in scene.layer_steps(layer.index):
                yield f"layer {layer.index + 1} {kind}", scene.move(step, dims)
        dims_before = [2, *[dims for _, dims in scene.history]][: len(scene.history)]
        undo = list(zip(reversed(scene.history), reversed(dims_before), strict=True))
        for k, ((step, _), dims) in enumerate(undo):
            each = rewind_move(len(undo))
            back = scene.move(step.reversed(), dims, each, linear, False, hold=False)
            yield f"rewind {k + 1}", back


@pytest.fixture(scope="module")
def default_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default explainer's network (2 → 3 → 2 → 1 tanh on the moons), trained as
    ``nnwarp render`` trains it."""
    from nnmodel.pipeline import train_to_file

    return train_to_file(RunConfig(), tmp_path_factory.mktemp("default") / "default.npz")


@pytest.fixture(scope="module")
def spiral_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's spiral: two projected 16-wide ReLU layers and a 2-wide one."""
    from nnmodel.pipeline import train_to_file

    cfg = RunConfig(
        data=DataConfig("spiral"), model=ModelConfig(hidden=(16, 16, 2), activation=("relu",))
    )
    return train_to_file(cfg, tmp_path_factory.mktemp("spiral") / "spiral.npz")


def test_the_default_explainer_never_shows_a_layer_edge_on(default_traj: Path) -> None:
    """The rewind used to turn the camera past layer 1's plane: a sliver for most of a
    second. Every moment of every move now keeps a fair share of the layer's width."""
    for name, step in played_moves(default_traj):
        assert step.view is not None
        for t in TIMES:
            view = step.view(float(t))
            for what, shape in (("points", step.points(float(t))), ("grid", step.grid(float(t)))):
                share = minor_share(view, shape)
                assert share >= 0.25, f"{name}: the {what} seen edge-on at t={t:.3f} ({share:.3f})"


@pytest.mark.parametrize("which", ["default", "spiral", "raw_wine"])
def test_no_point_leaves_the_plot_and_the_grid_spills_no_further_mid_move(
    which: str, request: pytest.FixtureRequest
) -> None:
    """Framing holds in every moment, not only at the ends of a move: every point stays in
    the plot, and the grid (clipped to the plot) spills out of it mid-move no more than it
    does at either end (the spiral's ReLU morphs and the linear maps spilled theirs
    mid-move). The unscaled wine's layers shrink or grow the picture thousands of times:
    a zoom that lagged behind them lost the points off the plot."""
    path = request.getfixturevalue({"raw_wine": "raw_wine_traj"}.get(which, f"{which}_traj"))
    for name, step in played_moves(path):
        assert step.view is not None
        ends = max(outside(step.view(t), step.grid(t)) for t in (0.0, 1.0))
        for t in TIMES:
            view = step.view(float(t))
            assert outside(view, step.points(float(t))) == 0.0, f"{name}: points out at t={t:.3f}"
            spill = outside(view, step.grid(float(t)))
            assert spill <= ends + 0.02, (
                f"{name}: grid spills {spill:.0%} at t={t:.3f} ({ends:.0%})"
            )


def test_a_projected_layer_s_activation_turns_instead_of_collapsing(spiral_traj: Path) -> None:
    """A 16-wide layer is shown through one projection before its ReLU and another after;
    a straight blend between the two pictures shrank through a speck halfway (they face
    opposite ways). The move now turns from one to the other: its spread never falls
    below both ends' much."""
    for name, step in played_moves(spiral_traj):
        if not name.startswith("layer") or "activation" not in name:
            continue

        def spread(t: float, step: Step = step) -> float:
            p = pad3(step.points(t))
            return float(np.sqrt(((p - p.mean(axis=0)) ** 2).sum(axis=1).mean()))

        least = min(spread(float(t)) for t in TIMES)
        assert least >= 0.5 * min(spread(0.0), spread(1.0)), name


def test_a_move_plays_in_a_still_frame_so_the_points_are_seen_to_move(
    default_traj: Path,
) -> None:
    """The camera used to frame every moment of a move as it went: ``+ b`` left the points
    standing still on screen while the axes slid away, and tanh's squash kept them the
    same size. Now it frames the whole move first, holds still while the picture moves,
    then frames the end: in the held middle the view does not change, and the points
    travel (the shift) or shrink (the squash) on screen."""
    moves = dict(played_moves(default_traj))
    for name in ("layer 1 bias", "layer 1 activation"):
        step = moves[name]
        assert step.view is not None and step.via is not None, name
        first, last = step.phases
        t0, t1 = first + 0.01, 1.0 - last - 0.01  # the held middle
        v0, v1 = step.view(t0), step.view(t1)
        assert np.allclose(v0.centre, v1.centre), name
        assert np.isclose(v0.scale, v1.scale, rtol=0.02), name
        a, _ = v0.project(pad3(step.points(t0)))
        b, _ = v1.project(pad3(step.points(t1)))
        half = v0.box.half_height
        if name.endswith("bias"):  # every point travels the same way, by a good way
            moved = np.linalg.norm(b - a, axis=1)
            assert moved.min() > 0.12 * half, f"{name}: moved {moved.min():.2f}"
        else:  # the picture shrinks to well under its size
            size = [float(np.sqrt(((p - p.mean(axis=0)) ** 2).sum(axis=1).mean())) for p in (a, b)]
            assert size[1] < 0.7 * size[0], f"{name}: {size}"
    rewound = [s for n, s in moves.items() if n.startswith("rewind")]
    assert rewound and all(s.via is None for s in rewound)  # the rewind follows the curve
