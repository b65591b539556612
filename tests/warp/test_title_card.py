"""A lengthened beat (by a voice, or a story's pause) keeps up what its words are about: the
explainer's title card, the baseline line of the verdict on it, the separator of its score;
they fade out after the words, not before them."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest

from nnmodel.trajectory import load
from scenes.render import pipeline as r
from scenes.warp.plan import warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
FPS = 4


def lengthened(
    tmp_path: Path, scene: str, section: str, beat_id: str, extra: float
) -> tuple[list[np.ndarray], float, float]:
    """``section`` of ``scene`` rendered small with ``beat_id`` lengthened by ``extra``
    seconds: its frames, and that beat's start and end in them."""
    plan = warp_plan(load(GOLDEN), fps=FPS, with_title=scene == "explainer")
    beat = next(b for b in plan if b.id == beat_id)
    opts = r.RenderOptions(
        scene=scene,
        resolution=(160, 90),
        fps=FPS,
        output=tmp_path / "clip.mp4",
        media_dir=tmp_path / "media",
        progress=False,
        voice=None,
        params={"sections": [section], "durations": {beat_id: beat.min_duration + extra}},
    )
    r.render(GOLDEN, opts)
    with av.open(str(tmp_path / "clip.mp4")) as c:
        frames = [f.to_ndarray(format="rgb24").astype(int) for f in c.decode(video=0)]
    times = json.loads((tmp_path / "clip.sections.json").read_text())
    start, end = next((b["start"], b["end"]) for b in times["beats"] if b["id"] == beat_id)
    return frames, start, end


def test_a_lengthened_title_keeps_its_card_up(tmp_path: Path) -> None:
    frames, start, end = lengthened(tmp_path, "explainer", "Introduction", "title", 3)
    assert start == 0
    # the card has faded in by 1 s; without the hold it is gone by the 3.1 s the beat's own
    # animations take; with it, it is up until 0.6 s before the lengthened beat ends
    for t in (1.5, end - 2.0, end - 1.0):
        frame = frames[round(t * FPS)]
        assert frame.max() > 180, f"no title card at {t:.1f} s"
    assert frames[round(end * FPS) - 1].max() < 120  # faded out


@pytest.mark.parametrize(
    ("beat_id", "section"),
    [("line-verdict", "Introduction"), ("separator-score", "Separator")],
)
def test_a_lengthened_verdict_keeps_its_line_up_while_it_is_said(
    tmp_path: Path, beat_id: str, section: str
) -> None:
    frames, start, end = lengthened(tmp_path, "warp", section, beat_id, 3)
    # The caption is up by 0.5 s and the line stays through the beat's 1.5 s look and the 3 s
    # of lengthening: the picture stands still (but for the encoder's noise: the hold is
    # encoded apart), to the beat's very end: the baseline fades with the next beat's
    # caption (its words are about it until then); the separator stays on: the rewind
    # hands it over to the boundary it carries back.
    shown = frames[round((start + 1.0) * FPS)]
    for t in (start + 2.0, start + 3.0, start + 4.5):
        assert np.abs(frames[round(t * FPS)] - shown).mean() < 2, f"the line is gone at {t} s"
    change = np.abs(frames[round(end * FPS) - 1] - shown).mean()
    assert change < 2, f"the line faded before its beat ended ({change:.1f})"
