"""The caption limits of story files hold what the caption widget shows at a legible size."""

from __future__ import annotations

import pytest

from scenes.core.theme import theme
from scenes.mobjects.widgets import FRAME_HALF_WIDTH, text
from scenes.story import CAPTION_MAX_CHARS, SUBCAPTION_MAX_CHARS

#: Ordinary English of a lesson, cut into pieces of a limit's length at several places.
PROSE = (
    "The network bends the plane so that the two moons can be split by one straight line. "
    "Each layer first turns, stretches and shifts the points, then squashes every coordinate "
    "with tanh; where the points pile up near minus one or one, the layer has saturated. "
    "Watch the orange moon slide under the blue one as the second layer folds the space."
)
#: The smallest share of the theme's font size a story's own words may be shrunk to.
LEGIBLE = 0.85


def pieces(length: int) -> list[str]:
    return [PROSE[start : start + length] for start in range(0, len(PROSE) - length, 37)]


@pytest.mark.parametrize(
    ("limit", "size", "weight"),
    [
        (CAPTION_MAX_CHARS, "caption_size", "BOLD"),
        (SUBCAPTION_MAX_CHARS, "subcaption_size", "NORMAL"),
    ],
    ids=["caption", "subcaption"],
)
def test_words_at_the_limit_are_shown_at_a_legible_size(limit: int, size: str, weight: str) -> None:
    room = 2 * FRAME_HALF_WIDTH - 0.8  # what Captions.build fits a caption group into
    samples = pieces(limit)
    assert len(samples) >= 5 and all(len(p) == limit for p in samples)
    for words in samples:
        width = text(words, getattr(theme(), size), weight=weight).width
        assert min(1.0, room / width) >= LEGIBLE, words
