"""How a story's values are read and checked: lists written as text, names with close matches.

A validator raises :func:`problem` errors: their text is shown to the user as it is, and
``at`` names the key the problem is about (below the table being validated), so the
loader can point at its line.

>>> whole_numbers("3, 2"), whole_numbers(8), whole_numbers("")
([3, 2], [8], [])
>>> suggest("moon", ["moons", "circles"])
" (did you mean 'moons'?)"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = [
    "activation_name",
    "activation_names",
    "dataset_name",
    "is_data_file",
    "problem",
    "pixel_size",
    "problems",
    "scene_name",
    "show",
    "split_text",
    "suggest",
    "text_check",
    "whole_numbers",
]

#: A problem found by a check across keys: the key path (below the table checked) and
#: the message.
Problem = tuple[tuple[str | int, ...], str]


def problem(message: str, at: Sequence[str | int] = ()) -> PydanticCustomError:
    """A validation error shown as ``message``, about the key path ``at`` (relative)."""
    return PydanticCustomError("story", "{message}", {"message": message, "at": tuple(at)})


def problems(found: Sequence[Problem]) -> PydanticCustomError:
    """One validation error carrying several problems (a table's checks across keys)."""
    text = "; ".join(message for _, message in found)
    return PydanticCustomError("story", "{message}", {"message": text, "problems": list(found)})


def show(value: Any) -> str:
    """A value as it looks in TOML, for messages.

    >>> show("x"), show(True), show([1, "a"]), show({"a": 1})
    ("'x'", 'true', "[1, 'a']", 'a table')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return str(value)


def suggest(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or an empty string."""
    choices = list(choices)
    norm = {c.replace("-", "_").lower(): c for c in choices}
    key = word.replace("-", "_").lower()
    if key in norm and norm[key] != word:
        return f" (did you mean '{norm[key]}'?)"
    close = difflib.get_close_matches(key, list(norm), n=1, cutoff=0.6)
    return f" (did you mean '{norm[close[0]]}'?)" if close else ""


def split_text(value: Any) -> Any:
    """``"a, b"`` → ``["a", "b"]`` (``""`` → ``[]``); any other value unchanged."""
    if isinstance(value, str):
        return [p.strip() for p in value.split(",")] if value.strip() else []
    return value


def whole_numbers(value: Any) -> Any:
    """A list of whole numbers as TOML gives it, or written as text ``"3,2"`` or one number.

    Pieces that are not numbers stay text, to be refused with their position.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    value = split_text(value)
    if isinstance(value, list):
        out: list[Any] = []
        for v in value:
            try:
                out.append(int(v) if isinstance(v, str) else v)
            except ValueError:
                out.append(v)
        return out
    return value


def pixel_size(value: Any) -> Any:
    """A frame size as ``[1280, 720]``, ``"1280,720"`` or ``"1280x720"``.

    >>> pixel_size("1280x720")
    [1280, 720]
    """
    if isinstance(value, str):
        value = value.lower().replace("x", ",").replace("×", ",")
    return whole_numbers(value)


def activation_names(value: Any) -> Any:
    """``"relu, tanh"`` or ``["ReLU", "tanh"]`` → ``["relu", "tanh"]`` (as ``--activation``)."""
    value = split_text(value)
    if isinstance(value, list):
        return [v.strip().lower().replace("-", "_") if isinstance(v, str) else v for v in value]
    return value


def activation_name(value: str) -> str:
    """Refuse an activation the hidden layers cannot use."""
    from nnmodel.activations import BY_NAME, HIDDEN_NAMES

    if value not in HIDDEN_NAMES:
        what = "is for output layers only" if value in BY_NAME else "is not an activation"
        raise problem(
            f"{value!r} {what}{suggest(value, HIDDEN_NAMES)}; choose from {', '.join(HIDDEN_NAMES)}"
        )
    return value


def is_data_file(name: str) -> bool:
    """Whether a dataset names a file (``.csv``/``.npz`` or a path), as ``--dataset`` reads it."""
    return name.lower().endswith((".csv", ".npz")) or "/" in name or "\\" in name


def dataset_name(value: str) -> str:
    """A built-in dataset's name (lower case), or a data file's path as written."""
    from nnmodel.datasets import BUILTIN

    value = value.strip()
    if is_data_file(value):
        return value
    if value.lower() not in BUILTIN:
        raise problem(
            f"{value!r} is neither a built-in dataset ({', '.join(BUILTIN)}) nor a .csv/.npz "
            f"file{suggest(value, BUILTIN)}"
        )
    return value.lower()


def scene_name(value: str) -> str:
    """A scene a story can show (looked up in :mod:`scenes.registry` when first needed)."""
    from scenes import registry

    key = value.strip().lower()
    names = registry.names()
    if key not in names:
        raise problem(f"unknown scene {value!r}{suggest(key, names)}; choose from {story_scenes()}")
    if registry.spec(key).needs != "trajectory":
        raise problem(
            f"{key} shows several trainings side by side, a story one network: render it "
            f"with `nnwarp render {key}` (a story shows {story_scenes()})"
        )
    return key


def story_scenes() -> str:
    """The scenes a story can show, as a list for messages."""
    from scenes import registry

    return ", ".join(n for n in registry.names() if registry.spec(n).needs == "trajectory")


def text_check(what: str, limit: int, *, one_line: bool, hint: str, blank: bool = False) -> Any:
    """A check of a caption-like text: one line, at most ``limit`` characters, not blank
    (unless ``blank``: then an empty text means none)."""

    def check(value: str) -> str:
        if not value.strip() and not blank:
            raise problem(f"the {what} is empty; write some words, or remove the key")
        if one_line and ("\n" in value or "\r" in value):
            raise problem(f"a {what} is one line; remove the line break")
        if len(value) > limit:
            raise problem(
                f"{len(value)} characters is too long for a {what}: at most {limit} fit ({hint})"
            )
        return value

    return check
