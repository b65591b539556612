"""Pixels of a real rendered video: the intro shows the data points in their class colours."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from nnmodel import trajectory
from scenes.core.theme import hex_to_rgb, theme
from scenes.render import pipeline as r

SIZE = (320, 180)
FPS = 4
#: The plot's right edge in frame units (the frame is 14.222 units wide, centred on 0);
#: right of it is the side panel, whose legend has discs of the class colours.
PLOT_RIGHT = 2.45
FRAME_WIDTH = 14.222


def class_pixel_counts(frame: np.ndarray, n_classes: int) -> list[int]:
    """Pixels of the plot area whose colour is a class colour faded over the background.

    A small point is anti-aliased, and H.264 shares colour between 2×2 pixels, so a point's
    pixels are mixes ``a·colour + (1 − a)·background``: along the line from the background to
    the class colour. Count those with a ≥ 0.35 that lie within 20 levels of that line.
    """
    th = theme()
    bg = np.array(hex_to_rgb(th.background)) * 255
    cols = int(frame.shape[1] * (PLOT_RIGHT + FRAME_WIDTH / 2) / FRAME_WIDTH)
    v = frame[:, :cols].reshape(-1, 3).astype(np.float64) - bg
    counts = []
    for k in range(n_classes):
        u = np.array(hex_to_rgb(th.class_color(k))) * 255 - bg
        a = v @ u / (u @ u)
        off_line = np.linalg.norm(v - a[:, None] * u, axis=1)
        counts.append(int(np.count_nonzero((a >= 0.35) & (off_line < 20))))
    return counts


@dataclass
class Intro:
    """Class-colour pixel counts of every frame of the intro, and when its beats ended."""

    #: (time in seconds, per-class pixel counts) of every frame.
    frames: list[tuple[float, list[int]]]
    #: Scene time when the play that brought the points into the scene began.
    points_in: float
    #: Scene time when the data beat ended.
    data_shown: float
    n_points: list[int]
    plot_pixels: int


@pytest.fixture(scope="module")
def intro(one_layer_traj: Path, tmp_path_factory: pytest.TempPathFactory) -> Intro:
    """The warp video's introduction (the other sections are skipped, for speed)."""
    folder = tmp_path_factory.mktemp("pixels")
    out = folder / "intro.mp4"
    times: dict[str, float] = {}

    def spy(scene: Any) -> None:
        play, show_data = scene.play, scene.beat_data

        def timed_play(*args: Any, **kwargs: Any) -> None:
            start = float(scene.renderer.time)
            play(*args, **kwargs)
            if scene.rig.points in scene.get_mobject_family_members():
                times.setdefault("points_in", start)

        def timed_show_data(beat: Any) -> None:
            show_data(beat)
            times["data_shown"] = float(scene.renderer.time)

        scene.play = timed_play
        scene.beat_data = timed_show_data

    opts = r.RenderOptions(
        scene="warp",
        resolution=SIZE,
        fps=FPS,
        output=out,
        media_dir=folder / "media",
        progress=False,
        params={"sections": ["Introduction"]},
    )
    r.render(one_layer_traj, opts, on_scene=spy)
    traj = trajectory.load(one_layer_traj)
    frames = []
    with av.open(str(out)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            assert frame.pts is not None
            t = float(frame.pts * frame.time_base)
            frames.append((t, class_pixel_counts(frame.to_ndarray(format="rgb24"), traj.n_classes)))
    plot_cols = int(SIZE[0] * (PLOT_RIGHT + FRAME_WIDTH / 2) / FRAME_WIDTH)
    return Intro(
        frames,
        times.get("points_in", times["data_shown"]),
        times["data_shown"],
        [int(n) for n in np.bincount(traj.labels, minlength=traj.n_classes)],
        plot_cols * SIZE[1],
    )


def test_no_class_colour_in_the_plot_before_the_data_is_shown(intro: Intro) -> None:
    before = [(t, c) for t, c in intro.frames if t < intro.points_in - 1e-6]
    assert len(before) >= 2, "no frames before the points come in"
    for t, counts in before:
        assert sum(counts) <= 2, f"class-coloured pixels at {t:.2f}s, before the data: {counts}"


def test_the_data_beat_ends_with_every_class_visible_in_plausible_amounts(intro: Intro) -> None:
    """Once the data is shown, each class covers about a pixel or more per point, not a region."""
    last = [(t, c) for t, c in intro.frames if intro.data_shown - 0.6 <= t < intro.data_shown]
    assert last, "no frame in the last moments of the data beat"
    for t, counts in last:
        for k, (count, n) in enumerate(zip(counts, intro.n_points, strict=True)):
            assert count >= 0.5 * n, f"class {k}: {count} pixels for {n} points at {t:.2f}s"
            assert count <= 0.05 * intro.plot_pixels, f"class {k} floods the plot at {t:.2f}s"
