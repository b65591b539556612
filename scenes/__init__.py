"""scenes: Manim scenes and the ``nnwarp`` command line (never imports torch)."""

from __future__ import annotations

__all__: list[str] = []
