"""The line of every key in a TOML text (tomllib gives values, not positions).

:func:`key_lines` reads a TOML document that :mod:`tomllib` has already accepted and
returns, for every key path, the 1-based line where it is written: keys of ``[table]``
headers and of ``[[array.of.tables]]`` headers (with the element's index), dotted keys
(``render.quality = "l"``: the line of ``render`` too), keys of inline tables and the
elements of arrays (by index), however the text is spread over lines (multi-line
strings and arrays, comments). Paths are tuples of keys and indices, as pydantic reports
the location of an error, so :func:`line_of` finds the line of any error: the longest
known prefix of its path.

>>> text = '''title = "Moons"
... [render]
... quality = "x"
... [[beat]]
... id = "data"
... [[beat]]
... id = "end"
... '''
>>> lines = key_lines(text)
>>> lines[("render", "quality")], lines[("beat", 1, "id")]
(3, 7)
>>> line_of(lines, ("beat", 1, "narration"))  # a missing key: the line of its table
6
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence

__all__ = ["KeyPath", "key_lines", "line_of"]

#: A key path: table keys and array indices, e.g. ``("beat", 2, "caption")``.
KeyPath = tuple[str | int, ...]

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _Scanner:
    """A cursor over a valid TOML text that records where each key path is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.line = 1
        self.lines: dict[KeyPath, int] = {}
        #: How many elements each array of tables (by resolved path) has so far.
        self.tables: dict[KeyPath, int] = {}

    # ------------------------------------------------------------------ characters

    def peek(self, n: int = 1) -> str:
        return self.text[self.i : self.i + n]

    def advance(self, n: int = 1) -> None:
        self.line += self.text.count("\n", self.i, self.i + n)
        self.i += n

    def skip_blank(self, newlines: bool) -> None:
        """Skip spaces and tabs (and newlines and comments, if ``newlines``)."""
        while self.i < len(self.text):
            c = self.text[self.i]
            if c in " \t" or newlines and c in "\r\n":
                self.advance()
            elif newlines and c == "#":
                end = self.text.find("\n", self.i)
                self.advance((len(self.text) if end < 0 else end) - self.i)
            else:
                return

    def record(self, path: KeyPath, line: int) -> None:
        """Note the line of ``path`` and of its prefixes not seen before."""
        for n in range(1, len(path) + 1):
            self.lines.setdefault(path[:n], line)

    # ------------------------------------------------------------------ tokens

    def string(self) -> str:
        """Read a string token (any of the four kinds); return its text as written."""
        start = self.i
        quote = self.text[self.i]
        if self.peek(3) == quote * 3:
            self.advance(3)
            while self.peek(3) != quote * 3:
                self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
            self.advance(3)
            for _ in range(2):  # up to two quotes may end the content right before the closer
                if self.peek() == quote:
                    self.advance()
        else:
            self.advance()
            while self.peek() != quote:
                self.advance(2 if quote == '"' and self.peek() == "\\" else 1)
            self.advance()
        return self.text[start : self.i]

    def key(self) -> list[str]:
        """Read a (possibly dotted, possibly quoted) key."""
        parts: list[str] = []
        while True:
            self.skip_blank(False)
            if self.peek() in ('"', "'"):
                token = self.string()
                parts.append(str(tomllib.loads(f"k = {token}")["k"]))
            else:
                start = self.i
                while self.i < len(self.text) and self.text[self.i] in _BARE:
                    self.advance()
                parts.append(self.text[start : self.i])
            self.skip_blank(False)
            if self.peek() != ".":
                return parts
            self.advance()

    def value(self, path: KeyPath) -> None:
        """Read one value, recording the keys and elements inside it."""
        self.skip_blank(False)
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":
            self.advance()
            index = 0
            while True:
                self.skip_blank(True)
                if self.peek() == "]":
                    self.advance()
                    return
                self.record((*path, index), self.line)
                self.value((*path, index))
                index += 1
                self.skip_blank(True)
                if self.peek() == ",":
                    self.advance()
        elif c == "{":
            self.advance()
            while True:
                self.skip_blank(True)
                if self.peek() == "}":
                    self.advance()
                    return
                self.pair(path)
                self.skip_blank(True)
                if self.peek() == ",":
                    self.advance()
        else:  # a number, boolean or date: up to the next delimiter
            while self.i < len(self.text) and self.text[self.i] not in ",]}#\r\n":
                self.advance()

    def pair(self, table: KeyPath) -> None:
        """Read ``key = value`` inside ``table``."""
        line = self.line
        path = (*table, *self.key())
        self.record(path, line)
        self.skip_blank(False)
        self.advance()  # "="
        self.value(path)

    def header(self, array: bool) -> KeyPath:
        """Read a ``[table]`` or ``[[array]]`` header (the opening brackets already read)."""
        line = self.line
        keys = self.key()
        self.advance(2 if array else 1)
        path: KeyPath = ()
        for k in keys[:-1]:  # a prefix that is an array of tables means its last element
            path = (*path, k)
            if path in self.tables:
                path = (*path, self.tables[path] - 1)
        path = (*path, keys[-1])
        if array:
            n = self.tables.get(path, 0)
            self.tables[path] = n + 1
            path = (*path, n)
        self.record(path, line)
        return path

    def document(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        while True:
            self.skip_blank(True)
            if self.i >= len(self.text):
                return self.lines
            if self.peek(2) == "[[":
                self.advance(2)
                table = self.header(True)
            elif self.peek() == "[":
                self.advance()
                table = self.header(False)
            else:
                self.pair(table)


def key_lines(text: str) -> dict[KeyPath, int]:
    """The 1-based line of every key path (and array element) written in ``text``.

    ``text`` must be valid TOML (parse it with :mod:`tomllib` first): the scanner trusts
    its syntax. A table made by a header is at the header's line; one made only by dotted
    keys is at the line of its first key.
    """
    return _Scanner(text).document()


def line_of(lines: Mapping[KeyPath, int], path: Sequence[str | int]) -> int | None:
    """The line of ``path``, or of its longest prefix written in the text (None: none is).

    >>> line_of({("render",): 4}, ("render", "fps"))
    4
    """
    for n in range(len(path), 0, -1):
        found = lines.get(tuple(path[:n]))
        if found is not None:
            return found
    return None
