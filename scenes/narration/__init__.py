"""Narration as data: every caption, subcaption and spoken line, from the trajectory's numbers."""

from __future__ import annotations

from scenes.narration.text import Line

__all__ = ["Line"]
