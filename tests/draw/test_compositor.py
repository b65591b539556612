"""Numpy compositing of point clouds: the same picture as Cairo's stamps, in draw order."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from draw_helpers import BLUE, RED, drawn, frame_of, random_cloud, to_pixel

import scenes.draw.camera as camera_module
import scenes.draw.compositor as compositor
from scenes.draw import FastCameraMixin, FastScene, PointCloud

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
    monkeypatch.setattr(camera_module, "MAX_SPRITE_COLOURS", 10**6)
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
    compositor._settle(buffer, where, values, seen, np.less)  # the largest value must win
    assert buffer[2] == 7 and list(seen) == [7, 7, 7, 1]
    buffer[2] = 7
    seen = buffer[where]
    compositor._settle(buffer, where, values, seen, np.greater)  # the smallest value must win
    assert buffer[2] == 5


@pytest.mark.parametrize("alpha", [1.0, 0.4])
def test_numpy_piled_points(tiny: None, alpha: float, monkeypatch: pytest.MonkeyPatch) -> None:
    # 300 discs within a pixel or two (as when an activation squeezes the data): edge pixels
    # hold hundreds of antialiased fragments, composited in one pass, not one round each.
    rng = np.random.default_rng(3)
    pts = np.r_[rng.normal(scale=0.05, size=(300, 2)), rng.normal(scale=1.5, size=(200, 2))]
    rgba = np.c_[rng.uniform(0.1, 1.0, size=(500, 3)), np.full(500, alpha)]
    stacks: list[int] = []
    real = compositor._composite_stacks

    def spy(work: Any, cloud: Any, part: Any, words: Any, at: np.ndarray, ids: Any) -> None:
        stacks.append(len(at))
        real(work, cloud, part, words, at, ids)

    monkeypatch.setattr(compositor, "_composite_stacks", spy)
    monkeypatch.setattr(camera_module, "MAX_SPRITE_COLOURS", 10**6)  # Cairo: one sprite per colour
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
