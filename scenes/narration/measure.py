"""The numbers a layer's words are written from: what W turns and stretches, how far b shifts,
how much of the data an activation flattens (pure numpy).

Each function reads one move of the warp from the real weights and points, so the captions
of two layers differ exactly when their numbers do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nnmodel.activations import get as get_activation

__all__ = [
    "ActivationFacts",
    "LinearFacts",
    "ShiftFacts",
    "activation_facts",
    "line_accuracy",
    "linear_facts",
    "shift_facts",
]

#: An activation "flattens" a coordinate where its slope is below this share of its largest.
FLAT_SLOPE = 0.05


@dataclass(frozen=True)
class LinearFacts:
    """What ``W`` does, from its singular value decomposition ``W = U·Σ·Vᵀ``.

    ``stretches`` are the singular values, largest first (how much ``W`` stretches along
    its principal directions: below 1 it squeezes); ``turn`` is the angle in degrees of
    the rotation ``U·Vᵀ`` for a square 2×2 map (None otherwise); ``flips`` says
    ``det W < 0`` for a 2×2 map (a mirror image) or a 1×1 (the line end to end).
    """

    d_in: int
    d_out: int
    stretches: tuple[float, ...]
    turn: float | None
    flips: bool


@dataclass(frozen=True)
class ShiftFacts:
    """The bias as a move: its length and, in 2-D, the compass direction it points to."""

    length: float
    direction: str | None


@dataclass(frozen=True)
class ActivationFacts:
    """How much of the layer's input an activation flattens.

    ``flat`` is the share of the points' coordinates where the activation's slope is below
    :data:`FLAT_SLOPE` of its largest (ReLU: zeroed, tanh/sigmoid: saturated).
    """

    name: str
    flat: float
    #: Share of the points a straight line (a plane, in 3-D) separates right before this
    #: layer and after it (:func:`line_accuracy`), when measured.
    line_before: float | None = None
    line_after: float | None = None


def linear_facts(w: npt.ArrayLike, flipped: bool = False) -> LinearFacts:
    """SVD facts about ``w`` (shape ``(out, in)``); ``flipped`` marks a map shown with two
    units swapped so that its determinant is positive (the original flips the plane).

    >>> f = linear_facts([[0.0, -2.0], [1.0, 0.0]])
    >>> f.stretches, f.turn, f.flips
    ((2.0, 1.0), 90.0, False)
    """
    m = np.asarray(w, np.float64)
    u, s, vt = np.linalg.svd(m)
    d_out, d_in = m.shape
    turn = None
    flips = flipped
    if m.shape == (2, 2):
        det = float(np.linalg.det(m))
        flips = flips or det < 0
        r = u @ vt
        if np.linalg.det(r) < 0:  # a reflection: read the rotation of the flipped map
            r = r @ np.diag([1.0, -1.0])
        turn = float(np.degrees(np.arctan2(r[1, 0], r[0, 0])))
    elif m.shape == (1, 1):
        flips = flips or m[0, 0] < 0  # the line turned end to end
    return LinearFacts(d_in, d_out, tuple(round(float(v), 6) for v in s), turn, flips)


_COMPASS = ("right", "up and right", "up", "up and left", "left", "down and left", "down")


def shift_facts(b: npt.ArrayLike) -> ShiftFacts:
    """The bias ``b`` as a move.

    >>> shift_facts([0.5, 0.5])
    ShiftFacts(length=0.707107, direction='up and right')
    >>> shift_facts([0.0, -1.0, 0.0]).direction is None
    True
    """
    v = np.asarray(b, np.float64)
    length = round(float(np.linalg.norm(v)), 6)
    if len(v) != 2 or length == 0:
        return ShiftFacts(length, None)
    angle = float(np.degrees(np.arctan2(v[1], v[0]))) % 360
    sector = int(((angle + 22.5) % 360) // 45)
    names = (*_COMPASS, "down and right")
    return ShiftFacts(length, names[sector])


def activation_facts(name: str, z: npt.ArrayLike) -> ActivationFacts:
    """The share of the coordinates ``z`` (the layer's affine outputs) that ``name`` flattens.

    >>> activation_facts("relu", [[-1.0, 2.0], [-3.0, -0.5]]).flat
    0.75
    >>> activation_facts("linear", [[5.0]]).flat
    0.0
    """
    act = get_activation(name)
    values = np.asarray(z, np.float64)
    slope = np.abs(np.asarray(act.derivative(values), np.float64))
    peak = float(np.abs(np.asarray(act.derivative(np.linspace(-6, 6, 1201)))).max())
    flat = float(np.mean(slope < FLAT_SLOPE * peak)) if values.size and peak > 0 else 0.0
    return ActivationFacts(name, round(flat, 6))


def line_accuracy(points: npt.ArrayLike, labels: npt.ArrayLike, steps: int = 400) -> float:
    """How well the best straight boundary separates ``labels`` in the space of ``points``.

    The share of the points right for a linear classifier fitted to all of them on
    standardised coordinates (logistic regression by Newton's method for two classes,
    softmax regression by gradient descent for more; the best iterate counts): a line in
    2-D, a plane in 3-D, a hyperplane beyond; "how far apart the classes are" after a
    layer, as one number. Deterministic.

    It is the fitted boundary's score, so a lower bound on the best line's: on symmetric
    data such as XOR the fit stays at the centre (0.5, where a line could get 0.75).

    >>> xs = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> line_accuracy(xs, [0, 0, 0, 1])  # AND: one line does it
    1.0
    """
    x = np.asarray(points, np.float64)
    y = np.asarray(labels, np.int64)
    if len(y) == 0:
        return 0.0
    spread = x.std(axis=0)
    x = (x - x.mean(axis=0)) / np.where(spread > 1e-12, spread, 1.0)
    x = np.column_stack([x, np.ones(len(x))])
    k = int(y.max()) + 1
    best = 0.0
    if k <= 2:  # logistic regression by Newton's method (a small ridge keeps it finite)
        w = np.zeros(x.shape[1])
        for _ in range(60):
            p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30.0, 30.0)))
            best = max(best, float(np.mean((x @ w > 0) == (y == 1))))
            hessian = x.T @ (x * (p * (1 - p))[:, None]) + 1e-6 * np.eye(x.shape[1])
            step = np.linalg.solve(hessian, x.T @ (p - (y == 1)))
            w -= step
            if float(np.abs(step).max()) < 1e-9:
                break
        return round(max(best, float(np.mean((x @ w > 0) == (y == 1)))), 6)
    onehot = np.eye(k)[y]
    w = np.zeros((x.shape[1], k))
    for _ in range(steps):
        logits = x @ w
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        best = max(best, float(np.mean(p.argmax(axis=1) == y)))
        w -= 2.0 * x.T @ (p - onehot) / len(y)
    return round(max(best, float(np.mean((x @ w).argmax(axis=1) == y))), 6)
