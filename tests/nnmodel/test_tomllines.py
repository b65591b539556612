"""The line of every key of a TOML file (a story, a sweep), however it is written."""

from __future__ import annotations

import json
import tomllib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from nnmodel.tomllines import key_lines, line_of

STORY = '''\
# a comment with = and [brackets]
title = "Moons [1] # not a comment"
scenes = [
    "explainer",  # first
    # a comment inside the array
    "anatomy",
]
render.quality = "l"
render."output" = 'a.mp4'

[train]
hidden = [3, 2]
"batch_size" = 4
notes = """
several
lines [with] = signs
"""
lr = 0.03

[[beat]]
id = "data"
caption = "say \\"hi\\" = [x] # still text"

[[beat]] # the second beat
id = "rewind"
narration = """Back to \\
  the start"""

[beat.extra]
a = 1

[[beat]]
id = "end"
voice = { engine = "none", more = { speed = 1.0 } }
'''


def test_every_key_of_a_story_is_found_on_its_line() -> None:
    tomllib.loads(STORY)  # the scanner is only ever given valid TOML
    lines = key_lines(STORY)
    assert lines[("title",)] == 2
    assert lines[("scenes",)] == 3
    assert lines[("scenes", 0)] == 4 and lines[("scenes", 1)] == 6
    assert lines[("render",)] == 8  # a table made by dotted keys: its first key's line
    assert lines[("render", "quality")] == 8 and lines[("render", "output")] == 9
    assert lines[("train",)] == 11
    assert lines[("train", "batch_size")] == 13
    assert lines[("train", "lr")] == 18  # after a three-line string
    assert lines[("beat",)] == 20 and lines[("beat", 0)] == 20
    assert lines[("beat", 0, "caption")] == 22
    assert lines[("beat", 1)] == 24
    assert lines[("beat", 1, "narration")] == 26
    assert lines[("beat", 1, "extra")] == 29  # a sub-table of the array's last element
    assert lines[("beat", 1, "extra", "a")] == 30
    assert lines[("beat", 2, "id")] == 33
    assert lines[("beat", 2, "voice", "more", "speed")] == 34


def test_an_error_s_path_falls_back_to_its_table() -> None:
    lines = key_lines(STORY)
    assert line_of(lines, ("beat", 2, "pause")) == 32  # missing key: the [[beat]] header
    assert line_of(lines, ("train", "hidden", 1)) == 12
    assert line_of(lines, ("nowhere",)) is None


def test_windows_line_ends_and_a_last_line_without_newline() -> None:
    text = 'scenes = ["warp"]\r\n\r\n[render]\r\nquality = "x"'
    assert key_lines(text)[("render", "quality")] == 4


def test_inline_arrays_of_tables_give_each_element_its_line() -> None:
    text = 'scenes = ["warp"]\nbeat = [\n  { id = "data", caption = "A" },\n  { id = "end" },\n]\n'
    lines = key_lines(text)
    assert lines[("beat", 0, "caption")] == 3 and lines[("beat", 1, "id")] == 4


# ------------------------------------------------------------------ generated documents

KEYS = st.sampled_from(["id", "caption", "a", "b-c", "x_1", "a.b", "two words", "ü"])
TEXT = st.text(alphabet=st.sampled_from(list("ab #=[]{},'\"\\\n\t.é")), min_size=0, max_size=12)
SCALAR = st.one_of(
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    TEXT,
)
VALUE = st.one_of(SCALAR, st.lists(SCALAR, max_size=3))
TABLE = st.dictionaries(KEYS, VALUE, min_size=1, max_size=4)


