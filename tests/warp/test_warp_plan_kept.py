"""A process makes each warp plan once: the check, the scene and its ``-j`` workers share it."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel.trajectory import load
from scenes.warp import plan as plan_module
from scenes.warp.plan import warp_plan


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
