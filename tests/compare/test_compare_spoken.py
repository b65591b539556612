"""The comparison's narration: every caption of a real grid is told in sentences a voice reads."""

from __future__ import annotations

import re

from scenes.compare.grid import GridSource
from scenes.compare.plan import compare_plan
from scenes.voice.cleanup import speakable

#: Caption shorthand a voice reads badly (a run's label may hold " · ": read as a pause).
UNSPEAKABLE = re.compile(r"[=→×]|\(test\)")


def test_every_caption_is_told_in_sentences(story: GridSource) -> None:
    plan = compare_plan(story.load(), fps=4)
    lines = [b.line for b in plan.beats]
    assert all(line.narration for line in lines), [line.caption for line in lines]
    for line in lines:
        spoken = speakable(line.spoken)
        assert not UNSPEAKABLE.search(spoken), spoken
        assert spoken.endswith((".", "?")), spoken
