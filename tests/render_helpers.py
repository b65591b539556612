"""Helpers of the render tests: the options of a small, quiet render into a test's folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scenes.render import pipeline as r


def small_render(
    scene: str, folder: Path, size: tuple[int, int], fps: float, **changes: Any
) -> r.RenderOptions:
    """Options to render ``scene`` at ``size`` and ``fps`` to ``folder/<scene>.mp4``, with its
    media folder inside ``folder`` and no progress bar; ``changes`` override any option."""
    opts: dict[str, Any] = {
        "scene": scene,
        "resolution": size,
        "fps": fps,
        "output": folder / f"{scene}.mp4",
        "media_dir": folder / "media",
        "progress": False,
    }
    return r.RenderOptions(**{**opts, **changes})
