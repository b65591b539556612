"""A process makes each warp plan once: the check, the scene and its ``-j`` workers share it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel.trajectory import load
from scenes.render import pipeline
from scenes.warp import plan as plan_module
from scenes.warp.plan import warp_plan
from tests.render_helpers import small_render


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """The plans actually made (not taken from those kept), with an empty keep."""
    calls: list[tuple[object, ...]] = []
    real = plan_module._plan

    def counting(*args: object) -> object:
        calls.append(args[1:])
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_module, "_MADE", [])
    monkeypatch.setattr(plan_module, "_plan", counting)
    return calls


def test_the_same_arguments_make_the_plan_once(moons_traj: Path, made: list[object]) -> None:
    traj = load(moons_traj)
    first = warp_plan(traj, with_title=True, fps=15.0)
    again = warp_plan(traj, with_title=True, fps=15.0)
    assert len(made) == 1
    assert [b.id for b in again] == [b.id for b in first]
    assert again == first
    again.pop()  # a caller's list is its own: the kept plan is not cut with it
    assert len(warp_plan(traj, with_title=True, fps=15.0)) == len(first)


def test_other_arguments_or_another_trajectory_make_a_plan_of_their_own(
    moons_traj: Path, made: list[object]
) -> None:
    traj = load(moons_traj)
    at_15 = warp_plan(traj, fps=15.0)
    at_60 = warp_plan(traj, fps=60.0)
    titled = warp_plan(traj, fps=15.0, with_title=True)
    assert len(made) == 3
    assert [b.id for b in titled][0] == "title" and at_15[0].id != "title"
    assert at_60 != at_15  # lengths in whole frames of another rate
    # the same file loaded again is another object (a --watch reloads a changed file)
    warp_plan(load(moons_traj), fps=15.0)
    assert len(made) == 4


def test_a_render_checks_and_draws_one_plan(
    moons_traj: Path, tmp_path: Path, made: list[tuple[object, ...]]
) -> None:
    """The render's check (before any work) is made at the frame rate the scene is drawn
    at, so the scene takes the same plan: one plan for a whole render."""
    opts = small_render("warp", tmp_path, (96, 54), 2, params={"sections": ["Layer 1"]})
    pipeline.render(moons_traj, opts)
    assert (tmp_path / "warp.mp4").is_file()
    assert [args[1] for args in made] == [2.0]  # (snapshot, fps, ...): one plan, at 2 fps
