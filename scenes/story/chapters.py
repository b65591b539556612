"""A story's chapter names: each scene's sections as chapters of the one video.

Every scene names its sections as if it were the whole video: the warp and the evolution
open on "Introduction", the evolution closes on "The end". In a story those names would
introduce the video twice, or end it half-way, and a chapter list with two
"Introduction"s does not say where either part starts. :func:`chapter_names` renames a
later scene's opening section after what the part shows, a closing section of a scene
that is not last after what it closes, and any name an earlier scene already used after
its scene, so every chapter says what it holds and no two are alike. The first scene's
names stay as they are: its "Introduction" opens the video. Only the names change, after
the parts are rendered: the sections' times and beats stay.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["OPENINGS", "chapter_names"]

#: What a scene's opening section holds, named for a chapter after another scene's.
OPENINGS: dict[str, str] = {
    "explainer": "Warping the plane",
    "warp": "Warping the plane",
    "evolution": "Watching it train",
}

#: What a scene's closing section holds, named for a chapter before another scene's.
_CLOSINGS: dict[tuple[str, str], str] = {("evolution", "The end"): "After training"}

#: Section names that open a scene, and so the video only when the scene is first.
_OPENING = "Introduction"


def chapter_names(scenes: Sequence[tuple[str, Sequence[str]]]) -> list[list[str]]:
    """The chapter name of each section of each of a story's ``scenes`` (``(scene, its
    section names)``, in the video's order).

    >>> chapter_names([("anatomy", ["The network"]), ("evolution", ["Introduction", "The end"])])
    [['The network'], ['Watching it train', 'The end']]
    >>> chapter_names([("evolution", ["Introduction", "The end"]), ("warp", ["Introduction"])])
    [['Introduction', 'After training'], ['Warping the plane']]
    >>> chapter_names([("warp", ["Layer 1"]), ("explainer", ["Introduction", "Layer 1"])])
    [['Layer 1'], ['Warping the plane', 'Layer 1 (explainer)']]
    """
    used: set[str] = set()
    out: list[list[str]] = []
    last = len(scenes) - 1
    for i, (scene, names) in enumerate(scenes):
        mine: list[str] = []
        for k, name in enumerate(names):
            new = name
            if i > 0 and k == 0 and name == _OPENING:
                new = OPENINGS.get(scene, scene.capitalize())
            elif i < last and (scene, name) in _CLOSINGS:
                new = _CLOSINGS[scene, name]
            taken = used | set(mine)
            if new in taken:
                new = f"{name} ({scene})"
            base, n = new, 2
            while new in taken:
                new, n = f"{base} {n}", n + 1
            mine.append(new)
        used.update(mine)
        out.append(mine)
    return out
