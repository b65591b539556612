"""Pixel tests for scenes.fastdraw: PointCloud/LineBundle drawn by the fast cameras."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

manim = pytest.importorskip("manim")

from scenes.fastdraw import (  # noqa: E402
    FastScene,
    FastThreeDScene,
    LineBundle,
    PointCloud,
)

PW, PH = 192, 108  # 16:9, 13.5 px per frame unit (frame is 14.22 x 8)
RED = [1.0, 0.0, 0.0, 1.0]
BLUE = [0.0, 0.0, 1.0, 1.0]


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[None]:
    """Tiny, quiet, file-less Manim configuration."""
    settings = {
        "pixel_width": PW,
        "pixel_height": PH,
        "frame_rate": 10,
        "media_dir": str(tmp_path),
        "disable_caching": True,
        "dry_run": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
        "background_color": "#000000",
    }
    with manim.tempconfig(settings):
        yield


def frame_of(scene: Any) -> np.ndarray:
    """Draw the scene's current mobjects once and return the RGBA frame."""
    scene.renderer.update_frame(scene)
    return np.asarray(scene.renderer.get_frame())


def to_pixel(x: float, y: float) -> tuple[float, float]:
    """Frame coordinates -> (column, row) in pixel units (pixel centres at +0.5)."""
    fw, fh = manim.config.frame_width, manim.config.frame_height
    return (x + fw / 2) * PW / fw, (fh / 2 - y) * PH / fh


def drawn(frame: np.ndarray) -> np.ndarray:
    """Mask of pixels that differ from the black background."""
    return frame[..., :3].astype(int).sum(axis=-1) > 0


def test_red_point_lands_where_expected(tiny: None) -> None:
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


def test_points_match_manim_dot_position(tiny: None) -> None:
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


def test_outline_is_darker_than_fill(tiny: None) -> None:
    scene = FastScene()
    scene.add(PointCloud([[0.0, 0.0]], [[0.2, 0.9, 0.2, 1.0]], radius=0.6, outline_width=0.15))
    frame = frame_of(scene)
    cx, cy = to_pixel(0.0, 0.0)
    centre = frame[int(cy), int(cx), 1]
    rim = frame[int(cy), int(cx + 0.6 * 13.5 - 1.0), 1]
    assert centre > 220
    assert 60 < rim < 180


def test_outline_with_many_colours_uses_masks(tiny: None) -> None:
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


def test_point_clip_box(tiny: None) -> None:
    cloud = PointCloud([[0.0, 0.0], [3.0, 0.0]], RED, radius=0.2, clip_box=(-1, 1, -1, 1))
    scene = FastScene()
    scene.add(cloud)
    mask = drawn(frame_of(scene))
    cx, _ = to_pixel(1.0, 0.0)
    assert mask.sum() > 10
    assert not mask[:, int(np.ceil(cx)) :].any()


def test_non_finite_values_are_skipped(tiny: None) -> None:
    pts = np.array([[0.0, 0.0], [np.nan, 1.0], [np.inf, 0.0], [2.0, -np.inf], [-3.0, 1.0]])
    line = np.c_[np.linspace(-6, 6, 13), np.full(13, -2.0)]
    line[6] = np.nan  # a gap around x = 0
    bundle = LineBundle(line[None], BLUE, stroke_width=0.1)
    cloud = PointCloud(pts, RED, radius=0.2)
    scene = FastScene()
    scene.add(bundle, cloud)
    frame = frame_of(scene)
    for x, y in ((0.0, 0.0), (-3.0, 1.0)):
        cx, cy = to_pixel(x, y)
        assert frame[int(cy), int(cx), 0] > 200
    _, ly = to_pixel(0.0, -2.0)
    band = frame[int(ly) - 2 : int(ly) + 2, :, 2].max(axis=0)
    left, _ = to_pixel(-3.0, -2.0)
    gap, _ = to_pixel(0.0, -2.0)
    assert band[int(left)] > 100
    assert band[int(gap)] == 0  # the NaN sample broke the line
    # Bounding-box helpers ignore the non-finite points.
    assert np.all(np.isfinite(cloud.get_center()))
    empty = PointCloud(np.full((3, 2), np.nan), RED)
    scene.add(empty)
    frame_of(scene)


