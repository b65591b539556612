"""A story's problems as lines a teacher can act on: ``file:line: key: what was expected``.

pydantic reports where a problem is as a path of keys (``("render", "quality")``);
:mod:`nnmodel.tomllines` finds the line of that path in the TOML text; this module
words the problem: unknown keys with the close one (or the table they belong in),
wrong types and ranges as "expected ..., got ...", and TOML syntax errors with their line.

>>> from nnmodel.tomllines import key_lines
>>> text = 'title = "Moons"\\ntitel = "x"\\n'
>>> at_line("story.toml", key_lines(text), ("titel",), "unknown key 'titel'")
"story.toml:2: unknown key 'titel'"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from nnmodel.tomllines import KeyPath, line_of
from scenes.story import schema as s
from scenes.story.values import show, suggest

__all__ = ["at_line", "label", "syntax_problem", "validation_problems"]

#: Which model each table is read by: its path (``int`` for any element of a list).
_TABLES: dict[tuple[str | type, ...], type[BaseModel]] = {
    (): s.Story,
    ("train",): s.TrainOptions,
    ("render",): s.RenderSettings,
    ("voice",): s.VoiceSettings,
    ("warp",): s.WarpOptions,
    ("explainer",): s.WarpOptions,
    ("anatomy",): s.AnatomyOptions,
    ("evolution",): s.EvolutionOptions,
    ("beat", int): s.BeatEdit,
}

_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text in quotes",
    "list_type": "a list in brackets",
    "tuple_type": "a list in brackets",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "dict_type": "a table",
    "string_too_short": "some text",
}


def _table_model(path: KeyPath) -> type[BaseModel] | None:
    shape = tuple(int if isinstance(p, int) else p for p in path)
    return _TABLES.get(shape)


def label(path: KeyPath, data: Mapping[str, Any]) -> str:
    """A key path as a teacher reads it in the file.

    >>> label(("render", "quality"), {}), label(("train", "hidden", 1), {})
    ('[render] quality', '[train] hidden, item 2')
    >>> label(("beat", 0, "caption"), {"beat": [{"id": "data"}]})
    "[[beat]] 1 (id 'data') caption"
    """
    head, rest = "", list(path)
    if len(path) >= 2 and path[0] == "beat" and isinstance(path[1], int):
        i = path[1]
        beats = data.get("beat")
        beat_id = None
        if isinstance(beats, list) and i < len(beats) and isinstance(beats[i], dict):
            beat_id = beats[i].get("id")
        head = f"[[beat]] {i + 1}" + (f" (id {beat_id!r})" if isinstance(beat_id, str) else "")
        rest = rest[2:]
    elif path and path[0] != "beat" and (path[0],) in _TABLES:
        head, rest = f"[{path[0]}]", rest[1:]
    words = [str(p) if isinstance(p, str) else f", item {p + 1}" for p in rest]
    tail = "".join(w if w.startswith(",") else f" {w}" for w in words).strip()
    return f"{head} {tail}".strip()


def at_line(name: str, lines: Mapping[KeyPath, int], path: KeyPath, message: str) -> str:
    """``name:line: message``, the line being that of ``path`` (or of its table; else 1)."""
    return f"{name}:{line_of(lines, path) or 1}: {message}"


def _unknown(path: KeyPath, value: Any, data: Mapping[str, Any]) -> str:
    """An unknown key, with the close known one or the table it belongs in."""
    parent, key = path[:-1], str(path[-1])
    model = _table_model(parent)
    known = list(model.model_fields) if model is not None else []
    where = label(parent, data)
    prefix = f"{where} " if where else ""
    if parent and key in s.Story.model_fields and key not in known:
        # TOML puts every key after a [table] line into that table: a top-level key
        # written below one lands there
        return (
            f"{prefix}unknown key '{key}': {key} belongs at the top of the file; move it "
            f"above the first [table] (in TOML every key below [{parent[0]}] is part of it)"
        )
    close = suggest(key, known)
    if not close:
        homes = [
            f"[{p[0]}]"
            for p, m in _TABLES.items()
            if p and m is not model and key.replace("-", "_") in m.model_fields
        ]
        if homes:
            return f"{prefix}unknown key '{key}': it belongs in {' or '.join(homes[:2])}"
    if isinstance(value, dict) and not parent:
        close = close.replace("'", "[", 1).replace("'", "]", 1) if close else ""
        return f"unknown table [{key}]{close}"
    return f"{prefix}unknown key '{key}'{close}"


def _expected(err: ErrorDetails) -> str:
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "literal_error":
        return "one of " + ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    bounds = {
        "greater_than": ("more than", "gt"),
        "greater_than_equal": ("at least", "ge"),
        "less_than": ("less than", "lt"),
        "less_than_equal": ("at most", "le"),
    }
    if kind in bounds:
        words, key = bounds[kind]
        return f"a number {words} {ctx.get(key)}"
    if kind in ("too_short", "too_long"):
        n = ctx.get("min_length" if kind == "too_short" else "max_length")
        return f"{'at least' if kind == 'too_short' else 'at most'} {n} item{'s' * (n != 1)}"
    return _EXPECTED.get(kind, err["msg"][:1].lower() + err["msg"][1:])


def _got(err: ErrorDetails) -> str:
    value = err.get("input")
    if err["type"] == "too_long" and isinstance(value, list):
        return f"{len(value)}"
    return show(value)


def _example(path: KeyPath) -> str:
    """`` (e.g. key = value)`` from the field's first example, if it has one."""
    model = _table_model(path[:-1])
    field = model.model_fields.get(str(path[-1])) if model is not None else None
    if field is None or not field.examples:
        return ""
    from scenes.story.tomltext import value_text

    return f" (e.g. {path[-1]} = {value_text(field.examples[0])})"


