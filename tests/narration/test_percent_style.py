"""Every scene writes a percentage one way, "89 %", in its captions, subtitles and speech."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nnmodel.trajectory import load
from scenes.narration import warp as words
from scenes.narration.text import Line
from scenes.warp.plan import warp_plan

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
GLUED = re.compile(r"\d%")


def _texts(lines: list[Line]) -> list[str]:
    return [t for line in lines for t in (line.caption, line.sub, line.spoken) if t]


def test_the_warp_writes_percentages_as_the_other_scenes_do() -> None:
    lines = [b.line for b in warp_plan(load(GOLDEN)) if b.line is not None]
    texts = _texts(lines)
    assert any(" %" in t for t in texts)  # the warp does speak of percentages
    assert [t for t in texts if GLUED.search(t)] == []


@pytest.mark.parametrize(("accuracy", "line"), [(0.8975, 0.89), (1.0, 0.5), (0.5, 0.89)])
def test_the_end_card_writes_percentages_as_the_captions_do(accuracy: float, line: float) -> None:
    moral, facts = words.end_card(2, 1000, 1000, accuracy, line)
    texts = [*_texts([moral]), str(facts)]
    assert [t for t in texts if GLUED.search(t)] == []
