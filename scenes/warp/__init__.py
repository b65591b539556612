"""The warp story: data and grid flow through every layer to the final linear separator."""

from __future__ import annotations

from scenes.warp.plan import nearly_a_line, warp_plan
from scenes.warp.scene import Explainer, Warp

__all__ = ["Explainer", "Warp", "nearly_a_line", "warp_plan"]