def _problems(err: ErrorDetails, data: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    """One error as ``(key path, message)`` pairs (a table's checks may carry several)."""
    loc: KeyPath = tuple(err["loc"])
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "story":
        found = ctx.get("problems") or [(ctx.get("at", ()), ctx["message"])]
        out = []
        for at, message in found:
            path = (*loc, *at)
            where = label(path, data)
            out.append((path, f"{where}: {message}" if where else message))
        return out
    if kind == "extra_forbidden":
        return [(loc, _unknown(loc, err.get("input"), data))]
    where = label(loc[:-1] if kind == "missing" else loc, data)
    if kind == "missing":
        message = f"missing key '{loc[-1]}'{_example(loc)}"
    elif loc == ("beat",) and kind == "list_type":
        message = "each beat is a [[beat]] table, with two brackets"
    else:
        example = _example(loc) if loc and isinstance(loc[-1], str) else ""
        message = f"expected {_expected(err)}, got {_got(err)}{example}"
    return [(loc, f"{where}: {message}" if where else message)]


def validation_problems(
    name: str, error: ValidationError, data: Mapping[str, Any], lines: Mapping[KeyPath, int]
) -> list[str]:
    """Every problem of ``error``, one line each, in the order of the file."""
    found = [p for err in error.errors() for p in _problems(err, data)]
    # a top-level key written below a table is said there, not also missing at the top
    misplaced = {
        str(path[-1])
        for path, _ in found
        if len(path) > 1 and str(path[-1]) in s.Story.model_fields
    }
    found = [
        (path, message)
        for path, message in found
        if not (len(path) == 1 and path[0] in misplaced and message.startswith("missing key"))
    ]
    numbered = [(line_of(lines, path) or 1, message) for path, message in found]
    numbered.sort(key=lambda item: item[0])
    return [f"{name}:{line}: {message}" for line, message in dict.fromkeys(numbered)]


_POSITION = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def _last_good_line(text: str) -> int:
    """The line where the first problem starts: after the longest prefix that parses."""
    rows = text.splitlines(keepends=True)
    good = 0
    for n in range(1, len(rows) + 1):
        try:
            tomllib.loads("".join(rows[:n]))
        except tomllib.TOMLDecodeError:
            continue
        good = n
    return min(good + 1, max(len(rows), 1))


def syntax_problem(name: str, text: str, error: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error as ``name:line: not valid TOML: ...``, with a hint when one helps."""
    message = str(error)
    found = _POSITION.search(message)
    what = _POSITION.sub("", message)
    what = what[:1].lower() + what[1:]
    if found and found.group(1):
        line, column = int(found.group(1)), int(found.group(2))
    else:
        line, column = _last_good_line(text), 0
    hint = ""
    row = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if what == "invalid value" and re.match(r"\s*\[", row):  # a header inside a list?
        start = _last_good_line(text)
        if start < line:
            return (
                f"{name}:{start}: not valid TOML: a list or inline table opened here is not "
                f"closed before line {line}; close it with ] or }}"
            )
    bare = re.match(r"[A-Za-z][\w.-]*", row[column - 1 :]) if column else None
    if what == "invalid value" and bare and bare.group(0) not in ("true", "false", "inf", "nan"):
        hint = f'; text goes in quotes: "{bare.group(0)}"'
    elif what.startswith("illegal character '\\n'") or what == "unterminated string":
        what, hint = "a text in quotes is not closed", "; add the closing quote"
    elif what.startswith("cannot declare"):
        table = re.search(r"\(([^)]*)\)", what)
        keys = re.findall(r"'([^']*)'", table.group(1)) if table else []
        what = f"[{'.'.join(keys)}] appears twice; merge the two tables"
    elif what.startswith("cannot overwrite"):
        what = "a key is set twice; keep one"
    at = f" (column {column})" if column else ""
    return f"{name}:{line}: not valid TOML: {what}{at}{hint}"