class Writer:
    """Writes TOML in several styles and remembers the line of each key it writes."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw
        self.parts: list[str] = []
        self.lines: dict[tuple[str | int, ...], int] = {}

    @property
    def line(self) -> int:
        return 1 + sum(p.count("\n") for p in self.parts)

    def key(self, k: str) -> str:
        return k if all(c.isascii() and (c.isalnum() or c in "_-") for c in k) else json.dumps(k)

    def string(self, s: str) -> str:
        style = self.draw(st.sampled_from(["basic", "literal", "multi"]))
        if style == "literal" and "'" not in s and "\n" not in s and "\r" not in s:
            return f"'{s}'"
        plain = '"' not in s and "\\" not in s and "\r" not in s and not s.startswith("\n")
        if style == "multi" and plain:  # (TOML drops a newline right after the quotes)
            return f'"""{s}"""'
        return json.dumps(s, ensure_ascii=False)

    def scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return self.string(value)
        return repr(value)

    def value(self, path: tuple[str | int, ...], value: Any) -> None:
        if not isinstance(value, list):
            self.parts.append(self.scalar(value))
            return
        spread = self.draw(st.booleans())
        self.parts.append("[")
        for i, item in enumerate(value):
            if spread:
                self.parts.append("\n  ")
                if self.draw(st.booleans()):
                    self.parts.append("# note [x] = 1\n  ")
            self.lines[(*path, i)] = self.line
            self.parts.append(self.scalar(item) + ", ")
        self.parts.append("\n]" if spread else "]")

    def pairs(self, prefix: tuple[str | int, ...], table: dict[str, Any], dotted: str) -> None:
        for k, v in table.items():
            if self.draw(st.booleans()):
                self.parts.append("# comment = [not a key]\n")
            path = (*prefix, k)
            self.lines[path] = self.line
            self.parts.append(f"{dotted}{self.key(k)} = ")
            self.value(path, v)
            self.parts.append("\n")

    def inline(self, path: tuple[str | int, ...], table: dict[str, Any]) -> None:
        self.parts.append("{ ")
        for j, (k, v) in enumerate(table.items()):
            self.lines[(*path, k)] = self.line
            self.parts.append(("" if j == 0 else ", ") + f"{self.key(k)} = ")
            self.value((*path, k), v)
        self.parts.append(" }")


@st.composite
def documents(draw: Any) -> tuple[dict[str, Any], str, dict[tuple[str | int, ...], int]]:
    scalars = draw(TABLE)
    names = draw(st.lists(st.sampled_from(["render", "train", "voice"]), unique=True))
    tables = {n: draw(TABLE) for n in names}
    beats = draw(st.lists(TABLE, max_size=3))
    doc: dict[str, Any] = {**scalars, **tables}
    w = Writer(draw)
    w.pairs((), scalars, "")
    headed = []
    for name, table in tables.items():
        style = draw(st.sampled_from(["header", "dotted", "inline"]))
        if style == "dotted":
            w.pairs((name,), table, f"{name}.")
            w.lines[(name,)] = w.lines[(name, next(iter(table)))]  # its first key's line
        elif style == "inline":
            w.lines[(name,)] = w.line
            w.parts.append(f"{name} = ")
            w.inline((name,), table)
            w.parts.append("\n")
        else:
            headed.append(name)
    if beats:
        doc["beat"] = beats
        if draw(st.booleans()):
            w.lines[("beat",)] = w.line
            w.parts.append("beat = [\n")
            for i, table in enumerate(beats):
                w.lines[("beat", i)] = w.line
                w.inline(("beat", i), table)
                w.parts.append(",\n")
            w.parts.append("]\n")
            beats = []
    for name in headed:
        w.parts.append("\n")
        w.lines[(name,)] = w.line
        w.parts.append(f"[{name}]  # a header\n")
        w.pairs((name,), tables[name], "")
    for i, table in enumerate(beats):
        w.parts.append("\n")
        w.lines.setdefault(("beat",), w.line)
        w.lines[("beat", i)] = w.line
        w.parts.append("[[beat]]\n")
        w.pairs(("beat", i), table, "")
    return doc, "".join(w.parts), w.lines


@settings(max_examples=150, deadline=None)
@given(documents())
def test_generated_documents_every_key_on_the_line_it_was_written(
    case: tuple[dict[str, Any], str, dict[tuple[str | int, ...], int]],
) -> None:
    doc, text, expected = case
    assert tomllib.loads(text) == doc  # the writer wrote what it meant to
    found = key_lines(text)
    assert {path: found.get(path) for path in expected} == expected
