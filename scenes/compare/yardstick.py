"""What a run's accuracy is measured against, from its own points (numpy only).

A comparison names its best run; whether the best is any good needs a yardstick on the
same points: always guessing the most common class (:func:`majority_share`), and a vote
of each point's nearest training points (:func:`neighbour_accuracy`), which shows how far
the points can be told apart at all. A run far below the vote learned these data poorly
(:func:`scenes.narration.compare.results` says so); one near the guess learned nothing.

>>> x = np.array([[0.0, 0.0], [0.1, 0.0], [1.0, 1.0], [1.1, 1.0], [0.0, 0.1], [1.0, 1.1]])
>>> y = np.array([0, 0, 1, 1, 0, 1])
>>> held = np.array([False, False, False, False, True, True])
>>> majority_share(y[held]), neighbour_accuracy(x, y, held, k=3)
(0.5, 1.0)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nnmodel.trajectory import Trajectory

__all__ = ["NEIGHBOURS", "majority_share", "neighbour_accuracy", "yardstick"]

#: How many nearest training points vote on a point's class.
NEIGHBOURS = 5
#: Distances are computed for this many points at a time (memory: CHUNK × training points).
_CHUNK = 512


def majority_share(labels: npt.ArrayLike) -> float:
    """The share of the most common class: what always guessing it gets right.

    >>> majority_share([0, 1, 1, 2])
    0.5
    """
    y = np.asarray(labels, np.int64)
    if y.size == 0:
        raise ValueError("majority_share() needs at least one label")
    return float(np.bincount(y).max() / y.size)


def neighbour_accuracy(
    inputs: npt.ArrayLike, labels: npt.ArrayLike, held_out: npt.ArrayLike, k: int = NEIGHBOURS
) -> float:
    """How many points a vote of their ``k`` nearest training points gets right.

    With held-out points (``held_out`` True), they are judged, by the training points;
    without any, every training point is judged by the others (leave one out). A tie of
    votes goes to the class of the nearest of the tied (the vote is deterministic).

    >>> x = np.array([[0.0], [1.0], [2.0], [10.0], [11.0], [12.0]])
    >>> neighbour_accuracy(x, [0, 0, 0, 1, 1, 1], np.zeros(6, bool), k=1)
    1.0
    >>> neighbour_accuracy(x, [0, 1, 0, 1, 0, 1], np.zeros(6, bool), k=1)
    0.0
    """
    x = np.asarray(inputs, np.float64)
    y = np.asarray(labels, np.int64)
    mask = np.asarray(held_out, bool)
    if x.ndim != 2 or len(x) != len(y) or len(mask) != len(y):
        raise ValueError("neighbour_accuracy() needs one label and one flag per point")
    train = np.flatnonzero(~mask)
    judged = np.flatnonzero(mask) if mask.any() else train
    leave_out = not mask.any()
    if len(train) - int(leave_out) < 1:
        raise ValueError("neighbour_accuracy() needs training points to vote")
    k = max(1, min(k, len(train) - int(leave_out)))
    n_classes = int(y.max()) + 1
    right = 0
    for start in range(0, len(judged), _CHUNK):
        rows = judged[start : start + _CHUNK]
        d = ((x[rows, None, :] - x[None, train, :]) ** 2).sum(axis=-1)
        if leave_out:  # a point does not vote on itself
            d[np.arange(len(rows)), start + np.arange(len(rows))] = np.inf
        nearest = np.argsort(d, axis=1, kind="stable")[:, :k]
        votes = y[train][nearest]  # nearest first
        counts = np.zeros((len(rows), n_classes), np.int64)
        np.add.at(counts, (np.arange(len(rows))[:, None], votes), 1)
        top = counts.max(axis=1, keepdims=True)
        tied = counts[np.arange(len(rows))[:, None], votes] == top  # in order of distance
        pick = votes[np.arange(len(rows)), tied.argmax(axis=1)]
        right += int((pick == y[rows]).sum())
    return right / len(judged)


def yardstick(traj: Trajectory, held_out: bool) -> tuple[float, float]:
    """``(guess, neighbours)`` on the points ``traj``'s accuracy is judged by: its held-out
    points if ``held_out``, else its training points."""
    y = np.asarray(traj.labels, np.int64)
    mask = np.asarray(traj.test_mask, bool)
    if not held_out:
        keep = ~mask
        x, y, mask = np.asarray(traj.inputs)[keep], y[keep], np.zeros(int(keep.sum()), bool)
    else:
        x = np.asarray(traj.inputs)
    judged = y[mask] if mask.any() else y
    return majority_share(judged), neighbour_accuracy(x, y, mask)
