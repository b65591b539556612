"""Golden frames of the anatomy's pictures, compared with Manim's ``frames_comparison``.

The trajectory is the committed ``tests/data/golden.npz`` (2 → 2 → 3 → 1 tanh on moons,
last snapshot at epoch 200), so the frames never depend on torch; the followed point is the
scene's default (:func:`scenes.anatomy.numbers.pick_sample`). The pieces are built as the
scene's beats build them (its diagram, plot and inset), and only the picture is drawn: no
text (titles, labels, tables, formulas, tick numbers), whose rendering differs between
machines. Control frames live in ``tests/anatomy/control_data/anatomy/``; after an
intended visual change, regenerate them with::

    python -m pytest tests/anatomy/test_anatomy_golden.py --set_test

A renderer passed to a scene ignores the scene's camera class, so the test renderer is
given :class:`FastCamera` (see ``tests/test_golden.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from manim import Camera, Mobject, SVGMobject
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from nnmodel.trajectory import load
from scenes.anatomy import Anatomy, numbers
from scenes.anatomy.layout import BOARD
from scenes.anatomy.panels import ActivationPlot
from scenes.anatomy.scene import RESPONSE_RES
from scenes.draw import FastCamera
from scenes.mobjects.textcache import Outlines

#: Folder of the control frames, inside ``tests/anatomy/control_data/``.
__module_test__ = "anatomy"

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


class FastRenderer(CairoRenderer):
    """Manim's Cairo renderer with :class:`FastCamera` as its default camera."""

    def __init__(self, camera_class: type[Camera] | None = None, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class or FastCamera, **kwargs)


class GoldenAnatomy(Anatomy):
    """The anatomy with the golden trajectory bound (frames_comparison passes no args)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(trajectory=load(GOLDEN), **kwargs)


golden = frames_comparison(base_scene=GoldenAnatomy, renderer_class=FastRenderer)


def without_text(mobject: Mobject) -> Mobject:
    """``mobject`` with every text (Text, MarkupText, Typst math: SVG mobjects) taken out
    of its family, in place."""
    assert not isinstance(mobject, SVGMobject | Outlines)
    for m in mobject.get_family():
        m.submobjects = [s for s in m.submobjects if not isinstance(s, SVGMobject | Outlines)]
    return mobject


def start(scene: Anatomy) -> None:
    """Build the scene's pieces (nothing shown yet)."""
    assert isinstance(scene.camera, FastCamera), "points would not be drawn"
    scene.prepare()
    assert scene.facts.index == numbers.pick_sample(scene.traj)  # the default point


def no_text(scene: Anatomy) -> None:
    """Fail if anything text-like is in the scene."""
    found = [m for m in scene.get_mobject_family_members() if isinstance(m, SVGMobject | Outlines)]
    assert not found, f"text in a golden frame: {found}"


@golden
def test_weights(scene: Anatomy) -> None:
    """The diagram from the stored weights: edges coloured by sign and wider for larger
    |w|, hidden and output neurons tinted by their biases (``beat_weights``), the legend's
    two strokes."""
    start(scene)
    f, d = scene.facts, scene.diagram
    nodes = [d.neurons(0)] + [d.filled(i + 1, b, scene.w_max) for i, (_, b) in enumerate(f.weights)]
    scene.add(*scene.edges_now, *nodes, without_text(scene.legend))
    assert len(scene.edges_now) == 3 and len(nodes) == 4
    no_text(scene)


@golden
def test_backward(scene: Anatomy) -> None:
    """The end of the backward pass: every edge's dL/dW (colour, width) and every
    neuron's δ = dL/dz (tint) of the followed point (``beat_error``, ``beat_backward``,
    ``beat_backward_input``)."""
    start(scene)
    f, d = scene.facts, scene.diagram
    p = f.point
    dw_max, dz_max = scene.grad_max()
    edges = [d.edges(i, p.dW[i], dw_max, backward=True) for i in range(len(f.weights))]
    last = len(f.widths) - 1
    nodes = [d.neurons(0), d.filled(last, p.dz[-1], dz_max)]
    for layer in range(1, len(f.weights)):
        _, _, delta = numbers.chain(f.weights, f.acts, p, layer)
        nodes.append(d.filled(layer, delta, dz_max))
    scene.add(*edges, *nodes)
    no_text(scene)


@golden
def test_activation_curve(scene: Anatomy) -> None:
    """Layer 2's tanh with every point's three pre-activations as dots on the curve, the
    followed point's in the accent colour, the flat bands shaded (``beat_activation``)."""
    start(scene)
    f = scene.facts
    plot = ActivationPlot(f.acts[1], f.pre[1], scene.colors, f.point.z[1], BOARD)
    for slide in plot.slides():  # at the end of the slide (a play would not draw the rest)
        slide.finish()
    scene.add(*[without_text(m) for m in plot.mobjects()])
    assert len(plot.dots.points) == 3 * 120
    np.testing.assert_allclose(plot.dots.get_positions()[:, :2], plot.end)
    no_text(scene)


@golden
def test_responses(scene: Anatomy) -> None:
    """The last beat: every neuron replaced by its response over the input plane (x₁, x₂,
    the hidden units, p(class 1)) over the weights' edges, and the inset's decision regions
    with the points and the followed one ringed (``beat_responses*``, ``beat_sample``)."""
    start(scene)
    f, d = scene.facts, scene.diagram
    scene.grids = numbers.responses(f.weights, f.acts, scene.extent, RESPONSE_RES)
    edges = [scene.weight_edges(i, 0.6) for i in range(len(f.weights))]
    pics = [d.heatmaps(c, scene.response_pictures(c)) for c in range(len(f.widths))]
    inset = scene.inset
    plane = [
        inset.image(scene.regions(f.weights)),
        inset.frame(),
        inset.points(scene.traj.inputs, scene.colors),
        inset.ring(f.point.x),
    ]
    scene.add(*plane, *edges, *scene.nodes_now, *pics)
    assert [len(p) for p in pics] == [2 * w for w in f.widths]  # a picture and its frame
    no_text(scene)
