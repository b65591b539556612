"""The anatomy's numbers, from the stored weights alone (numpy only, no Manim, no torch).

Everything the anatomy scene writes or draws is computed here: which point to follow
(:func:`choose_sample`), which units of a wide layer to draw for it (:func:`busiest_units`),
its forward and backward pass (:func:`follow`), each hidden layer's
pre-activations over all points and the share that saturates (:func:`flat_share`), one
gradient step and the real optimiser's steps between two snapshots (:func:`plain_step`,
:func:`real_step`), plain steps repeated from where the gradient is not nearly zero, until
the boundary visibly moves (:func:`descent`), and every neuron's response over the input
plane (:func:`responses`).

>>> w = [(np.eye(2), np.zeros(2)), (np.array([[1.0, -1.0]]), np.zeros(1))]
>>> p = follow(w, ["tanh"], np.array([1.0, 0.0]), 1)
>>> p.z[0].round(3).tolist(), p.a[0].round(3).tolist(), round(p.loss, 4)
([1.0, 0.0], [0.762, 0.0], 0.3832)
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nnmodel import activations as act_table
from nnmodel.gradients import backward
from nnmodel.health import SATURATED_SLOPE
from nnmodel.trajectory import Trajectory, decide

__all__ = [
    "CLEAR_MARGIN",
    "FLAT_WORDS",
    "NEAR_ZERO",
    "STEP_COUNTS",
    "VISIBLE",
    "Descent",
    "Pass",
    "Step",
    "Weights",
    "busiest_units",
    "chain",
    "choose_sample",
    "class_map",
    "descent",
    "flat_share",
    "flowing",
    "follow",
    "forward",
    "flat_pictures",
    "gradient_norms",
    "grid_points",
    "largest_gradient",
    "margins",
    "pick_sample",
    "plain_step",
    "real_step",
    "response_scale",
    "response_tint",
    "responses",
    "steepest",
    "training_mask",
]

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Weights = list[tuple[Array, Array]]

#: What the flat part of each activation does to a value, in the caption's words.
FLAT_WORDS = {
    "tanh": "saturate",
    "sigmoid": "saturate",
    "elu": "saturate",
    "softplus": "saturate",
    "relu": "are zeroed",
    "leaky_relu": "are shrunk 100×",
    "linear": "",
}


def as_float(weights: Sequence[tuple[npt.ArrayLike, npt.ArrayLike]]) -> Weights:
    """The weights as float64 arrays (the file stores float32)."""
    return [(np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in weights]


def forward(weights: Weights, acts: Sequence[str], x: npt.ArrayLike) -> tuple[list[Array], ...]:
    """``(z, a)`` per layer for points ``x`` (…, 2): ``z = a_prev·Wᵀ + b``, ``a = σ(z)``;
    the output layer's ``a`` is its logits (``z`` itself)."""
    h = np.asarray(x, np.float64)
    zs: list[Array] = []
    hs: list[Array] = []
    for (w, b), name in zip(weights, [*acts, "linear"], strict=True):
        z = h @ w.T + b
        h = np.asarray(act_table.get(name)(z), np.float64)
        zs.append(z)
        hs.append(h)
    return zs, hs


def training_mask(traj: Trajectory) -> npt.NDArray[np.bool_]:
    """The points the network trained on (all of them if none were, which cannot happen
    for a trained file but keeps the rule total)."""
    train = ~np.asarray(traj.test_mask, bool)
    return train if train.any() else np.ones_like(train)


def margins(logits: npt.ArrayLike, labels: npt.ArrayLike) -> Array:
    """How far each point's own class leads, in logits.

    One logit ``z``: ``z`` for class 1, ``−z`` for class 0. K logits: the true class's
    logit minus the largest other one. Positive means classified right, except on exact
    ties (the rule of :func:`nnmodel.trajectory.decide` settles those).

    >>> margins(np.array([[2.0], [0.5]]), [0, 1]).tolist()
    [-2.0, 0.5]
    >>> margins(np.array([[1.0, 3.0, 2.5]]), [1]).tolist()
    [0.5]
    """
    z = np.asarray(logits, np.float64)
    y = np.asarray(labels, np.int64)
    if z.shape[1] == 1:
        out: Array = np.where(y == 1, z[:, 0], -z[:, 0])
        return out
    rows = np.arange(len(y))
    own = z[rows, y]
    others = z.copy()
    others[rows, y] = -np.inf
    return np.asarray(own - others.max(axis=1), np.float64)


