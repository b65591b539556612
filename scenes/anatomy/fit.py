"""Text that fits a width at its own size: shortened with an ellipsis or wrapped, never shrunk.

Names come from the user's data ("Yorkshire Terrier", "shoulder height in centimetres");
shrinking one to fit would leave it smaller than its neighbours and, at 480p, unreadable.
These helpers keep the size and cut the words instead.
"""

from __future__ import annotations

from scenes.mobjects.widgets import ELLIPSIS, shortened, text

__all__ = ["ELLIPSIS", "shorten", "width_of", "wrap"]


def width_of(s: str, size: int) -> float:
    """The width of ``s`` drawn at ``size`` (frame units)."""
    return float(text(s, size).width) if s.strip() else 0.0


def shorten(s: str, size: int, width: float) -> str:
    """``s`` if it fits ``width`` at ``size``, else its longest start that fits with an
    ellipsis (at least one character and the ellipsis).

    >>> shorten("Poodle", 18, 5.0)
    'Poodle'
    >>> shorten("German Shepherd", 18, 1.2)
    'Germa…'
    """
    return shortened(s, size, width)[1]


def wrap(s: str, size: int, width: float, lines: int) -> list[str]:
    """``s`` broken at spaces into at most ``lines`` lines, each at most ``width`` wide at
    ``size``; a word too long for a line, or words beyond the last line, are cut with an
    ellipsis.

    >>> wrap("Golden Retriever", 16, 1.1, 2)
    ['Golden', 'Retriever']
    >>> wrap("shoulder height in centimetres", 16, 1.2, 2)
    ['shoulder', 'height in…']
    """
    words = s.split()
    if not words:
        return [s]
    out: list[str] = []
    i = 0
    while i < len(words) and len(out) < lines:
        line = words[i]
        i += 1
        while i < len(words) and width_of(f"{line} {words[i]}", size) <= width:
            line = f"{line} {words[i]}"
            i += 1
        out.append(line)
    if i < len(words):
        out[-1] = " ".join([out[-1], *words[i:]])
    return [shorten(line, size, width) for line in out]
