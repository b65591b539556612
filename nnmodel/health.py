"""Name what went wrong in a trained network, from its trajectory file (numpy only).

:func:`diagnose` looks at one snapshot of a :class:`~nnmodel.trajectory.Trajectory` and at
the run's metrics, and returns :class:`Finding` objects: each has a machine-readable
``kind`` and one plain sentence a teacher can put on screen. The kinds:

``"dead-unit"``
    A ReLU hidden unit whose pre-activation ``z = W·x + b`` is ``<= 0`` on every point
    (training and held-out): it outputs 0 everywhere and gets no gradient, so it never
    learns again. Leaky ReLU units are never dead (they keep a small slope).
``"saturated-unit"``
    A tanh or sigmoid hidden unit that sits on a flat end of its S-curve for most points:
    its slope is nearly 0 there, so it learns very slowly. ``share`` is the fraction of
    points where it is saturated.
``"collapsed-layer"``
    After a hidden layer's activation, the points lie (almost) on a line, or on a single
    point: the layers after it can no longer use what was lost. A line in the *last*
    hidden layer of a two-class network is not reported: its single output logit reads
    one direction of that layer anyway, so nothing the output needed was lost.
``"diverged"``
    The loss became NaN or infinite (``final.diverged`` in the manifest): training stopped
    and the file ends at the epoch before. The sentence suggests a learning rate 10×
    lower than the config's.
``"stopped-early"``
    Training stopped when the loss reached the config's ``--target-loss``.
``"no-progress"``
    The training loss barely moved over the whole run.

Units and layers are computed at full width from the stored weights and inputs (wide
layers are *stored* projected to 3-D, which would hide dead units and distort shapes).
Layers and units are 0-based in the fields and 1-based in the sentences, as the videos
number them ("Layer 1, unit 2"); unit numbers are those of the stored weights, after the
exporter's unit swaps (:class:`~nnmodel.schema.UnitSwap`), i.e. the ones the videos show.

Example
-------
>>> from nnmodel import health, trajectory
>>> traj = trajectory.load("media/trajectories/moons.npz")  # doctest: +SKIP
>>> [f.text for f in health.diagnose(traj)]  # doctest: +SKIP
['Layer 1, unit 2 is a dead ReLU: it outputs 0 for every point, so it can no longer learn.']
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from nnmodel.schema import FloatArray, LayerInfo, TrajectoryInfo
from nnmodel.trajectory import forward

if TYPE_CHECKING:
    from nnmodel.trajectory import Trajectory

__all__ = [
    "COLLAPSED",
    "DEAD",
    "DEAD_ACTIVATIONS",
    "DIVERGED",
    "KINDS",
    "LINE_RATIO",
    "MAX_UNITS_NAMED",
    "NO_PROGRESS",
    "NO_PROGRESS_RATIO",
    "POINT_RATIO",
    "SATURATED",
    "SATURATED_SHARE",
    "SATURATED_SLOPE",
    "SATURATING_ACTIVATIONS",
    "STOPPED_EARLY",
    "Finding",
    "diagnose",
]

# ----------------------------------------------------------------------------- kinds

DEAD = "dead-unit"
SATURATED = "saturated-unit"
COLLAPSED = "collapsed-layer"
DIVERGED = "diverged"
STOPPED_EARLY = "stopped-early"
NO_PROGRESS = "no-progress"
#: Every kind :func:`diagnose` may report.
KINDS = (DEAD, SATURATED, COLLAPSED, DIVERGED, STOPPED_EARLY, NO_PROGRESS)

# ----------------------------------------------------------------------------- thresholds

#: Activations whose units can die: exactly 0 (and slope 0) for every z <= 0. Leaky ReLU
#: keeps a slope of 0.01 there, ELU and softplus a positive one: never truly dead.
DEAD_ACTIVATIONS = ("relu",)
#: Activations with two flat ends, where a unit can saturate.
SATURATING_ACTIVATIONS = ("tanh", "sigmoid")
#: A unit is saturated at a point where its slope is below this fraction of the
#: activation's steepest slope (at z = 0: 1 for tanh, 1/4 for sigmoid): the same place on
#: the S-curve for both (tanh(z) = 2·sigmoid(2z) − 1), |z| > 2.18 for tanh, > 4.36 for
#: sigmoid, where the gradient through the unit is 20× weaker than at its best.
SATURATED_SLOPE = 0.05
#: ...on at least this share of the points: saturated on a few points is normal (that is
#: how tanh separates), on nearly all of them the unit has stopped learning.
SATURATED_SHARE = 0.9
#: Points lie on a line when the second singular value of the centred activations is
#: below this fraction of the first: the same test as the warp scene's caption
#: (``scenes.warp.plan.nearly_a_line``), so the label and the caption agree.
LINE_RATIO = 0.03
#: Points sit on a single point when their spread (first singular value) is below this
#: fraction of the spread of the layer's input: shrunk 1000× by one layer, the cloud is a
#: dot (relative, so that data in large units and tanh's (−1, 1) are judged alike).
POINT_RATIO = 1e-3
#: No progress when the final and the lowest training loss are both within this fraction
#: of the loss before training: a run that learns anything moves it far more than 2 %.
NO_PROGRESS_RATIO = 0.02
#: Up to this many units of a layer with the same problem get one finding each; more are
#: one finding for the layer (``unit`` None), so a 64-wide layer does not fill the screen.
MAX_UNITS_NAMED = 8


# ----------------------------------------------------------------------------- the finding


@dataclass(frozen=True)
class Finding:
    """One thing that went wrong: a kind, a sentence to show, and where.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    text : str
        One short sentence for the screen; layers and units are numbered from 1 in it.
    layer : int or None
        0-based layer index, None when the finding is about the whole run.
    unit : int or None
        0-based unit index, None when the finding is about a whole layer (a collapse, or
        more than :data:`MAX_UNITS_NAMED` units with the same problem) or the whole run.
    share : float or None
        Fraction of the points concerned, when meaningful (1.0 for a dead unit).
    count : int
        How many units the finding is about: 1 for one unit (or a layer, or the run), more
        for a layer with more than :data:`MAX_UNITS_NAMED` units of the same kind.

    Examples
    --------
    >>> f = Finding("dead-unit", "Layer 1, unit 2 is a dead ReLU.", layer=0, unit=1, share=1.0)
    >>> f.to_json()["unit"], f.to_json()["share"], Finding("no-progress", "...").to_json()["layer"]
    (1, 1.0, None)
    """

    kind: str
    text: str
    layer: int | None = None
    unit: int | None = None
    share: float | None = None
    count: int = 1

    def to_json(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict (every key always present, None as null)."""
        return {
            "kind": self.kind,
            "text": self.text,
            "layer": self.layer,
            "unit": self.unit,
            "share": self.share,
            "count": self.count,
        }