#: The least lead (in logits) the default point's class must have: one logit's p ≥ 0.60.
CLEAR_MARGIN = 0.4
#: Why :func:`choose_sample` chose its point: ``clear`` (the rule's first choice), ``closest``
#: (no point is clearly right and passes gradient: the clearest of those that pass it),
#: ``stopped`` (every point the network gets right has a hidden layer flat for it, so no
#: gradient flows back from it), ``wrong`` (the network gets no training point right).
REASONS = ("clear", "closest", "stopped", "wrong")


def flowing(acts: Sequence[str], zs: Sequence[npt.ArrayLike]) -> npt.NDArray[np.bool_]:
    """For each point, whether its gradient flows back to the input: every hidden layer has
    a unit whose activation is not flat there (slope at least
    :data:`nnmodel.health.SATURATED_SLOPE` of its steepest, :func:`flat_share`'s rule).
    ``zs``: each hidden layer's pre-activations ``(N, d)``.

    >>> flowing(["relu"], [np.array([[-1.0, -2.0], [-1.0, 0.5]])]).tolist()
    [False, True]
    """
    if not acts:
        raise ValueError("flowing() needs at least one hidden layer")
    ok: npt.NDArray[np.bool_] | None = None
    for name, z in zip(acts, zs, strict=True):
        zz = np.asarray(z, np.float64)
        slope = np.abs(np.asarray(act_table.get(name).derivative(zz), np.float64))
        alive = np.asarray((slope >= SATURATED_SLOPE * steepest(name)).any(axis=-1), bool)
        ok = alive if ok is None else ok & alive
    assert ok is not None
    return ok


def choose_sample(traj: Trajectory, snapshot: int = -1) -> tuple[int, str]:
    """The point the anatomy follows by default, and why (one of :data:`REASONS`).

    The rule, among the **training** points: of those the network (at ``snapshot``)
    classifies **correctly**, whose gradient **flows** back through every hidden layer
    (:func:`flowing`) and whose class leads by at least :data:`CLEAR_MARGIN` in logits
    (:func:`margins`), the one with the smallest lead (``clear``): near the boundary, but no
    coin-flip, and every backpropagation beat has something to show. If none leads that
    clearly, the flowing right point with the largest lead (``closest``); if the gradient
    flows from no right point, the right point with the smallest lead (``stopped``: the
    words say why its gradients are zero); if the network gets no training point right,
    the one with the smallest ``|margin|`` (``wrong``). The lowest index on a tie.
    """
    weights = as_float(traj.weights(snapshot))
    acts = [L.activation for L in traj.hidden_layers]
    zs, hs = forward(weights, acts, traj.inputs)
    labels = np.asarray(traj.labels, np.int64)
    m = margins(hs[-1], labels)
    right = training_mask(traj) & (decide(hs[-1]) == labels)
    flows = flowing(acts, zs[:-1]) if acts else np.ones(len(labels), bool)
    clear = right & flows & (m >= CLEAR_MARGIN)
    if clear.any():
        pool = np.flatnonzero(clear)
        return int(pool[np.argmin(m[pool])]), "clear"
    if (right & flows).any():
        pool = np.flatnonzero(right & flows)
        return int(pool[np.argmax(m[pool])]), "closest"
    if right.any():
        pool = np.flatnonzero(right)
        return int(pool[np.argmin(m[pool])]), "stopped"
    pool = np.flatnonzero(training_mask(traj))
    return int(pool[np.argmin(np.abs(m[pool]))]), "wrong"


def pick_sample(traj: Trajectory, snapshot: int = -1) -> int:
    """The index :func:`choose_sample` chooses."""
    return choose_sample(traj, snapshot)[0]


@dataclass(frozen=True)
class Pass:
    """One point's forward and backward pass through the network.

    Attributes
    ----------
    x : (2,) array
        The input, as the first layer sees it.
    label : int
        Its true class.
    z, a : list of (d_l,) arrays
        Each layer's pre-activation ``W·a_prev + b`` and activation (the output layer's
        ``a`` is its logits, equal to ``z``).
    probs : (K,) array
        Class probabilities (sigmoid of one logit, softmax of K).
    loss : float
        The point's own loss, ``−ln p(true class)``.
    dz : list of (d_l,) arrays
        ``δ = dL/dz`` of the point's own loss, per layer.
    dW : list of (out, in) arrays, db : list of (out,) arrays
        The gradient of the point's own loss for each layer's weights and biases.
    """

    x: Array
    label: int
    z: list[Array]
    a: list[Array]
    probs: Array
    loss: float
    dz: list[Array]
    dW: list[Array]
    db: list[Array]


