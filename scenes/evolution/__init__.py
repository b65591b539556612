"""The evolution story: one training watched from epoch 0 to the end."""

from __future__ import annotations

from scenes.evolution.plan import evolution_plan, snapshots_wanted
from scenes.evolution.scene import Evolution
from scenes.evolution.timing import Clock

__all__ = ["Clock", "Evolution", "evolution_plan", "snapshots_wanted"]