# ----------------------------------------------------------------------------- diagnose


def diagnose(traj: Trajectory, snapshot: int = -1) -> list[Finding]:
    """What went wrong in ``traj``'s network at ``snapshot``, and in its run.

    Unit and layer findings (dead, saturated, collapsed) describe the network at
    ``snapshot`` (an index into the snapshots, as in
    :meth:`~nnmodel.trajectory.Trajectory.weights`: -1 is the last); the run findings
    (diverged, stopped early, no progress) describe the whole run, whatever the snapshot.

    Parameters
    ----------
    traj : Trajectory
        A loaded trajectory (:func:`nnmodel.trajectory.load`).
    snapshot : int, optional
        Which snapshot's weights to examine; -1 (the default) is the last.

    Returns
    -------
    list of Finding
        The run findings first, then per hidden layer (in order) its units' findings (in
        unit order) followed by its collapse, if any. Once a layer sends every point to
        the same place, the layers after it are not examined (everything there is a
        consequence), and once the points are on a line (a collapse, a layer of one
        unit, or data that already lay on one) later layers are not reported as lines
        again. The last hidden layer of a two-class network (one output logit) is never
        reported as a line: the logit reads only one direction of it anyway.

    Raises
    ------
    IndexError
        If ``snapshot`` is out of range.
    """
    weights = traj.weights(snapshot)  # raises IndexError naming the range
    findings = _run_findings(traj.info)
    hidden = traj.info.hidden_layers
    if not hidden:
        return findings
    x: FloatArray = np.asarray(traj.inputs, np.float64)
    passes = forward(weights[: len(hidden)], [L.activation for L in hidden], x)
    one_logit = traj.info.output_layer.d_out == 1
    previous = x
    state = _shape(x, _spread_of(x))  # the data may already lie on a line (or a point)
    for layer, (z, h) in zip(hidden, passes, strict=True):
        if state == "point":
            break  # everything from here on is a consequence
        findings += _unit_findings(layer, z)
        found = _shape(h, _spread_of(previous))  # never "line" for a single unit
        if found == "line" and one_logit and layer.index == len(hidden) - 1:
            found = None  # the output logit reads one direction of it anyway
        if found == "point" or (found == "line" and state is None):
            findings.append(_collapse(layer, found))
        if found == "point":
            state = "point"
        elif found == "line" or layer.d_out == 1:
            state = "line"
        previous = h
    return findings


