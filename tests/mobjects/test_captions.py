"""The caption at the top of every scene: readable, inside the frame."""

from __future__ import annotations

from typing import Any

import manim
import numpy as np
from manim import Scene

from scenes.core.theme import theme
from scenes.mobjects.widgets import FRAME_HALF_WIDTH, Captions, text


def _build(caption: str, sub: str) -> Any:
    return Captions(Scene()).build(caption, sub)


def test_a_long_subcaption_shrinks_alone_and_the_caption_keeps_its_size() -> None:
    with manim.tempconfig({"pixel_width": 854, "pixel_height": 480}):
        caption = "six 2-wide layers: 5 saturated units"
        full = text(caption, theme().caption_size, weight="BOLD").height
        long_sub = "Units 1 and 2 of layer 3, unit 1 of layer 4 and unit 2 of layer 5 " * 3
        head, sub = _build(caption, long_sub).submobjects
        assert abs(head.height - full) < 1e-6  # not scaled down with its subcaption
        room = 2 * FRAME_HALF_WIDTH - 0.8
        assert sub.width <= room + 1e-6 and head.width <= room + 1e-6
        assert head.get_bottom()[1] > sub.get_top()[1]  # one above the other, apart
        short_head, short_sub = _build(caption, "from epoch 50 on").submobjects
        assert abs(short_head.height - full) < 1e-6 and short_sub.width < room


def test_a_new_caption_comes_only_once_the_old_one_is_gone() -> None:
    """No frame shows two captions half-faded over each other."""
    with manim.tempconfig({"pixel_width": 854, "pixel_height": 480}):
        captions = Captions(Scene())
        captions.swap("First", "one")
        old = captions.current
        come, go = captions.swap("Second", "two")
        new = captions.current
        come.begin()
        go.begin()

        def seen(m: Any) -> float:
            return max(float(p.get_fill_opacity()) for p in m.family_members_with_points())

        for alpha in np.linspace(0.0, 1.0, 21):
            come.interpolate(float(alpha))
            go.interpolate(float(alpha))
            assert min(seen(old), seen(new)) < 0.02, alpha  # never both on screen
        assert seen(new) > 0.99 and seen(old) < 0.01
