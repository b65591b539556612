"""A layer too wide to draw shows the units that matter for the followed point, in a stable
order, and says which they are: the numbers the captions quote are on screen, not hidden in
"+11 more" behind a table of zeros."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel.trajectory import Trajectory, load
from scenes.anatomy import numbers
from scenes.anatomy.layout import MAX_UNITS
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.narration.anatomy import num
from tests.anatomy.anatomy_helpers import scene_for, train_net

pytestmark = pytest.mark.usefixtures("own_media")


@pytest.fixture(scope="module")
def wide(tmp_path_factory: pytest.TempPathFactory) -> Trajectory:
    """16-16 ReLU on three spiral arms: most of a layer is zero for any one point."""
    return load(train_net("spiral_wide", tmp_path_factory.mktemp("wide")))


def quoted(sub: str, after: str) -> str:
    """The number a subcaption writes right after ``after``."""
    return sub.split(after, 1)[1].split()[0].rstrip(",;)")


@pytest.mark.parametrize("sample", [None, 3, 77])
def test_the_units_drawn_are_those_the_captions_quote(wide: Trajectory, sample: int | None) -> None:
    f = gather(wide, -1, sample)
    p = f.point
    beats = {b.id: b for b in anatomy_plan(wide, f)}
    for column in (1, 2):
        units = f.layout.columns[column].units
        assert len(units) == MAX_UNITS - 1 and list(units) == sorted(units)
        h, dz = np.abs(p.a[column - 1]), np.abs(p.dz[column - 1])
        if h.max() > 0:
            assert int(np.argmax(h)) in units  # the most active unit
        if dz.max() > 0:
            assert int(np.argmax(dz)) in units  # the largest δ, which the caption quotes
    # "largest |δ| X" for layer 1 and 2: a drawn unit's δ reads X
    for beat, column in (("backward.layer-2", 1), ("backward.output", 2)):
        top = quoted(beats[beat].line.sub, "largest |δ| ")
        drawn = [num(p.dz[column - 1][u]).lstrip("−") for u in f.layout.columns[column].units]
        assert top in drawn, (beat, top, drawn)
    # "largest |dL/dW| here X" of layer 1: the input table has it, in a drawn unit's row
    top = quoted(beats["backward.layer-1"].line.sub, "here ")
    drawn = [num(p.dW[0][u, k]).lstrip("−") for u in f.layout.columns[1].units for k in (0, 1)]
    assert top in drawn, (top, drawn)
    # the forward caption quotes the table's first row
    first = f.layout.columns[1].units[0]
    assert beats["layer-1.forward"].line.sub.startswith(f"unit {first + 1}: z = ")


def test_tables_of_a_wide_layer_are_not_all_zeros_when_the_caption_is_not(wide: Trajectory) -> None:
    from scenes.anatomy.tables import backward_table, forward_table, input_table

    for sample in range(0, len(wide.inputs), 7):
        f = gather(wide, -1, sample)
        for table in (
            forward_table(f, 0),
            forward_table(f, 1),
            backward_table(f, 1),
            backward_table(f, 2),
            input_table(f),
        ):
            values = [float(c.replace("−", "-")) for row in table.rows for c in row[1:]]
            rest = table.foot
            # the foot says how many units are left out, and how large they are at most
            assert rest.startswith("+11 more units: "), rest
            if any(values) or "all 0.00" in rest:
                continue
            raise AssertionError(f"sample {sample}: {table.head} all zero, but {rest}")


def test_the_drawn_units_say_which_they_are_and_keep_their_order(wide: Trajectory) -> None:
    scene = scene_for(wide)
    f = scene.facts
    units = f.layout.columns[1].units
    texts = scene.label_texts(1, "h", "h", f.point.a[0])
    subscripts = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
    named = [int(t.split("=")[0][1:].translate(subscripts)) for t in texts]
    assert named == [u + 1 for u in units]  # h₇ is unit 7, top to bottom in order
    # the same point draws the same units, whichever way it is asked for
    again = gather(wide, -1, f.index)
    assert again.layout.columns[1].units == units
    assert numbers.busiest_units(f.point, 1, 5) == units
    diagram = anatomy_plan(wide, f)[0]
    assert "wide layers: the 5 our point uses most" in diagram.line.sub


def test_a_narrow_layer_draws_every_unit_and_names_them_plainly(moons_traj: Path) -> None:
    scene = scene_for(load(moons_traj))
    f = scene.facts
    assert f.layout.columns[1].units == tuple(range(f.widths[1]))
    assert all(t.startswith("h=") for t in scene.label_texts(1, "h", "h", f.point.a[0]))
