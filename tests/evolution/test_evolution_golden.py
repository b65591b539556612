"""Golden frames of the evolution at three moments, compared with Manim's ``frames_comparison``.

The trajectory is the committed ``tests/data/golden.npz`` (2 → 2 → 3 → 1 tanh on moons,
snapshots at epochs 0, 5, 33 and 200), so the frames never depend on torch. Only the
picture is drawn: the mesh, the boundary, the points, the layers' panels (a 3-D one among
them) and the charts' lines, axes and markers; no text, whose rendering differs between
machines. Control frames live in ``tests/evolution/control_data/evolution/``; after an
intended visual change, regenerate them with::

    python -m pytest tests/evolution/test_evolution_golden.py --set_test

A renderer passed to a scene ignores the scene's camera class, so the test renderer is
given :class:`FastCamera` (see ``tests/test_golden.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from manim import Camera, SVGMobject
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from nnmodel.trajectory import load
from scenes.draw import FastCamera, LineBundle
from scenes.evolution import Evolution
from scenes.mobjects.textcache import Outlines

#: Folder of the control frames, inside ``tests/evolution/control_data/``.
__module_test__ = "evolution"

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


class FastRenderer(CairoRenderer):
    """Manim's Cairo renderer with :class:`FastCamera` as its default camera."""

    def __init__(self, camera_class: type[Camera] | None = None, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class or FastCamera, **kwargs)


class GoldenEvolution(Evolution):
    """The evolution with the golden trajectory bound (frames_comparison passes no args)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(trajectory=load(GOLDEN), **kwargs)


golden = frames_comparison(base_scene=GoldenEvolution, renderer_class=FastRenderer)


def picture_at(scene: Evolution, epoch: float) -> None:
    """Everything but text, at ``epoch``."""
    assert isinstance(scene.camera, FastCamera), "points and lines would not be drawn"
    scene.prepare()
    lines = [m for m in scene.static if isinstance(m, LineBundle)]
    moving = [m for m in scene.moving.submobjects if m not in [r.group for r in scene.readouts]]
    scene.add(*lines, *moving)
    scene.show(scene.clock.fraction(epoch))
    found = [m for m in scene.get_mobject_family_members() if isinstance(m, SVGMobject | Outlines)]
    assert not found, f"text in a golden frame: {found}"


@golden
def test_start(scene: Evolution) -> None:
    """Epoch 0: the untrained network's pale mesh, the layers as initialised."""
    picture_at(scene, 0.0)


@golden
def test_between_snapshots(scene: Evolution) -> None:
    """Epoch 15, between the snapshots of epochs 5 and 33: everything interpolated."""
    picture_at(scene, 15.0)
    assert 5 < scene.clock.epoch(scene.shown[-1][1]) < 33


@golden
def test_end(scene: Evolution) -> None:
    """Epoch 200, the end: the trained boundary, the whole curves."""
    picture_at(scene, 200.0)