def follow(weights: Weights, acts: Sequence[str], x: npt.ArrayLike, label: int) -> Pass:
    """One point's forward and backward pass (:func:`nnmodel.gradients.backward` on it
    alone, so every gradient is of its own loss)."""
    xx = np.asarray(x, np.float64).reshape(1, 2)
    g = backward(weights, list(acts), xx, [int(label)])
    logits = g.h[-1]
    return Pass(
        x=xx[0],
        label=int(label),
        z=[z[0] for z in g.z],
        a=[h[0] for h in g.h],
        probs=np.asarray(act_table.class_probabilities(logits)[0], np.float64),
        loss=float(g.losses[0]),
        dz=[d[0] for d in g.dz],
        dW=[np.asarray(d, np.float64) for d in g.dW],
        db=[np.asarray(d, np.float64) for d in g.db],
    )


def chain(weights: Weights, acts: Sequence[str], point: Pass, layer: int) -> tuple[Array, ...]:
    """Backpropagation through weight layer ``layer`` (≥ 1) to hidden layer ``layer − 1``:
    the gradient reaching that layer's outputs ``Wᵀδ``, its activation's slope ``σ′(z)``,
    and their product, that layer's ``δ`` (equal to ``point.dz[layer − 1]``).

    >>> w = [(np.eye(2), np.zeros(2)), (np.array([[1.0, -1.0]]), np.zeros(1))]
    >>> p = follow(w, ["tanh"], np.array([1.0, 0.0]), 1)
    >>> [v.round(4).tolist() for v in chain(w, ["tanh"], p, 1)]
    [[-0.3183, 0.3183], [0.42, 1.0], [-0.1337, 0.3183]]
    """
    if layer < 1:
        raise ValueError("the inputs have no δ: chain() starts at weight layer 1")
    upstream = point.dz[layer] @ weights[layer][0]
    slope = np.asarray(act_table.get(acts[layer - 1]).derivative(point.z[layer - 1]), np.float64)
    return upstream, slope, upstream * slope


def busiest_units(point: Pass, column: int, n: int) -> tuple[int, ...]:
    """The ``n`` units of hidden column ``column`` (weight layer ``column - 1``'s outputs)
    a diagram too narrow for them all draws for ``point``, in increasing order.

    First the units the captions quote: the largest ``|δ|`` of the layer, its most active
    unit (largest ``|h|``), and the ends in this layer of the largest ``|dL/dW|`` into it
    and out of it; then the others that matter most forward or back: the larger of
    ``|h|`` and ``|δ|``, each a share of the layer's largest (then the lower index). A unit
    whose value is 0 is never chosen for being the "largest".

    >>> w = [(np.eye(3)[:, :2] * [1.0, -1.0], np.array([0.0, 0.0, 0.5])),
    ...      (np.array([[1.0, 2.0, 0.1]]), np.zeros(1))]
    >>> busiest_units(follow(w, ["relu"], np.array([1.0, 1.0]), 1), 1, 2)
    (0, 2)
    """
    layer = column - 1
    h = np.abs(point.a[layer])
    dz = np.abs(point.dz[layer])
    width = len(h)
    if n >= width:
        return tuple(range(width))
    first: list[int] = []
    into = np.abs(point.dW[layer])
    out = np.abs(point.dW[column]) if column < len(point.dW) else None
    candidates: list[tuple[Array, int]] = [(dz, int(np.argmax(dz))), (h, int(np.argmax(h)))]
    candidates.append((into.max(axis=1), int(np.unravel_index(np.argmax(into), into.shape)[0])))
    if out is not None:
        candidates.append((out.max(axis=0), int(np.unravel_index(np.argmax(out), out.shape)[1])))
    for values, unit in candidates:
        if values[unit] > 0 and unit not in first:
            first.append(unit)
    share = np.maximum(h / (h.max() or 1.0), dz / (dz.max() or 1.0))
    order = sorted(range(width), key=lambda u: (-share[u], u))
    chosen = (first + [u for u in order if u not in first])[:n]
    return tuple(sorted(chosen))


