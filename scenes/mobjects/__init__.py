"""On-screen furniture built from Manim mobjects: captions, diagram, formulas, legend."""

from __future__ import annotations

__all__: list[str] = []
