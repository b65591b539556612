"""Errors the scenes side raises for the user (one line each, no traceback)."""

from __future__ import annotations

from nnmodel.errors import NnwarpError, OutputError

__all__ = ["NnwarpError", "OutputError", "RenderError"]


class RenderError(NnwarpError):
    """A render option is invalid or the render failed."""
