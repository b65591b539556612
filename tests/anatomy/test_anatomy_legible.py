"""Every text of the anatomy is legible at 480p, at one size per kind: the board's notes and
the activation plot's are not shrunk to fit, the labels under the neurons are one size for
the whole diagram and never touch, even with eight columns; the ringed point is named by
its class, not by an index a student cannot use."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from nnmodel.trajectory import load
from scenes.anatomy.layout import BOARD
from scenes.anatomy.panels import ActivationPlot
from scenes.anatomy.plan import anatomy_plan
from scenes.mobjects.widgets import text
from scenes.narration import anatomy as words
from tests.anatomy.anatomy_helpers import scene_for, train_net

pytestmark = pytest.mark.usefixtures("own_media")

#: 480 pixels over the frame's 8 units; the smallest text height a student reads at 480p.
PX = 60
LEGIBLE_PX = 11.5
NOTES = 18


def test_the_gradient_note_is_drawn_at_the_notes_size_and_fits_the_board() -> None:
    scene = scene_for(load("tests/data/golden.npz"))
    note = scene.board_note()
    full = text(words.point_gradient_note(), NOTES)
    assert note.height == pytest.approx(full.height)  # not shrunk
    assert note.width <= BOARD.xmax - BOARD.xmin


def test_the_activation_plot_says_how_many_dots_at_a_legible_size() -> None:
    rng = np.random.default_rng(0)
    z = rng.normal(size=(400, 16))  # 6,400 values: more than the plot draws
    colors = np.ones((400, 4))
    plot = ActivationPlot("relu", z, colors, z[0], BOARD)
    notes = [m for m in plot.static.submobjects if "drawn" in str(getattr(m, "text", ""))]
    assert len(notes) == 1, "a note says how many values are drawn"
    assert notes[0].height == pytest.approx(text("3,000 of 6,400 drawn", NOTES).height)
    assert notes[0].height * PX >= LEGIBLE_PX
    assert notes[0].get_bottom()[1] > -4.0 + 0.1  # inside the frame


def test_a_deep_diagram_s_labels_are_one_size_and_never_touch(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    traj = load(train_net("deep_tanh", tmp_path_factory.mktemp("deep")))
    scene = scene_for(traj)
    f, d = scene.facts, scene.diagram
    for values, name in (([b for _, b in f.weights], "b"), (f.point.a, "h")):
        labels = []
        for column in range(1, len(f.widths)):
            texts = scene.label_texts(column, name, name, values[column - 1])
            labels += list(d.labels(column, texts))
        heights = {round(label[1].height, 6) for label in labels}
        assert len(heights) == 1, heights  # one size for every column
        assert min(label[1].height for label in labels) * PX >= LEGIBLE_PX
        for a, b in itertools.combinations(labels, 2):  # the chips never overlap
            apart = (
                a.get_right()[0] <= b.get_left()[0]
                or b.get_right()[0] <= a.get_left()[0]
                or a.get_top()[1] <= b.get_bottom()[1]
                or b.get_top()[1] <= a.get_bottom()[1]
            )
            assert apart, (a[1].text, b[1].text)


def test_the_ringed_point_is_named_by_its_class() -> None:
    traj = load("tests/data/golden.npz")
    scene = scene_for(traj)
    f = scene.facts
    sample = {b.id: b for b in anatomy_plan(traj, f)}["sample"]
    note = scene.sample_note(sample.data["original"])
    first = note.splitlines()[0]
    assert first == f"ringed: our point, class {traj.class_names[f.point.label]}"
    assert "#" not in note
