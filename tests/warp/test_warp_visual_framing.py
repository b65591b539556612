"""Framing a squashed picture: a thin segment seen at a slant fills the plot instead of
standing as a sliver in it, a picture collapsed to a speck far from the origin is shown
with the origin (where the axes cross) instead of blown up 10,000 times, a layer with
W = 0 keeps the frame while every point goes to the origin, and the origin is in view
whenever that costs the picture little of its size."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from scenes.core.moves import Step, lerp
from scenes.core.view import CONTEXT_ZOOM, Box, View, frame_at, pad3, step_views
from scenes.warp.steps import (
    ORIGIN_COST,
    PLOT,
    THETA0,
    TILT,
    camera_end,
    follow_zoom,
    held,
    reframed,
    view_for_points,
)


def screen_share(view: View, points: np.ndarray) -> float:
    """How much of the plot the picture spans: its larger extent on screen as a share of
    the plot's along that axis."""
    xy, _ = view.project(points)
    ext = np.ptp(xy, axis=0)
    return float(max(ext[0] / (2 * view.box.half_width), ext[1] / (2 * view.box.half_height)))


def test_a_thin_segment_in_3d_fills_the_plot_as_the_camera_sees_it() -> None:
    """A sigmoid layer leaves the points on a short slanted segment in 3-D; framed by the
    sphere around it (for every camera angle), it stood a sliver in the middle of the plot
    (under half of it, seen at a slant). Framed as the camera sees it, it fills the plot."""
    rng = np.random.default_rng(0)
    s = rng.uniform(0, 1, 300)[:, None]
    plane = np.column_stack([rng.uniform(-2, 2, (300, 2)), np.zeros(300)])
    segment = 0.45 + s * np.array([0.3, -0.4, 0.8]) + rng.normal(0, 0.003, (300, 3))
    start = View(PLOT, np.zeros(3), 1.0, phi=1.08, theta=THETA0)
    step = Step(lerp(plane, segment), lerp(plane, segment), view_for_points(segment, 3))
    played = held(start, step, 3, 3)
    end = camera_end(start, played, 3, 3, THETA0, 2.5).end
    assert screen_share(end, segment) >= 0.85
    xy, _ = end.project(segment)  # every point still inside
    assert PLOT.contains(xy)


def test_a_picture_collapsed_far_from_the_origin_is_shown_with_the_origin() -> None:
    """Weights of about 0 and a sigmoid put every point at about (0.5, 0.5): the camera
    zoomed 10,000 times onto the speck, the axes far off screen and nothing to tell how
    small it is. It now shows the speck with the origin."""
    speck = 0.5 + np.random.default_rng(1).normal(0, 1e-7, (200, 2))
    view = view_for_points(speck, 2)
    origin, _ = view.project(np.zeros((1, 2)))
    assert PLOT.contains(origin), "the axes' crossing is off screen"
    xy, _ = view.project(speck)
    assert PLOT.contains(xy)
    assert view.scale < 100, view.scale  # (it was 10,000)


def test_the_framing_changes_smoothly_as_a_picture_shrinks_towards_its_origin_side() -> None:
    """From a picture that fills the plot to one framed with the origin, in small steps:
    no jump in the zoom or the centre."""
    box = Box(-1, 1, -1, 1)
    sizes = np.geomspace(1.5, 1e-4, 400)
    frames = [frame_at(np.array([[3.0, 3.0], [3.0 + e, 3.0 + e]]), box) for e in sizes]
    scales = np.array([f[1] for f in frames])
    centres = np.array([f[0] for f in frames])
    steps = np.abs(np.diff(np.log(scales)))
    assert steps.max() < 0.05, steps.max()
    assert np.abs(np.diff(centres, axis=0)).max() < 0.05
    # fitted alone while it is big; with the origin once tiny; never zoomed past the limit
    assert np.isclose(scales[0], 0.88 / 0.75)
    with_origin = 0.88 / ((3.0 + sizes[-1]) / 2)
    assert np.isclose(scales[-1], with_origin)
    assert scales.max() <= CONTEXT_ZOOM * 0.88 / 1.5 + 1e-9


def played(start: View, step: Step, dims: int, current: int) -> tuple[Step, View]:
    """``step`` as the scene plays it from ``start`` (:meth:`Warp.move`): re-timed, held,
    its camera planned; and where the camera ends."""
    step = held(start, follow_zoom(step), dims, current)
    move = camera_end(start, step, dims, current, THETA0, 2.5)
    step.view = step_views(
        start, move.end, step.points, grid=step.grid, swerve=move.swerve, via=step.via,
        phases=step.phases,
    )  # fmt: skip
    return step, move.end