def steepest(name: str) -> float:
    """The activation's largest slope (1 for tanh, ReLU, ELU, softplus; 1/4 for sigmoid).

    >>> steepest("sigmoid"), steepest("relu")
    (0.25, 1.0)
    """
    z = np.linspace(-30.0, 30.0, 6001)
    return float(np.max(np.abs(act_table.get(name).derivative(z))))


def flat_share(name: str, z: npt.ArrayLike) -> float:
    """The share of pre-activations ``z`` where the activation is flat: its slope below
    :data:`nnmodel.health.SATURATED_SLOPE` (5 %) of its steepest. For ReLU that is exactly
    the values it zeroes (``z ≤ 0``), for tanh ``|z| > 2.18``, for sigmoid ``|z| > 4.36``.

    >>> flat_share("relu", [-1.0, 0.0, 2.0, 3.0]), flat_share("tanh", [0.0, 3.0])
    (0.5, 0.5)
    >>> flat_share("linear", [5.0])
    0.0
    """
    v = np.asarray(z, np.float64).ravel()
    if len(v) == 0:
        return 0.0
    slope = np.abs(act_table.get(name).derivative(v))
    return float(np.mean(slope < SATURATED_SLOPE * steepest(name)))


def grid_points(extent: tuple[float, float, float, float], resolution: int) -> Array:
    """``(R, R, 2)`` cell centres over ``extent``, row 0 the lowest y (as the stored mesh).

    >>> grid_points((0.0, 2.0, 0.0, 1.0), 2)[0].tolist()
    [[0.5, 0.25], [1.5, 0.25]]
    """
    x0, x1, y0, y1 = extent
    xs = x0 + (np.arange(resolution) + 0.5) * (x1 - x0) / resolution
    ys = y0 + (np.arange(resolution) + 0.5) * (y1 - y0) / resolution
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx, gy], axis=-1)


def class_map(
    weights: Weights, acts: Sequence[str], extent: tuple[float, float, float, float], res: int
) -> IntArray:
    """The predicted class over an ``res × res`` grid of the input plane (row 0 lowest y)."""
    _, hs = forward(weights, acts, grid_points(extent, res))
    return decide(hs[-1])


def responses(
    weights: Weights, acts: Sequence[str], extent: tuple[float, float, float, float], res: int
) -> list[Array]:
    """Every neuron's value over an ``res × res`` grid of the input plane.

    One ``(R, R, d)`` array per diagram column: the inputs themselves (x₁ and x₂), each
    hidden layer's activations, then the output's class probabilities.
    """
    grid = grid_points(extent, res)
    _, hs = forward(weights, acts, grid)
    probs = np.asarray(act_table.class_probabilities(hs[-1]), np.float64)
    return [grid, *hs[:-1], probs]


#: Grid cells a side of each neuron's response picture.
RESPONSE_RES = 48
#: A response picture whose tint (:func:`response_tint`, from −1 to 1) varies less than
#: this over the plane is only faintly shaded: the words do not promise stripes or shapes.
FLAT_TINT = 0.5


def response_scale(at_data: npt.ArrayLike) -> float:
    """The value a column's response pictures show in full colour: the 99th percentile of
    ``|v|`` over what the data points give the column (beyond: clipped), so the far
    corners of the plane do not set the scale; 1 if that is 0.

    >>> round(response_scale([[0.0, 0.5], [-2.0, 0.0]]), 3), response_scale([0.0])
    (1.955, 1.0)
    """
    return float(np.percentile(np.abs(np.asarray(at_data, np.float64)), 99)) or 1.0


def response_tint(values: npt.ArrayLike, vmax: float) -> Array:
    """How strongly each value tints its response picture, signed: ``±sqrt(|v| / vmax)``,
    clipped to [−1, 1] (the square root keeps small values visible).

    >>> response_tint([-4.0, 0.25, 9.0], 4.0).tolist()
    [-1.0, 0.25, 1.0]
    """
    v = np.asarray(values, np.float64)
    if vmax <= 0:
        return np.zeros_like(v)
    out: Array = np.sign(v) * np.sqrt(np.clip(np.abs(v) / vmax, 0.0, 1.0))
    return out


