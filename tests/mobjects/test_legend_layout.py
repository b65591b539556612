"""The class legend with many or long class names: rows of readable text, inside its box."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from manim import Group, Mobject

from nnmodel.trajectory import Trajectory, load
from scenes.core.legend_plan import LEGEND_DISC, LEGEND_GAP, LEGEND_ROW_GAP, plan_legend
from scenes.core.theme import theme
from scenes.core.view import Box
from scenes.draw import PointCloud
from scenes.evolution import Evolution
from scenes.evolution.layout import FRAME, LEGEND_MAX_HEIGHT, LEGEND_WIDTH, layout
from scenes.mobjects.textcache import Outlines
from scenes.mobjects.widgets import ELLIPSIS, drawn_box, legend, text
from scenes.warp import Warp
from scenes.warp.scene import FORMULA_SLOT, LEGEND_HIGHEST, PANEL_X
from tests.anatomy.anatomy_helpers import BREEDS

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # moons, classes '0' and '1'
DOGS = list(BREEDS)  # 8 classes, long names
IRIS = ["setosa", "versicolor", "virginica"]
LONG = ["Iris setosa from the Arctic coast of Alaska", "Iris versicolor (blue flag)", "virginica"]
#: The size the scenes ask for, and the smallest still readable at 480p.
SCENE_SIZE = 22
READABLE = 16
#: Where the scenes put a legend: the warp's side panel between the formula and the
#: metrics line, the evolution's column under the plane.
WARP_BOX = (PANEL_X[1] - PANEL_X[0], 0.8)
EVOLUTION_BOX = (LEGEND_WIDTH, LEGEND_MAX_HEIGHT)
CASES = [(DOGS, "breed"), (DOGS, None), (IRIS, "species"), (LONG, "species_of_the_iris_flower")]
CASE_IDS = ["dogs", "dogs-untitled", "iris", "long"]


def build(names: list[str], title: str | None, box: tuple[float, float] | None) -> Group:
    colours = [theme().class_color(k) for k in range(len(names))]
    return legend(names, colours, SCENE_SIZE, title, fit=box)


def words(g: Mobject) -> list[Outlines]:
    """The texts of a legend, in reading order: line by line from the top, left to right."""
    found = [m for m in g.get_family() if isinstance(m, Outlines)]
    lines: list[list[Outlines]] = []
    for m in sorted(found, key=lambda m: -m.get_center()[1]):
        if lines and abs(lines[-1][0].get_center()[1] - m.get_center()[1]) < 0.1:
            lines[-1].append(m)
        else:
            lines.append([m])
    return [m for line in lines for m in sorted(line, key=lambda m: m.get_left()[0])]


def cells(g: Group) -> list[tuple[PointCloud, Outlines]]:
    """Each class's disc and name."""
    found = []
    for cell in g.submobjects:
        if isinstance(cell, Group):
            disc, name = cell.submobjects
            assert isinstance(disc, PointCloud) and isinstance(name, Outlines)
            found.append((disc, name))
    return found


def readable(m: Outlines) -> bool:
    """As tall as its words are at 16 points, or taller (within 1 %: a text scaled down
    to a size is not exactly the text made at that size)."""
    return bool(m.height >= 0.99 * text(m.text, READABLE).height)


def overlap(a: Box, b: Box) -> bool:
    return a.xmin < b.xmax and b.xmin < a.xmax and a.ymin < b.ymax and b.ymin < a.ymax


def shown_as(shown: str, name: str) -> bool:
    """``shown`` is ``name``, or a start of it (at least four characters) with an ellipsis."""
    if shown == name:
        return True
    start = shown.removesuffix(ELLIPSIS)
    return shown.endswith(ELLIPSIS) and len(start) >= 4 and name.startswith(start)


@dataclass
class Built:
    """A legend built for a case, with what it was asked to show."""

    names: list[str]
    title: str | None
    box: tuple[float, float]
    legend: Group


@pytest.fixture(
    scope="module",
    params=list(itertools.product(CASES, [WARP_BOX, EVOLUTION_BOX])),
    ids=[f"{c}-{b}" for c in CASE_IDS for b in ("warp", "evolution")],
)
def built(request: pytest.FixtureRequest) -> Built:
    """Each case in each scene's box, built once for the tests below."""
    (names, title), box = request.param
    return Built(names, title, box, build(names, title, box))


