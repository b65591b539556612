"""One line of narration: what the caption says, and what a voice would say."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Line"]


@dataclass(frozen=True)
class Line:
    """A caption (bold, short), its subcaption, and the sentence a narrator would speak.

    >>> Line("Layer 1 · tanh", "squashes every coordinate into (−1, 1)").spoken
    'Layer 1, tanh: squashes every coordinate into (−1, 1).'
    """

    caption: str
    sub: str = ""
    #: The spoken sentence; by default the caption and subcaption read as one sentence.
    narration: str = ""

    @property
    def spoken(self) -> str:
        """What a voice says: :attr:`narration`, or the caption and subcaption joined."""
        if self.narration:
            return self.narration
        head = self.caption.replace(" · ", ", ").rstrip(".?!:;,")
        end = self.caption[-1:] if self.caption[-1:] in (".", "?", "!") else ""
        if not self.sub:
            return head + (end or ".")
        tail = self.sub.rstrip(".")
        stop = "" if tail[-1:] in "?!" else "."
        return f"{head}{end or ':'} {tail}{stop}"

    @property
    def cue(self) -> str:
        """The subtitle text: the caption and, on a second line, the subcaption."""
        return self.caption + ("\n" + self.sub if self.sub else "")
