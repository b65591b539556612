"""A silent video waits for its words: each beat lasts long enough to read its caption and
subcaption (a voice sets a narrated beat's length; without one, anatomy's longest
captions were up for 3.7 s)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenes.core.timeline import READING_CPS
from scenes.render import pipeline as r
from tests.render_helpers import small_render

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
FPS = 5


@pytest.mark.parametrize("fmt", ["mp4", "gif"])
def test_every_beat_of_a_silent_video_can_be_read(tmp_path: Path, fmt: str) -> None:
    opts = small_render(
        "explainer", tmp_path, (128, 72), FPS, voice=None, fmt=fmt,
        output=tmp_path / f"clip.{fmt}",
    )  # fmt: skip
    r.render(GOLDEN, opts)
    doc = json.loads((tmp_path / "clip.sections.json").read_text())
    for beat in doc["beats"]:
        words = " ".join(w for w in (beat["caption"], beat["subcaption"]) if w)
        assert beat["end"] - beat["start"] >= 0.5 + len(words) / READING_CPS - 1e-6, beat["id"]
        # in whole frames: sections rendered alone start on the same frame
        assert abs(beat["end"] * FPS - round(beat["end"] * FPS)) < 1e-4, beat["id"]
