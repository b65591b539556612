"""The warp's moves as pure numpy: where points and grid are at each moment, and the view."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nnmodel.trajectory import FloatArray, Stage, Trajectory
from scenes.core import geometry
from scenes.core.moves import Positions, Step, lerp
from scenes.core.view import Box, View, fit, pad3

__all__ = [
    "PLOT",
    "THETA0",
    "TILT",
    "TURN_RATE",
    "UNITS_INSET",
    "Camera",
    "Positions",
    "Step",
    "framed_end",
    "input_view",
    "layer_kinds",
    "layer_steps",
    "lerp",
    "shows_units",
    "view_for",
    "view_for_points",
]

#: Where the data is drawn (frame units).
PLOT = Box(-6.85, 2.45, -3.85, 2.45)
#: Where the input plane's grid goes when scales in the data's units are drawn beside it:
#: room on the left for the values and the turned column name, below for the others.
UNITS_INSET = Box(PLOT.xmin + 1.15, PLOT.xmax, PLOT.ymin + 0.8, PLOT.ymax)
TILT = float(np.deg2rad(62))  # camera elevation for 3-D spaces
TURN_RATE = float(np.deg2rad(9))  # radians per second of slow turntable while in 3-D
THETA0 = float(-np.deg2rad(30))  # the turntable's angle before any 3-D move


def view_for_points(pts: FloatArray, dims: int, box: Box = PLOT) -> View:
    """A view framing ``pts`` (uniform scale), flat or tilted."""
    centre, scale = fit(pts, box, three_d=dims == 3)
    return View(box, centre, scale)


def view_for(stage: Stage, box: Box = PLOT) -> View:
    """A view that frames this stage's points."""
    return view_for_points(stage.points, 3 if stage.projected else stage.dim, box)


def layer_kinds(traj: Trajectory, index: int, merge_bias: bool) -> list[tuple[str, int]]:
    """The moves of hidden layer ``index`` as ``(kind, dims after the move)``.

    Kinds: ``"linear"`` (x → W·x), ``"bias"`` (+ b), ``"affine"`` (both, with
    ``merge_bias``), ``"morph"`` (into or out of a projected space, where no exact linear
    path exists) and ``"activation"`` (z → σ(z)).
    """
    layer = traj.layers[index]
    before_projected = index > 0 and traj.layers[index - 1].projected
    dims = 3 if layer.projected else layer.d_out
    if not layer.projected and not before_projected:
        kinds = [("affine", dims)] if merge_bias else [("linear", dims), ("bias", dims)]
    else:
        kinds = [("morph", dims)]
    return [*kinds, ("activation", dims)]


def layer_steps(
    traj: Trajectory,
    stages: list[Stage],
    weights: list[tuple[FloatArray, FloatArray]],
    index: int,
    merge_bias: bool,
) -> list[tuple[str, Step, int]]:
    """The moves of hidden layer ``index``, as ``(kind, step, dims)`` (kinds: see
    :func:`layer_kinds`)."""
    layer = traj.layers[index]
    before = stages[2 * index]  # the input, or the previous activation stage
    affine, act = stages[2 * index + 1], stages[2 * index + 2]
    steps: list[tuple[str, Step, int]] = []
    kinds = dict(layer_kinds(traj, index, merge_bias))
    if "morph" not in kinds:
        w, b = (np.asarray(a, np.float64) for a in weights[index])
        path = geometry.linear_path(w, layer.d_in, layer.d_out)
        start_pts, start_grid = pad3(before.points), pad3(before.grid)

        def along(a: FloatArray, bias: float = 0.0) -> Positions:
            return lambda t: (
                pad3(geometry.apply_path(a[..., : path.dim], path(t))) + (bias * t * pad3(b))
            )

        if merge_bias:
            step = Step(along(start_pts, 1.0), along(start_grid, 1.0), view_for(affine))
            steps.append(("affine", step, kinds["affine"]))
        else:
            moved_pts = pad3(start_pts[:, : layer.d_in] @ w.T)
            moved_grid = pad3(start_grid[..., : layer.d_in] @ w.T)
            view = view_for_points(moved_pts, layer.d_out)
            steps.append(
                ("linear", Step(along(start_pts), along(start_grid), view), kinds["linear"])
            )
            shift = Step(
                lerp(moved_pts, affine.points), lerp(moved_grid, affine.grid), view_for(affine)
            )
            steps.append(("bias", shift, kinds["bias"]))
    else:
        morph = Step(
            lerp(before.points, affine.points), lerp(before.grid, affine.grid), view_for(affine)
        )
        steps.append(("morph", morph, kinds["morph"]))
    bend = Step(lerp(affine.points, act.points), lerp(affine.grid, act.grid), view_for(act))
    steps.append(("activation", bend, kinds["activation"]))
    return steps


def shows_units(traj: Trajectory) -> bool:
    """Whether the input plane is drawn with scales in the data's units (data from a file)."""
    return traj.info.dataset.source == "file"


def input_view(stage: Stage, units: bool = False) -> View:
    """The flat view of the input plane, framing its grid.

    With ``units`` the grid is framed in :data:`UNITS_INSET`, leaving room on the left and
    below for the scales; the view still draws into :data:`PLOT` (so every later move
    blends views of one box).
    """
    inset = UNITS_INSET if units else PLOT
    centre, scale = fit(stage.grid, inset, three_d=False, margin=0.97)
    shift = (inset.centre - PLOT.centre) / scale
    return View(PLOT, centre - pad3(shift), scale)


def framed_end(
    end: View, dims: int, current_dims: int, theta: float, duration: float
) -> tuple[View, float]:
    """Where a move of ``duration`` seconds into a ``dims``-D space ends, camera included.

    A 3-D move tilts the camera and turns it on by ``TURN_RATE`` per second from ``theta``;
    a move out of 3-D lands flat. Returns the end view and the turntable's new angle.
    """
    if dims == 3 or current_dims == 3:
        turned = theta + TURN_RATE * duration if dims == 3 else 0.0
        end = replace(end, phi=TILT if dims == 3 else 0.0, theta=turned)
        return end, (turned if dims == 3 else theta)
    return replace(end, phi=0.0, theta=0.0), theta


@dataclass(frozen=True)
class Camera:
    """What the picture is seen through at a moment: the view, the turntable, the space's
    dimension (2 or 3). The plan records one at the start of every beat."""

    view: View
    theta: float
    dims: int