def test_a_legend_fits_its_box_with_readable_text(built: Built) -> None:
    drawn = drawn_box(built.legend)
    assert drawn.xmax - drawn.xmin <= built.box[0] + 1e-6
    assert drawn.ymax - drawn.ymin <= built.box[1] + 1e-6
    for m in words(built.legend):  # not scaled down: as tall as its words at 16 points
        assert readable(m), m.text
    for disc, _ in cells(built.legend):  # discs shrink with the text, no smaller
        assert disc.radius >= LEGEND_DISC * READABLE / SCENE_SIZE - 1e-9


def test_nothing_in_a_legend_overlaps(built: Built) -> None:
    texts = words(built.legend)
    for a, b in itertools.combinations(texts, 2):
        assert not overlap(drawn_box(a), drawn_box(b)), (a.text, b.text)
    for disc, name in cells(built.legend):
        spot = drawn_box(disc)
        assert spot.xmax < name.get_left()[0], name.text  # left of its own name, clear of it
        assert name.get_bottom()[1] < disc.get_center()[1] < name.get_top()[1]
        for m in texts:
            assert not overlap(spot, drawn_box(m)), (name.text, m.text)


def test_a_legend_reads_title_then_classes_in_order(built: Built) -> None:
    expected = ([built.title] if built.title else []) + built.names
    shown = [m.text for m in words(built.legend)]
    assert len(shown) == len(expected)
    assert all(shown_as(s, e) for s, e in zip(shown, expected, strict=True)), shown
    colours = [theme().class_color(k) for k in range(len(built.names))]
    for (disc, _), colour in zip(cells(built.legend), colours, strict=True):
        assert np.allclose(disc.rgbas[0], PointCloud(np.zeros((1, 2)), colors=[colour]).rgbas[0])


def test_eight_long_names_use_several_rows_at_a_readable_size() -> None:
    """The QA case: eight dog breeds in the warp's panel were one row ~2 px tall."""
    g = build(DOGS, "breed", WARP_BOX)
    texts = words(g)
    lines = {round(float(m.get_bottom()[1]), 1) for m in texts}
    assert len(lines) >= 3
    assert all(readable(m) for m in texts)
    assert any(m.text == "Beagle" for m in texts)  # short names stay whole


def test_three_names_and_a_title_keep_the_scene_size() -> None:
    """setosa, versicolor, virginica and 'species' were scaled to ~6 px in the warp."""
    g = build(IRIS, "species", WARP_BOX)
    for m in words(g):
        assert m.height == pytest.approx(text(m.text, SCENE_SIZE).height)
    assert [m.text for m in words(g)] == ["species", *IRIS]


def test_an_over_long_name_is_shortened_the_others_keep_their_size() -> None:
    long = "a class whose name goes on and on well past the width of any side panel"
    g = build(["cat", "dog", long], None, WARP_BOX)
    shown = {m.text: m for m in words(g)}
    assert shown["cat"].height == pytest.approx(text("cat", SCENE_SIZE).height)
    (cut,) = [s for s in shown if s not in ("cat", "dog")]
    assert cut.endswith(ELLIPSIS) and long.startswith(cut.removesuffix(ELLIPSIS))


@pytest.mark.parametrize("box", [WARP_BOX, EVOLUTION_BOX, None], ids=["warp", "evo", "none"])
@pytest.mark.parametrize("names", [["0", "1"], ["bird", "cat", "dog"]])
def test_a_legend_that_fits_one_row_is_the_row_it_always_was(
    names: list[str], box: tuple[float, float] | None
) -> None:
    """Two classes look exactly as before: the same discs and glyphs in the same places."""
    colours = [theme().class_color(k) for k in range(len(names))]
    row = Group()
    for name, colour in zip(names, colours, strict=True):
        disc = PointCloud(np.zeros((1, 2)), colors=[colour], radius=0.08)
        row.add(Group(disc, text(name, SCENE_SIZE).next_to(disc, np.array([1, 0, 0]), buff=0.12)))
    row.arrange(np.array([1.0, 0.0, 0.0]), buff=0.35)
    g = build(names, None, box)
    assert len(g.get_family()) == len(row.get_family())
    for a, b in zip(g.get_family(), row.get_family(), strict=True):
        assert np.array_equal(a.points, b.points)
        assert getattr(a, "radius", None) == getattr(b, "radius", None)


