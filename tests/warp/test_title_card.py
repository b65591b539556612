"""The explainer's title card stays up as long as its beat is lengthened (by a voice, or a
story's pause), instead of fading out and leaving the screen empty."""

from __future__ import annotations

from pathlib import Path

import av

from nnmodel.trajectory import load
from scenes.render import pipeline as r
from scenes.warp.plan import warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
FPS = 4


def test_a_lengthened_title_keeps_its_card_up(tmp_path: Path) -> None:
    title = warp_plan(load(GOLDEN), fps=FPS, with_title=True)[0]
    assert title.id == "title"
    opts = r.RenderOptions(
        scene="explainer",
        resolution=(160, 90),
        fps=FPS,
        output=tmp_path / "intro.mp4",
        media_dir=tmp_path / "media",
        progress=False,
        voice=None,
        params={"sections": ["Introduction"], "durations": {"title": title.min_duration + 3}},
    )
    r.render(GOLDEN, opts)
    with av.open(str(tmp_path / "intro.mp4")) as c:
        frames = [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]
    # the card has faded in by 1 s; without the hold it is gone by the 3.1 s the beat's own
    # animations take; with it, it is up until 0.6 s before the lengthened beat ends
    for t in (1.5, title.min_duration + 1.0, title.min_duration + 2.0):
        frame = frames[round(t * FPS)]
        assert frame.max() > 180, f"no title card at {t:.1f} s"
    assert frames[round((title.min_duration + 3) * FPS) - 1].max() < 120  # faded out
