"""The visual theme (colours, fonts, sizes) loaded from ``assets/theme.json``.

Files read at run time are package data, found through :mod:`importlib.resources`: the
repository's top-level ``assets/`` folder is installed as the package ``scenes.assets``
(``[tool.setuptools]`` in pyproject.toml), so an installed wheel renders from anywhere.
"""

from __future__ import annotations

import colorsys
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

import numpy as np
import numpy.typing as npt

__all__ = [
    "ASSETS_PACKAGE",
    "RUNTIME_ASSETS",
    "THEME_FILE",
    "Theme",
    "asset",
    "hex_to_rgb",
    "position_rgbas",
    "theme",
]

ASSETS_PACKAGE = "scenes.assets"
"""The package of run-time data: the top-level ``assets/`` folder (see pyproject.toml)."""

THEME_FILE = "theme.json"

RUNTIME_ASSETS = (THEME_FILE, "course/index.html")
"""Every file in :data:`ASSETS_PACKAGE` the code reads; a wheel must ship each of them
(tests/packaging). The README's picture, also in ``assets/``, is not one of them."""


def asset(name: str) -> Traversable:
    """The run-time data file ``name`` (one of :data:`RUNTIME_ASSETS`), wherever installed."""
    if name not in RUNTIME_ASSETS:
        raise ValueError(f"{name!r} is not a run-time asset; add it to RUNTIME_ASSETS")
    return files(ASSETS_PACKAGE).joinpath(name)


@dataclass(frozen=True)
class Theme:
    """Colours as ``#RRGGBB`` strings, sizes in Manim frame units or font points."""

    background: str
    text: str
    subtext: str
    accent: str
    grid: str
    grid_opacity: float
    axis: str
    separator: str
    classes: tuple[str, ...]
    font: str
    mono_font: str
    caption_size: int
    subcaption_size: int
    title_size: int
    point_radius: float
    grid_stroke: float
    region_opacity: float
    #: What went wrong (a dead unit, a diverged run): Okabe-Ito vermillion, apart from the
    #: class colours of two- and three-class data.
    warning: str = "#D55E00"

    def class_color(self, k: int) -> str:
        """Colour of class ``k`` (cycles if there are more classes than colours)."""
        return self.classes[k % len(self.classes)]

    def class_rgbas(
        self, labels: npt.NDArray[np.int64], alpha: float = 1.0
    ) -> npt.NDArray[np.float64]:
        """Per-point RGBA (N, 4) in [0, 1] from integer labels."""
        table: npt.NDArray[np.float64] = np.array([[*hex_to_rgb(c), alpha] for c in self.classes])
        return table[np.asarray(labels) % len(self.classes)]


def hex_to_rgb(color: str) -> tuple[float, float, float]:
    """``"#56B4E9"`` → ``(0.34, 0.71, 0.91)``."""
    c = color.lstrip("#")
    return (int(c[0:2], 16) / 255, int(c[2:4], 16) / 255, int(c[4:6], 16) / 255)


def position_rgbas(xy: npt.NDArray[np.floating], alpha: float = 1.0) -> npt.NDArray[np.float64]:
    """A 2-D colour map of input position: hue from the angle, lightness from the radius.

    Neighbouring inputs get similar colours, so when a layer folds space the viewer sees
    distant colours land next to each other.
    """
    xy = np.asarray(xy, np.float64)
    centred = xy - xy.mean(axis=0)
    radius = np.linalg.norm(centred, axis=1)
    r = radius / (radius.max() or 1.0)
    hue = (np.arctan2(centred[:, 1], centred[:, 0]) / (2 * np.pi)) % 1.0
    rgb = np.array(
        [colorsys.hls_to_rgb(h, 0.35 + 0.35 * v, 0.85) for h, v in zip(hue, r, strict=True)]
    )
    return np.column_stack([rgb, np.full(len(rgb), alpha)])


@lru_cache(maxsize=1)
def theme() -> Theme:
    """The project theme (read once)."""
    raw = json.loads(asset(THEME_FILE).read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    raw["classes"] = tuple(raw["classes"])
    return Theme(**raw)
