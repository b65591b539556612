"""Standardised inputs are said to be, where they are shown; the data's own values and its
columns' names are legible at 480p; the notes under the input plane keep their size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel.trajectory import load
from scenes.anatomy.layout import BOARD, EDGE_MARGIN, FRAME_LEFT, INSET
from scenes.anatomy.names import NAME_SIZE, SHORT_SIZE, text_width
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.anatomy.stage import NOTE_SIZE, NOTE_WIDTH
from scenes.mobjects.widgets import text
from scenes.narration import anatomy as words
from tests.anatomy.anatomy_helpers import BREEDS, COLUMNS, scene_for

pytestmark = pytest.mark.usefixtures("own_media")

#: The labels under the neurons are drawn at 20 pt, the notes beside the pictures at 18.
LEGIBLE = 18


def test_standardised_values_are_said_to_be_and_the_data_s_own_are_kept(wine_traj: Path) -> None:
    traj = load(wine_traj)
    f = gather(traj)
    scaling = traj.info.dataset.standardization
    assert scaling is not None
    raw = np.asarray(scaling.mean) + np.asarray(scaling.std) * f.point.x
    assert f.original is not None
    np.testing.assert_allclose(f.original, raw, rtol=1e-9)
    assert f.names == ("alcohol", "proline")  # the inputs are named by the data's columns
    sample = {b.id: b for b in anatomy_plan(traj, f)}["sample"]
    x = f.point.x
    assert sample.line.caption.startswith(
        f"Follow one point, standardised: ({words.num(x[0])}, {words.num(x[1])})"
    )
    assert "standardised" in sample.line.narration
    assert [c for c, _ in sample.data["original"]] == ["alcohol", "proline"]


@pytest.mark.parametrize("fixture", ["raw_wine_traj", "moons_traj"])
def test_data_in_its_own_units_is_not_called_standardised(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(fixture)
    traj = load(path)
    f = gather(traj)
    assert f.original is None
    assert f.names == (None if fixture == "moons_traj" else ("alcohol", "proline"))
    beats = {b.id: b for b in anatomy_plan(traj, f)}
    assert "standardised" not in beats["sample"].line.caption
    assert beats["sample"].data["original"] == []
    scene = scene_for(traj)
    assert len(scene.diagram.titles[0]) == 1  # "input", nothing under it


def test_the_input_column_says_standardised_and_the_board_gives_the_data_s_values(
    dogs_traj: Path,
) -> None:
    traj = load(dogs_traj)
    scene = scene_for(traj)
    assert len(scene.diagram.titles[0]) == 2  # "input" over "standardised"
    board = scene.standardised_board()
    # the full column names fit the board at the notes' size, with both values each
    assert board.get_left()[0] >= BOARD.xmin - 1e-6 and board.get_right()[0] <= BOARD.xmax
    assert board.get_top()[1] <= BOARD.ymax + 1e-6 and board.get_bottom()[1] >= BOARD.ymin
    full = text(COLUMNS[0], NOTE_SIZE)
    assert board[1].height == pytest.approx(full.height)  # the name, not shrunk
    assert board[1].width == pytest.approx(full.width)  # nor cut
    shown = dict((k, s) for _, k, s in scene.shown)
    assert shown["x.0"] == words.num(scene.facts.point.x[0])


@pytest.fixture(params=["moons_traj", "wine_traj", "dogs_traj"])
def each_scene(request: pytest.FixtureRequest) -> tuple[str, Any]:
    """Each test trajectory's name and its anatomy scene, prepared: built-in moons, the
    wine file (short column names), the dogs (long names, eight classes)."""
    name = str(request.param)
    return name, scene_for(load(request.getfixturevalue(name)))


def test_the_notes_under_the_input_plane_are_legible_and_clear_of_the_board(
    each_scene: tuple[str, Any],
) -> None:
    fixture, scene = each_scene
    traj = scene.traj
    f = scene.facts
    sample = {b.id: b for b in anatomy_plan(traj, f)}["sample"]
    notes = [
        scene.sample_note(sample.data["original"]),
        words.regions_note(),
        words.step_note(0.0004, "before the step", "after"),
        words.step_note(0.25, "at epoch 1900", "at 2000"),
    ]
    assert NOTE_SIZE >= LEGIBLE
    for note in notes:
        drawn = scene.plane_note(note)
        unscaled = text(note, NOTE_SIZE)
        assert drawn.height == pytest.approx(unscaled.height), note  # drawn at NOTE_SIZE
        assert drawn.width <= NOTE_WIDTH + 1e-9, note
        assert drawn.get_bottom()[1] > BOARD.ymax, note  # above the board
        assert drawn.get_top()[1] < INSET.ymin, note  # under the plane
    if f.original is not None:  # the data's values, in the first note, as the file has them
        for v in f.original:
            assert f"{v:.4g}".replace("-", "−") in notes[0]
    if fixture == "wine_traj":  # short names fit whole
        assert "alcohol" in notes[0] and "proline" in notes[0]


def test_the_inputs_names_keep_off_the_frame_s_edge(each_scene: tuple[str, Any]) -> None:
    _, scene = each_scene
    f, names = scene.facts, scene.diagram.input_names
    assert names.get_left()[0] >= FRAME_LEFT + EDGE_MARGIN - 1e-6  # 15 px at 480p
    for name, (x, y) in zip(names, f.layout.columns[0].positions, strict=True):
        assert name.get_right()[0] < x - f.layout.radius  # left of its own neuron
        assert name.get_center()[1] == pytest.approx(y)  # at its height
    spot = f.layout.spot(0)
    assert FRAME_LEFT < spot.xmin < names.get_left()[0]  # the highlight holds them


@pytest.mark.parametrize("size", [NAME_SIZE, SHORT_SIZE])
def test_names_are_planned_as_wide_as_they_are_drawn(size: int) -> None:
    """The diagram's rooms are planned before drawing from the font's advances: never
    narrower than the name drawn (which would cut it), at most a letter's width wider."""
    for name in [*BREEDS, *COLUMNS, "height_cm", "income_eur", "x", "class 1", "Hünd"]:
        drawn = text(name, size).width
        assert drawn <= text_width(name, size) <= drawn + 0.1, name