def flat_pictures(grid: npt.ArrayLike, vmax: float) -> npt.NDArray[np.bool_]:
    """For each unit of a response grid ``(R, R, d)``, whether its picture is only faintly
    shaded: its tint varies by less than :data:`FLAT_TINT` over the plane.

    >>> g = np.stack([np.full((2, 2), 0.5), [[0.0, 1.0], [0.0, 1.0]]], axis=-1)
    >>> flat_pictures(g, 1.0).tolist()
    [True, False]
    """
    t = response_tint(grid, vmax).reshape(-1, np.asarray(grid).shape[-1])
    out: npt.NDArray[np.bool_] = (t.max(axis=0) - t.min(axis=0)) < FLAT_TINT
    return out


@dataclass(frozen=True)
class Step:
    """A change of the weights and what it did.

    Attributes
    ----------
    before, after
        The weights before and after.
    loss_before, loss_after
        The mean loss over the training points, at each.
    changed
        The share of the input plane (a grid over the mesh's extent) whose predicted
        class changed.
    """

    before: Weights
    after: Weights
    loss_before: float
    loss_after: float
    changed: float


#: Grid of the input plane on which :attr:`Step.changed` is counted.
CHANGE_RESOLUTION = 160


def _step(traj: Trajectory, before: Weights, after: Weights) -> Step:
    acts = [L.activation for L in traj.hidden_layers]
    train = training_mask(traj)
    x, y = traj.inputs[train], traj.labels[train]
    extent = traj.info.mesh.extent
    a = class_map(before, acts, extent, CHANGE_RESOLUTION)
    b = class_map(after, acts, extent, CHANGE_RESOLUTION)
    return Step(
        before,
        after,
        backward(before, acts, x, y).loss,
        backward(after, acts, x, y).loss,
        float(np.mean(a != b)),
    )


def plain_step(traj: Trajectory, snapshot: int, lr: float) -> tuple[Step, list[Array], bool]:
    """One step of plain gradient descent, ``W ← W − lr·g``, from ``snapshot``'s weights.

    ``g`` is the gradient of the mean training loss (full batch, no weight decay) from
    :meth:`nnmodel.trajectory.Trajectory.gradients`: stored in the file when it has them,
    else computed from the weights. Returns the step, the weight gradients ``dW`` per
    layer, and whether they were computed (True) or stored (False).
    """
    before = as_float(traj.weights(snapshot))
    g = traj.gradients(snapshot)
    dws = [np.asarray(d, np.float64) for d in g.dW]
    dbs = [np.asarray(d, np.float64) for d in g.db]
    after = [(w - lr * dw, b - lr * db) for (w, b), dw, db in zip(before, dws, dbs, strict=True)]
    return _step(traj, before, after), dws, bool(g.computed)


def real_step(traj: Trajectory, snapshot: int) -> tuple[int, int, Step]:
    """The optimiser's real steps between two stored snapshots around ``snapshot``: from it
    to the next one, or, at the last snapshot, from the one before. Returns the two
    snapshot indices and the step."""
    s = snapshot % traj.n_snapshots
    a, b = (s, s + 1) if s + 1 < traj.n_snapshots else (s - 1, s)
    step = _step(traj, as_float(traj.weights(a)), as_float(traj.weights(b)))
    return a, b, step


#: A snapshot's gradient is "nearly 0" when its size (the norm of every weight's and bias's
#: gradient together) is at most this share of the largest it was at any snapshot up to
#: it: training has settled there, and a step does next to nothing. (A plateau on the way,
#: a fifth of the largest, say, is not called so.)
NEAR_ZERO = 0.1
#: How many plain steps :func:`descent` tries, fewest first, and the share of the plane
#: whose class must flip for the boundary's move to be plainly visible in the inset.
STEP_COUNTS = (1, 3, 10, 30, 100, 300, 1000)
VISIBLE = 0.05


def gradient_norms(traj: Trajectory, upto: int) -> Array:
    """The size of the mean training gradient (all weights and biases together) at every
    snapshot from the first to ``upto``."""
    out = []
    for s in range(upto % traj.n_snapshots + 1):
        g = traj.gradients(s)
        squares = sum(float(np.sum(np.square(np.asarray(d, np.float64)))) for d in (*g.dW, *g.db))
        out.append(np.sqrt(squares))
    return np.asarray(out, np.float64)


