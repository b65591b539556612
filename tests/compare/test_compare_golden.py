"""Golden frames of a two-run comparison on its clock, compared with Manim's ``frames_comparison``.

The runs never depend on torch: the committed ``tests/data/golden.npz`` (2 → 2 → 3 → 1
tanh on moons, 200 epochs) and a run derived from it without training
(:func:`stopped_copy`: its snapshots of epochs 0, 5 and 33, stopped early at 33, written
with :func:`nnmodel.export.build`). Only the picture is drawn: each cell's mesh tile with
its points, frame and loss curve, the badge boxes, the clock's track, ticks, progress and
marker; no text (labels, numbers, the badges' words, the epoch counter: Manim ``Text`` and
the scene's own :class:`~scenes.compare.drawing.GlyphText`), whose rendering differs between
machines. Control frames live in ``tests/compare/control_data/compare/``; after an intended
visual change, regenerate them with::

    python -m pytest tests/compare/test_compare_golden.py --set_test

The background is the render's (the scene does not set it). The scene draws with
:class:`~scenes.compare.drawing.CompareCamera`, but a renderer passed to a scene ignores the
scene's camera class: the test renderer is given it (see ``tests/test_golden.py``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from manim import Camera, Mobject, SVGMobject
from manim.renderer.cairo_renderer import CairoRenderer
from manim.utils.testing.frames_comparison import frames_comparison

from nnmodel import trajectory
from nnmodel.config import RunConfig
from nnmodel.datasets.dataset import Dataset
from nnmodel.export import build
from nnmodel.trajectory import Trajectory, load
from scenes.compare import Compare, GridSource
from scenes.compare.drawing import CompareCamera, GlyphText, MeshTile
from scenes.core.theme import theme
from scenes.mobjects.textcache import Outlines

#: Folder of the control frames, inside ``tests/compare/control_data/``.
__module_test__ = "compare"

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
#: The derived run keeps the golden run's snapshots up to this epoch, and stops there.
STOP = 33


def stopped_copy(src: Trajectory, dst: Path) -> Path:
    """The run ``src`` as if it had stopped early at epoch :data:`STOP` on a target loss:
    its snapshots up to then, its metrics up to then (no torch: gradients and meshes are
    computed by :func:`~nnmodel.export.build` in numpy)."""
    kept = [s for s in range(src.n_snapshots) if int(src.epochs[s]) <= STOP]
    assert int(src.epochs[kept[-1]]) == STOP
    by_epoch = {int(src.epochs[s]): src.weights(s) for s in kept}
    metrics = {k: list(v[: STOP + 1]) for k, v in src.metrics.items()}
    base = RunConfig.from_dict(dict(src.info.config))
    last_loss = metrics["train_loss"][STOP]
    assert last_loss is not None
    target = float(np.ceil(last_loss * 100) / 100)
    cfg = dataclasses.replace(base, train=dataclasses.replace(base.train, target_loss=target))
    data = Dataset(
        np.ascontiguousarray(src.inputs, np.float32),
        np.asarray(src.labels, np.int64),
        tuple(src.class_names),
        src.info.dataset.name,
    )
    mask = np.asarray(src.test_mask, bool)
    info, arrays = build(cfg, data, by_epoch, STOP, metrics, mask, stopped_early=True)
    return trajectory.write(dst, info, arrays)


class CompareRenderer(CairoRenderer):
    """Manim's Cairo renderer with :class:`CompareCamera` as its default camera."""

    def __init__(self, camera_class: type[Camera] | None = None, **kwargs: Any) -> None:
        super().__init__(camera_class=camera_class or CompareCamera, **kwargs)


class GoldenCompare(Compare):
    """The comparison of the golden run and its stopped copy (frames_comparison passes no
    args: the grid is set by the module's fixture)."""

    source: ClassVar[GridSource | None] = None

    def __init__(self, **kwargs: Any) -> None:
        assert self.source is not None, "the runs fixture did not run"
        super().__init__(grid=self.source.load(), **kwargs)


@pytest.fixture(autouse=True, scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The two runs, written once for this module's tests."""
    stopped = stopped_copy(load(GOLDEN), tmp_path_factory.mktemp("compare") / "stopped.npz")
    GoldenCompare.source = GridSource(((GOLDEN, stopped),), (("200 epochs", "stopped"),))
    yield
    GoldenCompare.source = None


#: The scene leaves the background to the render's config (``scenes.render.pipeline``).
golden = frames_comparison(
    base_scene=GoldenCompare,
    renderer_class=CompareRenderer,
    background_color=theme().background,
)


def is_text(mobject: Mobject) -> bool:
    """Text of any kind: Manim's (SVG mobjects) or the scene's glyph lines."""
    return isinstance(mobject, SVGMobject | Outlines | GlyphText)


def without_text(mobject: Mobject) -> Mobject:
    """``mobject`` with every text taken out of its family, in place."""
    assert not is_text(mobject)
    for m in mobject.get_family():
        m.submobjects = [s for s in m.submobjects if not is_text(s)]
    return mobject


def picture_at(scene: Compare, where: float) -> None:
    """Everything but text at ``where`` of the clock (0: its start, 1: its end)."""
    assert isinstance(scene.camera, CompareCamera), "tiles, points and lines would not be drawn"
    scene.prepare()
    board = scene.board
    assert len(board.tiles) == 2 and len(board.curve_u) == 2
    static = [without_text(m) for m in board.static if not is_text(m)]
    badges = [without_text(g) for g in board.badge_groups()]
    scene.add(*static, *board.tiles, board.curves, board.progress, board.marker, *badges)
    board.show(where * scene.plan.clock_frames)
    found = [m for m in scene.get_mobject_family_members() if is_text(m)]
    assert not found, f"text in a golden frame: {found}"


def shown_badges(scene: Compare) -> list[bool]:
    """Whether each badge of the comparison is shown now."""
    return [vis.shown for cell in scene.board.badges for _, _, vis in cell]


@golden
def test_start(scene: Compare) -> None:
    """Epoch 0: both untrained networks' (equal) meshes, no curve yet, no badge."""
    picture_at(scene, 0.0)
    assert all(isinstance(t, MeshTile) and t.state[0] == 0 for t in scene.board.tiles)
    assert shown_badges(scene) == [False]


@golden
def test_middle(scene: Compare) -> None:
    """Halfway along the clock (epoch ≈ 25, between the snapshots of epochs 5 and 33):
    blended meshes, half-drawn loss curves, the stop badge not yet shown."""
    picture_at(scene, 0.5)
    assert 5 < scene.plan.epoch_at_frame(scene.plan.clock_frames / 2) < STOP
    assert all(t.state[:2] == (1, 2) and 0 < t.state[2] < 1 for t in scene.board.tiles)
    assert shown_badges(scene) == [False]


@golden
def test_end(scene: Compare) -> None:
    """The end: the trained boundary of epoch 200, the copy frozen at epoch 33 with its
    stop badge's box, whole curves, the clock full."""
    picture_at(scene, 1.0)
    assert shown_badges(scene) == [True]
    assert scene.board.tiles[1].state[0] == 2  # its last snapshot, epoch 33
