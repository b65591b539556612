"""The shapes of every scene's beat ids, to refuse a mistyped ``[[beat]]`` id before training.

A plan's ids exist only once the network is trained (one ``layer-N.*`` beat per layer,
one ``epoch-N`` check-in per quiet stretch of the training), so
:func:`scenes.story.check_beat_ids` checks them exactly after training. But an id that no
network could give a scene (``"dat"`` for ``"data"``) is a typo whatever the training,
and one naming a layer the story's network does not have (``"layer-3.linear"`` with
``hidden = [3, 2]``) is one whatever the training gives: :func:`shape_problems` finds
those as the story is read, so a story with a 20,000-epoch training is not trained for
nothing. In a shape, ``N`` stands for a number and ``L`` for a hidden layer's, from 1.

>>> matches("warp", "layer-12.bias"), matches("warp", "dat"), matches("warp", "layer-0.bias")
(True, False, False)
>>> matches("warp", "layer-3.bias", layers=2), matches("anatomy", "backward.layer-2", layers=2)
(False, True)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache

__all__ = ["BEAT_SHAPES", "TITLE_ID", "matches", "shape_problems"]

#: The id of a title card: the explainer's own, and the one a story with a ``title`` opens
#: on (it belongs to the story's first scene, in its first section; an explainer first
#: shows the story's title on its own card).
TITLE_ID = "title"

_WARP = (
    "data",
    "line-question",
    "line-verdict",
    "layer-L.one-unit",
    "layer-L.linear",
    "layer-L.bias",
    "layer-L.affine",
    "layer-L.morph",
    "layer-L.activation",
    "separator",
    "separator-score",
    "rewind",
    "regions",
)
#: Every beat id each scene's plan can have (``N``: a number; ``L``: a hidden layer's
#: number, from 1), by scene.
BEAT_SHAPES: dict[str, tuple[str, ...]] = {
    "warp": _WARP,
    "explainer": (TITLE_ID, *_WARP, "end"),
    "anatomy": (
        "diagram",
        "weights",
        "sample",
        "layer-L.forward",
        "layer-L.activation",
        "output",
        "error",
        "backward.output",
        "backward.layer-L",
        "update",
        "real-step",
        "responses",
        "responses.layer-L",
        "responses.output",
    ),
    "evolution": (
        "intro",
        "plane",
        "layers",
        "data",
        "start",
        "training",
        "loss-halved",
        "loss-tenth",
        "accuracy-90",
        "epoch-N",
        "plateau",
        "problem-layerL-epoch-N",
        "end",
        "problem-layerL",
        "problem-run",
    ),
}


@cache
def _patterns(scene: str) -> tuple[tuple[re.Pattern[str], bool], ...]:
    """Each shape of ``scene`` as a pattern, and whether it names a hidden layer (its
    number is then the group ``layer``)."""
    out = []
    for shape in BEAT_SHAPES[scene]:
        text = re.escape(shape).replace("N", "(?:[1-9][0-9]*|0)")
        text = text.replace("L", "(?P<layer>[1-9][0-9]*)")
        out.append((re.compile(f"^(?:{text})$"), "L" in shape))
    return tuple(out)


def matches(scene: str, beat_id: str, layers: int | None = None) -> bool:
    """Whether some network could give ``scene`` a beat ``beat_id`` (True for a scene
    whose shapes are not known here); with ``layers``, a network of that many hidden
    layers."""
    if scene not in BEAT_SHAPES:
        return True
    for pattern, layered in _patterns(scene):
        found = pattern.match(beat_id)
        if found is not None and (
            not layered or layers is None or int(found.group("layer")) <= layers
        ):
            return True
    return False


def _examples(looked: Sequence[str]) -> list[str]:
    return list(
        dict.fromkeys(
            shape.replace("N", "1").replace("L", "1")
            for name in looked
            for shape in BEAT_SHAPES.get(name, ())
        )
    )


def _whose(looked: Sequence[str]) -> str:
    if len(looked) == 1:
        return f"the {looked[0]} has no beat"
    if len(looked) == 2:
        return f"neither the {looked[0]} nor the {looked[1]} has a beat"
    return f"none of the {', '.join(looked[:-1])} and {looked[-1]} has a beat"


def _title_problem(where: str, whose: str, scenes: Sequence[str], title_scene: str | None) -> str:
    """Why a [[beat]] ``title`` names no title card, and what to write instead."""
    cards = [name for name in scenes if name == title_scene or matches(name, TITLE_ID)]
    if cards:
        return (
            f"{where}: {whose} {TITLE_ID!r}; the title card is the {cards[0]}'s: write "
            f'scene = "{cards[0]}"'
        )
    return (
        f"{where}: the story has no title card to change: give the story a title "
        '(title = "..." at the top: its video then opens on a card with it), or remove '
        "this [[beat]]"
    )


def shape_problems(
    scenes: Sequence[str],
    beats: Sequence[tuple[str | None, str, str]],
    layers: int | None = None,
    network: str = "",
    title_scene: str | None = None,
) -> list[str]:
    """A problem line for each beat ``(scene or None, id, where)`` whose id no network could
    give the scene it names (or, naming none, any of ``scenes``), with the close ids; with
    ``layers`` (the hidden layers of the story's network, ``network`` saying where they are
    set), also each id naming a layer past the last. ``title_scene``: the scene that opens
    on the story's title card (its first, when the story has a title), which so has a beat
    :data:`TITLE_ID` too.

    >>> shape_problems(["explainer"], [(None, "dat", "story.toml:40: [[beat]] 1")])[0][:79]
    "story.toml:40: [[beat]] 1: the explainer has no beat 'dat' (did you mean 'data'"
    >>> shape_problems(["warp"], [(None, "layer-3.bias", "s.toml:9: [[beat]] 1")], 2)[0]
    "s.toml:9: [[beat]] 1: the network has 2 hidden layers, so the warp has no beat \
'layer-3.bias'; its layers are numbered 1 to 2"
    >>> shape_problems(["anatomy"], [(None, "title", "s.toml:9: [[beat]] 1")], 2, "", "anatomy")
    []
    >>> shape_problems(["anatomy"], [(None, "title", "s.toml:9: [[beat]] 1")])[0][:65]
    's.toml:9: [[beat]] 1: the story has no title card to change: give'
    """
    out = []
    for scene, beat_id, where in beats:
        looked = [scene] if scene is not None else list(scenes)
        if any(matches(name, beat_id, layers) for name in looked) or (
            beat_id == TITLE_ID and title_scene in looked
        ):
            continue
        whose = _whose(looked)
        if beat_id == TITLE_ID:
            out.append(_title_problem(where, whose, scenes, title_scene))
            continue
        if layers is not None and any(matches(name, beat_id) for name in looked):
            count = f"{layers} hidden layer{'s' * (layers != 1)}" if layers else "no hidden layer"
            if layers > 1:
                numbered = f"its layers are numbered 1 to {layers}"
            else:
                numbered = "its one layer is 1" if layers else "no beat names a layer"
            out.append(
                f"{where}: the network has {count}{network}, so {whose} {beat_id!r}; {numbered}"
            )
            continue
        examples = _examples(looked)
        if title_scene in looked and TITLE_ID not in examples:
            examples.insert(0, TITLE_ID)
        close = difflib.get_close_matches(beat_id, examples, n=2, cutoff=0.5)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        out.append(
            f"{where}: {whose} {beat_id!r}{hint}; beats look like {', '.join(examples)} "
            "(1: any number)"
        )
    return out
