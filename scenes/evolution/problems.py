"""What goes wrong during a training, and from which epoch on (numpy only, no Manim).

:func:`nnmodel.health.diagnose` names what is wrong with the network at one snapshot: dead
ReLUs, saturated units, a layer that squashes the points onto a line or a single point.
The evolution tells each such problem when the health check first sees it, not after
the end, so the viewer watching a flat loss knows why it is flat. :func:`problem_onsets`
finds those moments in the stored snapshots:

* a **block**: from some snapshot on, a hidden layer sends every point to the same place
  (all its ReLUs dead, all its units saturated, or its weights shrunk to 0), so the
  network gives every point one answer and no gradient reaches the layers before it.
  Told at the first snapshot where the health check sees one, if it lasts: seen at
  :data:`BLOCK_SHARE` or more of the snapshots from there to the end, and at the end;
* a problem of one layer still there at the end: told where the stretch of snapshots
  showing it without a break up to the end begins.

Each :class:`Problem` says what the health check saw at that snapshot, in the terms of
:func:`scenes.narration.evolution.finding`, and why: a collapse onto a single point rather
than a line, weights that shrank to nearly 0 (:data:`VANISHED`).

>>> from nnmodel.trajectory import load
>>> [p.epoch for p in problem_onsets(load("tests/data/golden.npz"))]  # a healthy run
[]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from nnmodel.health import COLLAPSED, DEAD, NO_PROGRESS, POINT_RATIO, SATURATED, Finding
from nnmodel.trajectory import Trajectory, forward

__all__ = [
    "BLOCK_SHARE",
    "NAMED",
    "VANISHED",
    "Problem",
    "Timeline",
    "problem_onsets",
    "timeline",
]

#: Problems the evolution names, in the order it names them (diverging and stopping early
#: are the end beat's own words).
NAMED = (DEAD, SATURATED, COLLAPSED, NO_PROGRESS)
#: A block is told if some layer sends every point to the same place at this share of the
#: snapshots from its first one to the end (a snapshot or two where the dying layers trade
#: places is still the same dead network).
BLOCK_SHARE = 0.8
#: A layer's weights have vanished when the largest of them is below this share of the
#: largest at epoch 0: no learning network shrinks a layer a hundredfold.
VANISHED = 0.01


@dataclass(frozen=True)
class Problem:
    """What the health check saw in one hidden layer (or the run) at one snapshot."""

    #: 0-based hidden layer; None: the whole run (no progress).
    layer: int | None
    #: ``(kind, how many units)`` in :data:`NAMED` order (a collapse counts 1).
    problems: tuple[tuple[str, int], ...]
    #: The snapshot and its epoch.
    snapshot: int
    epoch: int
    #: The layer's width.
    units: int = 0
    #: For a collapse: ``"point"`` (every point sent to one place) or ``"line"``.
    onto: str | None = None
    #: The layer's weights have shrunk below :data:`VANISHED` of their size at epoch 0.
    vanished: bool = False
    #: The network gives every point one answer from here on: the layers before this one
    #: get no gradient (told as a block, see the module docstring).
    blocks: bool = False
    #: :func:`nnmodel.health.diagnose`'s sentences about it, for the voice.
    sentences: tuple[str, ...] = ()

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of problem, without their counts."""
        return frozenset(k for k, _ in self.problems)


@dataclass(frozen=True)
class Timeline:
    """The health check at every stored snapshot: each snapshot's problems, by layer."""

    epochs: tuple[int, ...]
    #: One dict per snapshot: hidden layer (None: the run) → its problem.
    found: tuple[dict[int | None, Problem], ...]

    def point(self, s: int) -> int | None:
        """The first hidden layer that sends every point to one place at snapshot ``s``."""
        for layer, p in sorted((k, v) for k, v in self.found[s].items() if k is not None):
            if p.onto == "point":
                return layer
        return None


def _max_weights(traj: Trajectory, s: int) -> list[float]:
    return [float(np.abs(w).max()) if w.size else 0.0 for w, _ in traj.weights(s)]


