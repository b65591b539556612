"""The logistic-regression line stays up as long as the caption that tells its verdict:
it fades out with that caption, as the next beat's comes, never while it is still read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import manim
import pytest

from nnmodel.trajectory import load
from scenes.mobjects.widgets import Fade
from scenes.warp import Warp

pytestmark = pytest.mark.usefixtures("own_media")

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


@pytest.mark.parametrize("lengthen", [0.0, 3.0])
def test_the_baseline_line_fades_only_once_its_verdict_beat_is_over(lengthen: float) -> None:
    """It faded over the last 0.6 s of the verdict beat, under its caption (and, lengthened
    for a voice, while the voice still said it)."""
    traj = load(GOLDEN)
    with manim.tempconfig({"dry_run": True, "pixel_width": 160, "pixel_height": 90}):
        probe = Warp(trajectory=traj)
        verdict = next(b for b in probe.beats if b.id == "line-verdict")
        durations = {verdict.id: verdict.min_duration + lengthen}
        scene = Warp(trajectory=traj, durations=durations)
        fades: list[tuple[float, float]] = []
        play = scene.play

        def spy(*anims: Any, **kwargs: Any) -> None:
            start = float(scene.renderer.time)
            line = getattr(scene, "baseline_shapes", [None])[0]
            going = any(isinstance(a, Fade) and not a.fade_in and a.mobject is line for a in anims)
            play(*anims, **kwargs)
            if going:
                fades.append((start, float(scene.renderer.time)))

        scene.play = spy  # type: ignore[method-assign]
        scene.construct()
    times = {beat: (start, end) for beat, start, end in scene.beat_times}
    _, end = times["line-verdict"]
    assert fades, "the line never goes"
    ((start, done),) = fades
    assert start >= end - 1e-6, f"the line starts fading {end - start:.2f} s before its beat ends"
    nxt = next(b.id for b in scene.beats if times[b.id][0] >= end - 1e-6)
    assert done <= times[nxt][1], "the line outlives the next beat"