def test_a_layer_with_w_0_keeps_the_frame_while_every_point_goes_to_the_origin() -> None:
    """W = 0 sends every point to 0 (b comes next): the camera zoomed 10,000 times onto
    that one spot while the picture shrank at the zoom's pace, so on screen the picture
    kept its size and then stood as one dot, the collapse never seen; the bias then
    zoomed back out in a few frames, the dot leaping to the plot's edge. Now the camera
    keeps its frame (the axes as they were) and the picture shrinks into the origin in it."""
    rng = np.random.default_rng(3)
    cloud = rng.uniform(-1.0, 1.0, (300, 2)) * [1.0, 0.6] + [0.3, -0.2]
    grid = np.stack([np.column_stack([np.full(20, x), np.linspace(-1, 1, 20)]) for x in (-1, 0, 1)])
    start = view_for_points(cloud, 2)
    step = Step(lerp(cloud, 0 * cloud), lerp(grid, 0 * grid), view_for_points(0 * cloud, 2))
    move, end = played(start, step, 2, 2)
    assert end.scale <= 1.01 * start.scale, end.scale  # (it was 10,000)
    origin, _ = end.project(np.zeros((1, 2)))
    assert PLOT.contains(origin)
    assert move.view is not None
    size = [np.ptp(move.view(t).project(move.points(t))[0], axis=0).max() for t in (0.0, 0.5)]
    assert size[1] >= 0.3 * size[0], size  # seen shrinking, not gone at once
    # in 3-D too (the camera frames a 3-D end again as it sees it)
    cube = pad3(cloud) + [0.0, 0.0, 0.5] * rng.uniform(-1, 1, (300, 1))
    start3 = replace(view_for_points(cube, 3), phi=TILT, theta=THETA0)
    step3 = Step(
        lerp(cube, 0 * cube), lerp(pad3(grid), 0 * pad3(grid)), view_for_points(0 * cube, 3)
    )
    _, end3 = played(start3, step3, 3, 3)
    assert end3.scale <= 1.5 * start3.scale, end3.scale
    # what the rule must not touch: unscaled inputs (hundreds wide) mapped to a picture
    # 50 times smaller still fill the plot
    raw = rng.uniform(0.0, 1.0, (300, 2)) * [60.0, 1400.0] + [10.0, 200.0]
    small = (raw - raw.mean(axis=0)) / 50.0
    start = view_for_points(raw, 2)
    _, end = played(
        start, Step(lerp(raw, small), lerp(raw, small), view_for_points(small, 2)), 2, 2
    )
    assert np.isclose(end.scale, view_for_points(small, 2).scale)
    assert end.scale > 40 * start.scale


def test_the_origin_is_in_view_when_that_costs_the_picture_little() -> None:
    """After a sigmoid every coordinate is in (0, 1): framed alone, the points left the
    axes' crossing off the plot (and one axis with it), though showing it would have cost
    the picture a few percent of its size. Now the origin is in view whenever it costs
    the picture under a quarter of its size, flat or tilted; where it would cost much more
    (a picture far from the origin beside its size), the picture is framed alone."""
    rng = np.random.default_rng(5)
    s = rng.uniform(0.0, 1.0, 400)
    band = np.column_stack([0.1 + 0.8 * s, 0.9 - 0.8 * s]) + rng.normal(0, 0.005, (400, 2))
    for points, dims, angles in (
        (band, 2, (0.0, 0.0)),
        (np.column_stack([band, 0.1 + 0.8 * rng.uniform(0, 1, 400)]), 3, (TILT, THETA0 + 0.3)),
    ):
        view = view_for_points(points, dims)
        if dims == 3:
            view = reframed(replace(view, phi=angles[0], theta=angles[1]), points)
        origin, _ = view.project(np.zeros((1, 3)))
        assert PLOT.contains(origin), f"{dims}-D: the axes' crossing is off screen"
        xy, _ = view.project(pad3(points))
        assert PLOT.contains(xy)
        alone = frame_at(points, PLOT, *angles)[1]
        assert view.scale >= alone / ORIGIN_COST[0] - 1e-9
    far = band + 4.0  # with the origin, a sixth of its size: framed alone
    assert np.isclose(view_for_points(far, 2).scale, frame_at(far, PLOT)[1])
    # and the origin is let go of gradually as a picture moves away from it: no jump
    shifts = np.linspace(0.0, 3.0, 600)
    unit = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.2]])
    views = [view_for_points(unit + d, 2) for d in shifts]
    scales = np.array([v.scale for v in views])
    centres = np.array([v.centre for v in views])
    assert np.abs(np.diff(np.log(scales))).max() < 0.02
    assert np.abs(np.diff(centres, axis=0)).max() < 0.05
