"""Framing a squashed picture: a thin segment seen at a slant fills the plot instead of
standing as a sliver in it, and a picture collapsed to a speck far from the origin is shown
with the origin (where the axes cross) instead of blown up 10,000 times."""

from __future__ import annotations

import numpy as np

from scenes.core.moves import Step, lerp
from scenes.core.view import CONTEXT_ZOOM, Box, View, frame_at
from scenes.warp.steps import PLOT, THETA0, camera_end, held, view_for_points


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
