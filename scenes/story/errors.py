"""The error a story raises: every problem found, one line each."""

from __future__ import annotations

from scenes.errors import RenderError

__all__ = ["StoryError"]


class StoryError(RenderError):
    """A story file (or a beat it names) is wrong; the message has one problem a line.

    >>> err = StoryError("a.toml:1: one", "a.toml:4: two")
    >>> err.problems
    ('a.toml:1: one', 'a.toml:4: two')
    >>> print(err)
    a.toml:1: one
    a.toml:4: two
    """

    def __init__(self, *problems: str) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(problems))
