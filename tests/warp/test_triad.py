"""A 3-D space whose axes cross off screen (after a sigmoid every coordinate is in (0, 1),
framed without the origin) showed no axis and no axis name at all: nothing to tell which
way h₁, h₂, h₃ run while the camera turns. A small triad of the axes' directions, named,
now stands in a corner of the plot while (and only while) the crossing is off screen.

The geometry is plain numpy (:mod:`scenes.warp.steps`); the scene is played through its
own beats (dry run, no pixels) and the triad measured after every move.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import manim
import numpy as np
import pytest
from manim import Mobject

from nnmodel.config import ModelConfig
from nnmodel.trajectory import load
from scenes.core.view import Box, View
from scenes.mobjects.triad import TRIAD_SIZE
from scenes.mobjects.widgets import math
from scenes.warp import Warp
from scenes.warp.steps import (
    PLOT,
    TILT,
    TRIAD_CORNERS,
    TRIAD_FADE,
    crossing_miss,
    triad_anchor,
    triad_corner,
    triad_layout,
    triad_level,
    triad_reach,
)
from tests.conftest import small_config

pytestmark = pytest.mark.usefixtures("own_media")

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
PX_480 = 480 / 8  # pixels a frame unit spans at 480p
SIZES = [(0.27, 0.29)] * 3  # about the names' size


def test_the_triad_arms_point_where_the_view_draws_the_axes() -> None:
    """Each arm points the way its axis runs on screen through the camera (and is as
    much shorter as the axis points at the viewer); each name sits on past its arm's tip,
    on the arm's line; turning the camera turns the triad."""
    for phi in (0.0, 0.6, TILT, 1.4):
        for theta in np.linspace(-np.pi, np.pi, 17):
            view = View(PLOT, np.array([0.3, -0.2, 0.5]), 2.0, phi, float(theta))
            origin, _ = view.project(np.zeros(3))
            ends, _ = view.project(np.eye(3))
            drawn = (ends - origin) / view.scale  # each axis's unit on screen, unscaled
            tips, spots = triad_layout(phi, float(theta), SIZES, arm=0.4)
            np.testing.assert_allclose(tips, 0.4 * drawn, atol=1e-12)
            for tip, spot in zip(tips, spots, strict=True):
                if np.hypot(*tip) < 1e-3:
                    continue
                u = tip / np.hypot(*tip)
                assert abs(u[0] * spot[1] - u[1] * spot[0]) < 1e-9  # on the arm's line
                assert float(u @ spot) > np.hypot(*tip) + 0.1  # past its tip
    a, _ = triad_layout(TILT, 0.0, SIZES)
    b, _ = triad_layout(TILT, np.pi / 2, SIZES)
    assert a[0, 0] > 0.3 and abs(a[0, 1]) < 1e-9  # h₁ to the right...
    np.testing.assert_allclose(b[1], [-a[0, 0], 0.0], atol=1e-12)  # ...a quarter turn: h₂
    np.testing.assert_allclose(a[2], b[2])  # h₃ straight up, whatever the turntable
    assert a[2, 0] == 0.0 and a[2, 1] > 0.0


def test_the_triad_names_never_overlap_and_move_smoothly_as_the_camera_turns() -> None:
    thetas = np.linspace(-np.pi, np.pi, 2001)
    layouts = [triad_layout(TILT, float(t), SIZES)[1] for t in thetas]
    w, h = SIZES[0]
    for spots in layouts:
        for i in range(3):
            for j in range(i):
                gap = np.abs(spots[i] - spots[j])
                # (apart, or overlapping by less than a sliver where a push eases off)
                assert gap[0] >= w - 0.08 - 1e-9 or gap[1] >= h - 0.08 - 1e-9
    steps = [float(np.abs(a - b).max()) for a, b in zip(layouts, layouts[1:], strict=False)]
    assert max(steps) < 0.02  # 0.003 rad a frame apart: no jumps
    reach = triad_reach(SIZES)
    for t, spots in zip(thetas, layouts, strict=True):  # and all of it inside its reach
        tips, _ = triad_layout(TILT, float(t), SIZES)
        assert spots[:, 0].min() - w / 2 >= -reach[0] - 0.02
        assert spots[:, 0].max() + w / 2 <= reach[1] + 0.02
        assert min(spots[:, 1].min() - h / 2, tips[:, 1].min()) >= -reach[2] - 0.02
        assert spots[:, 1].max() + h / 2 <= reach[3] + 0.02


