"""Pixel tests of PointCloud: discs where expected, outlines, clip boxes; its Mobject protocol."""

from __future__ import annotations

import manim
import numpy as np
import pytest
from draw_helpers import PH, PW, RED, drawn, frame_of, to_pixel

from scenes.draw import FastScene, PointCloud


def test_red_point_lands_where_expected(tiny: None, backend: str) -> None:
    scene = FastScene()
    scene.add(PointCloud([[1.0, 0.5]], RED, radius=0.2))
    frame = frame_of(scene)
    mask = drawn(frame)
    cx, cy = to_pixel(1.0, 0.5)
    row, col = int(cy), int(cx)
    r, g, b = frame[row, col, :3]
    assert r > 240 and g < 10 and b < 10
    # Only a disc of radius 0.2 * 13.5 = 2.7 px is drawn, centred where expected.
    rows, cols = np.nonzero(mask)
    assert 15 < mask.sum() < 45
    weights = frame[rows, cols, 0].astype(float)
    assert np.average(cols + 0.5, weights=weights) == pytest.approx(cx, abs=0.3)
    assert np.average(rows + 0.5, weights=weights) == pytest.approx(cy, abs=0.3)
    assert np.all(np.hypot(cols + 0.5 - cx, rows + 0.5 - cy) < 2.7 + 1.0)
    # Antialiased: some edge pixels are partially covered.
    assert np.any((frame[rows, cols, 0] > 20) & (frame[rows, cols, 0] < 230))


def test_points_match_manim_dot_position(tiny: None, backend: str) -> None:
    scene = FastScene()
    scene.add(PointCloud([[-2.0, -1.0]], RED, radius=0.15))
    ours = frame_of(scene)[..., 0].astype(float)
    ref_scene = FastScene()
    ref_scene.add(manim.Dot([-2.0, -1.0, 0.0], radius=0.15, color=manim.PURE_RED))
    ref = frame_of(ref_scene)[..., 0].astype(float)
    grid_r, grid_c = np.mgrid[0:PH, 0:PW]
    for img in (ours, ref):
        assert img.sum() > 0
    ours_c = (np.sum(grid_c * ours) / ours.sum(), np.sum(grid_r * ours) / ours.sum())
    ref_c = (np.sum(grid_c * ref) / ref.sum(), np.sum(grid_r * ref) / ref.sum())
    assert ours_c == pytest.approx(ref_c, abs=0.25)
    assert ours.sum() == pytest.approx(ref.sum(), rel=0.25)


def test_outline_is_darker_than_fill(tiny: None, backend: str) -> None:
    scene = FastScene()
    scene.add(PointCloud([[0.0, 0.0]], [[0.2, 0.9, 0.2, 1.0]], radius=0.6, outline_width=0.15))
    frame = frame_of(scene)
    cx, cy = to_pixel(0.0, 0.0)
    centre = frame[int(cy), int(cx), 1]
    rim = frame[int(cy), int(cx + 0.6 * 13.5 - 1.0), 1]
    assert centre > 220
    assert 60 < rim < 180


def test_outline_with_many_colours_uses_masks(tiny: None, backend: str) -> None:
    # More distinct colours than MAX_SPRITE_COLOURS: the two-mask path draws rim and fill.
    n = 60
    xs = np.linspace(-6.5, 6.5, n)
    colours = np.c_[np.linspace(0.5, 1.0, n), np.full(n, 0.9), np.full(n, 0.2), np.ones(n)]
    for alpha in (1.0, 0.6):
        colours[:, 3] = alpha
        scene = FastScene()
        scene.add(PointCloud(np.c_[xs, np.zeros(n)], colours, radius=0.1, outline_width=0.03))
        frame = frame_of(scene)
        k = n // 2
        cx, cy = to_pixel(xs[k], 0.0)
        centre = frame[int(cy), int(cx), :3].astype(float)
        np.testing.assert_allclose(centre, 255 * alpha * colours[k, :3], atol=20)
        assert drawn(frame).sum() > n * 5


def test_point_clip_box(tiny: None, backend: str) -> None:
    cloud = PointCloud([[0.0, 0.0], [3.0, 0.0]], RED, radius=0.2, clip_box=(-1, 1, -1, 1))
    scene = FastScene()
    scene.add(cloud)
    mask = drawn(frame_of(scene))
    cx, _ = to_pixel(1.0, 0.0)
    assert mask.sum() > 10
    assert not mask[:, int(np.ceil(cx)) :].any()


def test_point_cloud_protocol() -> None:
    cloud = PointCloud(np.zeros((4, 2)), RED)
    assert cloud.points.shape == (4, 3) and cloud.rgbas.shape == (4, 4)
    cloud.set_positions(np.ones((6, 3)))
    assert cloud.points.shape == (6, 3) and cloud.rgbas.shape == (6, 4)
    cloud.fade(1.0)
    assert np.all(cloud.rgbas[:, 3] == 0)
    cloud.set_opacity(0.5)
    faded = cloud.copy().fade(0.5)
    mid = cloud.copy().interpolate(cloud, faded, 0.5)
    np.testing.assert_allclose(mid.rgbas[:, 3], 0.375)
    assert "rgbas" in cloud.get_array_attrs()
    small = PointCloud(np.zeros((2, 2)), RED)
    small.align_points(cloud)
    assert small.points.shape == cloud.points.shape
