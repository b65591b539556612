"""Pixel tests for scenes.draw.fastdraw: PointCloud/LineBundle drawn by the fast cameras."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

manim = pytest.importorskip("manim")

import scenes.draw.fastdraw as fastdraw  # noqa: E402
from scenes.draw.fastdraw import (  # noqa: E402
    FastCameraMixin,
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


@pytest.fixture(params=["cairo", "numpy"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each way of drawing points: Cairo stamps and numpy compositing."""
    monkeypatch.setattr(FastCameraMixin, "point_backend", request.param)
    return str(request.param)


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


def test_point_clip_box(tiny: None, backend: str) -> None:
    cloud = PointCloud([[0.0, 0.0], [3.0, 0.0]], RED, radius=0.2, clip_box=(-1, 1, -1, 1))
    scene = FastScene()
    scene.add(cloud)
    mask = drawn(frame_of(scene))
    cx, _ = to_pixel(1.0, 0.0)
    assert mask.sum() > 10
    assert not mask[:, int(np.ceil(cx)) :].any()


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


def test_animations_work(tiny: None, backend: str) -> None:
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


# --------------------------------------------------------------------------- numpy compositing


def random_cloud(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` overlapping points, some beyond the frame edges, a few non-finite."""
    rng = np.random.default_rng(seed)
    pts = rng.normal(scale=[2.0, 1.2], size=(n, 2))
    pts[: n // 20] = rng.uniform([-7.6, -4.4], [7.6, 4.4], size=(n // 20, 2))  # edges
    pts[n // 2 : n // 2 + 3] = [[np.nan, 0.0], [np.inf, 1.0], [0.0, -np.inf]]
    return pts, rng.uniform(0.1, 1.0, size=(n, 3))


CLOUD_STYLES = {
    "outlined, 2 colours": dict(outline_width=0.06),
    "outlined, many colours": dict(outline_width=0.06, many=True),
    "outline colour": dict(outline_width=0.05, outline_color="#FFFFFF"),
    "plain discs": dict(),
    "translucent, 2 colours": dict(outline_width=0.06, alpha=0.5),
    "translucent, many colours": dict(outline_width=0.06, alpha=0.7, many=True),
    "clip box": dict(outline_width=0.06, clip_box=(-1.5, 2.0, -1.0, 0.8)),
    "big discs": dict(radius=0.6, outline_width=0.15),
}


@pytest.mark.parametrize("style", CLOUD_STYLES)
def test_numpy_matches_cairo(tiny: None, style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opts = dict(CLOUD_STYLES[style])
    pts, rgb = random_cloud(400)
    many = opts.pop("many", False)
    if not many:
        rgb = np.where(np.arange(len(rgb))[:, None] % 2 == 0, [0.9, 0.3, 0.2], [0.2, 0.6, 1.0])
    rgba = np.c_[rgb, np.full(len(rgb), opts.pop("alpha", 1.0))]

    def render(backend: str) -> np.ndarray:
        monkeypatch.setattr(FastCameraMixin, "point_backend", backend)
        scene = FastScene()
        scene.add(PointCloud(pts, rgba, **{"radius": 0.2, **opts}))
        return frame_of(scene).astype(int)

    ours = render("numpy")
    masks = render("cairo")  # many colours: Cairo's two masks per point
    # The reference is Cairo's sprite per colour (allowed here for any number of colours).
    monkeypatch.setattr(fastdraw, "MAX_SPRITE_COLOURS", 10**6)
    cairo = render("cairo")
    shown = drawn(cairo.astype(np.uint8))
    assert shown.sum() > 500
    diff = np.abs(ours - cairo)
    # Cairo rounds after every stamp of its cached sprites; numpy does the same arithmetic
    # from the same masks, so only rounding differs.
    assert diff.max() <= 4
    assert diff[shown].mean() < 0.5
    # Cairo's two-mask path blends a translucent rim and fill separately where they meet.
    assert np.abs(masks - cairo).max() <= (32 if many and "translucent" in style else 4)


def test_numpy_overlap_order(tiny: None, backend: str) -> None:
    # Three discs at one spot: the last one listed is on top, whatever its colour.
    green = [0.0, 1.0, 0.0, 1.0]
    for colours, top in (([RED, green, BLUE], 2), ([BLUE, RED, green], 1), ([green, BLUE, RED], 0)):
        scene = FastScene()
        scene.add(PointCloud([[0.0, 0.0], [0.05, 0.0], [0.1, 0.0]], colours, radius=0.3))
        frame = frame_of(scene)
        cx, cy = to_pixel(0.05, 0.0)
        assert int(np.argmax(frame[int(cy), int(cx), :3])) == top
        # Away from the top disc's edge, the middle disc's edge shows over the first one.
        left = frame[int(cy), int(to_pixel(-0.3, 0.0)[0]) + 1, :3]
        assert left.max() > 100


def test_numpy_alpha_over_other_discs(tiny: None, backend: str) -> None:
    scene = FastScene()
    cloud = PointCloud([[0.0, 0.0], [0.0, 0.0]], [BLUE, [1.0, 0.0, 0.0, 0.5]], radius=0.4)
    scene.add(cloud)
    frame = frame_of(scene)
    cx, cy = to_pixel(0.0, 0.0)
    np.testing.assert_allclose(frame[int(cy), int(cx), :3], [128, 0, 127], atol=2)
    cloud.fade(1.0)  # fully transparent points are not drawn at all
    assert not drawn(frame_of(scene)).any()


def test_numpy_clip_box_cuts_discs(tiny: None, backend: str) -> None:
    box = (-1.0, 1.0, -0.5, 0.5)
    pts = np.array([[x, y] for x in np.linspace(-1.0, 1.0, 9) for y in (-0.5, 0.0, 0.5)])
    scene = FastScene()
    scene.add(PointCloud(pts, RED, radius=0.25, outline_width=0.05, clip_box=box))
    mask = drawn(frame_of(scene))
    x0, y1 = to_pixel(box[0], box[2])
    x1, y0 = to_pixel(box[1], box[3])
    inside = np.zeros_like(mask)
    inside[int(np.ceil(y0)) : int(np.floor(y1)), int(np.ceil(x0)) : int(np.floor(x1))] = True
    assert mask[inside].mean() > 0.5
    assert not np.any(mask & ~inside)


def test_auto_backend_choice(tiny: None, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = fastdraw._composite_discs

    def spy(pixels: np.ndarray, table: Any, xs: np.ndarray, *args: Any) -> None:
        calls.append(len(xs))
        real(pixels, table, xs, *args)

    monkeypatch.setattr(fastdraw, "_composite_discs", spy)
    monkeypatch.setattr(fastdraw, "VECTOR_MIN_POINTS", 300)
    monkeypatch.setattr(fastdraw, "VECTOR_MIN_POINTS_MANY_COLOURS", 100)
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


def test_numpy_key_buffer_wraps(tiny: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FastCameraMixin, "point_backend", "numpy")
    pts, rgb = random_cloud(300)
    scene = FastScene()
    scene.add(PointCloud(pts, np.c_[rgb, np.ones(len(rgb))], radius=0.2, outline_width=0.06))
    first = frame_of(scene)
    work = scene.renderer.camera._workspace()
    work.next_key = np.iinfo(np.int32).max - 500  # the next frame must start afresh
    again = frame_of(scene)
    assert work.next_key < 10_000
    np.testing.assert_array_equal(first, again)


def test_settle_fixes_any_write_order() -> None:
    # NumPy writes repeated fancy indices in order in practice; _settle must not rely on it.
    buffer = np.full(4, -1, dtype=np.int32)
    where = np.array([2, 2, 2, 0])
    values = np.array([5, 7, 6, 1], dtype=np.int32)
    buffer[2], buffer[0] = 5, 1  # as if the first write to slot 2 had landed last
    seen = buffer[where]
    fastdraw._settle(buffer, where, values, seen, np.less)  # the largest value must win
    assert buffer[2] == 7 and list(seen) == [7, 7, 7, 1]
    buffer[2] = 7
    seen = buffer[where]
    fastdraw._settle(buffer, where, values, seen, np.greater)  # the smallest value must win
    assert buffer[2] == 5


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


@pytest.mark.parametrize("alpha", [1.0, 0.4])
def test_numpy_piled_points(tiny: None, alpha: float, monkeypatch: pytest.MonkeyPatch) -> None:
    # 300 discs within a pixel or two (as when an activation squeezes the data): edge pixels
    # hold hundreds of antialiased fragments, composited in one pass, not one round each.
    rng = np.random.default_rng(3)
    pts = np.r_[rng.normal(scale=0.05, size=(300, 2)), rng.normal(scale=1.5, size=(200, 2))]
    rgba = np.c_[rng.uniform(0.1, 1.0, size=(500, 3)), np.full(500, alpha)]
    stacks: list[int] = []
    real = fastdraw._composite_stacks

    def spy(work: Any, cloud: Any, part: Any, words: Any, at: np.ndarray, ids: Any) -> None:
        stacks.append(len(at))
        real(work, cloud, part, words, at, ids)

    monkeypatch.setattr(fastdraw, "_composite_stacks", spy)
    monkeypatch.setattr(fastdraw, "MAX_SPRITE_COLOURS", 10**6)  # Cairo: one sprite per colour
    frames = {}
    for name in ("cairo", "numpy"):
        monkeypatch.setattr(FastCameraMixin, "point_backend", name)
        scene = FastScene()
        scene.add(PointCloud(pts, rgba, radius=0.2, outline_width=0.06))
        frames[name] = frame_of(scene).astype(int)
    assert stacks and max(stacks) > 500
    diff = np.abs(frames["numpy"] - frames["cairo"])
    # Cairo rounds after each of the hundreds of stamps, numpy once.
    assert diff.max() <= 6
    assert diff[drawn(frames["cairo"].astype(np.uint8))].mean() < 0.5


def _frames_of(scene: Any) -> list[np.ndarray]:
    """Render ``scene`` and return every frame it produced."""
    frames: list[np.ndarray] = []
    add_frame = scene.renderer.add_frame

    def keep(frame: np.ndarray, num_frames: int = 1) -> None:
        frames.extend([np.array(frame)] * num_frames)
        add_frame(frame, num_frames)

    scene.renderer.add_frame = keep
    scene.render()
    return frames


class _Layers(FastScene):
    """Static shapes above and below moving points, and text added after them."""

    def construct(self) -> None:
        cloud = PointCloud([[-3.0, 0.0], [-3.0, 0.6]], RED, radius=0.3, z_index=3)
        self.add(cloud)
        under = manim.Rectangle(width=4, height=2, fill_opacity=0.5, stroke_width=0, z_index=0)
        over = manim.Square(1.0, color=manim.GREEN, fill_opacity=1.0, z_index=4).move_to(
            [0, 0.3, 0]
        )
        label = manim.Circle(0.5, color=manim.YELLOW, fill_opacity=1.0).move_to([5, 3, 0])
        self.add(under, over, label)  # added after the points
        cloud.add_updater(lambda m, dt: m.shift(manim.RIGHT * 6 * dt))
        self.wait(1.0)  # the points pass under `over` and over `under`
        cloud.clear_updaters()
        region = manim.Rectangle(width=3, height=3, fill_opacity=0.6, color=manim.BLUE, z_index=0)
        self.play(manim.FadeIn(region), run_time=0.5)  # fades in *under* the points
        holder = manim.Mobject()  # an updater on something that draws nothing
        holder.add_updater(lambda m, dt: None)
        self.add(holder)
        self.wait(0.3)


def test_static_layer_cut_in_drawing_order(tiny: None) -> None:
    class RedrawAll(_Layers):
        def get_moving_mobjects(self, *animations: Any) -> list[Any]:
            return list(self.mobjects)

    moving_now: list[int] = []

    class Counted(_Layers):
        def get_moving_mobjects(self, *animations: Any) -> list[Any]:
            moving = super().get_moving_mobjects(*animations)
            moving_now.append(len(moving))
            return moving

    fast, full = _frames_of(Counted()), _frames_of(RedrawAll())
    assert len(fast) == len(full) > 10
    for a, b in zip(fast, full, strict=True):
        np.testing.assert_array_equal(a, b)
    # The circle added after the points is not redrawn while they move; the square above
    # them is. While the region fades in under the points, both are redrawn over it.
    assert moving_now[0] == 2
    assert moving_now[1] == 3
    assert moving_now[2] == 1  # the cached frame alone (one point-less placeholder)