def test_the_triad_takes_the_corner_the_points_and_names_leave_free() -> None:
    box = Box(-4.0, 4.0, -3.0, 3.0)
    reach = triad_reach(SIZES)
    rng = np.random.default_rng(0)
    cloud = rng.uniform([-4, -3], [4, 3], (2000, 2))

    def free(corner: int) -> np.ndarray:
        """``cloud`` without the points near ``corner``."""
        sx, sy = TRIAD_CORNERS[corner]
        near = (cloud[:, 0] * sx > 2.0) & (cloud[:, 1] * sy > 1.2)
        return cloud[~near]

    for corner in range(4):
        assert triad_corner([free(corner)], reach, box) == corner
    # nothing anywhere: the lower left
    assert triad_corner([np.zeros((0, 2))], reach, box) == 0
    # a line from the upper left to the lower right leaves two corners: the lower left...
    s = np.linspace(-1, 1, 400)
    line = np.column_stack([3.8 * s, -2.8 * s])
    assert triad_corner([line], reach, box) == 0
    # ...unless an axis's name sits there
    name = [(triad_anchor(0, reach, box) + 0.2, (0.3, 0.3))]
    assert triad_corner([line], reach, box, [name]) == 3
    # whichever it takes, all of it is inside the box, whichever way it turns
    for corner in range(4):
        x, y = triad_anchor(corner, reach, box)
        assert box.xmin < x - reach[0] and x + reach[1] < box.xmax
        assert box.ymin < y - reach[2] and y + reach[3] < box.ymax


def test_the_triad_shows_exactly_while_the_axes_cross_off_screen() -> None:
    box = Box(-4.0, 4.0, -3.0, 3.0)
    on = View(box, np.array([0.2, 0.3, 0.1]), 1.0, TILT, -0.5)
    assert crossing_miss(on, 3, 2.0) < 0.0
    assert triad_level(on, 3, 2.0) == 0.0
    assert triad_level(on, 3, None) == 0.0  # axes as long as the screen is wide
    # the data far from the origin (a sigmoid's (0, 1)³, framed alone)
    off = replace(on, centre=np.array([0.5, 0.5, 0.5]), scale=12.0)
    assert crossing_miss(off, 3, 0.4) > TRIAD_FADE
    assert triad_level(off, 3, 0.4) == 1.0
    # the same picture with the axes drawn long enough: the crossing is still off screen
    assert triad_level(off, 3, None) == 1.0
    # never in a flat space: there the axes' names sit where the axes enter the plot
    assert triad_level(off, 2, 0.4) == 0.0
    # the origin on screen, but the axes, drawn as long as the data is wide, stop short of it
    short = replace(on, centre=np.array([1.5, 0.0, 0.0]))
    origin, _ = short.project(np.zeros(3))
    assert box.contains(origin)
    assert triad_level(short, 3, 1.0) > 0.0 and triad_level(short, 3, 2.0) == 0.0
    # it fades in as the crossing leaves the plot: nothing at the edge, all of it beyond
    levels = []
    for x in np.linspace(3.0, 6.0, 61):  # the origin from inside the plot to well outside
        view = replace(on, centre=np.array([x, 0.0, 0.0]), phi=0.0, theta=0.0)
        levels.append(triad_level(view, 3, None))
        assert (levels[-1] > 0.0) == (crossing_miss(view, 3, None) > 0.0)
    assert levels[0] == 0.0 and levels[-1] == 1.0
    assert all(b >= a for a, b in zip(levels, levels[1:], strict=False))
    assert max(b - a for a, b in zip(levels, levels[1:], strict=False)) < 0.2


