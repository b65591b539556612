"""The best straight boundary through the data: the logistic regression the warp opens with.

Numpy only (no torch): a convex problem of 3 parameters a class, solved by Newton's method.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nnmodel import trajectory
from nnmodel.datasets import Dataset
from nnmodel.schema import Baseline

__all__ = ["LINE_ITERATIONS", "LINE_L2", "fit_line"]

#: Newton steps at most, and the L2 penalty on the weights that keeps them finite on
#: separable data (the bias is not penalised).
LINE_ITERATIONS = 100
LINE_L2 = 1e-3

FloatArray = npt.NDArray[np.float64]


def _loss_grad_hess(
    theta: FloatArray, x1: FloatArray, onehot: FloatArray, binary: bool
) -> tuple[float, FloatArray, FloatArray]:
    """Mean cross-entropy + ``LINE_L2``·|W|² of ``theta`` (outputs × 3: two weights and a
    bias), its gradient and its Hessian (flattened, ``theta.size`` square)."""
    n = len(x1)
    z = x1 @ theta.T  # (n, outputs)
    penalty = theta.copy()
    penalty[:, -1] = 0.0
    if binary:
        y = onehot[:, 1]
        s = z[:, 0]
        loss = float(np.mean(np.logaddexp(0.0, s) - y * s))
        p = 1.0 / (1.0 + np.exp(-s))
        grad = ((p - y) @ x1 / n)[None, :]
        hess = (x1 * (p * (1 - p))[:, None]).T @ x1 / n
    else:
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        p = np.exp(logp)
        loss = float(-np.mean((onehot * logp).sum(axis=1)))
        grad = (p - onehot).T @ x1 / n
        s_ = np.einsum("ik,kl->ikl", p, np.eye(p.shape[1])) - np.einsum("ik,il->ikl", p, p)
        k = p.shape[1]
        hess = np.einsum("ikl,ia,ib->kalb", s_, x1, x1).reshape(k * 3, k * 3) / n
    loss += LINE_L2 * float((penalty * penalty).sum())
    grad = grad + 2 * LINE_L2 * penalty
    reg = np.tile([1.0, 1.0, 0.0], theta.shape[0])
    hess = hess + np.diag(2 * LINE_L2 * reg)
    return loss, grad, hess


def fit_line(data: Dataset, test_mask: npt.NDArray[np.bool_]) -> Baseline:
    """Logistic regression on the training points (no hidden layer): the best straight
    boundary, which the warp's opening shows failing (or not).

    Fitted to convergence by Newton's method (with a backtracking line search) on
    standardised inputs from zero weights: deterministic, and the same whatever the scale
    of the data or the network's optimiser, epochs and learning rate; then expressed in
    the data's own coordinates. A line trained like the network could stop far from the
    best one (unscaled columns, a few epochs) and make the data look less separable than
    it is. With more than two classes, one line a class (softmax), as the network's
    output layer.
    """
    x = np.asarray(data.X, np.float64)
    train = ~np.asarray(test_mask, bool)
    mean = x[train].mean(axis=0)
    std = x[train].std(axis=0)
    std = np.where(std > 0, std, 1.0)
    k = data.n_classes
    binary = k == 2
    xs = (x[train] - mean) / std
    x1 = np.hstack([xs, np.ones((len(xs), 1))])
    onehot = np.eye(k)[np.asarray(data.y)[train]]
    theta = np.zeros((1 if binary else k, 3))
    loss, grad, hess = _loss_grad_hess(theta, x1, onehot, binary)
    for _ in range(LINE_ITERATIONS):
        if float(np.abs(grad).max()) < 1e-10:
            break
        # lstsq: softmax's biases can all shift together, so its Hessian is singular
        step = np.linalg.lstsq(hess, grad.ravel(), rcond=None)[0].reshape(theta.shape)
        t = 1.0
        while t > 1e-8:
            trial = theta - t * step
            new = _loss_grad_hess(trial, x1, onehot, binary)
            if new[0] <= loss - 1e-4 * t * float((grad * step).sum()):
                break
            t /= 2
        else:
            break  # no step lowers the loss: at the minimum, to rounding
        theta = trial
        loss, grad, hess = new
    w, b = theta[:, :2], theta[:, 2]
    w_x = w / std  # logits = (w / std)·x + (b - (w / std)·mean)
    b_x = b - w_x @ mean
    correct = trajectory.decide(x @ w_x.T + b_x) == data.y
    return Baseline(
        w=tuple(tuple(float(v) for v in row) for row in w_x),
        b=tuple(float(v) for v in b_x),
        train_acc=float(correct[train].mean()),
        test_acc=float(correct[test_mask].mean()) if test_mask.any() else None,
    )