def timeline(traj: Trajectory) -> Timeline:
    """:func:`nnmodel.health.diagnose` at every snapshot, grouped by layer, with a
    collapse's shape and whether the layer's weights have vanished."""
    from nnmodel.health import diagnose

    hidden = traj.hidden_layers
    x = np.asarray(traj.inputs, np.float64)
    first = _max_weights(traj, 0) if traj.n_snapshots else []
    found: list[dict[int | None, Problem]] = []
    for s in range(traj.n_snapshots):
        epoch = int(traj.epochs[s])
        groups: dict[int | None, list[Finding]] = {}
        for f in diagnose(traj, s):
            if f.kind in NAMED:
                groups.setdefault(f.layer, []).append(f)
        passes = (
            forward(traj.weights(s)[: len(hidden)], [L.activation for L in hidden], x)
            if any(k is not None for k in groups)
            else []
        )
        sizes = _max_weights(traj, s) if groups else []
        here: dict[int | None, Problem] = {}
        for layer, fs in groups.items():
            counts: dict[str, int] = {}
            for f in sorted(fs, key=lambda f: NAMED.index(f.kind)):
                counts[f.kind] = counts.get(f.kind, 0) + f.count
            onto = None
            vanished = False
            units = 0
            if layer is not None:
                units = hidden[layer].d_out
                if COLLAPSED in counts:
                    given = x if layer == 0 else passes[layer - 1][1]
                    onto = "point" if _squashed(passes[layer][1], given) else "line"
                vanished = first[layer] > 0 and sizes[layer] < VANISHED * first[layer]
            here[layer] = Problem(
                layer,
                tuple(counts.items()),
                s,
                epoch,
                units=units,
                onto=onto,
                vanished=vanished,
                sentences=tuple(f.text for f in fs),
            )
        found.append(here)
    return Timeline(tuple(int(e) for e in traj.epochs), tuple(found))


def _spread(points: np.ndarray) -> float:
    p = np.asarray(points, np.float64)
    return float(np.linalg.svd(p - p.mean(axis=0), compute_uv=False)[0])


def _squashed(h: np.ndarray, given: np.ndarray) -> bool:
    """Whether a layer sent its points ``given`` to (nearly) one place ``h``: the
    threshold of :func:`nnmodel.health.diagnose`'s collapse onto a point."""
    return _spread(h) <= POINT_RATIO * _spread(given)


def problem_onsets(traj: Trajectory, found: Timeline | None = None) -> list[Problem]:
    """The problems to tell during the training, at the snapshot each starts, in epoch
    order (see the module docstring); none at the last snapshot (the end tells those).

    A block and a layer's lasting problem starting at the same snapshot in the same layer
    are one problem. At most one block is told.
    """
    line = timeline(traj) if found is None else found
    n = len(line.found)
    if n < 2:
        return []
    last = n - 1
    out: list[Problem] = []
    # a block: some layer sends every point to one place, from its first snapshot on
    points = [line.point(s) for s in range(n)]
    for s in range(last):
        layer = points[s]
        if layer is None:
            continue
        later = points[s:]
        lasting = sum(p is not None for p in later) >= BLOCK_SHARE * len(later)
        if lasting and points[last] is not None:
            out.append(replace(line.found[s][layer], blocks=True))
        break
    # each layer's problem still there at the end, from where it last began
    for layer, end in line.found[last].items():
        if layer is None:
            continue  # the run's lack of progress is about the whole run: told at the end
        start = last
        while start > 0 and _shows(line.found[start - 1].get(layer), end):
            start -= 1
        if start == last:
            continue
        onset = line.found[start][layer]
        if any(p.snapshot == start and p.layer == layer for p in out):
            continue  # the block told it
        out.append(onset)
    return sorted(out, key=lambda p: (p.epoch, p.layer if p.layer is not None else -1))


def _shows(p: Problem | None, end: Problem) -> bool:
    """Whether a snapshot's problem ``p`` of a layer is the one it ends with: a kind in
    common (a collapse onto the same shape)."""
    if p is None:
        return False
    common = p.kinds & end.kinds
    if common == {COLLAPSED}:
        return p.onto == end.onto
    return bool(common)
