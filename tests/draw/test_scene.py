"""The fast scenes: animations of the fast mobjects, and what is redrawn every frame."""

from __future__ import annotations

from typing import Any

import manim
import numpy as np
from draw_helpers import BLUE, RED, drawn, to_pixel

from scenes.draw import FastScene, LineBundle, PointCloud


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
