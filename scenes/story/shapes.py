"""The shapes of every scene's beat ids, to refuse a mistyped ``[[beat]]`` id before training.

A plan's ids exist only once the network is trained (one ``layer-N.*`` beat per layer,
one ``epoch-N`` check-in per quiet stretch of the training), so
:func:`scenes.story.check_beat_ids` checks them exactly after training. But an id that no
network could give a scene (``"dat"`` for ``"data"``) is a typo whatever the training:
:func:`shape_problems` finds those as the story is read, so a story with a 20,000-epoch
training is not trained for nothing. In a shape, ``N`` stands for a number.

>>> matches("warp", "layer-12.bias"), matches("warp", "dat")
(True, False)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache

__all__ = ["BEAT_SHAPES", "matches", "shape_problems"]

_WARP = (
    "data",
    "line-question",
    "line-verdict",
    "layer-N.one-unit",
    "layer-N.linear",
    "layer-N.bias",
    "layer-N.affine",
    "layer-N.morph",
    "layer-N.activation",
    "separator",
    "separator-score",
    "rewind",
    "regions",
)
#: Every beat id each scene's plan can have (``N``: a number), by scene.
BEAT_SHAPES: dict[str, tuple[str, ...]] = {
    "warp": _WARP,
    "explainer": ("title", *_WARP, "end"),
    "anatomy": (
        "diagram",
        "weights",
        "sample",
        "layer-N.forward",
        "layer-N.activation",
        "output",
        "error",
        "backward.output",
        "backward.layer-N",
        "update",
        "real-step",
        "responses",
        "responses.layer-N",
        "responses.output",
    ),
    "evolution": (
        "intro",
        "plane",
        "layers",
        "start",
        "training",
        "loss-halved",
        "loss-tenth",
        "accuracy-90",
        "epoch-N",
        "end",
        "problem-layerN",
        "problem-run",
    ),
}


@cache
def _pattern(scene: str) -> re.Pattern[str]:
    shapes = (re.escape(s).replace("N", r"(?:[1-9][0-9]*|0)") for s in BEAT_SHAPES[scene])
    return re.compile("|".join(f"(?:{s})" for s in shapes).join(("^(?:", ")$")))


def matches(scene: str, beat_id: str) -> bool:
    """Whether some network could give ``scene`` a beat ``beat_id`` (True for a scene
    whose shapes are not known here)."""
    return scene not in BEAT_SHAPES or _pattern(scene).match(beat_id) is not None


def shape_problems(
    scenes: Sequence[str], beats: Sequence[tuple[str | None, str, str]]
) -> list[str]:
    """A problem line for each beat ``(scene or None, id, where)`` whose id no network could
    give the scene it names (or, naming none, any of ``scenes``), with the close ids.

    >>> shape_problems(["explainer"], [(None, "dat", "story.toml:40: [[beat]] 1")])[0][:79]
    "story.toml:40: [[beat]] 1: the explainer has no beat 'dat' (did you mean 'data'"
    """
    out = []
    for scene, beat_id, where in beats:
        looked = [scene] if scene is not None else list(scenes)
        if any(matches(name, beat_id) for name in looked):
            continue
        examples = list(
            dict.fromkeys(
                shape.replace("N", "1") for name in looked for shape in BEAT_SHAPES.get(name, ())
            )
        )
        close = difflib.get_close_matches(beat_id, examples, n=2, cutoff=0.5)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        if len(looked) == 1:
            whose = f"the {looked[0]} has no beat"
        elif len(looked) == 2:
            whose = f"neither the {looked[0]} nor the {looked[1]} has a beat"
        else:
            whose = f"none of the {', '.join(looked[:-1])} and {looked[-1]} has a beat"
        out.append(
            f"{where}: {whose} {beat_id!r}{hint}; beats look like {', '.join(examples)} "
            "(1: any number)"
        )
    return out
