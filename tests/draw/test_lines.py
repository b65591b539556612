"""Pixel tests of LineBundle: clipped and 3-D lines; its Mobject protocol."""

from __future__ import annotations

import manim
import numpy as np
from draw_helpers import BLUE, RED, drawn, frame_of, to_pixel

from scenes.draw import FastScene, FastThreeDScene, LineBundle


def test_clipped_lines_stay_inside_clip_box(tiny: None) -> None:
    box = (-1.0, 1.5, -0.8, 0.6)
    xs = np.linspace(-10.0, 10.0, 50)
    lines = []
    for off in np.linspace(-5.0, 5.0, 11):
        lines.append(np.c_[xs, 0.3 * xs + off])  # slanted lines crossing the frame
        lines.append(np.c_[0.2 * xs + off, xs])
    lines.append(np.c_[xs * 1e6, xs * 1e6])  # absurdly far samples must not break Cairo
    bundle = LineBundle(np.array(lines), RED, stroke_width=0.08, clip_box=box)
    scene = FastScene()
    scene.add(bundle)
    frame = frame_of(scene)
    mask = drawn(frame)
    x0, y1 = to_pixel(box[0], box[2])
    x1, y0 = to_pixel(box[1], box[3])
    inside = np.zeros_like(mask)
    inside[int(np.ceil(y0)) : int(np.floor(y1)), int(np.ceil(x0)) : int(np.floor(x1))] = True
    assert mask.sum() > 50
    assert not np.any(mask & ~inside)

    # Without the box the same lines reach the frame edges.
    scene2 = FastScene()
    scene2.add(LineBundle(np.array(lines), RED, stroke_width=0.08))
    assert np.any(drawn(frame_of(scene2)) & ~inside)


def test_lines_wholly_outside_their_clip_box_draw_nothing(tiny: None) -> None:
    # A grid moved out of its panel (the whole bundle clipped away) is a blank frame,
    # not an error; a bundle beside it in the same colour still draws.
    xs = np.linspace(-1.0, 1.0, 20)
    away = LineBundle(np.array([np.c_[xs + 5.0, 0 * xs + 3.0]]), RED, stroke_width=0.08,
                      clip_box=(-1.0, 1.0, -1.0, 1.0))  # fmt: skip
    scene = FastScene()
    scene.add(away)
    assert not drawn(frame_of(scene)).any()
    scene.add(LineBundle(np.array([np.c_[xs, 0 * xs]]), RED, stroke_width=0.08))
    assert drawn(frame_of(scene)).sum() > 20


def test_a_series_drawn_so_far_is_every_sample_of_it(tiny: None) -> None:
    # A chart's series up to the current epoch (the rest not a number yet) is drawn
    # through every sample it has, exactly as the same samples alone, undecimated.
    t = np.linspace(-3.0, 3.0, 400)
    curve = np.c_[t, np.sin(3 * t)]
    shown = 150
    partial = curve.copy()
    partial[shown:] = np.nan
    scene = FastScene()
    scene.add(LineBundle(np.stack([partial, partial + [0, 1]]), RED, stroke_width=0.05))
    got = frame_of(scene)
    alone = FastScene()
    alone.renderer.camera.line_tolerance = 0.0  # every sample
    alone.add(LineBundle(np.stack([curve[:shown], curve[:shown] + [0, 1]]), RED,
                         stroke_width=0.05))  # fmt: skip
    assert drawn(got).sum() > 100
    assert np.array_equal(got, frame_of(alone))
    nothing = FastScene()
    nothing.add(LineBundle(np.full((2, 5, 2), np.nan), RED, stroke_width=0.05))
    assert not drawn(frame_of(nothing)).any()


def test_lines_in_three_d(tiny: None) -> None:
    scene = FastThreeDScene()
    scene.set_camera_orientation(phi=70 * manim.DEGREES, theta=-40 * manim.DEGREES)
    t = np.linspace(-2, 2, 30)
    bundle = LineBundle(np.stack([np.c_[t, 0 * t, np.sin(t)]]), RED, stroke_width=0.05)
    scene.add(bundle)
    frame = frame_of(scene)
    camera = scene.renderer.camera
    camera.reset_rotation_matrix()
    mid = camera.project_point(np.array([0.0, 0.0, 0.0]))
    cx, cy = to_pixel(mid[0], mid[1])
    patch = frame[int(cy) - 1 : int(cy) + 2, int(cx) - 1 : int(cx) + 2, 0]
    assert patch.max() > 150


def test_line_bundle_protocol() -> None:
    bundle = LineBundle(np.zeros((3, 5, 2)), BLUE)
    assert bundle.num_lines == 3 and bundle.get_lines().shape == (3, 5, 3)
    other = LineBundle(np.ones((5, 9, 3)), RED)
    bundle.align_points(other)
    assert bundle.num_lines == 5 and bundle.samples_per_line == 9
    bundle.become(LineBundle(np.ones((2, 4, 2)), RED))
    assert bundle.num_lines == 2 and bundle.samples_per_line == 4
    assert bundle.rgbas.shape == (2, 4)