# ----------------------------------------------------------------------------- run findings


def _train_option(info: TrajectoryInfo, name: str) -> float | None:
    """A number of the stored config's ``train`` section (None if absent or not a number)."""
    train = info.config.get("train")
    value = train.get(name) if isinstance(train, Mapping) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return float(value) if math.isfinite(value) else None


def _run_findings(info: TrajectoryInfo) -> list[Finding]:
    """Diverged, stopped early and no progress: about the whole run, from the manifest."""
    final = info.final
    out: list[Finding] = []
    if final.diverged is not None:
        lr = _train_option(info, "lr")
        # a tenth of it, but never a rate that is still huge (--lr 1e6 → 0.1, not 100000)
        lower = None if lr is None else min(lr / 10, 0.1)
        hint = "try a lower learning rate" + ("" if lower is None else f", e.g. --lr {lower:g}")
        out.append(
            Finding(
                DIVERGED,
                f"Training diverged at epoch {final.diverged.epoch}: the loss became "
                f"{final.diverged.became}; {hint}.",
            )
        )
        return out  # the run blew up: whether it progressed before says nothing more
    if final.stopped_early:
        target = _train_option(info, "target_loss")
        under = "" if target is None else f", under the target of {target:g}"
        out.append(
            Finding(
                STOPPED_EARLY,
                f"Stopped at epoch {final.epochs_trained}: the loss reached "
                f"{final.train_loss:.3g}{under}.",
            )
        )
        return out  # the loss reached its target: not a lack of progress
    n = final.epochs_trained
    history = info.metrics.train_loss[: n + 1]
    losses = [v for v in history if v is not None]
    first = history[0] if history else None
    if n >= 1 and first is not None and _barely_moved(first, final.train_loss, min(losses)):
        out.append(
            Finding(
                NO_PROGRESS,
                f"The loss barely moved in {n} epoch{'' if n == 1 else 's'}: "
                "the learning rate may be too small.",
            )
        )
    return out


def _barely_moved(first: float, last: float, lowest: float) -> bool:
    """Whether the last and the lowest loss are both within the ratio of the first.

    >>> _barely_moved(0.693, 0.690, 0.689), _barely_moved(0.693, 0.690, 0.3)
    (True, False)
    >>> _barely_moved(0.693, 0.60, 0.60)
    False
    """
    tol = NO_PROGRESS_RATIO * abs(first)
    return abs(last - first) <= tol and first - lowest <= tol


# ----------------------------------------------------------------------------- unit findings


