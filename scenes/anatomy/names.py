"""The names drawn beside the diagram (no Manim): the inputs' (the data's columns) and the
output units' (their classes), their sizes, and the room they need, planned before anything
is drawn from the characters' widths in the theme's font.

>>> round(text_width("Golden Retriever", NAME_SIZE), 2)  # too wide for one line: two
1.88
>>> round(name_room(["Beagle", "Golden Retriever"], OUT_LINES, MAX_OUT_ROOM), 2)
1.02
"""

from __future__ import annotations

from collections.abc import Sequence

from nnmodel.trajectory import Trajectory

__all__ = [
    "ADVANCES",
    "IN_LINES",
    "MARK",
    "MARK_ROOM",
    "MATH_ROOM",
    "MAX_IN_ROOM",
    "MAX_OUT_ROOM",
    "NAME_SIZE",
    "OUT_LINES",
    "SHORT_SIZE",
    "input_names",
    "name_room",
    "name_size",
    "text_width",
    "true_unit",
    "unit_names",
]

#: The names' font size; names of at most SHORT_NAME characters ("x", "bird", "class 1")
#: are drawn at SHORT_SIZE (one size for each side's names).
NAME_SIZE = 16
SHORT_NAME, SHORT_SIZE = 8, 18
#: The most lines a name is wrapped into, and the most room (frame units) it may take:
#: the inputs' (left of the diagram), the output units' (right of it).
IN_LINES, OUT_LINES = 3, 2
MAX_IN_ROOM, MAX_OUT_ROOM = 1.35, 1.2
#: The room of the inputs' names x₁ and x₂ (built-in data).
MATH_ROOM = 0.3
#: The true class's mark, after its name (and before its row of probabilities), and its room.
MARK = "✓"
MARK_ROOM = 0.25
#: Characters' advances in the theme's font (DejaVu Sans) at 16 pt, in frame units, for
#: planning a name's room before anything is drawn (drawing measures, and cuts what does
#: not fit); any other character counts as :data:`WIDE_CHAR`.
ADVANCES = {
    char: width
    for width, group in (
        (0.062, "ijlIJ'"),
        (0.071, " .,"),
        (0.076, ":;/f"),
        (0.088, "rt()-!"),
        (0.111, "_"),
        (0.118, "sz?"),
        (0.122, "c"),
        (0.126, "FL"),
        (0.131, "kvxy"),
        (0.137, "aeoTY"),
        (0.141, "bdghnpqu0123456789ESP"),
        (0.156, "ABCKRVXZ"),
        (0.17, "DGHNOQU"),
        (0.089, "₀₁₂₃₄₅₆₇₈₉"),
        (0.136, "δ"),
        (0.182, "w&"),
        (0.186, "=−≤"),
        (0.192, "M+#"),
        (0.218, "mW%"),
    )
    for char in group
}
WIDE_CHAR = 0.16


def input_names(traj: Trajectory) -> tuple[str, ...] | None:
    """The inputs' names as drawn: the data's columns for data from a file (as the warp's
    scales name them), None for built-in data (drawn x₁ and x₂)."""
    ds = traj.info.dataset
    return tuple(ds.columns) if ds.source == "file" else None


def unit_names(traj: Trajectory) -> tuple[str, ...]:
    """Each output unit's name: its class (``class 1`` for a numbered class); one logit
    speaks for class 1 (its sigmoid is p(class 1)).

    >>> from nnmodel.trajectory import load
    >>> unit_names(load("tests/data/golden.npz"))
    ('class 1',)
    """
    names = [f"class {n}" if n.lstrip("-").isdigit() else n for n in traj.class_names]
    return (names[1],) if traj.layers[-1].d_out == 1 else tuple(names)


def true_unit(outputs: int, label: int) -> int | None:
    """The output unit that speaks for class ``label``: its own of ``outputs`` logits, or,
    with one logit (class 1's), that one for class 1 and none for class 0.

    >>> true_unit(8, 5), true_unit(1, 1), true_unit(1, 0)
    (5, 0, None)
    """
    if outputs > 1:
        return label
    return 0 if label == 1 else None


def name_size(names: Sequence[str]) -> int:
    """The font size of a side's names: :data:`SHORT_SIZE` if all are short, else
    :data:`NAME_SIZE` (one size for the side).

    >>> name_size(["x", "y"]), name_size(["Beagle", "Golden Retriever"])
    (18, 16)
    """
    return SHORT_SIZE if all(len(n) <= SHORT_NAME for n in names) else NAME_SIZE


def text_width(s: str, size: int) -> float:
    """The width of one line of text at ``size``, estimated from :data:`ADVANCES`.

    >>> round(text_width("Golden Retriever", 16), 2)
    1.88
    """
    return sum(ADVANCES.get(c, WIDE_CHAR) for c in s) * size / 16


def name_room(
    names: Sequence[str], lines: int, most: float, extra: float = 0.0, size: int | None = None
) -> float:
    """The room for ``names`` at ``size`` (default: their :func:`name_size`), estimated
    (:func:`text_width`), plus ``extra``, at most ``most``: each name on one line if it
    fits, else wrapped at spaces into at most ``lines`` lines.

    >>> round(name_room(["Golden Retriever", "Poodle"], 2, 1.2), 2)
    1.02
    >>> round(name_room(["class 1"], 2, 1.2), 2), round(name_room(["height in cm"], 3, 1.2), 2)
    (0.87, 0.71)
    """
    pt = size or name_size(names)
    widest = 0.0
    for name in names:
        need = text_width(name, pt)
        if need + extra > most:  # too long for one line: wrapped
            words = name.split() or [""]
            need = max(text_width(w, pt) for w in words)
            while _lines([text_width(w, pt) for w in words], need, text_width(" ", pt)) > lines:
                need += 0.02
        widest = max(widest, need)
    return float(min(most, widest + extra))


def _lines(words: Sequence[float], width: float, space: float) -> int:
    """How many lines of at most ``width`` greedy wrapping makes of words this wide."""
    count, used = 1, -1.0
    for w in words:
        if used >= 0 and used + space + w > width + 1e-9:
            count, used = count + 1, w
        else:
            used = w if used < 0 else used + space + w
    return count
