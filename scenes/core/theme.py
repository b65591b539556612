"""The visual theme (colours, fonts, sizes) loaded from ``assets/theme.json``.

Files read at run time are package data, found through :mod:`importlib.resources`: the
repository's top-level ``assets/`` folder is installed as the package ``scenes.assets``
(``[tool.setuptools]`` in pyproject.toml), so an installed wheel renders from anywhere.
"""

from __future__ import annotations

import colorsys
import difflib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import numpy.typing as npt

__all__ = [
    "ASSETS_PACKAGE",
    "FONT_KEYS",
    "RUNTIME_ASSETS",
    "THEME_FILE",
    "Theme",
    "asset",
    "check_class_colours",
    "hex_to_rgb",
    "load_theme",
    "package_theme",
    "position_rgbas",
    "theme",
    "use_theme",
]

ASSETS_PACKAGE = "scenes.assets"
"""The package of run-time data: the top-level ``assets/`` folder (see pyproject.toml)."""

THEME_FILE = "theme.json"

RUNTIME_ASSETS = (THEME_FILE, "course/index.html")
"""Every file in :data:`ASSETS_PACKAGE` the code reads; a wheel must ship each of them
(tests/packaging). The README's picture, also in ``assets/``, is not one of them."""
#: The theme's keys that name a font family (checked by :mod:`scenes.mobjects.fonts`).
FONT_KEYS = ("font", "mono_font")


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
    #: The sign of a value (a weight, a gradient, a neuron's response): positive and
    #: negative. A pair of their own, never a class's colour, so that no colour means both
    #: a class and a sign: a purple and a red that colour-blind viewers tell apart, apart
    #: from the first three class colours (sky blue, orange, bluish green) and the accent,
    #: each above 5:1 against the background (WCAG asks 4.5:1).
    positive: str = "#B968F0"
    negative: str = "#F84B4B"

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
def package_theme() -> Theme:
    """nnwarp's own theme (``assets/theme.json``), whatever theme is in force."""
    raw = json.loads(asset(THEME_FILE).read_text(encoding="utf-8"))
    raw.pop("_comment", None)
    raw["classes"] = tuple(raw["classes"])
    return Theme(**raw)


#: A user's theme in force (:func:`use_theme`), else None: nnwarp's own.
_override: Theme | None = None


def theme() -> Theme:
    """The theme in force: a user's theme file while one is used, else nnwarp's own."""
    return _override if _override is not None else package_theme()


def load_theme(path: str | Path) -> Theme:
    """A user's theme file: a JSON object with any of nnwarp's theme keys (the others keep
    nnwarp's values), e.g. ``{"background": "#FFFFFF", "text": "#111111"}``.

    Raises :class:`~scenes.errors.RenderError` naming the file and the key for an unknown
    key (with the close one), a colour that is not ``#RRGGBB``, or a wrong type.
    """
    from scenes.errors import RenderError

    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RenderError(f"theme {path}: cannot read it ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise RenderError(f"theme {path}:{exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise RenderError(f"theme {path}: expected a JSON object of theme keys")
    raw.pop("_comment", None)
    base = package_theme()
    known = {f.name: getattr(base, f.name) for f in fields(Theme)}
    for key, value in raw.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RenderError(
                f"theme {path}: unknown key {key!r}{hint}; the keys are {', '.join(known)}"
            )
        old = known[key]
        if isinstance(old, str) and old.startswith("#"):
            ok = isinstance(value, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", value) is not None
            what = "a colour like '#56B4E9'"
        elif key == "classes":
            ok = (
                isinstance(value, list)
                and bool(value)
                and all(isinstance(c, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", c) for c in value)
            )
            what = "a list of colours like ['#56B4E9', '#E69F00']"
            value = tuple(value) if ok else value
        elif isinstance(old, (int, float)):
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
            what = "a positive number"
        else:
            ok, what = isinstance(value, str) and bool(value.strip()), "a name"
        if not ok:
            raise RenderError(f"theme {path}: {key} must be {what}, not {value!r}")
        known[key] = value
    return Theme(**known)


def check_class_colours(path: str | Path | None, n_classes: int) -> None:
    """Refuse the theme file ``path`` if it has fewer class colours than the data has
    classes (colours would repeat: two classes drawn alike). None is nnwarp's own theme,
    with a colour for each of the 8 classes nnwarp shows."""
    from scenes.errors import RenderError

    if path is None:
        return
    colours = load_theme(path).classes
    if len(colours) < n_classes:
        raise RenderError(
            f"theme {path}: classes lists {len(colours)} colour"
            f"{'s' * (len(colours) != 1)} but the data has {n_classes} classes, which would "
            f"be drawn alike: list at least {n_classes} colours"
        )


@contextmanager
def use_theme(path: str | Path | None) -> Iterator[None]:
    """Draw with the theme file ``path`` inside the block (None: nnwarp's own)."""
    global _override
    before = _override
    _override = None if path is None else load_theme(path)
    try:
        yield
    finally:
        _override = before
