"""The scenes ``nnwarp render`` knows, by name."""

from __future__ import annotations

from typing import Any

from nnmodel.trajectory import Trajectory

#: name -> one-line description (shown by ``nnwarp list`` and in usage errors).
SCENES: dict[str, str] = {
    "explainer": "the default explainer: title, the warp through every layer, end card",
    "warp": "points and grid through every layer (linear map, then nonlinearity) to the separator",
}


def scene_class(name: str, traj: Trajectory | None = None) -> Any:
    """The Manim scene class for ``name`` (3-D spaces are projected by the scene itself)."""
    from scenes import warp

    classes = {"explainer": warp.Explainer, "warp": warp.Warp}
    if name not in classes:
        from scenes.render import RenderError

        raise RenderError(f"unknown scene {name!r}; choose from {', '.join(SCENES)}")
    del traj
    return classes[name]
