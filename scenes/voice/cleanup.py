"""Narration text made speakable: the symbols of a caption read as words.

Captions use typography a voice would mispronounce or skip: ``2.3×``, ``35°``, ``W·x``,
``−1``, ``→``. :func:`speakable` rewrites them; engines read what is left as usual.

>>> speakable("It turns the plane 35° and stretches it 2.3× along one direction.")
'It turns the plane 35 degrees and stretches it 2.3 times along one direction.'
>>> speakable("W·x + b maps (−1, 1) → a 2×2 square; ReLU zeroes 40 %")
'W times x plus b maps (minus 1, 1) to a 2 by 2 square; ray-loo zeroes 40 percent'
>>> speakable("The best run is ReLU · lr 0.1.")
'The best run is ray-loo, learning rate 0.1.'

Activations are said as a person says them, however they are written (``--activation
relu``, a run labelled ``hidden 3, relu``, torch's ``LeakyReLU``):

>>> speakable("hidden 3, relu · leaky_relu,tanh · two dead ReLUs · softplus")
'hidden 3, ray-loo, leaky ray-loo, tan h, two dead ray-loos, soft plus'

Layer widths are a list, not a number; a thousands comma stays:

>>> speakable("hidden 8,2 beats 2,2,2 by epoch 1,000")
'hidden 8, 2 beats 2, 2, 2 by epoch 1,000'
"""

from __future__ import annotations

import re

__all__ = ["speakable"]

_NUMBER = r"\d+(?:[.,]\d+)*"
_RULES: tuple[tuple[str, str], ...] = (
    (rf"({_NUMBER})\s*×\s*({_NUMBER})", r"\1 by \2"),  # a 2×2 matrix
    (rf"({_NUMBER})\s*×", r"\1 times"),  # 2.3× longer
    (r"\s+·\s+", ", "),  # a separator between phrases: "moons · tanh"
    (r"\s*[×·⋅]\s*", " times "),  # W·x, a × b
    (r"(?<![\d.,])1\s*°", "1 degree"),
    (r"\s*°", " degrees"),
    (r"\s*%", " percent"),
    (r"[−–]\s*(?=\d)", "minus "),  # −1 (the minus sign), –1
    (r"\s+\+\s+", " plus "),
    (r"\s*[→⟶]\s*", " to "),
    (r"\s*≈\s*", " about "),
    (r"\s*≤\s*", " at most "),
    (r"\s*≥\s*", " at least "),
    (r"²", " squared"),
    # activations, in any case ("relu" as --activation writes it, "ReLU", torch's
    # "LeakyReLU"), plurals too ("dead ReLUs"): said as a person says them
    (r"(?i)\bleaky[\s_-]*relu(s?)\b", r"leaky ray-loo\1"),
    (r"(?i)\brelu(s?)\b", r"ray-loo\1"),
    (r"(?i)\bgelu(s?)\b", r"gee-loo\1"),
    (r"(?i)\belu(s?)\b", r"ee-loo\1"),
    (r"(?i)\btanh\b", "tan h"),
    (r"(?i)\bsoft(plus|max)\b", r"soft \1"),
    (r"\blr\b", "learning rate"),  # a comparison's run labels: "ReLU · lr 0.1"
    (r"(?<=[A-Za-z])_(?=[A-Za-z])", " "),  # an option's name: "weight_decay", never "underscore"
    (r"(?<=[A-Za-z]),(?=[A-Za-z])", ", "),  # a label's list of names: "relu,tanh"
    # a list of widths, "hidden 8,2", not the number 82 ("1,000" keeps its comma)
    (r"(?<=\d),(?=\d{1,2}(?!\d))", ", "),
    (r"\s+", " "),
)
_COMPILED = tuple((re.compile(p), r) for p, r in _RULES)


def speakable(text: str) -> str:
    """``text`` with the symbols a voice cannot read written as words, spaces collapsed."""
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    return text.strip()