def _unit_findings(layer: LayerInfo, z: FloatArray) -> list[Finding]:
    """Dead or saturated units of one hidden layer, from its pre-activations ``z`` (N, w)."""
    n, act = layer.index + 1, layer.activation
    if act in DEAD_ACTIVATIONS:
        dead = [int(u) for u in np.flatnonzero(np.all(z <= 0, axis=0))]
        if len(dead) > MAX_UNITS_NAMED:
            text = (
                f"Layer {n}: {len(dead)} of {layer.d_out} units are dead ReLUs: they output 0 "
                "for every point, so they can no longer learn."
            )
            return [Finding(DEAD, text, layer.index, None, 1.0, len(dead))]
        return [
            Finding(
                DEAD,
                f"Layer {n}, unit {u + 1} is a dead ReLU: it outputs 0 for every point, "
                "so it can no longer learn.",
                layer.index,
                u,
                1.0,
            )
            for u in dead
        ]
    if act in SATURATING_ACTIVATIONS:
        a = layer.act
        steepest = float(a.derivative(np.zeros(1))[0])
        flat = a.derivative(z) < SATURATED_SLOPE * steepest
        shares = flat.mean(axis=0)
        units = [int(u) for u in np.flatnonzero(shares >= SATURATED_SHARE)]
        if len(units) > MAX_UNITS_NAMED:
            low = float(shares[units].min())
            text = (
                f"Layer {n}: {len(units)} of {layer.d_out} {act} units are "
                f"saturated on at least {_percent(low)} of the points, so they barely learn."
            )
            return [Finding(SATURATED, text, layer.index, None, low, len(units))]
        out = []
        for u in units:
            share = float(shares[u])
            where = "every point" if share == 1.0 else f"{_percent(share)} of the points"
            text = (
                f"Layer {n}, unit {u + 1} ({act}) is saturated on {where}: its slope is "
                "almost 0, so it barely learns."
            )
            out.append(Finding(SATURATED, text, layer.index, u, share))
        return out
    return []


def _percent(share: float) -> str:
    """A share as a whole percentage, rounded down (so 99.6 % is never "100 %").

    >>> _percent(0.996), _percent(0.29), _percent(1.0)
    ('99 %', '29 %', '100 %')
    """
    return f"{math.floor(share * 100 + 1e-9)} %"


# ----------------------------------------------------------------------------- collapse


def _singular_values(points: FloatArray) -> FloatArray:
    """Singular values of the centred points (N, d), largest first."""
    p = np.asarray(points, np.float64)
    out: FloatArray = np.linalg.svd(p - p.mean(axis=0), compute_uv=False)
    return out


def _spread_of(points: FloatArray) -> float:
    """The first singular value of the centred points: how far they spread."""
    return float(_singular_values(points)[0])


def _shape(points: FloatArray, reference: float) -> str | None:
    """``"point"``, ``"line"`` or None: what the points (N, d) have collapsed onto.

    A point when their spread is below :data:`POINT_RATIO` of ``reference`` (the spread
    of what the layer was given); a line when the second singular value is below
    :data:`LINE_RATIO` of the first.

    >>> t = np.linspace(-1.0, 1.0, 5)[:, None]
    >>> _shape(np.hstack([t, 2 * t]), 1.0), _shape(np.hstack([t, t**2]), 1.0)
    ('line', None)
    >>> _shape(np.zeros((5, 2)), 1.0)
    'point'
    """
    s = _singular_values(points)
    if s[0] <= POINT_RATIO * reference:
        return "point"
    if len(s) >= 2 and s[1] < LINE_RATIO * s[0]:
        return "line"
    return None


def _collapse(layer: LayerInfo, onto: str) -> Finding:
    """The collapsed-layer finding of ``layer`` (``onto`` is ``"point"`` or ``"line"``)."""
    n = layer.index + 1
    if onto == "point":
        text = (
            f"Layer {n} sends every point to the same place: after it, the classes can no "
            "longer be told apart."
        )
    else:
        text = (
            f"Layer {n} squashes all the points onto a line: only one direction is left to "
            "tell the classes apart."
        )
    return Finding(COLLAPSED, text, layer.index)
