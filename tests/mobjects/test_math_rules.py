"""A formula's rules (fraction bars, the tops of roots) are drawn thick enough to be seen:
at 480p the sigmoid's "1/(1 + e^(-z))" had lost its bar and Adam's √v̂ its top."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from manim import Camera, VMobject, tempconfig

from scenes.mobjects.textcache import text_cache
from scenes.mobjects.widgets import math


def _pixels(m: VMobject) -> np.ndarray:
    with tempconfig({"pixel_width": 854, "pixel_height": 480}):
        cam = Camera()
        cam.capture_mobject(m.copy().move_to((0.0, 0.0, 0.0)))
        return np.asarray(cam.get_image().convert("L"), dtype=np.int16)


def test_a_fraction_bar_is_as_solid_as_the_glyphs_at_480p(tmp_path: Path) -> None:
    with text_cache(tmp_path):
        frac = math("1/(1 + e^(-z))", 30)
    pixels = _pixels(frac)
    lit = pixels > 60
    bar = int(np.argmax(lit.sum(axis=1)))  # the row with the most lit pixels: the bar's
    assert lit[bar].sum() >= 0.8 * frac.width * 854 / 14.222  # it spans the formula
    # as bright as the glyphs' strokes (Typst's own width drew it at two thirds: faint,
    # and lost in a 480p video)
    assert pixels[bar][lit[bar]].mean() >= 0.85 * pixels.max()


def test_the_top_of_a_root_is_drawn(tmp_path: Path) -> None:
    with text_cache(tmp_path):
        root = math("sqrt(hat(v))", 30)
    rules = [m for m in root.family_members_with_points() if m.get_fill_opacity() == 0]
    assert rules and all(m.get_stroke_width() >= 1.8 for m in rules)
