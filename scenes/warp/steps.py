"""The warp's moves as pure numpy: where points and grid are at each moment, and the view.

The camera is planned here too, the same way for the scene and for its plan: in 3-D the
turntable turns on by :data:`TURN_RATE`, but each move's end angle is the one nearest that
which keeps the picture readable (:func:`scenes.core.view.readability` at least
:data:`READABLE`) in every sampled moment of the move, camera turn and geometry together,
so a layer is never seen edge-on because the camera happened to be turning past it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from nnmodel.trajectory import FloatArray, Stage, Trajectory
from scenes.core import geometry
from scenes.core.moves import Positions, Step, lerp
from scenes.core.view import (
    DEEP_ZOOM,
    Array,
    Box,
    View,
    axis_lines,
    ease,
    fit,
    frame_at,
    pad3,
    readabilities,
    readability,
    rotation,
    shape_moments,
)

__all__ = [
    "PLOT",
    "READABLE",
    "THETA0",
    "TILT",
    "TURN_RATE",
    "UNITS_INSET",
    "ZOOM_FOLLOW",
    "Camera",
    "COLLAPSE",
    "CameraMove",
    "HOLD_PHASE",
    "ORIGIN_COST",
    "REFRAME",
    "SPOT",
    "Positions",
    "Step",
    "aligned_morph",
    "axes_on_screen",
    "camera_end",
    "follow_zoom",
    "frame_picture",
    "framed_end",
    "held",
    "input_view",
    "layer_kinds",
    "layer_steps",
    "lerp",
    "name_plan",
    "name_spot",
    "path_readability",
    "reframed",
    "shows_units",
    "space_names",
    "spot_ring",
    "turn_end",
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
#: The least :func:`~scenes.core.view.readability` a planned camera keeps in every moment
#: of a move it can choose the angle of (0.35: a plane seen at about 20° from edge-on).
READABLE = 0.35
#: How far (radians, either way) the camera may turn off its straight blend in a move to
#: keep the picture readable, in steps of ``_DODGE_STEP`` (see :func:`camera_end`).
_DODGE = float(np.deg2rad(180))
_DODGE_STEP = float(np.deg2rad(3.75))
_CAMERA_SAMPLES = 49  # moments of a move the camera planning looks at
_ROUNDING = 0.03  # the readability a rounded camera path may give up
#: A move whose picture grows or shrinks more than this many times is re-timed to follow the
#: camera's zoom (see :func:`follow_zoom`; the same depth as the view's own, ``DEEP_ZOOM``).
ZOOM_FOLLOW = DEEP_ZOOM
#: The share of a move the camera takes to frame it before the picture moves, and to
#: frame its end after (:func:`held`).
HOLD_PHASE = 0.22
#: A change of framing smaller than this (log scale, or share of the plot's half height)
#: is not worth a camera move of its own (:func:`held`).
REFRAME = 0.12
#: A picture smaller than this share of the plot's height gets a ring to be seen by
#: (:func:`spot_ring`).
SPOT = 0.2
#: The origin (where the axes cross) is framed with the picture when that keeps the
#: picture at least ``1 / ORIGIN_COST[0]`` of the size it would have alone, and not at all
#: below ``1 / ORIGIN_COST[1]`` (between the two, partly: see :func:`frame_picture`).
ORIGIN_COST = (1.25, 1.6)
#: A move is never zoomed more than this many times deeper than the frame it starts in
#: onto a picture that has collapsed to a spot at the origin (a layer with W = 0, a ReLU
#: layer that zeroes every point), and from ``COLLAPSE ** 2`` on not at all: see
#: :func:`_collapse_limit`.
COLLAPSE = 100.0
_MARGIN = 0.88  # the share of the plot a framed picture fills (as frame_at frames it)
_HOLD_SAMPLES = 9  # moments of a move its held framing covers
_GRID_SAMPLES = 1500  # grid points (at most, evenly picked) it judges the grid's shape by
#: A moment of a move as the camera planning sees it: its points' and grid's moments.
Moments = tuple[Array, Array]


def view_for_points(pts: FloatArray, dims: int, box: Box = PLOT) -> View:
    """A view framing ``pts`` (uniform scale), flat or tilted: flat, as
    :func:`frame_picture` frames it (a picture tiny beside its distance from the origin
    not blown up past its axes; the origin in view when that costs little); in 3-D, for
    every camera angle (the camera's own is chosen later, and :func:`camera_end` frames
    the picture again as it sees it)."""
    if dims == 3:
        centre, scale = fit(pts, box, three_d=True)
    else:
        centre, scale = frame_picture(pts, box)
    return View(box, centre, scale)


def _finite3(points: FloatArray) -> Array:
    p = pad3(points).reshape(-1, 3)
    return p[np.isfinite(p).all(axis=1)]


def frame_picture(
    points: FloatArray, box: Box, phi: float = 0.0, theta: float = 0.0
) -> tuple[Array, float]:
    """Centre and scale that frame ``points`` as a camera at ``(phi, theta)`` sees them:
    :func:`~scenes.core.view.frame_at`, with the origin (where the axes cross) in view
    when that costs the picture little of its size.

    Axes whose crossing is off screen (a sigmoid's points, all in (0, 1), framed alone)
    leave the viewer without the one reference every move is about (``W`` turns and
    stretches about the origin, ``b`` shifts away from it). Framed with the origin, the
    picture is ``cost`` times smaller on screen: up to ``ORIGIN_COST[0]`` the origin is
    framed with it, from ``ORIGIN_COST[1]`` on not (the picture alone, its axes named
    where they enter the plot), and in between the framing goes from one to the other
    (continuous in the points).

    >>> c, s = frame_picture(np.array([[0.1, 0.1], [0.9, 0.9]]), Box(-1, 1, -1, 1))
    >>> [round(v, 2) for v in c.tolist()], round(s, 2)
    ([0.45, 0.45, 0.0], 1.96)
    >>> c, s = frame_picture(np.array([[3.0, 3.0], [4.0, 4.0]]), Box(-1, 1, -1, 1))
    >>> [round(v, 2) for v in c.tolist()], round(s, 2)
    ([3.5, 3.5, 0.0], 1.76)
    """
    centre, scale = frame_at(points, box, phi, theta, margin=_MARGIN)
    p = _finite3(points)
    if len(p) == 0:
        return centre, scale
    turn = rotation(phi, theta)
    q = p @ turn.T
    low, high = q.min(axis=0), q.max(axis=0)
    lo0, hi0 = np.minimum(low, 0.0), np.maximum(high, 0.0)
    half = np.array([box.half_width, box.half_height]) * _MARGIN
    extent = (hi0 - lo0)[:2] / 2
    limits = [float(h / e) for h, e in zip(half, extent, strict=True) if e > 1e-300]
    if not limits:
        return centre, scale
    with_origin = min(limits)
    cost = scale / with_origin
    cheap, dear = ORIGIN_COST
    if cost <= 1.0 or cost >= dear:
        return centre, scale
    weight = 1.0 if cost <= cheap else float(np.log(dear / cost) / np.log(dear / cheap))
    scale = scale / cost**weight
    room = half / scale
    at = turn @ pad3(centre)
    target = (lo0 + hi0) / 2
    at[:2] = np.clip((1 - weight) * at[:2] + weight * target[:2], high[:2] - room, low[:2] + room)
    return np.asarray(turn.T @ at, np.float64), float(scale)


def _collapse_limit(points: FloatArray, scale: float, box: Box) -> tuple[float, float] | None:
    """How deep a move may frame ``points`` that starts in a frame of ``scale``: None
    (as deep as it likes), or the largest scale and how far (0 to 1) it has come back to
    the start's.

    A layer with ``W = 0`` sends every point to the origin: framed alone, that one spot
    is zoomed onto 10,000 times, which shows nothing (a spot is a spot at any zoom) and
    hides the collapse itself (the picture keeps its size on screen while it shrinks to
    nothing). The picture with the origin is measured (a spot away from the origin is
    framed with it anyway, :func:`~scenes.core.view.frame_at`): framed alone it would
    need ``depth`` times the start's scale. Up to :data:`COLLAPSE` times (an unscaled
    input's first layer zooms about 50 times, and shows a real picture) it is left as it
    is; deeper, the limit comes back towards the start's scale, and is the start's from
    ``COLLAPSE ** 2`` on (a picture shrunk 10,000 times: ``W`` about 0).
    """
    p = _finite3(points)
    if len(p) == 0 or not scale > 0.0:
        return None
    extent = float(np.max(np.maximum(p.max(axis=0), 0.0) - np.minimum(p.min(axis=0), 0.0)))
    fill = 2 * min(box.half_width, box.half_height) * _MARGIN
    depth = fill / (extent * scale) if extent * scale > 0.0 else np.inf
    if not depth > COLLAPSE:
        return None
    share = min(1.0, float(np.log(depth / COLLAPSE) / np.log(COLLAPSE)))
    return scale * COLLAPSE ** (1.0 - share), share


def collapse_kept(view: View, points: FloatArray, start: View) -> View:
    """``view`` (framing ``points`` at its own angles) no deeper than
    :func:`_collapse_limit` allows a move that starts in ``start``: zoomed out to that
    limit, its centre then as near ``start``'s as keeps every point in the plot (the
    camera holds its frame while the picture collapses into it)."""
    limit = _collapse_limit(points, start.scale, view.box)
    if limit is None or limit[0] >= view.scale:
        return view
    scale = limit[0]
    weight = min(1.0, float(np.log(view.scale / scale) / np.log(COLLAPSE)))
    turn = rotation(view.phi, view.theta)
    q = _finite3(points) @ turn.T
    low, high = q.min(axis=0), q.max(axis=0)
    room = np.array([view.box.half_width, view.box.half_height]) * _MARGIN / scale
    at, there = turn @ pad3(view.centre), turn @ pad3(start.centre)
    at[:2] = np.clip((1 - weight) * at[:2] + weight * there[:2], high[:2] - room, low[:2] + room)
    return replace(view, centre=np.asarray(turn.T @ at, np.float64), scale=float(scale))


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
    curves: Sequence[FloatArray] | None = None,
) -> list[tuple[str, Step, int]]:
    """The moves of hidden layer ``index``, as ``(kind, step, dims)`` (kinds: see
    :func:`layer_kinds`).

    ``curves`` (if given) are lines at every stage, in the order of ``stages``
    (:func:`scenes.core.boundary.carry`): each move carries them as it carries the grid.
    """
    layer = traj.layers[index]
    # (only this layer's: the output's logits may have more than 3 coordinates)
    at: list[FloatArray | None] = [None] * 3
    if curves is not None:
        at = [pad3(curves[2 * index + j]) for j in range(3)]
    c_before, c_affine, c_act = at
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

        def carried(bias: float = 0.0) -> Positions | None:
            return None if c_before is None else along(c_before, bias)

        if merge_bias:
            step = Step(along(start_pts, 1.0), along(start_grid, 1.0), view_for(affine))
            step.curves = carried(1.0)
            steps.append(("affine", step, kinds["affine"]))
        else:
            moved_pts = pad3(start_pts[:, : layer.d_in] @ w.T)
            moved_grid = pad3(start_grid[..., : layer.d_in] @ w.T)
            view = view_for_points(moved_pts, layer.d_out)
            linear = Step(along(start_pts), along(start_grid), view, curves=carried())
            steps.append(("linear", linear, kinds["linear"]))
            shift = Step(
                lerp(moved_pts, affine.points), lerp(moved_grid, affine.grid), view_for(affine)
            )
            if c_before is not None and c_affine is not None:
                shift.curves = lerp(pad3(c_before[..., : layer.d_in] @ w.T), c_affine)
            steps.append(("bias", shift, kinds["bias"]))
    else:
        points, grid, lines = aligned_morph(
            before.points, before.grid, affine.points, affine.grid, _pair(c_before, c_affine)
        )
        steps.append(("morph", Step(points, grid, view_for(affine), curves=lines), kinds["morph"]))
    if layer.projected:  # z and σ(z) are each shown through a projection of their own
        points, grid, lines = aligned_morph(
            affine.points, affine.grid, act.points, act.grid, _pair(c_affine, c_act)
        )
        bend = Step(points, grid, view_for(act), curves=lines)
    else:
        bend = Step(lerp(affine.points, act.points), lerp(affine.grid, act.grid), view_for(act))
        if c_affine is not None and c_act is not None:
            bend.curves = lerp(c_affine, c_act)
    steps.append(("activation", bend, kinds["activation"]))
    return [(kind, follow_zoom(step), dims) for kind, step, dims in steps]


def follow_zoom(step: Step) -> Step:
    """``step`` re-timed so that, when its picture grows or shrinks a lot, it does so at
    the pace of the camera's zoom.

    The camera zooms geometrically (:meth:`View.interpolate`) while a blend of positions
    grows or shrinks linearly: over a change of more than :data:`ZOOM_FOLLOW` times (a
    layer that saturates everything, unscaled inputs) the two part ways, and the picture
    shrinks to a speck (or swells off the screen) before the camera catches up in the last
    frames. Re-timed, the move's size follows the zoom, ``A^(1−t)·B^t`` from the start's
    size ``A`` to the end's ``B`` (as the framing measures them), so it stays about as big
    on screen throughout. The path is the same, only its pace changes; smaller changes are
    left as they are. Exactly the start at ``t = 0`` and the end at ``t = 1``.
    """
    a = 1.0 / fit(step.points(0.0), PLOT, three_d=True)[1]  # the sizes the framing sees
    b = 1.0 / fit(step.points(1.0), PLOT, three_d=True)[1]
    limit = _collapse_limit(step.points(1.0), 1.0 / a, PLOT)
    if limit is not None:  # a collapse the camera does not follow all the way (held)
        b = max(b, 1.0 / limit[0])
    if not max(a / b, b / a) > ZOOM_FOLLOW:
        return step
    points, grid, curves = step.points, step.grid, step.curves

    def pace(t: float) -> float:
        if t <= 0.0 or t >= 1.0:
            return min(max(t, 0.0), 1.0)
        return float((a - a ** (1.0 - t) * b**t) / (a - b))

    return replace(
        step,
        points=lambda t: points(pace(t)),
        grid=lambda t: grid(pace(t)),
        curves=None if curves is None else (lambda t: curves(pace(t))),
    )


def held(start: View, step: Step, dims: int, current_dims: int) -> Step:
    """``step`` played in a still frame: the camera first frames the whole move, holds
    while the picture moves, then frames its end.

    A camera that follows the picture (blending the start's framing into the end's while
    the points move) cancels what a move is about: a shift ``+ b`` framed all the way
    leaves the points standing still on screen while the axes slide away, and a layer that
    scales or squashes the points keeps them the same size on screen. Here the camera
    glides to a framing ``via`` of every moment of the move over the first
    :data:`HOLD_PHASE` of it, holds while the picture moves (eased, in the middle of the
    move), and glides to the end's framing (in 3-D, as :func:`camera_end` frames it
    once it has chosen its angle: always a glide) over the last :data:`HOLD_PHASE`. A
    glide the framing does not need (``via`` about the start's, or the end's) is left out
    and the picture takes its time. A move through a deep zoom (:data:`ZOOM_FOLLOW`) is
    left as it is: it follows the camera's zoom (:func:`follow_zoom`), or it would shrink
    to a speck in a still frame. A picture that collapses onto the origin (``W = 0``) is
    not zoomed onto: its end is framed no deeper than :func:`collapse_kept` allows from
    ``start`` (the returned step's ``end_view``). The returned step's ``via`` and
    ``phases`` are for :func:`~scenes.core.view.step_views`.
    """
    end = collapse_kept(step.end_view, step.points(1.0), start)
    if end is not step.end_view:
        step = replace(step, end_view=end)
    ratio = max(start.scale / end.scale, end.scale / start.scale)
    if ratio > ZOOM_FOLLOW:
        return step
    moments = np.concatenate(
        [pad3(step.points(float(t))) for t in np.linspace(0.0, 1.0, _HOLD_SAMPLES)]
    )
    centre, scale = fit(moments, end.box, three_d=3 in (dims, current_dims))
    via = replace(end, centre=centre, scale=scale)
    first = HOLD_PHASE if _reframes(start, via) else 0.0
    # a 3-D end is framed as the camera sees it (:func:`reframed`), known only once the
    # camera's angle is chosen: the camera always reframes there
    last = HOLD_PHASE if dims == 3 or _reframes(via, end) else 0.0
    if first == last == 0.0:
        return step
    points, grid, curves = step.points, step.grid, step.curves

    def pace(t: float) -> float:
        return ease((t - first) / (1.0 - first - last))

    return replace(
        step,
        points=lambda t: points(pace(t)),
        grid=lambda t: grid(pace(t)),
        curves=None if curves is None else (lambda t: curves(pace(t))),
        via=via,
        phases=(first, last),
    )


def spot_ring(screen: FloatArray, box: Box = PLOT) -> tuple[Array, float] | None:
    """Where to ring a picture that is too small to be seen at once: the centre and radius
    (frame units) of a circle around ``screen`` (points on screen, NaN gaps allowed), or
    None when it spans :data:`SPOT` of the box's height or more and is seen anyway.

    >>> centre, radius = spot_ring(np.array([[0.0, 0.0, 0.0], [0.1, 0.0, 0.0]]))
    >>> centre.tolist(), radius
    ([0.05, 0.0, 0.0], 0.35)
    >>> spot_ring(np.array([[0.0, 0.0, 0.0], [3.0, 0.0, 0.0]])) is None
    True
    """
    p = pad3(screen).reshape(-1, 3)
    p = p[np.isfinite(p).all(axis=1)]
    if len(p) == 0:
        return None
    low, high = p.min(axis=0), p.max(axis=0)
    extent = float(np.max(high - low)[()])
    if extent >= SPOT * (box.ymax - box.ymin):
        return None
    return (low + high) / 2, max(0.75 * extent + 0.2, 0.35)


def _reframes(a: View, b: View) -> bool:
    """Whether going from framing ``a`` to ``b`` is a camera move worth its time: the scale
    changes by more than :data:`REFRAME` (as a log), or the centre moves by more than that
    share of the plot's half height on screen."""
    zoom = abs(float(np.log(a.scale / b.scale)))
    shift = float(np.linalg.norm(pad3(a.centre) - pad3(b.centre))) * min(a.scale, b.scale)
    return zoom > REFRAME or shift > REFRAME * b.box.half_height


def aligned_morph(
    start_points: FloatArray,
    start_grid: FloatArray,
    end_points: FloatArray,
    end_grid: FloatArray,
    curves: tuple[FloatArray, FloatArray] | None = None,
) -> tuple[Positions, Positions, Positions | None]:
    """Points and grid (and ``curves``, a start and an end, if given) from one space's
    picture to another's, turning, never collapsing.

    Two pictures in different coordinates (a fixed 3-D projection of a wide layer before
    and after its activation, or the spaces either side of one) can face opposite ways: a
    straight blend between them then shrinks through a speck halfway. Here the start shape
    is turned (about its centre) by the rotation :func:`~scenes.core.geometry.procrustes_rotation`
    that lays it best onto the end shape; the blend runs between the two aligned shapes
    while the whole picture turns from the start's orientation to the end's. Exactly the
    start at ``t = 0`` and the end at ``t = 1``.
    """
    a, b = pad3(start_points), pad3(end_points)
    ga, gb = pad3(start_grid), pad3(end_grid)
    ca, cb = _mean(a), _mean(b)
    turn = geometry.procrustes_rotation(a - ca, b - cb)

    def blend(x: FloatArray, y: FloatArray) -> Positions:
        xa = (x - ca) @ turn  # the start, turned to face like the end

        def at(t: float) -> FloatArray:
            if t == 0.0:
                return x.copy()
            if t == 1.0:
                return y.copy()
            back = geometry.rotation_power(turn, t - 1.0)  # the end's orientation at t = 1
            shape = ((1.0 - t) * xa + t * (y - cb)) @ back
            return shape + (1.0 - t) * ca + t * cb

        return at

    lines = None if curves is None else blend(pad3(curves[0]), pad3(curves[1]))
    return blend(a, b), blend(ga, gb), lines


def _pair(start: FloatArray | None, end: FloatArray | None) -> tuple[FloatArray, FloatArray] | None:
    return None if start is None or end is None else (start, end)


def _mean(points: FloatArray) -> Array:
    finite = points[np.isfinite(points).all(axis=1)]
    return np.asarray(finite.mean(axis=0), np.float64) if len(finite) else np.zeros(3)


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


def reframed(view: View, points: FloatArray, start: View | None = None) -> View:
    """``view`` framing ``points`` as it sees them, at its own angles
    (:func:`frame_picture`: the picture on screen fitted, a picture that is tiny beside
    its distance from the origin not blown up past its axes, and the origin in view when
    that costs little); for a move from ``start``, no deeper than :func:`collapse_kept`
    allows."""
    centre, scale = frame_picture(points, view.box, view.phi, view.theta)
    out = replace(view, centre=centre, scale=scale)
    return out if start is None else collapse_kept(out, points, start)


@dataclass(frozen=True)
class CameraMove:
    """How the camera plays one move: where it ends, the turntable's angle after it, and
    the turn it takes on top of its straight blend to keep the picture readable (radians at
    evenly spaced times of the move, for :func:`~scenes.core.view.step_views`; None: none)."""

    end: View
    theta: float
    swerve: Array | None = None


def camera_end(
    start: View, step: Step, dims: int, current_dims: int, theta: float, duration: float
) -> CameraMove:
    """How the camera plays ``step`` from ``start`` for ``duration`` seconds.

    As :func:`framed_end`, with three differences. The end angle is taken the same way
    round as the start's (never more than half a turn to land flat or to lift off), and
    landing flat resets the turntable to :data:`THETA0` from there (so the next lift starts
    as the first did). And in 3-D the camera keeps the picture readable: its angle may
    leave the straight blend by up to half a turn either way (see :func:`_dodge`); landing
    flat, it may land the other way round instead, if that reads better. When the straight
    blend is readable throughout it is kept exactly. An end in 3-D is framed as the camera
    sees it from there (:func:`reframed`); a flat one is the step's own.
    """
    end, turned = framed_end(step.end_view, dims, current_dims, theta, duration)
    end = replace(end, theta=_near(end.theta, start.theta))
    if dims != 3 and current_dims != 3:
        return CameraMove(end, turned)
    shapes = _shape_samples(step)
    if dims == 3:
        ends = [end]
    else:  # landing flat: either whole turn, the nearer first
        other = end.theta + (2 * np.pi if end.theta <= start.theta else -2 * np.pi)
        ends = [end, replace(end, theta=other)]
    best: tuple[float, float, View, Array | None] | None = None
    for candidate in ends:
        floor, cost, swerve = _dodge(start, candidate, shapes, flat_end=dims != 3)
        if best is None or floor > best[0] + 1e-9 or (floor > best[0] - 1e-9 and cost < best[1]):
            best = (floor, cost, candidate, swerve)
    assert best is not None
    _, _, end, swerve = best
    if swerve is not None:
        end = replace(end, theta=end.theta + float(swerve[-1]))
    if dims == 3:  # framed as seen from where the camera ends
        end = reframed(end, step.points(1.0), start)
    if dims != 3:  # landed flat: the next lift starts from the turntable's first angle
        return CameraMove(end, end.theta + THETA0, swerve)
    return CameraMove(end, end.theta, swerve)


def _dodge(
    start: View, end: View, shapes: Sequence[Moments], flat_end: bool
) -> tuple[float, float, Array | None]:
    """The least turn off the straight angle blend from ``start`` to ``end`` that keeps the
    move readable, at the times of ``shapes``.

    The turn is searched on a grid: ``_DODGE_STEP`` apart, up to :data:`_DODGE` either way,
    at most two steps from one sampled moment to the next. Of the paths that start on the
    blend (and, with ``flat_end``, end on it too), those whose least readability (points
    and grid) is the highest any reaches, up to :data:`READABLE` (more does not count);
    of these the one that turns least, then stays nearest the blend. Its corners are then
    rounded. Returns that least readability, the turning, and the turn at each sampled
    moment (None: the blend itself reads well throughout).
    """
    n = int(round(_DODGE / _DODGE_STEP))
    offsets = np.arange(-n, n + 1) * _DODGE_STEP  # column n is the straight blend
    cols = len(offsets)
    ts = np.linspace(0.0, 1.0, len(shapes))
    score = np.empty((len(ts), cols))
    for k, (t, moments) in enumerate(zip(ts, shapes, strict=True)):
        blended = start.interpolate(end, float(t))
        thetas = blended.theta + offsets
        score[k] = np.minimum(*(readabilities(blended.phi, thetas, m) for m in moments))
    value = np.minimum(score, READABLE)
    if value[:, n].min() >= READABLE:
        return READABLE, 0.0, None
    ends = np.array([n]) if flat_end else np.arange(cols)
    moves = (0, -1, 1, -2, 2)  # columns one moment on (ties: the first)

    def shifted(row: Array, d: int, fill: float) -> Array:
        """``row`` moved ``d`` columns on: ``out[j] = row[j - d]`` (``fill`` off the edge)."""
        out = np.full(cols, fill)
        if d >= 0:
            out[d:] = row[: cols - d]
        else:
            out[:d] = row[-d:]
        return out

    # the best least readability any path reaches
    best = np.full(cols, -np.inf)
    best[n] = value[0, n]
    for k in range(1, len(ts)):
        reach = np.max([shifted(best, d, -np.inf) for d in moves], axis=0)
        best = np.minimum(value[k], reach)
    floor = float(best[ends].max())
    # of the paths that keep it, the one turning least, then staying nearest the blend
    ok = value >= floor - 1e-12
    away = 0.01 * np.abs(np.arange(cols) - n)
    cost = np.full(cols, np.inf)
    cost[n] = 0.0
    came = np.zeros((len(ts), cols), dtype=np.intp)
    for k in range(1, len(ts)):
        options = np.array([shifted(cost, d, np.inf) + abs(d) for d in moves])
        pick = np.argmin(options, axis=0)  # (first of equals: staying put wins)
        new = options[pick, np.arange(cols)] + away
        new[~ok[k]] = np.inf
        came[k] = np.arange(cols) - np.array(moves)[pick]
        cost = new
    if not np.isfinite(cost[ends]).any():
        return floor, np.inf, None
    j = int(ends[np.argmin(cost[ends] + 1e-9 * (offsets[ends] < 0))])
    total = float(cost[j])
    path = [j]
    for k in range(len(ts) - 1, 0, -1):
        j = int(came[k, j])
        path.append(j)
    raw = offsets[np.array(path[::-1])]
    # round the path's corners (a turn that starts and stops gently), its ends kept, as
    # much as keeps it about as readable: a quick turn past an edge-on view is not rounded
    # into one
    for half in (2, 1):
        padded = np.concatenate([np.repeat(raw[:1], half), raw, np.repeat(raw[-1:], half)])
        smooth: Array = np.convolve(padded, np.ones(2 * half + 1) / (2 * half + 1), "valid")
        smooth[0], smooth[-1] = 0.0, raw[-1]
        worst = min(
            float(np.min([readabilities(v.phi, [v.theta + d], m) for m in moments]))
            for t, d, moments in zip(ts, smooth, shapes, strict=True)
            for v in [start.interpolate(end, float(t))]
        )
        if worst >= floor - _ROUNDING:
            return floor, total, smooth
    return floor, total, raw


def turn_end(view: View, points: FloatArray, grid: FloatArray, seconds: float) -> View:
    """Where the slow turntable ends after ``seconds`` with the picture standing still.

    It turns by ``2 · TURN_RATE`` per second, either way: the way the turntable goes if the
    picture stays readable throughout (see :func:`camera_end`), else the other, else a half
    turn as long, else the most readable of these. The end is framed as it sees the
    picture (:func:`reframed`; the turn zooms out between if it must, see
    :meth:`scenes.warp.scene.Warp.turn`).
    """
    shape = [(shape_moments(points), shape_moments(_some(grid)))] * _CAMERA_SAMPLES
    amount = TURN_RATE * seconds * 2
    candidates = [amount, -amount, amount / 2, -amount / 2]
    ends = [replace(view, theta=view.theta + a) for a in candidates]
    return reframed(_most_readable(view, ends, shape), points)


def path_readability(start: View, end: View, shapes: Sequence[Moments]) -> float:
    """The least readability along the angle blend from ``start`` to ``end``, with
    ``shapes[i]`` the (points, grid) moments at the ``i``-th of evenly spaced times."""
    ts = np.linspace(0.0, 1.0, len(shapes))
    worst = 1.0
    for t, moments in zip(ts, shapes, strict=True):
        view = start.interpolate(end, float(t))
        worst = min(worst, *(readability(view, m) for m in moments))
    return worst


def _most_readable(start: View, ends: list[View], shapes: Sequence[Moments]) -> View:
    """The first of ``ends`` reached readably from ``start``, else the most readable."""
    best, best_score = ends[0], -1.0
    for end in ends:
        score = path_readability(start, end, shapes)
        if score >= READABLE:
            return end
        if score > best_score + 1e-9:
            best, best_score = end, score
    return best


def _shape_samples(step: Step) -> Sequence[Moments]:
    """The (points, grid) moments of ``step`` at :data:`_CAMERA_SAMPLES` even times."""
    out: list[Moments] = []
    for t in np.linspace(0.0, 1.0, _CAMERA_SAMPLES):
        out.append(
            (shape_moments(step.points(float(t))), shape_moments(_some(step.grid(float(t)))))
        )
    return out


def _some(grid: FloatArray) -> FloatArray:
    """At most :data:`_GRID_SAMPLES` grid points, evenly picked (the same ones every time)."""
    flat = pad3(grid).reshape(-1, 3)
    every = max(1, -(-len(flat) // _GRID_SAMPLES))
    return flat[::every]


def _near(angle: float, ref: float) -> float:
    """``angle`` plus the whole number of turns that brings it nearest ``ref``."""
    return float(angle + 2 * np.pi * np.round((ref - angle) / (2 * np.pi)))


@dataclass(frozen=True)
class Camera:
    """What the picture is seen through at a moment: the view, the turntable, the space's
    dimension (2 or 3). The plan records one at the start of every beat."""

    view: View
    theta: float
    dims: int


# ---------------------------------------------------------------------- the axes' names
#: Between an axis and its name, and between a name and the plot's edge (frame units).
NAME_GAP = 0.1
NAME_INSET = 0.06
#: How far back from the visible end of its axis a name may sit, as a share of the part
#: of the axis on screen (the first is preferred, then the next, ...).
NAME_BACKS = (0.0, 0.2, 0.4)
#: Around a name, room kept clear of the points' centres (frame units): a point's radius
#: (up to 0.056), the half of the name's ring outside its letters (0.025) and a gap that
#: reads as one at 480p (2 px). A point nearer covers the name.
NAME_PAD = 0.12
#: Further round a name, room it would rather have clear too (frame units): a point there
#: costs :data:`NAME_NEAR` at the pad, less further out (a name sitting against the edge
#: of the cloud reads as part of it).
NAME_ROOM = 0.3
NAME_NEAR = 0.05
#: An axis is named only if this many times its name's size of it is on screen.
NAME_AXIS = 2.0


def space_names(stage: Stage, letter: str) -> tuple[str, ...]:
    """The names of the axes of the space ``stage`` is drawn in, as Typst math: ``letter``
    with the coordinate's number (``x_1``, ``x_2`` for the input plane, ``z_k`` after a
    layer's ``W·x + b``, ``h_k`` after its activation); none for a space seen through a
    projection (its axes are not coordinates of the layer).

    >>> space_names(Stage("affine", 0, np.zeros((2, 3)), np.zeros((1, 2, 3))), "z")
    ('z_1', 'z_2', 'z_3')
    """
    if stage.projected:
        return ()
    return tuple(f"{letter}_{k + 1}" for k in range(min(stage.dim, 3)))


def axes_on_screen(view: View, dims: int, points: FloatArray) -> Array:
    """Where the axes are drawn through ``view`` (as :class:`scenes.mobjects.rig.Rig` draws
    them: in 3-D as long as the data is wide), ``(dims, 2, 2)`` screen points, each axis
    from its negative end to its positive one."""
    reach = None
    if dims == 3:
        p = pad3(points).reshape(-1, 3)
        p = p[np.isfinite(p).all(axis=1)]
        reach = float(np.abs(p - pad3(view.centre)).max()) * 1.15 if len(p) else None
    screen, _ = view.project(axis_lines(view, dims, reach))
    return screen


def _clipped(a: Array, b: Array, box: Box) -> tuple[float, float] | None:
    """The part of the segment ``a → b`` inside ``box``, as the shares ``(u0, u1)`` of the
    way from ``a`` (Liang–Barsky), or None if none of it is."""
    u0, u1 = 0.0, 1.0
    d = b - a
    for p, q in (
        (-d[0], a[0] - box.xmin),
        (d[0], box.xmax - a[0]),
        (-d[1], a[1] - box.ymin),
        (d[1], box.ymax - a[1]),
    ):
        if abs(p) < 1e-12:
            if q < 0:
                return None
            continue
        r = q / p
        if p < 0:
            u0 = max(u0, r)
        else:
            u1 = min(u1, r)
    return (u0, u1) if u1 - u0 > 1e-9 else None


def name_spot(
    axis: Array, size: tuple[float, float], box: Box, side: int, back: float
) -> Array | None:
    """Where the name of an axis goes: the centre of a ``size`` (width, height) label
    beside the visible end of the axis's positive side, on ``side`` (+1: left of the
    axis's direction on screen, -1: right; 0: past that end, on the axis's line, for an
    axis whose end is inside the box), ``back`` (a share of the visible part) from that
    end; kept whole inside ``box`` (never clipped). None when the axis is not on screen,
    or too little of it (:data:`NAME_AXIS`).

    >>> spot = name_spot(np.array([[-5.0, 0.0], [5.0, 0.0]]), (0.4, 0.3), Box(-2, 2, -1, 1), 1, 0)
    >>> [round(float(v), 2) for v in spot]
    [1.74, 0.25]
    >>> spot = name_spot(np.array([[-1.0, 0.0], [1.0, 0.0]]), (0.4, 0.3), Box(-2, 2, -1, 1), 0, 0)
    >>> [round(float(v), 2) for v in spot]
    [1.3, 0.0]
    """
    placed = _name_place(axis, size, box, side, back)
    return None if placed is None else placed[1]


def _name_place(
    axis: Array, size: tuple[float, float], box: Box, side: int, back: float
) -> tuple[Array, Array] | None:
    """:func:`name_spot`, and where the name would be if the box did not hold it in."""
    a, b = np.asarray(axis[0], np.float64)[:2], np.asarray(axis[1], np.float64)[:2]
    w, h = size
    part = _clipped(a, b, box)
    if part is None:
        return None
    start, end = a + part[0] * (b - a), a + part[1] * (b - a)
    length = float(np.linalg.norm(end - start))
    if length < NAME_AXIS * max(w, h):  # too little of it to be named (seen end-on, a speck)
        return None
    d = (end - start) / length
    n = np.array([-d[1], d[0]])
    anchor = end - back * (end - start)
    clear = abs(n[0]) * w / 2 + abs(n[1]) * h / 2 + NAME_GAP  # its half-extent across the axis
    along = abs(d[0]) * w / 2 + abs(d[1]) * h / 2  # and along it
    if side == 0:  # past the end, clear of it
        centre = anchor + d * (along + NAME_GAP)
    else:
        centre = anchor + side * n * clear - d * (along + NAME_INSET)
    lo = np.array([box.xmin + w / 2 + NAME_INSET, box.ymin + h / 2 + NAME_INSET])
    hi = np.array([box.xmax - w / 2 - NAME_INSET, box.ymax - h / 2 - NAME_INSET])
    spot: Array = np.clip(centre, lo, np.maximum(lo, hi))
    return centre, spot


def _covered(spot: Array, size: tuple[float, float], points: Array, pad: float = NAME_PAD) -> int:
    """How many of ``points`` (screen) lie under a label of ``size`` at ``spot`` (or within
    ``pad`` of it)."""
    w, h = size
    off = np.abs(points[:, :2] - spot[:2])
    return int(np.count_nonzero((off[:, 0] <= w / 2 + pad) & (off[:, 1] <= h / 2 + pad)))


def _crowding(spot: Array, size: tuple[float, float], points: Array) -> float:
    """How crowded a label of ``size`` at ``spot`` sits: each of ``points`` (screen) within
    :data:`NAME_ROOM` of it counts up to :data:`NAME_NEAR` (the nearer, the more)."""
    w, h = size
    off = np.abs(points[:, :2] - spot[:2]) - np.array([w / 2, h / 2])
    gap = np.max(off, axis=1)  # how far each point is from the label's box (0: on its edge)
    near = gap[gap < NAME_ROOM]
    share = (NAME_ROOM - np.maximum(near, NAME_PAD)) / (NAME_ROOM - NAME_PAD)
    return float(NAME_NEAR * np.sum(share))


def name_plan(
    moments: Sequence[tuple[Array, Array]], sizes: Sequence[tuple[float, float]], box: Box
) -> list[tuple[int, float]]:
    """Where each axis's name sits (``(side, back)`` for :func:`name_spot`) so that, over
    ``moments`` (each the axes on screen, :func:`axes_on_screen`, and the points on screen),
    it covers the fewest points (:data:`NAME_PAD`) and no other name, and then sits
    clearest of the points (:data:`NAME_ROOM`): of the spots that do, the nearest the
    axis's end, then left of the axis (above a rightward one), then past its end (only
    where the end is inside the box: never pushed back onto the axis)."""
    plan: list[tuple[int, float]] = []
    taken: list[list[tuple[Array, tuple[float, float]]]] = [[] for _ in moments]
    options = [(side, back) for back in NAME_BACKS for side in (1, -1, 0) if side or not back]
    for k, size in enumerate(sizes):
        best: tuple[float, tuple[int, float], list[Array | None]] | None = None
        for rank, (side, back) in enumerate(options):
            cost = rank * 1e-3
            spots: list[Array | None] = []
            for (axes, points), others in zip(moments, taken, strict=True):
                placed = _name_place(axes[k], size, box, side, back) if k < len(axes) else None
                spot = None if placed is None else placed[1]
                spots.append(spot)
                if placed is None:
                    continue
                if side == 0 and not np.allclose(placed[0], placed[1]):
                    cost += 1000  # held in by the box: on its own axis
                cost += _covered(placed[1], size, points) + _crowding(placed[1], size, points)
                for other, osize in others:  # another name under this one: worse than points
                    gap = np.abs(placed[1][:2] - other[:2])
                    if gap[0] < (size[0] + osize[0]) / 2 and gap[1] < (size[1] + osize[1]) / 2:
                        cost += 1000
            if best is None or cost < best[0]:
                best = (cost, (side, back), spots)
        assert best is not None
        plan.append(best[1])
        for spot, others in zip(best[2], taken, strict=True):
            if spot is not None:
                others.append((spot, size))
    return plan


# ---------------------------------------------------------------------- the axes' triad
#: How long an arm of the orientation triad is when it lies in the screen's plane, the
#: gap between its tip and its name (frame units).
TRIAD_ARM = 0.36
TRIAD_GAP = 0.04
#: Two names that overlap by less than this (frame units) are pushed apart only partly,
#: the less the less they overlap (see :func:`triad_layout`).
TRIAD_EASE = 0.08
#: How far (frame units) the axes' crossing is off screen when the triad is fully shown:
#: it fades in as the crossing leaves the plot, and is gone while the crossing is on it.
TRIAD_FADE = 0.3
#: The plot's corners, in the order a triad prefers them: (x side, y side), -1 the low one.
TRIAD_CORNERS = ((-1, -1), (1, -1), (-1, 1), (1, 1))
_TRIAD_TURNS = 96  # turntable angles the triad's reach is measured at


def crossing_miss(view: View, dims: int, reach: float | None) -> float:
    """How far (frame units) the axes' crossing, as drawn through ``view``
    (:func:`~scenes.core.view.axis_lines` of ``reach``, as the rig draws them), is from
    being on screen: the origin's distance outside the plot, or how short of it an axis
    stops; negative while the crossing is drawn inside the plot (by how far it is from
    either: the origin's distance to the plot's nearest edge, say).

    >>> view = View(Box(-1, 1, -1, 1), np.zeros(3), 1.0)
    >>> away = replace(view, centre=np.array([3.0, 0.0, 0.0]))
    >>> crossing_miss(view, 3, 2.0), crossing_miss(away, 3, 1.0)
    (-1.0, 2.0)
    """
    origin, _ = view.project(np.zeros(3))
    box = view.box
    x, y = float(origin[0]), float(origin[1])
    miss = max(box.xmin - x, x - box.xmax, box.ymin - y, y - box.ymax)
    lines = axis_lines(view, dims, reach)
    for k in range(dims):  # an axis drawn only as long as the data is wide may stop short
        lo, hi = float(lines[k, 0, k]), float(lines[k, 1, k])
        miss = max(miss, max(lo, -hi) * view.scale)
    return miss


def triad_level(view: View, dims: int, reach: float | None) -> float:
    """How much of the orientation triad shows (0 to 1) through ``view``: only in 3-D, and
    only while the axes' crossing is off screen (:func:`crossing_miss`), fading in over
    :data:`TRIAD_FADE` past the plot's edge.

    >>> view = View(Box(-1, 1, -1, 1), np.zeros(3), 1.0, TILT)
    >>> triad_level(view, 3, None), triad_level(replace(view, centre=np.array([5, 5, 5])), 3, 1)
    (0.0, 1.0)
    """
    if dims != 3:
        return 0.0
    return float(np.clip(crossing_miss(view, dims, reach) / TRIAD_FADE, 0.0, 1.0))


def triad_arms(phi: float, theta: float) -> Array:
    """The data's axes as a camera at ``(phi, theta)`` sees them: one row per axis, its
    direction on screen (x, y: a unit vector's, shorter as it points at the viewer) and
    its depth (towards the viewer), the columns of :func:`~scenes.core.view.rotation`.

    >>> triad_arms(0.0, 0.0).round(2).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    out: Array = rotation(phi, theta).T.copy()
    return out


def triad_layout(
    phi: float, theta: float, sizes: Sequence[tuple[float, float]], arm: float = TRIAD_ARM
) -> tuple[Array, Array]:
    """The triad as a camera at ``(phi, theta)`` sees it, about its anchor (0, 0): the tip
    of each axis's arm and the centre of its name (``sizes``: each name's width and
    height), ``(n, 2)`` each. A name sits past its arm's tip, clear of it by
    :data:`TRIAD_GAP`; where two names meet (two arms seen pointing about the same way),
    the one further out moves on out along its arm until it clears the other (never
    aside: the names stay on their arms' lines, and move smoothly as the camera turns:
    two names that only just overlap, by less than :data:`TRIAD_EASE`, are pushed apart
    only partly, so a push never starts or stops with a jump)."""
    dirs = triad_arms(phi, theta)[: len(sizes), :2]
    tips: Array = arm * dirs
    spots = np.zeros_like(tips)
    units = np.zeros_like(tips)
    for k, (w, h) in enumerate(sizes):
        length = float(np.hypot(*dirs[k]))
        u = dirs[k] / length if length > 1e-6 else np.array([0.0, 1.0])
        units[k] = u
        spots[k] = tips[k] + u * (TRIAD_GAP + abs(u[0]) * w / 2 + abs(u[1]) * h / 2)
    order = np.argsort(np.hypot(spots[:, 0], spots[:, 1]), kind="stable")
    for rank, k in enumerate(order):
        for _ in range(3):  # a move may land on another placed name: look again
            moved = False
            for j in order[:rank]:
                half = (np.asarray(sizes[k]) + np.asarray(sizes[j])) / 2 + TRIAD_GAP / 2
                push = _clearing(spots[k] - spots[j], units[k], half)
                # (less of it as the two are about to part anyway: no jump as they do)
                overlap = float(np.min(half - np.abs(spots[k] - spots[j])))
                push *= min(1.0, overlap / TRIAD_EASE)
                if push > 0.0:
                    spots[k] = spots[k] + push * units[k]
                    moved = True
            if not moved:
                break
    return tips, spots


def _clearing(off: Array, u: Array, half: Array) -> float:
    """How far along ``u`` a box ``off`` from another must move to clear it (``half``: the
    two boxes' half sizes added; 0 if it is clear). Continuous in all three."""
    if abs(off[0]) >= half[0] or abs(off[1]) >= half[1]:
        return 0.0
    best = np.inf
    for a in (0, 1):
        if abs(u[a]) < 1e-9:
            continue
        ahead = off[a] * np.sign(u[a])  # how far ahead, the way the box moves
        best = min(best, (half[a] - ahead) / abs(u[a]))
    return float(best) if np.isfinite(best) else 0.0


def triad_reach(
    sizes: Sequence[tuple[float, float]], phi: float = TILT, arm: float = TRIAD_ARM
) -> Array:
    """How far the triad reaches from its anchor at tilt ``phi``, whichever way the
    turntable is turned: ``[left, right, down, up]`` (frame units, all ≥ 0), over its arms
    and its names (:func:`triad_layout`)."""
    size = np.asarray(sizes, np.float64).reshape(-1, 2)
    reach = np.zeros(4)
    for theta in np.linspace(0.0, 2 * np.pi, _TRIAD_TURNS, endpoint=False):
        tips, spots = triad_layout(phi, float(theta), [tuple(s) for s in size], arm)
        lo = np.minimum(tips.min(axis=0), (spots - size / 2).min(axis=0))
        hi = np.maximum(tips.max(axis=0), (spots + size / 2).max(axis=0))
        reach = np.maximum(reach, [-lo[0], hi[0], -lo[1], hi[1]])
    return reach


def triad_anchor(corner: int, reach: Array, box: Box) -> Array:
    """Where the triad's anchor sits in the plot's corner ``corner`` (of
    :data:`TRIAD_CORNERS`) so that all of it (``reach``: :func:`triad_reach`) stays inside
    ``box``, :data:`NAME_INSET` from its edges.

    >>> triad_anchor(0, np.array([0.5, 0.5, 0.2, 0.6]), Box(-2, 2, -1, 1)).round(2).tolist()
    [-1.44, -0.74]
    """
    sx, sy = TRIAD_CORNERS[corner]
    x = box.xmin + reach[0] + NAME_INSET if sx < 0 else box.xmax - reach[1] - NAME_INSET
    y = box.ymin + reach[2] + NAME_INSET if sy < 0 else box.ymax - reach[3] - NAME_INSET
    return np.array([x, y])


def triad_corner(
    points: Sequence[Array],
    reach: Array,
    box: Box,
    names: Sequence[Sequence[tuple[Array, tuple[float, float]]]] = (),
) -> int:
    """The plot's corner (an index of :data:`TRIAD_CORNERS`) where the triad, whichever way
    the camera turns (``reach``: :func:`triad_reach`), covers the fewest of the points on
    screen at each moment of ``points`` (:data:`NAME_PAD`) and no axis's name (``names``:
    at each moment, the names' centres and sizes), then sits clearest of the points
    (:data:`NAME_ROOM`); of equals, the first (the lower left)."""
    size = (float(reach[0] + reach[1]), float(reach[2] + reach[3]))
    best, best_cost = 0, np.inf
    for corner in range(len(TRIAD_CORNERS)):
        anchor = triad_anchor(corner, reach, box)
        centre = anchor + np.array([reach[1] - reach[0], reach[3] - reach[2]]) / 2
        cost = corner * 1e-3
        for k, pts in enumerate(points):
            on = np.asarray(pts, np.float64).reshape(-1, np.shape(pts)[-1])
            on = on[np.isfinite(on[:, :2]).all(axis=1)]
            cost += _covered(centre, size, on) + _crowding(centre, size, on)
            for spot, other in names[k] if k < len(names) else ():
                gap = np.abs(np.asarray(spot, np.float64)[:2] - centre)
                if gap[0] < (size[0] + other[0]) / 2 and gap[1] < (size[1] + other[1]) / 2:
                    cost += 1000
        if cost < best_cost:
            best, best_cost = corner, cost
    return best
