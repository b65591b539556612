"""The anatomy story: the trained network's neurons, weights and gradients, with real numbers."""

from __future__ import annotations

from scenes.anatomy.plan import anatomy_plan, gather
from scenes.anatomy.scene import Anatomy

__all__ = ["Anatomy", "anatomy_plan", "gather"]
