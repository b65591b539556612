"""Golden frames of key moments of the warp scene, compared with Manim's ``frames_comparison``.

The trajectory is the committed ``tests/data/golden.npz`` (a 2 → 2 → 3 → 1 tanh net on
moons), so the frames never depend on torch. Control frames live in
``tests/control_data/warp/``; after an intended visual change, regenerate them with::

    python -m pytest tests/test_golden.py --set_test

and look at a failure with ``--show_diff``. Only points, grid lines, axes, separator
shapes and the mesh image are drawn: no text, whose rendering differs between machines.

Why a custom renderer: ``frames_comparison`` builds the renderer itself and passes it to
the scene, and a renderer passed to a :class:`manim.Scene` ignores the scene's
``camera_class``. The test renderer therefore gets a plain :class:`manim.Camera` (only
``base_scene is ThreeDScene`` gets a ``ThreeDCamera``), which silently draws nothing for
``PointCloud`` and ``LineBundle``. ``renderer_class=FastRenderer`` (a ``CairoRenderer``
whose default camera is :class:`FastCamera`) fixes that; every test asserts it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from manim import Camera, SVGMobject, smooth
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from nnmodel.trajectory import load
from scenes.core.view import pad3
from scenes.draw import FastCamera
from scenes.mobjects.textcache import Outlines
from scenes.warp import Warp

#: Folder of the control frames, inside ``tests/control_data/`` (read by frames_comparison).
__module_test__ = "warp"

GOLDEN = Path(__file__).parent / "data" / "golden.npz"


class FastRenderer(CairoRenderer):
    """Manim's Cairo renderer with :class:`FastCamera` as its default camera."""

    def __init__(self, camera_class: type[Camera] | None = None, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class or FastCamera, **kwargs)


class GoldenWarp(Warp):
    """The warp scene with the golden trajectory bound (frames_comparison passes no args)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(trajectory=load(GOLDEN), **kwargs)


golden = frames_comparison(base_scene=GoldenWarp, renderer_class=FastRenderer)


def half(alpha: float) -> float:
    """A rate function that stops a move halfway (t = 0.5), eased as the real one."""
    return 0.5 * smooth(alpha)


def show_rig(scene: Warp) -> None:
    """Build the rig (and the unused text panel) and show only the rig."""
    assert isinstance(scene.camera, FastCamera), "points and lines would not be drawn"
    scene.prepare()
    scene.add(scene.rig.group)


def draw_input(scene: Warp) -> None:
    """Points, grid and axes in the input plane (as the video's first beat)."""
    first = scene.stages[0]
    scene.rig.draw(pad3(first.points), pad3(first.grid), scene.input_view, 2)


def play_layer(scene: Warp, index: int, until: str | None = None, rate: Any = smooth) -> None:
    """Play a layer's moves through :meth:`Warp.move` (real framing and camera turns).

    With ``until``, stop after the move of that kind, played with ``rate``.
    """
    for kind, step, dims in scene.layer_steps(index):
        last = kind == until
        scene.move(step, dims, rate=rate if last else smooth)
        if last:
            return
    assert until is None, f"layer {index} has no {until!r} move"


def no_text(scene: Warp) -> None:
    """Fail if anything text-like (Text, MathTypst: SVG mobjects) is in the scene."""
    found = [m for m in scene.get_mobject_family_members() if isinstance(m, SVGMobject | Outlines)]
    assert not found, f"text in a golden frame: {found}"


@golden
def test_input_plane(scene: Warp) -> None:
    """1. The data in its input plane: points over the grid and the two axes."""
    show_rig(scene)
    draw_input(scene)
    no_text(scene)


@golden
def test_layer1_linear_half(scene: Warp) -> None:
    """2. Halfway along layer 1's linear map W·x (polar path at t = 0.5, framed by ``move``)."""
    show_rig(scene)
    draw_input(scene)
    play_layer(scene, 0, until="linear", rate=half)
    view = scene.rig.view
    assert view is not None and view.phi == 0.0
    no_text(scene)


@frames_comparison(last_frame=False, base_scene=GoldenWarp, renderer_class=FastRenderer)
def test_layer1_linear_frames(scene: Warp) -> None:
    """2b. Every frame of layer 1's linear map (1 s at 6 fps, 427 × 240): the whole path."""
    show_rig(scene)
    draw_input(scene)
    kind, step, dims = scene.layer_steps(0)[0]
    assert kind == "linear"
    scene.move(step, dims, run_time=1.0)
    no_text(scene)


@golden
def test_layer1_activation_half(scene: Warp) -> None:
    """3. Halfway through layer 1's activation z → tanh(z) (after W·x and + b)."""
    show_rig(scene)
    draw_input(scene)
    play_layer(scene, 0, until="activation", rate=half)
    no_text(scene)


@golden
def test_layer2_lift_end(scene: Warp) -> None:
    """4. Layer 2's 2 → 3 linear lift at its end: tilted, turning view, depth-sorted points."""
    show_rig(scene)
    draw_input(scene)
    play_layer(scene, 0)
    play_layer(scene, 1, until="linear")
    view = scene.rig.view
    assert view is not None and view.phi > 0 and scene.current_dims == 3
    no_text(scene)


@golden
def test_layer2_end_separator_3d(scene: Warp) -> None:
    """4b. The end of layer 2 (after tanh, in 3-D) with the output layer's separating plane."""
    show_rig(scene)
    draw_input(scene)
    play_layer(scene, 0)
    play_layer(scene, 1)
    sep = scene.traj.separator(scene.snapshot)
    view = scene.rig.view
    assert view is not None and view.phi > 0
    shapes = scene.separator_3d(sep.w, sep.b, view)
    assert len(shapes) == 1 and len(shapes[0].points) > 0
    scene.add(*shapes)
    no_text(scene)


@golden
def test_baseline_regions(scene: Warp) -> None:
    """5. The logistic-regression baseline in the input plane: boundary line and regions."""
    show_rig(scene)
    draw_input(scene)
    base = scene.traj.manifest["baseline"]
    shapes = scene.regions_2d(np.array(base["W"]), np.array(base["b"]), scene.input_view)
    assert len(shapes) == 3  # the line, then one region per class
    scene.add(*shapes)
    no_text(scene)


@golden
def test_mesh_regions(scene: Warp) -> None:
    """5b. The network's decision regions (probability mesh image) with the points over it."""
    show_rig(scene)
    draw_input(scene)
    scene.add(scene.mesh_image(scene.input_view))
    no_text(scene)