def largest_gradient(traj: Trajectory, snapshot: int) -> float:
    """The largest ``|g|`` of any weight or bias at ``snapshot``: times the learning rate,
    the most any of them moves in one plain step."""
    g = traj.gradients(snapshot)
    return max(float(np.max(np.abs(np.asarray(d, np.float64)))) for d in (*g.dW, *g.db))


@dataclass(frozen=True)
class Descent:
    """Plain gradient descent, ``W ← W − lr·g`` with ``g`` recomputed after every step
    (full batch, no weight decay), repeated from one snapshot's weights until the boundary
    visibly moves: what one step does, made visible by many.

    Attributes
    ----------
    snapshot
        Where it starts: the snapshot shown, or, when the gradient there is nearly 0
        (``settled``), the snapshot before it where the gradient was largest.
    settled
        Whether the snapshot shown has a gradient nearly 0 (:data:`NEAR_ZERO`).
    steps
        How many steps: the fewest of :data:`STEP_COUNTS` after which a share of at least
        :data:`VISIBLE` of the plane has flipped class (or the most, if none does).
    step
        From the start's weights to those after ``steps`` steps (losses, share flipped).
    dW
        The first step's weight gradients (its ``g``, as the edges draw it).
    g_max
        The largest ``|g|`` of any weight or bias in the first step.
    """

    snapshot: int
    settled: bool
    steps: int
    step: Step
    dW: list[Array]
    g_max: float


_DESCENTS: weakref.WeakKeyDictionary[Trajectory, dict[tuple[int, float], Descent]] = (
    weakref.WeakKeyDictionary()
)


def descent(traj: Trajectory, snapshot: int, lr: float) -> Descent:
    """Plain gradient descent at learning rate ``lr`` from ``snapshot`` (or from where the
    gradient was largest before it, if it is nearly 0 there), as many steps as it takes
    the boundary to move visibly (:class:`Descent`). The same for every followed point:
    computed once per trajectory.
    """
    s = snapshot % traj.n_snapshots
    cache = _DESCENTS.setdefault(traj, {})
    if (s, lr) not in cache:
        cache[(s, lr)] = _descent(traj, s, lr)
    return cache[(s, lr)]


def _descent(traj: Trajectory, s: int, lr: float) -> Descent:
    norms = gradient_norms(traj, s)
    settled = s > 0 and bool(norms[s] <= NEAR_ZERO * norms.max())
    start = int(np.argmax(norms[:s])) if settled else s
    acts = [L.activation for L in traj.hidden_layers]
    train = training_mask(traj)
    x, y = traj.inputs[train], traj.labels[train]
    extent = traj.info.mesh.extent
    before = as_float(traj.weights(start))
    first = class_map(before, acts, extent, CHANGE_RESOLUTION)
    counts = STEP_COUNTS if settled else tuple(n for n in STEP_COUNTS if n > 1)
    weights, done, kept = before, 0, (before, 0)
    grads: list[Array] = []
    g_max = 0.0
    for n in counts:
        while done < n:
            g = backward(weights, acts, x, y)
            if not done:
                grads = [np.asarray(d, np.float64) for d in g.dW]
                g_max = max(float(np.max(np.abs(d))) for d in (*g.dW, *g.db))
            weights = _moved(weights, g.dW, g.db, lr)
            done += 1
        if not all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in weights):
            break  # plain steps this large diverge: the last count that did not
        kept = (weights, n)
        if np.mean(class_map(weights, acts, extent, CHANGE_RESOLUTION) != first) >= VISIBLE:
            break
    after, steps = kept
    if not steps:  # even the fewest diverged: one step, whatever it did
        g = backward(before, acts, x, y)
        grads = [np.asarray(d, np.float64) for d in g.dW]
        g_max = max(float(np.max(np.abs(d))) for d in (*g.dW, *g.db))
        after = _moved(before, g.dW, g.db, lr)
        steps = 1
    return Descent(start, settled, steps, _step(traj, before, after), grads, g_max)


def _moved(weights: Weights, dW: Sequence[Array], db: Sequence[Array], lr: float) -> Weights:
    """``weights`` after one plain step ``W ← W − lr·g``."""
    return [(w - lr * dw, b - lr * d) for (w, b), dw, d in zip(weights, dW, db, strict=True)]