def test_a_plan_never_overflows_its_box() -> None:
    """Random names and boxes: every row of a plan fits the width, its lines the height."""
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 8)
        names = [(w, min(w, 0.5)) for w in (rng.uniform(0.2, 4.0) for _ in range(n))]
        title = (rng.uniform(0.5, 3.0), 0.5) if rng.random() < 0.5 else None
        height, box = 0.3, (rng.uniform(2.0, 6.0), rng.uniform(0.3, 1.5))
        plan = plan_legend(names, title, height, SCENE_SIZE, box)
        if plan is None:
            continue
        k = plan.size / SCENE_SIZE
        assert READABLE <= plan.size <= SCENE_SIZE
        assert plan.lines * height * k + (plan.lines - 1) * LEGEND_ROW_GAP * k <= box[1] + 1e-9
        texts = ([title] if title else []) + names
        for row in plan.rows:
            width = sum(
                min(texts[i][0] * k, plan.caps[i] or np.inf) + (0 if title and i == 0 else 0.2 * k)
                for i in row
            )
            width += LEGEND_GAP * k * (len(row) - 1) + LEGEND_DISC * k
            assert width <= box[0] + 1e-9
        rows = [i for row in plan.rows for i in row]
        assert rows == list(range(int(plan.title_line), len(texts)))  # in order, all there


@pytest.fixture
def dog_classes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The golden trajectory's two classes shown as the eight dog breeds' names."""
    monkeypatch.setattr(Trajectory, "class_names", property(lambda self: DOGS))


@pytest.mark.usefixtures("dog_classes")
def test_the_warp_panel_keeps_many_classes_between_the_formula_and_the_metrics() -> None:
    """Eight breeds take more of the panel rather than lose their names, and a formula
    shown later stays clear of them."""
    scene = Warp(trajectory=load(GOLDEN))
    scene.prepare()
    key = drawn_box(scene.legend)
    assert PANEL_X[0] <= key.xmin and key.xmax <= PANEL_X[1]
    assert key.ymin > scene.metrics_label.get_top()[1]
    # names at the panel's size, never shrunk: the legend may take the formula's room up
    # to LEGEND_HIGHEST, and the formula is made smaller
    assert key.ymax <= LEGEND_HIGHEST
    assert sorted(m.text for m in words(scene.legend)) == sorted(DOGS)  # every name whole
    assert all(readable(m) for m in words(scene.legend))
    tall = "W = mat(1.25, -0.5, 2; 0.75, 3, -1; 0.1, 0.2, 0.3)"  # taller than its slot
    scene.set_formula(tall, "a note under it")
    assert scene.formula is not None
    assert scene.formula.get_bottom()[1] > key.ymax
    assert scene.formula.get_top()[1] <= FORMULA_SLOT[0] + 1e-6


def test_the_warp_panel_is_unchanged_for_two_classes() -> None:
    scene = Warp(trajectory=load(GOLDEN))
    scene.prepare()
    assert scene.formula_slot == FORMULA_SLOT
    assert drawn_box(scene.legend).ymax < FORMULA_SLOT[1]


@pytest.mark.usefixtures("dog_classes")
def test_the_evolution_makes_room_under_the_plane_for_many_classes() -> None:
    scene = Evolution(trajectory=load(GOLDEN))
    scene.prepare()
    lay, key = scene.layout, drawn_box(scene.key)
    area = lay.plane_area
    assert FRAME.contains([[key.xmin, key.ymin], [key.xmax, key.ymax]])
    assert key.ymax < area.ymin  # under the plane and its scales, clear of them
    assert area.xmax - area.xmin == pytest.approx(area.ymax - area.ymin)  # still a square
    assert all(readable(m) for m in words(scene.key))


def test_the_evolution_layout_is_unchanged_for_a_legend_of_one_row() -> None:
    scene = Evolution(trajectory=load(GOLDEN))
    scene.prepare()
    n = len(scene.traj.hidden_layers)
    assert scene.layout == layout(n, scene.units)
    assert layout(n, True, LEGEND_MAX_HEIGHT).plane_area != layout(n, True).plane_area
