"""Deterministic training of the MLP, recording weights and metrics every epoch."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from nnmodel import optim
from nnmodel.activations import get as get_activation
from nnmodel.config import RunConfig, TrainConfig
from nnmodel.datasets import Dataset
from nnmodel.model import MLP
from nnmodel.schema import METRIC_NAMES, Divergence
from nnmodel.snapshots import jump_epochs, loss_jumps
from nnmodel.split import split_mask

__all__ = [
    "GRADIENT_CHUNK",
    "Grads",
    "Progress",
    "RECORD_BUDGET",
    "TrainResult",
    "Weights",
    "gradients_at",
    "recorded_epochs",
    "split_mask",
    "train",
]

Weights = list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
Progress = Callable[[int, int, float], None]
#: ``[(dW, db, dz), ...]`` per layer, float64 (:data:`nnmodel.export.Grads`).
Grads = list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]]


@dataclass
class TrainResult:
    """Weights at recorded epochs (0 = initial weights) and the per-epoch metrics history.

    Every epoch is recorded when that is cheap (tiny nets); otherwise a dense log-spaced set
    of epochs, always including the first and the last, and the start, peak and end of
    each sharp jump of the training loss (:func:`nnmodel.snapshots.loss_jumps`, retraced
    by training again when they fell between). When training diverged,
    ``diverged`` says at which epoch, and ``epochs_trained``, the weights and the metrics
    stop at the epoch before (the last finite one).
    """

    weights: dict[int, Weights]
    epochs_trained: int
    metrics: dict[str, list[float | None]] = field(default_factory=dict)
    test_mask: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    stopped_early: bool = False
    diverged: Divergence | None = None

    @property
    def final_weights(self) -> Weights:
        """The weights after the last epoch run."""
        return self.weights[self.epochs_trained]


#: Memory budget for recorded weights (float32 bytes).
RECORD_BUDGET = 256 * 2**20
#: Points per autograd pass in :func:`gradients_at` (bounds its memory on large data).
GRADIENT_CHUNK = 4096


def recorded_epochs(n_params: int, epochs: int, snapshots: int) -> set[int] | None:
    """Which epochs to keep weights for: ``None`` means all of them."""
    if n_params * 4 * (epochs + 1) <= RECORD_BUDGET:
        return None
    dense = np.unique(np.round(np.geomspace(1, epochs + 1, 8 * snapshots)).astype(int) - 1)
    return {int(e) for e in dense}


def _snapshot(model: MLP) -> Weights:
    return [
        (lin.weight.detach().numpy().copy(), lin.bias.detach().numpy().copy())
        for lin in model.linears
        if isinstance(lin, nn.Linear)
    ]


def _metrics(
    model: MLP, x: torch.Tensor, y: torch.Tensor, test: torch.Tensor, binary: bool
) -> tuple[float, float, float | None, float | None]:
    """Loss and accuracy on the training and held-out points, from one forward pass."""
    with torch.no_grad():
        out = model(x)
        if binary:
            per_point = nn.functional.binary_cross_entropy_with_logits(
                out[:, 0], y.float(), reduction="none"
            )
            correct = ((out[:, 0] >= 0).long() == y).float()
        else:
            per_point = nn.functional.cross_entropy(out, y, reduction="none")
            correct = (out.argmax(dim=1) == y).float()
        train = ~test
        result = [float(per_point[train].mean()), float(correct[train].mean())]
        if bool(test.any()):
            return result[0], result[1], float(per_point[test].mean()), float(correct[test].mean())
        return result[0], result[1], None, None


def _finite(weights: Weights) -> bool:
    return all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in weights)


def _nonfinite(loss: float, weights: Weights) -> str:
    """``"nan"`` or ``"inf"``: what the loss became, or (if it is finite) the weights."""
    if not math.isfinite(loss):
        return "nan" if math.isnan(loss) else "inf"
    return "nan" if any(np.isnan(w).any() or np.isnan(b).any() for w, b in weights) else "inf"


def gradients_at(
    weights: Weights,
    activations: Sequence[str],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    test_mask: npt.ArrayLike,
) -> Grads:
    """Torch autograd's gradients of the mean training loss at ``weights`` (float64).

    The loss is the trainer's (binary cross-entropy of one logit, cross-entropy of K), the
    mean over the training points (``~test_mask``), full batch, without weight decay.
    Returns ``[(dW, db, dz), ...]`` per layer: ``dW`` and ``db`` of that mean; ``dz``
    (N, out) for every point, the gradient of the point's own loss with respect to the
    layer's affine output divided by the number of training points (the convention of the
    trajectory file, :mod:`nnmodel.schema`). Computed in float64 from the given (float32)
    weights, so it agrees with :func:`nnmodel.gradients.backward` to rounding.
    """
    torch.set_num_threads(1)  # as in training: the same floats on every machine
    f64 = torch.float64
    x_all = np.asarray(x, np.float64)
    y_all = np.asarray(y, np.int64)
    train_all = ~np.asarray(test_mask, bool)
    n_train = int(train_all.sum())
    params = [
        (
            torch.tensor(np.asarray(w), dtype=f64, requires_grad=True),
            torch.tensor(np.asarray(b), dtype=f64, requires_grad=True),
        )
        for w, b in weights
    ]
    flat = [p for pair in params for p in pair]
    modules = [get_activation(name).torch_module() for name in activations]
    sums = [torch.zeros_like(p) for p in flat]
    dz_parts: list[list[npt.NDArray[np.float64]]] = [[] for _ in params]
    # In chunks of points (the loss is a sum over points): autograd's graph of a wide net
    # on 20,000 points would take more memory than the snapshot it is computed for.
    for start in range(0, len(x_all), GRADIENT_CHUNK):
        part = slice(start, start + GRADIENT_CHUNK)
        h, zs = torch.from_numpy(x_all[part]), []
        for i, (w, b) in enumerate(params):
            z = nn.functional.linear(h, w, b)
            zs.append(z)
            if i < len(modules):
                h = modules[i](z)
        logits, labels = zs[-1], torch.from_numpy(y_all[part])
        if logits.shape[1] == 1:
            per_point = nn.functional.binary_cross_entropy_with_logits(
                logits[:, 0], labels.to(f64), reduction="none"
            )
        else:
            per_point = nn.functional.cross_entropy(logits, labels, reduction="none")
        trained = torch.from_numpy(train_all[part])
        mean_share = per_point[trained].sum() / n_train  # this chunk's share of the mean
        param_grads = torch.autograd.grad(mean_share, flat, retain_graph=True)
        for total, grad in zip(sums, param_grads, strict=True):
            total += grad
        z_grads = torch.autograd.grad(per_point.sum() / n_train, zs)
        for parts, grad in zip(dz_parts, z_grads, strict=True):
            parts.append(grad.numpy())
    return [
        (sums[2 * i].numpy(), sums[2 * i + 1].numpy(), np.concatenate(dz_parts[i]))
        for i in range(len(params))
    ]


def train(
    cfg: RunConfig,
    data: Dataset,
    *,
    hidden: tuple[int, ...] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Train ``cfg``'s network on ``data`` (or another ``hidden`` stack, for baselines).

    Deterministic: the same config, data and seed give bitwise the same weights.

    If the loss (or a weight) becomes NaN or infinite, training stops there: the result
    keeps the weights and metrics up to the epoch before, the last finite one
    (``epochs_trained``), and says where it diverged (``diverged``).
    """
    tc: TrainConfig = cfg.train
    hidden = cfg.model.hidden if hidden is None else hidden
    acts = cfg.model.activations() if hidden == cfg.model.hidden else ("tanh",) * len(hidden)
    torch.set_num_threads(1)  # tiny nets: threading costs more than it saves, and varies
    k = data.n_classes
    binary = k == 2
    loss_fn: nn.Module = nn.BCEWithLogitsLoss() if binary else nn.CrossEntropyLoss()

    def begin() -> tuple[MLP, optim.Optimizer, torch.Generator]:
        """The network, its optimiser and the minibatches' shuffler as at epoch 0: the same
        every time (a replay retraces the training bit for bit)."""
        torch.manual_seed(cfg.seed)
        model = MLP(2, hidden, acts, 1 if binary else k)
        # torch.optim's arithmetic without torch.optim (which imports torch._dynamo):
        # nnmodel/optim.py
        if tc.optimizer == "adam":
            opt: optim.Optimizer = optim.Adam(
                model.parameters(), lr=tc.lr, weight_decay=tc.weight_decay
            )
        else:
            opt = optim.SGD(
                model.parameters(), lr=tc.lr, momentum=tc.momentum, weight_decay=tc.weight_decay
            )
        return model, opt, torch.Generator().manual_seed(cfg.seed)

    test_mask = split_mask(len(data.y), tc.test_fraction, cfg.seed)
    x_all = torch.from_numpy(np.asarray(data.X, np.float32))
    y_all = torch.from_numpy(np.asarray(data.y, np.int64))
    x_tr, y_tr = x_all[~test_mask], y_all[~test_mask]
    n = len(y_tr)
    batch = n if tc.batch_size is None else min(tc.batch_size, n)

    def one_epoch(model: MLP, opt: optim.Optimizer, gen: torch.Generator) -> None:
        order = torch.randperm(n, generator=gen) if batch < n else None
        for start in range(0, n, batch):
            idx = order[start : start + batch] if order is not None else slice(None)
            xb, yb = x_tr[idx], y_tr[idx]
            opt.zero_grad()
            out = model(xb)
            loss = loss_fn(out[:, 0], yb.float()) if binary else loss_fn(out, yb)
            loss.backward()
            opt.step()

    model, opt, gen = begin()

    # train_loss, train_acc, test_loss, test_acc: the order of _metrics' values
    history: dict[str, list[float | None]] = {key: [] for key in METRIC_NAMES}

    test_t = torch.from_numpy(test_mask)

    def record() -> float:
        values = _metrics(model, x_all, y_all, test_t, binary)
        for key, value in zip(history, values, strict=True):
            history[key].append(value)
        return float(values[0])

    keep = recorded_epochs(
        sum(p.numel() for p in model.parameters()), tc.epochs, cfg.export.snapshots
    )
    weights = {0: _snapshot(model)}
    last_good = weights[0]
    record()
    epoch = 0
    stopped_early = False
    diverged: Divergence | None = None
    for epoch in range(1, tc.epochs + 1):
        one_epoch(model, opt, gen)
        current = _snapshot(model)
        train_loss = record()
        if not math.isfinite(train_loss) or not _finite(current):
            diverged = Divergence(epoch, _nonfinite(train_loss, current))
            for values in history.values():
                del values[-1]  # the metrics end with the last finite epoch
            epoch -= 1
            weights[epoch] = last_good
            break
        last_good = current
        stop = tc.target_loss is not None and train_loss <= tc.target_loss
        if keep is None or epoch in keep or stop or epoch == tc.epochs:
            weights[epoch] = current
        if progress is not None:
            progress(epoch, tc.epochs, train_loss)
        if stop:
            stopped_early = True
            break
    if keep is not None:
        # Weights were kept at some epochs only: the jumps of the loss the exporter keeps
        # snapshots for may fall between them. Train again from the start (bit for bit the
        # same) up to the last of those, keeping their weights this time.
        wanted = jump_epochs(loss_jumps(history["train_loss"], epoch))
        missing = sorted(e for e in wanted if e not in weights)
        if missing:
            model, opt, gen = begin()
            for again in range(1, missing[-1] + 1):
                one_epoch(model, opt, gen)
                if again in missing:
                    weights[again] = _snapshot(model)
    return TrainResult(weights, epoch, history, test_mask, stopped_early, diverged)