Seen = tuple[str, float | None, list[tuple[str, Box]], np.ndarray, bool]


def bounds(m: Mobject) -> Box:
    """Where ``m`` is on screen."""
    return Box(m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1])


def played(path: Path) -> list[Seen]:
    """After every move and turn: how much of the triad shows (None: none on screen), its
    parts (arms, then names) where they are, the points as drawn, and whether a 3-D space
    with names has its axes crossing off screen."""
    seen: list[Seen] = []
    # (5 frames a second: the triad is set from the view every frame, whatever the rate)
    with manim.tempconfig(
        {"dry_run": True, "pixel_width": 160, "pixel_height": 90, "frame_rate": 5}
    ):
        scene = Warp(trajectory=load(path))
        move, turn = scene.move, scene.turn

        def note(what: str) -> None:
            rig = scene.rig
            assert rig.view is not None
            triad = scene.triad if scene.triad in scene.mobjects else None
            needed = (
                scene.names_on
                and rig.dims == 3
                and len(scene.names) == 3
                and crossing_miss(rig.view, 3, rig.reach) > 0.0
            )
            level = None if triad is None else triad.level
            parts = [] if triad is None else [*triad.arms, *triad.labels]
            boxes = [(getattr(m, "text", ""), bounds(m)) for m in parts]
            seen.append((what, level, boxes, scene.rig_points(), needed))

        def spy_move(*args: Any, **kwargs: Any) -> Any:
            out = move(*args, **kwargs)
            note("move")
            return out

        def spy_turn(*args: Any, **kwargs: Any) -> None:
            turn(*args, **kwargs)
            note("turn")

        scene.move = spy_move  # type: ignore[method-assign]
        scene.turn = spy_turn  # type: ignore[method-assign]
        scene.construct()
    return seen


def test_a_sigmoid_space_gets_its_triad_and_a_space_whose_axes_cross_on_screen_none(
    tmp_path: Path,
) -> None:
    """2 → 3 → 1 with sigmoids: the 3-D space after the sigmoid is framed without the
    origin; its triad is there, inside the plot, legible, clear of the points, exactly
    while the axes cross off screen. The golden network (tanh, its axes crossing on
    screen in every space) never shows one."""
    from nnmodel.pipeline import train_to_file

    config = small_config(model=ModelConfig(hidden=(3,), activation=("sigmoid",)))
    path = train_to_file(config, tmp_path / "sigmoid.npz")
    seen = played(path)
    assert any(needed for *_, needed in seen), "the run the test is about: a crossing off screen"
    assert math("h", TRIAD_SIZE).height * PX_480 >= 13
    for what, level, parts, points, needed in seen:
        if not needed:
            assert level is None or level == 0.0, f"{what}: a triad, the crossing on screen"
            continue
        assert level == 1.0, f"{what}: no triad, the crossing off screen"
        assert [name for name, _ in parts[3:]] == ["h_1", "h_2", "h_3"]
        left, right = min(b.xmin for _, b in parts), max(b.xmax for _, b in parts)
        low, high = min(b.ymin for _, b in parts), max(b.ymax for _, b in parts)
        assert PLOT.xmin <= left and right <= PLOT.xmax and PLOT.ymin <= low and high <= PLOT.ymax
        assert max(right - left, high - low) <= 1.5
        for name, b in parts:  # a point's radius and a gap clear of every part
            off = np.maximum(b.xmin - points[:, 0], points[:, 0] - b.xmax)
            off = np.maximum(off, np.maximum(b.ymin - points[:, 1], points[:, 1] - b.ymax))
            assert off.min() > 0.1, f"{what}: {name or 'an arm'} over the points"
    for what, level, _, _, needed in played(GOLDEN):
        assert not needed and (level is None or level == 0.0), what
