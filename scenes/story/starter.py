"""``nnwarp new story.toml``: a commented starter story that renders as it is.

The starter trains the default network (its ``[train]`` values are the defaults of
:mod:`nnmodel.config`, written out so a teacher sees what to change), shows the explainer
and the anatomy, and changes the words of real beats of both (tests/story check that the
ids exist in the default network's plans and that the starter loads without a problem).

>>> from scenes.story.load import parse_story
>>> story = parse_story(starter_text(), "story.toml")
>>> story.scenes, story.beat[0].id, story.beat[0].caption
(['explainer', 'anatomy'], 'data', 'Two moons, two classes')
"""

from __future__ import annotations

from pathlib import Path

from nnmodel.config import DataConfig, ModelConfig, TrainConfig
from nnmodel.errors import OutputError
from scenes.story.schema import CAPTION_MAX_CHARS, SUBCAPTION_MAX_CHARS
from scenes.story.tomltext import value_text

__all__ = ["starter_text", "write_starter"]

_TEMPLATE = """\
# An nnwarp story: which network, which scenes in what order, your own words, the voice.
#
# Render it:                  nnwarp render {name}   (add -ql for a quick 480p preview)
# Every key and its meaning:  nnwarp schema
#
# Editor completion: `nnwarp schema > nnwarp-story.schema.json`, then make the first line
# of this file  #:schema ./nnwarp-story.schema.json  (VS Code's Even Better TOML, Taplo).
# Keys are nnwarp's option names with _ for - (batch_size for --batch-size). Paths are
# relative to this file's folder. A mistake is reported with its line and the key.

# The video opens on a title card with this title (the beat "title": change its words or
# timing below like any beat's, or skip it); it also names the course page (--course).
title = "How a network untangles two moons"

# The scenes, in order: explainer (the warp with a title and an end card), warp (the
# same without them), anatomy (one point through the network, neuron by neuron) and
# evolution (the whole training, epoch by epoch).
scenes = ["explainer", "anatomy"]

# The network to train: the options of `nnwarp train`; these are the defaults. A trained
# network is cached, so a second render starts at once. To show a network you trained
# yourself (`nnwarp train -o moons.npz`), remove [train] and write instead:
# trajectory = "moons.npz"
[train]
{train}

[render]
quality = "h"             # l 480p15 (previews), m 720p30, h 1080p60, p 1440p60, k 2160p60
# output = "{stem}.mp4"   # default: this file's name with .mp4, beside it

[voice]
engine = "hibari"         # hibari (neural, offline), espeak, piper, auto, or "none"
speed = 1.0               # 0.8 slower, 1.2 faster
pause = 0.5               # seconds of quiet after each beat's words

# [anatomy]
# sample = 12             # the point to follow (default: one near the decision boundary)

# Your own words for a beat, one [[beat]] table each. A beat is one caption's worth of a
# scene; its id is the scene's (the explainer's: title, data, line-question, line-verdict,
# layer-1.linear, layer-1.bias, layer-1.activation, ..., separator, separator-score,
# rewind, regions, end); an unknown id is refused with the close ones.
# A caption holds {caption_max} characters, a subcaption {sub_max}. Narration is what the
# voice says instead of reading the caption and subcaption.
[[beat]]
id = "data"
caption = "Two moons, two classes"
subcaption = "Can a network learn where one moon ends and the other begins?"

[[beat]]
scene = "explainer"       # the anatomy has a layer-1.activation too: say which
id = "layer-1.activation"
narration = "Now tanh squeezes every coordinate between minus one and one."
pause = 1.0               # seconds to hold the picture after the words

[[beat]]
scene = "anatomy"
id = "sample"
caption = "Follow one point through the network"

# [[beat]]
# id = "line-question"
# skip = true             # leave a beat out
"""


def _row(key: str, value: object, comment: str) -> str:
    """``key = value`` with its comment in the starter's comment column."""
    pair = f"{key} = {value_text(value)}"
    return f"{pair:<25} # {comment}" if comment else pair


def starter_text(name: str = "story.toml") -> str:
    """The commented starter story (``name``: the file's name, shown in its comments)."""
    data, model, train = DataConfig(), ModelConfig(), TrainConfig()
    activation = model.activation[0] if len(model.activation) == 1 else list(model.activation)
    rows = [
        ("dataset", data.name, "built in (`nnwarp list`), or a .csv / .npz file"),
        ("hidden", list(model.hidden), "hidden layer widths; [] is logistic regression"),
        ("activation", activation, 'one for every layer, or one per layer: ["relu", "tanh"]'),
        ("epochs", train.epochs, ""),
        ("lr", train.lr, "learning rate"),
        ("seed", 0, "the same seed, the same network, the same video"),
    ]
    return _TEMPLATE.format(
        name=name,
        stem=Path(name).stem,
        train="\n".join(_row(*row) for row in rows),
        caption_max=CAPTION_MAX_CHARS,
        sub_max=SUBCAPTION_MAX_CHARS,
    )


def write_starter(path: str | Path) -> Path:
    """Write the starter story to ``path`` (a new ``.toml`` file), atomically.

    An existing file is never replaced (an :class:`~nnmodel.errors.OutputError` says so),
    nor one that appears while writing; the folder must exist.
    """
    from nnmodel.fileio import atomic_file, check_parent
    from scenes.render.outputs import is_ours

    path = Path(path).expanduser()
    if path.suffix.lower() != ".toml":
        name = path.with_suffix(".toml").name if path.name not in ("", ".", "..") else ""
        raise OutputError(
            f"nnwarp new {path}: a story is a .toml file; name it e.g. {name or 'story.toml'}"
        )
    if path.exists() or path.is_symlink():
        raise OutputError(
            f"nnwarp new {path}: {path} already exists and is left as it is; choose another "
            "name, or render it with `nnwarp render " + str(path) + "`"
        )
    check_parent(path, "nnwarp new")
    with atomic_file(path, still_ours=is_ours) as tmp:
        tmp.write_text(starter_text(path.name), encoding="utf-8")
    return path