def test_three_d_camera_projects_points(tiny: None) -> None:
    scene = FastThreeDScene()
    scene.set_camera_orientation(phi=60 * manim.DEGREES, theta=-30 * manim.DEGREES)
    point = np.array([1.0, 0.5, 1.5])
    scene.add(PointCloud(point[None], RED, radius=0.15))
    fixed = PointCloud([[-5.0, 3.0]], BLUE, radius=0.15)
    scene.add_fixed_in_frame_mobjects(fixed)
    scene.add(fixed)
    frame = frame_of(scene)
    camera = scene.renderer.camera
    camera.reset_rotation_matrix()
    proj = camera.project_point(point)
    cx, cy = to_pixel(proj[0], proj[1])
    assert frame[int(cy), int(cx), 0] > 200
    naive_x, naive_y = to_pixel(point[0], point[1])
    assert abs(naive_x - cx) + abs(naive_y - cy) > 3  # the projection really moved it
    fx, fy = to_pixel(-5.0, 3.0)
    assert frame[int(fy), int(fx), 2] > 200


def test_three_d_depth_order(tiny: None) -> None:
    scene = FastThreeDScene()
    scene.set_camera_orientation(phi=0.0, theta=-90 * manim.DEGREES)  # looking down -z
    # Near (z = 1) point listed first, far (z = -1) second: the near one must win.
    cloud = PointCloud([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]], [RED, BLUE], radius=0.3)
    scene.add(cloud)
    frame = frame_of(scene)
    cx, cy = to_pixel(0.0, 0.0)
    r, _, b = frame[int(cy), int(cx), :3]
    assert r > 200 and b < 50


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


def test_animations_work(tiny: None) -> None:
    captured: dict[str, np.ndarray] = {}

    class Anim(FastScene):
        def construct(self) -> None:
            cloud = PointCloud([[0.0, 0.0], [1.0, 1.0]], RED, radius=0.15)
            lines = LineBundle(np.array([[[-3.0, -2.0], [3.0, -2.0]]]), BLUE, stroke_width=0.05)
            self.play(manim.FadeIn(cloud), manim.FadeIn(lines), run_time=0.2)
            self.play(cloud.animate.shift(manim.LEFT * 2), run_time=0.2)
            copy = cloud.copy().set_colors(BLUE)
            self.play(manim.Transform(cloud, copy), run_time=0.2)
            cloud.add_updater(lambda m: m.set_positions(m.points + [0.0, 0.01, 0.0]))
            self.wait(0.2)
            cloud.clear_updaters()
            cloud.become(PointCloud([[3.0, -1.0], [3.5, -1.0], [4.0, -1.0]], RED, radius=0.2))
            self.wait(0.1)
            captured["end"] = np.asarray(self.renderer.get_frame())
            self.play(manim.FadeOut(lines), run_time=0.2)

    scene = Anim()
    scene.render()
    frame = captured["end"]
    for x in (3.0, 3.5, 4.0):
        cx, cy = to_pixel(x, -1.0)
        assert frame[int(cy), int(cx), 0] > 200
    cx, cy = to_pixel(-2.0, 0.0)
    assert not drawn(frame)[int(cy) - 2 : int(cy) + 3, int(cx) - 2 : int(cx) + 3].any()
    assert drawn(frame)[int(to_pixel(0, -2)[1]), :].any()  # the line survived


def test_mobject_protocol() -> None:
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

    bundle = LineBundle(np.zeros((3, 5, 2)), BLUE)
    assert bundle.num_lines == 3 and bundle.get_lines().shape == (3, 5, 3)
    other = LineBundle(np.ones((5, 9, 3)), RED)
    bundle.align_points(other)
    assert bundle.num_lines == 5 and bundle.samples_per_line == 9
    bundle.become(LineBundle(np.ones((2, 4, 2)), RED))
    assert bundle.num_lines == 2 and bundle.samples_per_line == 4
    assert bundle.rgbas.shape == (2, 4)
