"""The input plane's axis names (the data's columns) fit their side of the plot.

Long column names ("body_length_in_centimetres_at_capture") once ran past the plot: the
rotated y name covered the epoch counter ("epoc- 1,000") and crossed the x name, which was
wider than the plot. Now each is shrunk to a size still read at 480p, then shortened.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import manim
import pytest
from manim import Mobject

from nnmodel.trajectory import Trajectory, load
from scenes.core.view import Box
from scenes.evolution.layout import NAME_MIN_SIZE, NAME_SIZE, axis_names, layout
from scenes.evolution.scene import Evolution
from scenes.mobjects.widgets import text
from scenes.render import pipeline as r

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
LONG = (
    "body_length_in_centimetres_at_capture",
    "average_water_temperature_index",
)


def inside(inner: Box, outer: Box, tol: float = 1e-6) -> bool:
    return (
        inner.xmin >= outer.xmin - tol
        and inner.xmax <= outer.xmax + tol
        and inner.ymin >= outer.ymin - tol
        and inner.ymax <= outer.ymax + tol
    )


def apart(a: Box, b: Box) -> bool:
    return a.xmax <= b.xmin or b.xmax <= a.xmin or a.ymax <= b.ymin or b.ymax <= a.ymin


@pytest.mark.parametrize("legend_height", [0.0, 1.1])
@pytest.mark.parametrize("lengths", [(1.0, 1.5), (4.0, 3.2), (6.0, 9.0), (12.0, 0.5)])
def test_the_names_keep_to_their_sides_of_the_plot(
    lengths: tuple[float, float], legend_height: float
) -> None:
    lay = layout(2, units=True, legend_height=legend_height)
    plot = lay.plane
    below, beside = plot.ymin - 0.35, plot.xmin - 0.6
    x, y = axis_names(plot, ((lengths[0], 0.3), (lengths[1], 0.3)), below, beside)
    # along the plot's sides, never past its corners
    assert plot.xmin - 1e-6 <= x.box.xmin and x.box.xmax <= plot.xmax + 1e-6
    assert plot.ymin - 1e-6 <= y.box.ymin and y.box.ymax <= plot.ymax + 1e-6
    # beyond the tick labels, and apart from each other
    assert x.box.ymax <= below and y.box.xmax <= beside
    assert apart(x.box, y.box)
    # under the counter's row, inside the plane's column (above the class legend)
    assert y.box.ymax < lay.counter[1] - 0.2
    assert inside(x.box, lay.plane_area) and inside(y.box, lay.plane_area)
    sides = (plot.xmax - plot.xmin, plot.ymax - plot.ymin)
    for name, length, side in zip((x, y), lengths, sides, strict=True):
        assert NAME_MIN_SIZE <= name.size <= NAME_SIZE
        if name.cap is None:  # whole, at the largest size that fits
            assert length * name.size / NAME_SIZE <= side + 1e-6
            assert name.size == NAME_SIZE or length * (name.size + 1) / NAME_SIZE > side
        else:  # only at the least size is a name cut, to its side
            assert name.size == NAME_MIN_SIZE and name.cap == pytest.approx(side)


def test_a_name_is_shrunk_before_it_is_cut() -> None:
    plot = Box(-4.0, -1.0, -2.0, 1.0)
    x, y = axis_names(plot, ((3.3, 0.3), (2.0, 0.3)), -2.4, -4.5)
    assert (x.size, x.cap) == (20, None)  # 3.3 × 20/22 = 3.0 fits
    assert (y.size, y.cap) == (NAME_SIZE, None)
    x, _ = axis_names(plot, ((3.9, 0.3), (2.0, 0.3)), -2.4, -4.5)
    assert (x.size, x.cap) == (NAME_MIN_SIZE, 3.0)  # 3.9 × 18/22 = 3.19: cut to 3.0


def long_named(names: tuple[str, str]) -> Trajectory:
    """The golden trajectory as if read from a file whose columns have these names."""
    traj = load(GOLDEN)
    dataset = replace(traj.info.dataset, source="file", columns=names)
    traj.info = replace(traj.info, dataset=dataset)
    return traj


@pytest.fixture(scope="module")
def scenes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Evolution]]:
    cfg = r.manim_config(
        r.RenderOptions(quality="l", fps=4, progress=False), tmp_path_factory.mktemp("media")
    )
    with manim.tempconfig(cfg):
        out = []
        for names in (LONG, ("x", "y"), (LONG[1] * 2, LONG[0] * 2)):
            scene = Evolution(trajectory=long_named(names))
            scene.prepare()
            out.append(scene)
        yield out


def box_of(m: Mobject) -> Box:
    return Box(
        float(m.get_left()[0]),
        float(m.get_right()[0]),
        float(m.get_bottom()[1]),
        float(m.get_top()[1]),
    )


def test_the_scene_draws_long_names_inside_the_plots_sides(scenes: list[Evolution]) -> None:
    for scene in scenes:
        plot = scene.layout.plane
        assert scene.units
        scales = scene.static[scene.static.index(scene.key) - 1]
        x_name, y_name = box_of(scales[-2]), box_of(scales[-1])
        assert plot.xmin - 0.01 <= x_name.xmin and x_name.xmax <= plot.xmax + 0.01
        assert x_name.ymax < plot.ymin
        assert plot.ymin - 0.01 <= y_name.ymin and y_name.ymax <= plot.ymax + 0.01
        assert y_name.xmax < plot.xmin
        assert apart(x_name, y_name)
        # the epoch counter's words and numbers stand clear of the names
        counter = [
            box_of(m)
            for m in scene.static
            if abs(float(m.get_center()[1]) - scene.layout.counter[1]) < 0.05
        ]
        assert counter, "the counter's words are found"
        for a, b in itertools.product(counter, (x_name, y_name)):
            assert apart(a, b)


def test_short_names_stay_whole_at_full_size(scenes: list[Evolution]) -> None:
    short = scenes[1]
    scales = short.static[short.static.index(short.key) - 1]
    x_name, y_name = scales[-2], scales[-1]
    assert x_name.width == pytest.approx(text("x", NAME_SIZE).width)
    assert y_name.height == pytest.approx(text("y", NAME_SIZE).width)
