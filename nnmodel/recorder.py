"""Record your own PyTorch model's training as an nnwarp trajectory (``nnmodel.record``).

:func:`record` checks a model and its data once, before any training, and returns a
:class:`Recorder`. Inside your own training loop, :meth:`Recorder.snapshot` copies the
weights at an epoch (nothing else: it is cheap); at the end :meth:`Recorder.save` computes
everything a trajectory holds (metrics, stages, gradients, grid, mesh) and writes the file, which
``nnwarp render --trajectory FILE`` renders like one ``nnwarp train`` wrote.

What a model may be
-------------------
An ``nn.Sequential`` of ``nn.Linear`` layers with one activation after each hidden one,
taken from nnwarp's activation table (:data:`SUPPORTED`: ``nn.Tanh``, ``nn.ReLU``,
``nn.LeakyReLU()`` with its default slope, ``nn.Sigmoid``, ``nn.ELU()``, ``nn.Softplus()``
with their defaults, ``nn.Identity`` for none), taking 2 inputs and ending in a Linear with

- 1 output for two classes (logits, as ``BCEWithLogitsLoss`` takes them), or 2 outputs
  (``CrossEntropyLoss``): these are stored as the one logit ``z1 - z0``, which gives exactly
  the same probabilities;
- K outputs for K > 2 classes (``CrossEntropyLoss``).

The last Linear may be followed by ``nn.Sigmoid`` (1 output) or ``nn.Softmax(dim=1)`` /
``nn.LogSoftmax(dim=1)`` (K outputs): nnwarp's output layer ends in sigmoid or softmax
anyway, and the file stores the logits before it. Anything else (convolutions, batch norm,
dropout, custom modules, activations with other parameters) is refused by :func:`record`
with one line naming the layer, its position and what is supported.

Example
-------
>>> import torch
>>> from torch import nn
>>> import nnmodel
>>> from nnmodel.datasets import make_dataset
>>> data = make_dataset("moons", samples=100)
>>> model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
>>> rec = nnmodel.record(model, data.X, data.y)
>>> rec.snapshot(0)  # before training
>>> opt = torch.optim.Adam(model.parameters(), lr=0.05)
>>> x, y = torch.from_numpy(data.X), torch.from_numpy(data.y).float()
>>> for epoch in range(1, 21):
...     opt.zero_grad()
...     loss = nn.functional.binary_cross_entropy_with_logits(model(x)[:, 0], y)
...     loss.backward()
...     opt.step()
...     rec.snapshot(epoch, loss=loss.item())
>>> rec.save("own.npz")  # doctest: +SKIP
PosixPath('own.npz')
>>> rec.epochs[-1], len(rec.epochs)
(20, 21)
"""

from __future__ import annotations

import dataclasses
import math
import operator
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from nnmodel import export, trajectory
from nnmodel.baseline import fit_line
from nnmodel.config import (
    DataConfig,
    ExportConfig,
    ModelConfig,
    RunConfig,
)
from nnmodel.datasets import Dataset
from nnmodel.errors import ConfigError, TrainingError
from nnmodel.fileio import check_file_target
from nnmodel.schema import METRIC_NAMES
from nnmodel.snapshots import jump_epochs, loss_jumps
from nnmodel.train import RECORD_BUDGET
from nnmodel.usermodel import (
    MIN_POINTS,
    SUPPORTED,
    Network,
    check_labels,
    check_mask,
    check_model,
    check_name,
    check_outputs,
    check_points,
    check_seed,
    data_digest,
    train_config,
)

__all__ = [
    "MAX_EPOCH",
    "MEASURE_BUDGET",
    "MIN_POINTS",
    "RECORDED_DATA",
    "Recorder",
    "SUPPORTED",
    "Weights",
    "record",
]

Weights = list[tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]
FloatArray = npt.NDArray[np.float64]

#: The stored config's ``data.name``: the data came with the model, not from a name or file.
RECORDED_DATA = "(recorded by nnmodel.record)"
#: Largest snapshot epoch (the config's epoch limit).
MAX_EPOCH = 100_000
#: Most multiply-adds :meth:`Recorder.save` spends measuring the metrics at every recorded
#: epoch (a few seconds at most); beyond, it measures them at the log-spaced snapshots only.
MEASURE_BUDGET = 2 * 10**9

# ----------------------------------------------------------------------------- measuring


