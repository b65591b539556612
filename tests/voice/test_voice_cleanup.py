"""Caption typography read as words before a voice speaks it."""

from __future__ import annotations

import pytest

from scenes.narration.text import Line
from scenes.voice.cleanup import speakable


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("stretches it 2.3× along one direction", "stretches it 2.3 times along one direction"),
        ("W is 2×2", "W is 2 by 2"),
        ("a 2 × 3 matrix", "a 2 by 3 matrix"),
        ("turns the plane 35°", "turns the plane 35 degrees"),
        ("turns it 1° more", "turns it 1 degree more"),
        ("turns it 0.1° more", "turns it 0.1 degrees more"),
        ("turns it 21°", "turns it 21 degrees"),
        ("W·x + b", "W times x plus b"),
        ("moons · a 2 → 3 network · tanh", "moons, a 2 to 3 network, tan h"),
        ("into (−1, 1)", "into (minus 1, 1)"),
        ("accuracy 80 % → 100%", "accuracy 80 percent to 100 percent"),
        ("≈ 0.4", "about 0.4"),
        ("‖x‖²", "‖x‖ squared"),
        ("ReLU zeroes a third", "ray-loo zeroes a third"),
        ("after the tanh", "after the tan h"),
        ("a well-known two-layer net", "a well-known two-layer net"),  # hyphens stay
        ("  spaced\n out  ", "spaced out"),
    ],
)
def test_symbols_become_words(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


def test_a_narration_line_is_spoken_as_written_otherwise() -> None:
    line = Line("Layer 2 · ReLU", "zeroes 40% of the points")
    assert speakable(line.spoken) == "Layer 2, ray-loo: zeroes 40 percent of the points."
