"""The evolution's narration: sentences a voice reads as words, not the captions' shorthand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nnmodel.trajectory import load
from scenes.evolution.plan import evolution_plan
from scenes.voice.cleanup import speakable

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
#: Shorthand of the captions a voice reads badly: arrows, separators, counts in brackets.
UNSPEAKABLE = re.compile(r"[=→·×(]|\b\d+ \(×")


@pytest.mark.parametrize("name", ["golden", "wide_traj", "stopped_traj", "logreg_traj"])
def test_every_beat_is_told_in_speakable_sentences(
    name: str, request: pytest.FixtureRequest
) -> None:
    traj = load(GOLDEN if name == "golden" else request.getfixturevalue(name))
    beats = evolution_plan(traj, fps=15)
    assert all(b.line.narration for b in beats), [b.id for b in beats if not b.line.narration]
    for beat in beats:
        spoken = speakable(beat.line.spoken)
        assert not UNSPEAKABLE.search(spoken), (beat.id, spoken)
        assert spoken.endswith((".", "?")), (beat.id, spoken)
    moments = [b for b in beats if b.kind == "moment"]
    for beat in moments:  # the epoch a moment tells is said, as the caption shows it
        assert f"epoch {beat.data['epoch']:,}" in beat.line.narration