def _measure(
    weights: Weights,
    activations: Sequence[str],
    x: FloatArray,
    y: npt.NDArray[np.int64],
    test: npt.NDArray[np.bool_],
) -> tuple[float, float, float | None, float | None]:
    """Loss and accuracy on the training and held-out points, as the trainer counts them.

    The loss is binary cross-entropy of the one logit, or cross-entropy of K logits,
    computed in float64 from the weights (the trainer computes the same in float32).
    """
    logits = trajectory.forward(weights, [*activations, "linear"], x)[-1][0]
    if logits.shape[1] == 1:
        z = logits[:, 0]
        per_point = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
    else:
        top = logits.max(axis=1)
        lse = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
        per_point = lse - logits[np.arange(len(y)), y]
    correct = (trajectory.decide(logits) == y).astype(np.float64)
    train = ~test
    out = (float(per_point[train].mean()), float(correct[train].mean()))
    if test.any():
        return out[0], out[1], float(per_point[test].mean()), float(correct[test].mean())
    return out[0], out[1], None, None


# ----------------------------------------------------------------------------- the recorder


class Recorder:
    """Weights of a user's model at chosen epochs, and how to write them as a trajectory.

    Made by :func:`record`, which checks everything first. :meth:`snapshot` copies the
    weights (call it at epoch 0, before training, then at increasing epochs);
    :meth:`save` writes the trajectory file.

    Attributes
    ----------
    dataset : Dataset
        The data as checked and stored (X float32, y int64, class names, ``name``).
    test_mask : numpy.ndarray
        True for the held-out points (all False without ``test_mask=``).
    losses : dict of int to float
        The loss your loop passed to :meth:`snapshot`, by epoch (not stored in the file).

    Examples
    --------
    >>> from torch import nn
    >>> from nnmodel.datasets import make_dataset
    >>> data = make_dataset("xor", samples=40)
    >>> rec = record(nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)), data.X, data.y)
    >>> rec.snapshot(0); rec.snapshot(5)
    >>> rec.epochs
    (0, 5)
    """

    def __init__(
        self,
        network: Network,
        data: Dataset,
        test_mask: npt.NDArray[np.bool_],
        cfg: RunConfig,
        *,
        baseline: bool,
    ) -> None:
        self._net = network
        self.dataset = data
        self.test_mask = test_mask
        self._cfg = cfg
        self._baseline = baseline
        self.data_digest = data_digest(data, test_mask)
        self._shapes = [(lin.out_features, lin.in_features) for _, lin in network.linears]
        self._n_params = sum(o * i + o for o, i in self._shapes)
        self._weights: dict[int, Weights] = {}
        self.losses: dict[int, float] = {}

    @property
    def epochs(self) -> tuple[int, ...]:
        """The epochs recorded so far, in order."""
        return tuple(self._weights)

    @property
    def config(self) -> RunConfig:
        """The config the file will store (its epochs are the last snapshot's epoch)."""
        last = max(self._weights, default=0)
        return dataclasses.replace(
            self._cfg, train=dataclasses.replace(self._cfg.train, epochs=max(last, 1))
        )

    def snapshot(self, epoch: int, loss: float | torch.Tensor | None = None) -> None:
        """Copy the model's weights as they are at ``epoch``.

        The first snapshot is epoch 0 (before training); epochs then increase, up to
        :data:`MAX_EPOCH`. ``loss`` is your loop's loss at that epoch (kept in
        :attr:`losses`; the file's metrics are measured from the weights). Only the
        weights are copied here; the rest is computed by :meth:`save`.

        Raises
        ------
        ConfigError
            For an epoch out of order, too many snapshots, or a model whose layers changed.
        TrainingError
            If ``loss`` or a weight is NaN or infinite (training diverged).
        """
        try:
            if isinstance(epoch, bool):
                raise TypeError
            epoch = operator.index(epoch)
        except TypeError:
            raise ConfigError(
                f"rec.snapshot: the epoch must be a whole number, got {epoch!r}"
            ) from None
        if not self._weights and epoch != 0:
            raise ConfigError(
                f"rec.snapshot({epoch}): the first snapshot is epoch 0, the weights before "
                "training; call rec.snapshot(0) before your training loop"
            )
        if self._weights and epoch <= self.epochs[-1]:
            raise ConfigError(
                f"rec.snapshot({epoch}) comes after rec.snapshot({self.epochs[-1]}): epochs "
                "must increase"
            )
        if epoch > MAX_EPOCH:
            raise ConfigError(f"rec.snapshot({epoch}): epochs go up to {MAX_EPOCH}")
        if (len(self._weights) + 1) * self._n_params * 4 > RECORD_BUDGET:
            raise ConfigError(
                f"rec.snapshot({epoch}): {len(self._weights) + 1} snapshots of this model's "
                f"{self._n_params} weights would take over {RECORD_BUDGET // 2**20} MB; snapshot "
                f"less often (the file keeps {self._cfg.export.snapshots} of them anyway)"
            )
        value: float | None = None
        if loss is not None:
            value = float(loss.item() if isinstance(loss, torch.Tensor) else loss)
            if not math.isfinite(value):
                raise TrainingError(
                    f"training diverged at epoch {epoch} (the loss became {value}); try a "
                    "lower learning rate"
                )
        weights: Weights = []
        for (pos, lin), shape in zip(self._net.linears, self._shapes, strict=True):
            w = lin.weight.detach().cpu().numpy().astype(np.float32)
            if w.shape != shape:
                raise ConfigError(
                    f"rec.snapshot({epoch}): model[{pos}]'s weights are {w.shape}, not "
                    f"{shape} as when record() was called; record the model you train"
                )
            if lin.bias is None:
                b = np.zeros(shape[0], np.float32)
            else:
                b = lin.bias.detach().cpu().numpy().astype(np.float32)
            if not (np.isfinite(w).all() and np.isfinite(b).all()):
                raise TrainingError(
                    f"training diverged at epoch {epoch} (model[{pos}]'s weights are no longer "
                    "finite); try a lower learning rate"
                )
            weights.append((w, b))
        self._weights[epoch] = weights
        if value is not None:
            self.losses[epoch] = value

    def _as_stored(self, weights: Weights) -> Weights:
        """The weights as the file stores them: two logits of two classes become one."""
        w, b = weights[-1]
        if self.dataset.n_classes == 2 and w.shape[0] == 2:
            return [*weights[:-1], (w[1:] - w[:1], b[1:] - b[:1])]
        return weights

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the trajectory file to ``path`` (atomically) and return the path.

        The metrics are measured from the weights at every recorded epoch (null at the
        others; only at the log-spaced snapshots below when that would take more than
        :data:`MEASURE_BUDGET` multiply-adds). The file keeps up to ``snapshots`` (given to
        :func:`record`, 60 by default) of the recorded epochs, as ``nnwarp train`` picks
        them: log-spaced from 0 to the last, and the start, peak and end of each sharp jump
        of the measured training loss (:func:`nnmodel.snapshots.loss_jumps`). The gradients
        the file stores (schema version 2) are measured at the kept epochs: of the mean
        loss over the training points, computed here from the weights in numpy float64
        (:func:`nnmodel.gradients.backward`), not taken from your loop. ``path`` is
        replaced only if it is a trajectory nnwarp wrote.

        Raises
        ------
        ConfigError
            With fewer than 2 snapshots.
        OutputError
            If ``path`` is another file, a folder, or in a folder that cannot be written.
        """
        if len(self._weights) < 2:
            raise ConfigError(
                f"rec.save: {len(self._weights)} snapshot{'' if len(self._weights) == 1 else 's'} "
                "recorded, at least 2 are needed: rec.snapshot(0) before training and "
                "rec.snapshot(epoch) after it"
            )
        out = Path(path)
        check_file_target(
            out, "rec.save:", trajectory.is_trajectory_file, "trajectory", create=True
        )
        cfg = self.config
        last = self.epochs[-1]
        n = cfg.export.snapshots
        x = np.asarray(self.dataset.X, np.float64)
        cheap = len(self.epochs) * len(x) * self._n_params <= MEASURE_BUDGET
        measured = self.epochs if cheap else export.choose_snapshots(self.epochs, last, n)
        metrics: dict[str, list[float | None]] = {key: [None] * (last + 1) for key in METRIC_NAMES}
        for e in measured:
            stored = self._as_stored(self._weights[e])
            values = _measure(stored, self._net.activations, x, self.dataset.y, self.test_mask)
            for key, value in zip(METRIC_NAMES, values, strict=True):
                metrics[key][e] = value
        jumps = loss_jumps(metrics[METRIC_NAMES[0]], last)
        kept = export.choose_snapshots(self.epochs, last, n, keep=jump_epochs(jumps))
        weights = {e: self._as_stored(self._weights[e]) for e in kept}
        info, arrays = export.build(
            cfg=cfg,
            data=self.dataset,
            weights_by_epoch=weights,
            epochs_trained=last,
            metrics=metrics,
            test_mask=self.test_mask,
            stopped_early=False,
            baseline=fit_line(self.dataset, self.test_mask) if self._baseline else None,
            data_digest=self.data_digest,
            torch_version=torch.__version__.split("+")[0],
            source="recorded",
            gradients=export.numpy_gradients(
                weights, self._net.activations, x, self.dataset.y, self.test_mask
            ),
        )
        return trajectory.write(out, info, arrays)


def record(
    model: nn.Module,
    X: Any,
    y: Any,
    *,
    class_names: Sequence[str] | None = None,
    name: str = "my model",
    test_mask: Any = None,
    seed: int | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    batch_size: int | None = None,
    snapshots: int | None = None,
    export_config: ExportConfig | None = None,
    baseline: bool = True,
) -> Recorder:
    """Check ``model`` and its data, and return a :class:`Recorder` for its training.

    Everything is checked here, before training: the model's layers (see the module's
    docstring for what a model may be), its outputs against the classes, the data, and
    that the trajectory file will fit nnwarp's size limit.

    Parameters
    ----------
    model : torch.nn.Sequential
        Linear layers and supported activations, 2 inputs, 1 or K outputs.
    X : array or tensor, (N, 2)
        The points, finite numbers; 4 to 20,000 of them.
    y : array or tensor, (N,)
        Integer class labels 0..K-1 (floats holding whole numbers are fine), 2 ≤ K ≤ 8,
        with at least 2 points in every class.
    class_names : list of str, optional
        A name for each class (default ``"0"``, ``"1"``, ...).
    name : str
        What the video calls the data (its title and opening caption).
    test_mask : bool array (N,), optional
        True for points held out of training; the file reports test metrics on them.
    seed : int, optional
        The seed you gave ``torch.manual_seed``, stored in the config (nnwarp seeds nothing).
    optimizer : torch.optim.Adam or torch.optim.SGD, optional
        Your optimiser: its learning rate, weight decay (and momentum) are stored in the
        config. Without it the config records nnwarp's defaults (Adam, lr 0.03).
    batch_size : int, optional
        Your minibatch size, stored in the config (default: full batch).
    snapshots : int, optional
        How many of the recorded epochs the file keeps, 2 to 1000 (default 60).
    export_config : ExportConfig, optional
        Grid and mesh resolution of the file (and its snapshot count unless ``snapshots``).
    baseline : bool
        Fit the logistic-regression line the video opens with (a fraction of a second).

    Raises
    ------
    ConfigError
        A layer nnwarp cannot show (naming it and its position ``model[i]``), mismatched
        sizes, an optimizer other than Adam or SGD, or a file over the size limit.
    DataError
        ``X``, ``y``, ``class_names`` or ``test_mask`` out of shape or range.

    Examples
    --------
    >>> from torch import nn
    >>> from nnmodel.datasets import make_dataset
    >>> data = make_dataset("moons", samples=50)
    >>> model = nn.Sequential(nn.Linear(2, 4), nn.Dropout(0.1), nn.Linear(4, 1))
    >>> record(model, data.X, data.y)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nnmodel.errors.ConfigError: model[1] is Dropout, which nnwarp cannot show ...
    """
    net = check_model(model)
    points = check_points(X)
    labels, names = check_labels(y, len(points), class_names)
    check_outputs(net, len(names))
    mask = check_mask(test_mask, len(points))
    data = Dataset(X=points, y=labels, class_names=names, name=check_name(name))
    acts = net.activations
    ex = export_config if export_config is not None else ExportConfig()
    if snapshots is not None:
        ex = dataclasses.replace(ex, snapshots=snapshots)
    try:
        cfg = RunConfig(
            data=DataConfig(RECORDED_DATA),
            model=ModelConfig(
                hidden=net.hidden,
                activation=acts[:1] if len(set(acts)) == 1 else (acts or ("tanh",)),
            ),
            train=dataclasses.replace(
                train_config(optimizer, float(mask.sum()) / len(mask)), batch_size=batch_size
            ),
            export=ex,
            seed=check_seed(seed),
        )
    except ConfigError as exc:
        raise ConfigError(f"record(): {str(exc).replace('--', '')}") from None
    worst = dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, epochs=MAX_EPOCH))
    size = export.estimate_bytes(worst, len(labels), len(names))
    if size > export.MAX_FILE_BYTES:
        raise ConfigError(
            f"this model's trajectory file could take about {size / 2**20:,.0f} MB, over the "
            f"limit of {export.MAX_FILE_BYTES / 2**20:.0f} MB (each of the {len(labels)} "
            f"points is stored for every layer at every snapshot); pass fewer snapshots= "
            f"(now {cfg.export.snapshots}), fewer points or fewer and narrower layers"
        )
    return Recorder(net, data, mask, cfg, baseline=baseline)
