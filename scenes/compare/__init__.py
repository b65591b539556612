"""Several trainings side by side on one clock: the grid, its layout, plan and scene."""

from __future__ import annotations

from scenes.compare.grid import Grid, GridSource
from scenes.compare.plan import compare_plan
from scenes.compare.scene import Compare

__all__ = ["Compare", "Grid", "GridSource", "compare_plan"]
