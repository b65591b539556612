"""The scenes ``nnwarp render`` knows: each registers itself with ``@scene(...)``.

Example
-------
>>> names()
['anatomy', 'compare', 'evolution', 'explainer', 'warp']
>>> spec("warp").needs
'trajectory'
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from scenes.errors import RenderError

__all__ = ["SCENE_MODULES", "SceneSpec", "names", "scene", "scene_class", "spec"]

#: Modules that define scenes; importing one registers its scenes. The only list to extend.
SCENE_MODULES = ("scenes.warp", "scenes.anatomy", "scenes.evolution", "scenes.compare")

T = TypeVar("T", bound=type)


@dataclass(frozen=True)
class SceneSpec:
    """A registered scene: its name, a one-line description and what it needs to render."""

    name: str
    description: str
    cls: type
    #: ``"trajectory"`` (one trajectory file) or ``"trajectories"`` (several: comparisons).
    needs: str = "trajectory"


_REGISTRY: dict[str, SceneSpec] = {}


def scene(name: str, description: str, needs: str = "trajectory") -> Callable[[T], T]:
    """Register the decorated Manim scene class under ``name``."""
    if needs not in ("trajectory", "trajectories"):
        raise ValueError(f"needs must be 'trajectory' or 'trajectories', not {needs!r}")

    def register(cls: T) -> T:
        if name in _REGISTRY and _REGISTRY[name].cls is not cls:
            raise ValueError(f"two scenes are registered as {name!r}")
        _REGISTRY[name] = SceneSpec(name, description, cls, needs)
        return cls

    return register


def _load() -> dict[str, SceneSpec]:
    for module in SCENE_MODULES:
        importlib.import_module(module)
    return _REGISTRY


def names() -> list[str]:
    """The registered scene names, alphabetically."""
    return sorted(_load())


def spec(name: str) -> SceneSpec:
    """The spec of scene ``name``, or a :class:`RenderError` naming the close ones."""
    registry = _load()
    key = name.strip().lower()
    if key not in registry:
        close = difflib.get_close_matches(key, list(registry), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise RenderError(f"unknown scene {name!r}; {hint}choose from {', '.join(names())}")
    return registry[key]


def scene_class(name: str, traj: Any = None) -> Any:
    """The Manim scene class registered as ``name``."""
    del traj
    return spec(name).cls
