"""Caption typography read as words before a voice speaks it."""

from __future__ import annotations

import pytest

from nnmodel import activations
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


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # as --activation, a story or a comparison's run labels write them
        ("a relu network", "a ray-loo network"),
        ("hidden 3, relu", "hidden 3, ray-loo"),
        ("Layer 1 · leaky_relu", "Layer 1, leaky ray-loo"),
        ("hidden 3 · relu,tanh", "hidden 3, ray-loo, tan h"),
        ("RELU or Tanh", "ray-loo or tan h"),
        # the narration's and torch's spellings
        ("leaky ReLU shrinks them", "leaky ray-loo shrinks them"),
        ("LeakyReLU", "leaky ray-loo"),
        ("two dead ReLUs", "two dead ray-loos"),
        ("ELU, elu and GELU", "ee-loo, ee-loo and gee-loo"),
        ("softplus then Softmax", "soft plus then soft max"),
        # an option's name is never read with its underscore
        ("weight_decay 0.01", "weight decay 0.01"),
        # words that only contain the names stay as written
        ("relume, relative, telugu, developer", "relume, relative, telugu, developer"),
    ],
)
def test_activations_are_said_as_a_person_says_them(text: str, spoken: str) -> None:
    assert speakable(text) == spoken


@pytest.mark.parametrize("name", [a.name for a in activations.ALL])
def test_every_activation_name_is_speakable(name: str) -> None:
    """Whatever nnmodel can train, a voice never reads its identifier: no underscore, and
    each name that is not an English word (only sigmoid and linear are) is rewritten."""
    said = speakable(f"Layer 1 · {name} and a {name.upper()} unit")
    assert "_" not in said
    if name not in ("sigmoid", "linear"):
        assert name not in said.lower().split(), said


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("hidden 8,2", "hidden 8, 2"),  # was read "eighty-two"
        ("2,2,2,2,2,2 vs 16,16", "2, 2, 2, 2, 2, 2 vs 16, 16"),
        ("epoch 1,000", "epoch 1,000"),  # a thousands comma is a number's
        ("12,345 points", "12,345 points"),
    ],
)
def test_a_list_of_layer_widths_is_said_as_a_list(text: str, spoken: str) -> None:
    assert speakable(text) == spoken
