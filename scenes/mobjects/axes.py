"""The input plane's scales in the data's own units: ticks, values and column names."""

from __future__ import annotations

import math
from collections.abc import Sequence

from manim import DOWN, LEFT, Line, VGroup, VMobject

from scenes.core.theme import theme
from scenes.core.ticks import EdgeTicks
from scenes.mobjects.widgets import text

__all__ = ["TICK", "unit_axes"]

#: Length of a tick mark outside the plane's edge (frame units).
TICK = 0.1
#: Text sizes: legible at 480p (about 11 px tall for values, 12 px for names).
VALUE_SIZE = 19
NAME_SIZE = 21


def unit_axes(ticks: EdgeTicks, names: Sequence[str]) -> VGroup:
    """Tick marks and values along the bottom and left edges, and the two column names.

    The bottom edge's name sits centred under its values; the left edge's name is turned
    to read upwards, left of its values.
    """
    th = theme()
    x0, x1, y0, y1 = ticks.frame
    colour = th.subtext
    parts: list[VMobject] = []
    values_bottom = VGroup()
    for tick in ticks.bottom:
        parts.append(Line((tick.at, y0, 0), (tick.at, y0 - TICK, 0), color=colour, stroke_width=2))
        label = text(tick.label, VALUE_SIZE, color=colour)
        label.next_to((tick.at, y0 - TICK, 0), DOWN, buff=0.06)
        values_bottom.add(label)
    values_left = VGroup()
    for tick in ticks.left:
        parts.append(Line((x0, tick.at, 0), (x0 - TICK, tick.at, 0), color=colour, stroke_width=2))
        label = text(tick.label, VALUE_SIZE, color=colour)
        label.next_to((x0 - TICK, tick.at, 0), LEFT, buff=0.06)
        values_left.add(label)
    x_name = text(names[0], NAME_SIZE, color=th.text)
    below = values_bottom.get_bottom()[1] if len(values_bottom) else y0 - TICK
    x_name.next_to(((x0 + x1) / 2, below, 0), DOWN, buff=0.08)
    y_name = text(names[1], NAME_SIZE, color=th.text).rotate(math.pi / 2)
    beside = values_left.get_left()[0] if len(values_left) else x0 - TICK
    y_name.next_to((beside, (y0 + y1) / 2, 0), LEFT, buff=0.12)
    return VGroup(*parts, values_bottom, values_left, x_name, y_name)
