"""Runs judged on held-out points: each cell's accuracy line says which points it counts."""

from __future__ import annotations

import manim
import pytest

from nnmodel.trajectory import load
from scenes.compare.grid import GridSource
from scenes.compare.scene import Compare, number_text
from tests.compare.test_compare_golden import GOLDEN, stopped_copy
from tests.compare.test_compare_scene import small_config


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> Compare:
    """The golden run (24 of its 120 points held out) and its stopped copy, rendered small."""
    folder = tmp_path_factory.mktemp("held_out")
    stopped = stopped_copy(load(GOLDEN), folder / "stopped.npz")
    source = GridSource(((GOLDEN, stopped),), (("200 epochs", "stopped"),))
    with manim.tempconfig(small_config(folder)):
        scene = Compare(grid=source.load())
        scene.render()
    return scene


def test_the_accuracy_line_turns_from_train_to_test_when_the_results_judge_test(
    played: Compare,
) -> None:
    scene = played
    plan, board = scene.plan, scene.board
    assert plan.held_out and board.acc_kind == "train"
    results = next(b for b in scene.beats if b.kind == "results")
    assert results.data["held_out"] and "held-out" in results.line.sub
    # at the end: every cell says "test", with the held-out accuracy the caption judges by
    for cell, (_, acc) in zip(plan.cells, board.numbers, strict=True):
        assert cell.result.test_acc is not None
        assert acc.text == number_text("test", cell.result.test_acc)
    # while the clock runs, the same line says "train": never an unnamed number that jumps
    board.show(plan.clock_frames)
    for cell, (_, acc) in zip(plan.cells, board.numbers, strict=True):
        assert acc.text == number_text("train", cell.result.acc)
        assert acc.text.startswith("train ")


def test_the_frames_go_around_every_run_the_results_name(played: Compare) -> None:
    scene = played
    frame = scene.board.best_frame
    assert frame is not None and len(frame.submobjects) == len(scene.plan.framed) >= 1
    for outline, index in zip(frame.submobjects, scene.plan.framed, strict=True):
        box = scene.plan.layout.cells[index].box
        assert outline.get_center()[0] == pytest.approx(box.centre[0])
        assert outline.get_center()[1] == pytest.approx(box.centre[1])
