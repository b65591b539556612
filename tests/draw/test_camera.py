"""The fast cameras: non-finite values, 3-D projection and depth, the choice of point backend."""

from __future__ import annotations

from typing import Any

import manim
import numpy as np
import pytest
from draw_helpers import BLUE, RED, frame_of, random_cloud, to_pixel

import scenes.draw.camera as camera_module
from scenes.draw import FastCameraMixin, FastScene, FastThreeDScene, LineBundle, PointCloud


def test_non_finite_values_are_skipped(tiny: None, backend: str) -> None:
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


def test_three_d_camera_projects_points(tiny: None, backend: str) -> None:
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


def test_three_d_depth_order(tiny: None, backend: str) -> None:
    scene = FastThreeDScene()
    scene.set_camera_orientation(phi=0.0, theta=-90 * manim.DEGREES)  # looking down -z
    # Near (z = 1) point listed first, far (z = -1) second: the near one must win.
    cloud = PointCloud([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]], [RED, BLUE], radius=0.3)
    scene.add(cloud)
    frame = frame_of(scene)
    cx, cy = to_pixel(0.0, 0.0)
    r, _, b = frame[int(cy), int(cx), :3]
    assert r > 200 and b < 50


def test_auto_backend_choice(tiny: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = camera_module._composite_discs

    def spy(pixels: np.ndarray, table: Any, xs: np.ndarray, *args: Any) -> None:
        calls.append(len(xs))
        real(pixels, table, xs, *args)

    monkeypatch.setattr(camera_module, "_composite_discs", spy)
    monkeypatch.setattr(camera_module, "VECTOR_MIN_POINTS", 300)
    monkeypatch.setattr(camera_module, "VECTOR_MIN_POINTS_MANY_COLOURS", 100)
    pts, rgb = random_cloud(400)
    two = np.where(np.arange(len(rgb))[:, None] % 2 == 0, [0.9, 0.3, 0.2], [0.2, 0.6, 1.0])

    def uses_numpy(points: np.ndarray, rgb: np.ndarray, alpha: float = 1.0, **kw: Any) -> bool:
        calls.clear()
        scene = FastScene()
        scene.add(PointCloud(points, np.c_[rgb, np.full(len(rgb), alpha)], **kw))
        frame_of(scene)
        return bool(calls)

    small = {"radius": 0.2, "outline_width": 0.06}  # 2.7 px discs at 13.5 px per unit
    assert uses_numpy(pts, two, **small)
    assert not uses_numpy(pts[:200], two[:200], **small)  # few points: Cairo stamps
    assert uses_numpy(pts[:200], rgb[:200], **small)  # ... unless Cairo needs two masks each
    assert not uses_numpy(pts, two, alpha=0.5, **small)  # translucent, cheap for Cairo
    assert uses_numpy(pts, rgb, alpha=0.5, **small)
    assert not uses_numpy(pts, two, radius=0.4)  # 5.4 px discs: Cairo is faster
    monkeypatch.setattr(FastCameraMixin, "point_backend", "cairo")
    assert not uses_numpy(pts, rgb, **small)
    monkeypatch.setattr(FastCameraMixin, "point_backend", "sideways")
    with pytest.raises(ValueError, match="point_backend"):
        uses_numpy(pts, rgb, **small)


@pytest.mark.parametrize("reverse", [False, True])
def test_path_left_by_vmobjects_is_ignored(tiny: None, backend: str, reverse: bool) -> None:
    # Manim fills and strokes with fill_preserve/stroke_preserve, so a VMobject leaves its
    # path on the shared Cairo context. It must neither join a clip box nor get stroked.
    corners = np.array([[-1.5, -1.0, 0.0], [1.5, -1.0, 0.0], [1.5, 1.0, 0.0], [-1.5, 1.0, 0.0]])
    shape = manim.Polygon(*(corners[::-1] if reverse else corners), z_index=0)
    shape.set_fill(manim.GREY, opacity=0.3).set_stroke(manim.WHITE, width=4)
    pts = np.c_[np.linspace(-1.0, 1.0, 5), np.zeros(5)]
    cloud = PointCloud(pts, RED, radius=0.2, clip_box=(-3.0, 3.0, -2.0, 2.0), z_index=1)
    line = LineBundle(np.array([[[4.0, -3.0], [6.0, -3.0]]]), BLUE, stroke_width=0.08, z_index=2)
    scene = FastScene()
    scene.add(shape, cloud, line)
    frame = frame_of(scene)
    for x, y in pts:
        cx, cy = to_pixel(x, y)
        assert frame[int(cy), int(cx), 0] > 200  # the points over the shape are drawn
    ex, ey = to_pixel(0.0, 1.0)  # the shape's top edge keeps its white stroke
    edge = frame[int(ey) - 1 : int(ey) + 2, int(ex), :3].astype(int)
    assert edge.min(axis=1).max() > 150
