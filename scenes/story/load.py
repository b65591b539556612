"""Reading a story file: TOML, then the schema, then the files it names; every problem at once.

Each problem is one line naming the file, the line, the key and what was expected::

    story.toml:12: [render] quality: expected one of l, m, h, p, k, got 'x'
    story.toml:3: unknown key 'titel' (did you mean 'title'?)

and all of them are raised together as one :class:`StoryError` (one problem a line), so a
teacher fixes a story in one pass. Nothing is written while a story is read.

Example
-------
>>> story = parse_story('scenes = ["warp"]\\n[render]\\nquality = "l"\\n', check_files=False)
>>> story.scenes, story.render.quality
(['warp'], 'l')
>>> parse_story('scenes = ["warp"]\\n[render]\\nquality = "x"\\n', "a.toml")
Traceback (most recent call last):
...
scenes.story.errors.StoryError: a.toml:3: [render] quality: expected one of l, m, h, p, k, got 'x'
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import ValidationError

from nnmodel.tomllines import KeyPath, key_lines, line_of
from scenes.story.errors import StoryError
from scenes.story.problems import at_line, syntax_problem, validation_problems
from scenes.story.schema import Story, TrainOptions
from scenes.story.shapes import shape_problems
from scenes.story.values import is_data_file

__all__ = ["StoryError", "load_story", "parse_story", "resolve"]


def resolve(story_file: str | Path, relative: str) -> Path:
    """A path written in a story, relative to the story file's folder (``~`` expanded).

    >>> resolve("lessons/moons.toml", "data/moons.npz").as_posix()
    'lessons/data/moons.npz'
    """
    path = Path(relative).expanduser()
    return path if path.is_absolute() else Path(story_file).parent / path


def load_story(path: str | Path) -> Story:
    """Read and check the story file ``path``; a :class:`StoryError` lists every problem."""
    name = str(path)
    file = Path(path)
    if not file.exists():
        raise StoryError(f"{name}: no such story file; `nnwarp new {name}` writes a starter")
    if file.is_dir():
        raise StoryError(f"{name} is a folder; give a story file (.toml)")
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise StoryError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise StoryError(
            f"{name}:{line}: not UTF-8 text; save the story as UTF-8 (every editor can)"
        ) from None
    return parse_story(text, path)


def parse_story(text: str, path: str | Path = "story.toml", *, check_files: bool = True) -> Story:
    """Check the story ``text`` read from ``path`` (named in messages; relative paths in the
    story are relative to its folder). ``check_files``: the files it names must exist."""
    name = str(path)
    text = text.removeprefix("\ufeff")  # a byte-order mark some editors write
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StoryError(syntax_problem(name, text, exc)) from None
    if not data:
        raise StoryError(
            f'{name}:1: the story is empty; it needs at least scenes = ["explainer"] '
            "(`nnwarp new NAME.toml` writes a commented starter)"
        )
    lines = key_lines(text)
    try:
        story = Story.model_validate(data)
    except ValidationError as exc:
        raise StoryError(*validation_problems(name, exc, data, lines)) from None
    story._source = name
    story._lines = lines
    for i, edit in enumerate(story.beat):
        edit._where = f"{name}:{line_of(lines, ('beat', i)) or 1}"
    # An id no network could give its scene is a typo, and so is one naming a layer the
    # story's network does not have: said now, not after the training.
    layers, network = _hidden_layers(story)
    typos = shape_problems(
        story.scenes,
        [(e.scene, e.id, f"{e.where}: [[beat]] {i + 1}") for i, e in enumerate(story.beat)],
        layers,
        network,
        story.scenes[0] if story.title is not None else None,  # it opens on the title card
    )
    if typos:
        raise StoryError(*typos)
    if check_files:
        missing = missing_files(story, name, lines)
        if missing:
            raise StoryError(*missing)
    return story


def _hidden_layers(story: Story) -> tuple[int | None, str]:
    """The hidden layers of the network the story trains (None: it shows a trained one,
    whose layers are known once its file is read) and where they are set, for messages.

    >>> _hidden_layers(parse_story('scenes = ["warp"]\\n', check_files=False))
    (2, ' (the default hidden = [3, 2])')
    """
    if story.trajectory is not None:
        return None, ""
    train = story.train or TrainOptions()
    written = f"hidden = [{', '.join(map(str, train.hidden))}]"
    if "hidden" in train.model_fields_set:
        return len(train.hidden), f" ([train] {written})"
    return len(train.hidden), f" (the default {written})"


def _named_files(story: Story) -> list[tuple[KeyPath, str, str]]:
    """``(key path, path as written, what it is)`` of each file the story reads."""
    found: list[tuple[KeyPath, str, str]] = []
    if story.trajectory is not None:
        found.append((("trajectory",), story.trajectory, "trajectory file"))
    if story.train is not None and is_data_file(story.train.dataset):
        found.append((("train", "dataset"), story.train.dataset, "data file"))
    if story.render.theme is not None:
        found.append((("render", "theme"), story.render.theme, "theme file"))
    return found


def missing_files(story: Story, name: str, lines: dict[KeyPath, int]) -> list[str]:
    """A problem line for each file the story names that is not there."""
    out = []
    for key, written, what in _named_files(story):
        path = resolve(name, written)
        if path.is_file():
            continue
        where = f"[{key[0]}] {key[1]}" if len(key) > 1 else str(key[0])
        folder = Path(name).parent
        state = "is a folder" if path.is_dir() else "does not exist"
        out.append(
            at_line(
                name,
                lines,
                key,
                f"{where}: the {what} {written!r} {state} (looked for {path}; paths are "
                f"relative to the story file's folder, {_shown(folder)})",
            )
        )
    return out


def _shown(folder: Path) -> str:
    text = str(folder)
    return "the current folder" if text in ("", ".") else text + os.sep
