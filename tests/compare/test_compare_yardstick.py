"""The yardsticks a run's accuracy is measured against: guessing one class, a neighbours' vote."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.compare.grid import GridSource
from scenes.compare.yardstick import majority_share, neighbour_accuracy, yardstick


def rings(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Two rings around one centre: no straight line separates them, neighbours do."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = np.where(labels == 0, 1.0, 2.0) + rng.normal(0, 0.05, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]), labels


def test_neighbours_tell_separable_points_apart_and_noise_not() -> None:
    x, y = rings(400, 0)
    held = np.zeros(400, bool)
    held[::5] = True
    assert neighbour_accuracy(x, y, held) == 1.0
    assert neighbour_accuracy(x, y, np.zeros(400, bool)) == 1.0  # leave one out
    noise = np.random.default_rng(1).integers(0, 2, 400)  # labels that mean nothing
    assert 0.35 < neighbour_accuracy(x, noise, held) < 0.65
    # deterministic, and the same for any chunking of the judged points
    assert neighbour_accuracy(x, noise, held) == neighbour_accuracy(x, noise, held)
    assert majority_share(y[held]) == pytest.approx(np.bincount(y[held]).max() / 80)


def test_a_bad_call_is_refused_in_one_line() -> None:
    with pytest.raises(ValueError, match="one label and one flag per point"):
        neighbour_accuracy(np.zeros((3, 2)), [0, 1], np.zeros(3, bool))
    with pytest.raises(ValueError, match="training points to vote"):
        neighbour_accuracy(np.zeros((2, 2)), [0, 1], np.ones(2, bool))
    with pytest.raises(ValueError, match="at least one label"):
        majority_share([])


def test_a_run_is_measured_on_the_points_it_is_judged_by(story: GridSource) -> None:
    traj = story.load().trajs[0]  # 80 sandwich points, none held out
    guess, near = yardstick(traj, held_out=False)
    assert guess == majority_share(traj.labels)
    assert near == neighbour_accuracy(traj.inputs, traj.labels, np.zeros(80, bool))
    assert 0.5 <= near <= 1.0
