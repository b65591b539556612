"""Backpropagation in numpy: every layer's gradient of the loss, from the weights alone.

The anatomy scenes show the error flowing backward through the trained network. Given the
weights of a snapshot and some points, :func:`backward` runs the forward pass, measures the
loss exactly as the trainer does (binary cross-entropy of one logit for two classes,
cross-entropy of K logits otherwise, both taking logits), and carries ``dL/dz`` back layer
by layer through :meth:`nnmodel.activations.Activation.backward`. It needs no torch, so a
trajectory file of schema version 1 (which stores no gradients) still shows backpropagation.

Conventions: ``W`` is ``(out, in)`` as in torch; the loss is the **mean** over the points
given (as the trainer's full-batch loss), so ``dW`` and ``db`` are gradients of that mean;
``dz[l][i]`` is the gradient of the mean loss with respect to point ``i``'s affine output of
layer ``l`` (multiply by ``N`` for point ``i``'s own loss). Weight decay is not included
(the optimiser adds it), so these are the gradients autograd gives for the loss alone.

With ``train=`` (a mask of the training points) the mean is over the training points only,
as the trainer's loss is: ``dW``, ``db`` and ``loss`` ignore the held-out points, while
``dz`` still covers every point, each held-out point's row being its own loss's gradient
divided by the number of training points, exactly as a training point's is (the
convention of the trajectory file's ``dz{l}``, :mod:`nnmodel.schema`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel.activations import get as get_activation

__all__ = [
    "Gradients",
    "backward",
    "per_point_loss",
]

FloatArray = npt.NDArray[np.float64]
Weights = Sequence[tuple[npt.ArrayLike, npt.ArrayLike]]


@dataclass(frozen=True)
class Gradients:
    """One backward pass: the forward values, the loss and every gradient.

    Attributes
    ----------
    z, h : list of (N, d_l) arrays
        Each layer's affine output and activation (``h`` of the last layer: the logits).
    loss : float
        The mean loss over the points (over the training points, given ``train=``).
    losses : (N,) array
        Each point's own loss.
    dz : list of (N, d_l) arrays
        ``dL/dz`` of the mean loss, per point and layer (every point: see ``train=``).
    dW : list of (d_l, d_{l-1}) arrays, db : list of (d_l,) arrays
        Gradients of the mean loss with respect to each layer's weights and biases.
    """

    z: list[FloatArray]
    h: list[FloatArray]
    loss: float
    losses: FloatArray
    dz: list[FloatArray]
    dW: list[FloatArray]
    db: list[FloatArray]


def per_point_loss(logits: FloatArray, y: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Each point's loss and its gradient with respect to the logits (not averaged).

    One logit: binary cross-entropy with logits; K logits: cross-entropy (softmax).

    >>> loss, grad = per_point_loss(np.array([[0.0], [2.0]]), [1, 0])
    >>> loss.round(4).tolist(), grad.round(4).tolist()
    ([0.6931, 2.1269], [[-0.5], [0.8808]])
    """
    z = np.asarray(logits, np.float64)
    labels = np.asarray(y, np.int64)
    if z.shape[1] == 1:
        t = labels.astype(np.float64)
        s = z[:, 0]
        loss = np.maximum(s, 0.0) - s * t + np.log1p(np.exp(-np.abs(s)))
        grad = (0.5 * (1.0 + np.tanh(0.5 * s)) - t)[:, None]
        return loss, grad
    top = z.max(axis=1, keepdims=True)
    e = np.exp(z - top)
    total = e.sum(axis=1, keepdims=True)
    rows = np.arange(len(labels))
    loss = (np.log(total[:, 0]) + top[:, 0]) - z[rows, labels]
    grad = e / total
    grad[rows, labels] -= 1.0
    return loss, grad


def backward(
    weights: Weights,
    activations: Sequence[str],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    train: npt.ArrayLike | None = None,
) -> Gradients:
    """Forward pass, mean loss and every gradient, for the points ``x`` with labels ``y``.

    Parameters
    ----------
    weights
        ``[(W, b), ...]`` per layer, ``W`` shaped ``(out, in)``.
    activations
        One name per **hidden** layer (the output layer is read as logits).
    x, y
        Points ``(N, 2)`` and integer labels ``(N,)``.
    train
        Optional boolean mask ``(N,)`` of the points the loss averages (the training
        points): ``loss``, ``dW`` and ``db`` are then those of the mean over them, and
        every point's ``dz`` row is its own loss's gradient divided by their number
        (held-out points included). Default: every point.

    Examples
    --------
    >>> w = [(np.eye(2), np.zeros(2)), (np.array([[1.0, -1.0]]), np.zeros(1))]
    >>> g = backward(w, ["tanh"], np.array([[1.0, 0.0]]), [1])
    >>> round(g.loss, 4), g.dW[1].round(4).tolist()
    (0.3832, [[-0.2424, 0.0]])

    A held-out point changes no weight gradient, but has its own ``dz`` row:

    >>> two = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> g2 = backward(w, ["tanh"], two, [1, 0], train=[True, False])
    >>> np.allclose(g2.dW[1], g.dW[1]), bool(g2.dz[1][1, 0] > 0)
    (True, True)
    """
    acts = [*activations, "linear"]
    if len(acts) != len(weights):
        raise ValueError(f"{len(weights)} layers need {len(weights) - 1} hidden activations")
    ws: list[tuple[FloatArray, FloatArray]] = [
        (np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in weights
    ]
    h: FloatArray = np.asarray(x, np.float64)
    inputs, zs, hs = [], [], []
    for (w, b), name in zip(ws, acts, strict=True):
        inputs.append(h)
        z = h @ w.T + b
        h = np.asarray(get_activation(name)(z), np.float64)
        zs.append(z)
        hs.append(h)
    losses, grad = per_point_loss(hs[-1], y)
    mask = np.ones(len(losses), bool) if train is None else np.asarray(train, bool)
    if mask.shape != losses.shape:
        raise ValueError(f"train has shape {mask.shape}, expected ({len(losses)},)")
    n = int(mask.sum())
    if n == 0:
        raise ValueError("train selects no point: the mean loss needs at least one")
    delta: FloatArray = grad / n  # dL/dz of the output layer (its activation is linear)
    everyone = bool(mask.all())
    dz: list[Any] = [None] * len(ws)
    dW: list[Any] = [None] * len(ws)
    db: list[Any] = [None] * len(ws)
    for layer in range(len(ws) - 1, -1, -1):
        dz[layer] = delta
        mine, below_in = (delta, inputs[layer]) if everyone else (delta[mask], inputs[layer][mask])
        dW[layer] = mine.T @ below_in
        db[layer] = mine.sum(axis=0)
        if layer:
            upstream = delta @ ws[layer][0]  # dL/dh of the layer below
            below = get_activation(acts[layer - 1])
            delta = np.asarray(below.backward(zs[layer - 1], upstream), np.float64)
    loss = float(losses[mask].mean())
    return Gradients(z=zs, h=hs, loss=loss, losses=losses, dz=dz, dW=dW, db=db)
