"""The anatomy's narration: sentences a voice reads as words, not the captions' arithmetic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nnmodel.trajectory import load
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.voice.cleanup import speakable

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
#: What the captions write and a voice cannot say: formulas, Greek, arrows, exponents.
UNSPEAKABLE = re.compile(r"[=δσ←→′ᵀ·×∂/|₁₂#]|dL|\bz\b|\bp\(|e[−-]\d")


@pytest.mark.parametrize("name", ["golden", "wide_traj", "logreg_traj", "wine_traj"])
def test_every_beat_is_told_in_speakable_sentences(
    name: str, request: pytest.FixtureRequest
) -> None:
    path = GOLDEN if name == "golden" else request.getfixturevalue(name)
    traj = load(path)
    beats = anatomy_plan(traj, gather(traj), fps=30)
    said = [b.line.narration for b in beats]
    assert all(said), [b.id for b in beats if not b.line.narration]
    for beat in beats:
        spoken = speakable(beat.line.spoken)
        assert not UNSPEAKABLE.search(spoken), (beat.id, spoken)
        assert spoken.endswith((".", "?")), (beat.id, spoken)
    assert len(set(said)) == len(said), "no two beats say the same"
