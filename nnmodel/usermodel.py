"""Check a user's ``nn.Sequential`` and data for :func:`nnmodel.record`, before any training.

Every refusal is one line naming what is wrong and what is supported: the layer and its
position (``model[3] is Dropout ...``), the data's shape, labels or mask, the optimiser.
See :mod:`nnmodel.recorder` for what a model may be.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from nnmodel.activations import ALL, Activation
from nnmodel.config import MAX_DEPTH, MAX_SEED, MAX_WIDTH, TrainConfig
from nnmodel.datasets import MAX_CLASSES, MAX_POINTS, Dataset
from nnmodel.errors import ConfigError, DataError

__all__ = [
    "MIN_POINTS",
    "Network",
    "SUPPORTED",
    "check_labels",
    "check_mask",
    "check_model",
    "check_name",
    "check_outputs",
    "check_points",
    "check_seed",
    "data_digest",
    "train_config",
]

#: Fewest points a dataset may have (as for the built-in datasets).
MIN_POINTS = 4

_F32_MAX = float(np.finfo(np.float32).max)
#: Output modules a model may end in, after its last Linear.
_OUTPUT_MODULES = ("Sigmoid", "Softmax", "LogSoftmax")
_DROPOUT = (
    nn.Dropout,
    nn.Dropout1d,
    nn.Dropout2d,
    nn.Dropout3d,
    nn.AlphaDropout,
    nn.FeatureAlphaDropout,
)


def _spelled(act: Activation) -> str:
    """How a user writes the activation's module: ``nn.LeakyReLU(negative_slope=0.01)``."""
    args = ", ".join(f"{k}={v:g}" for k, v in act.torch_kwargs)
    return f"nn.{act.torch_class}" + (f"({args})" if args else "")


#: The hidden-layer modules nnwarp shows, each with the activation name it stands for.
SUPPORTED: tuple[tuple[str, str], ...] = tuple((_spelled(a), a.name) for a in ALL if a.hidden)

_WHAT_IS_SUPPORTED = (
    "use nn.Linear layers with one of "
    + ", ".join(spelled for spelled, _ in SUPPORTED[:-1])
    + f" or {SUPPORTED[-1][0]} after each hidden one"
)


# ----------------------------------------------------------------------------- the model


@dataclasses.dataclass(frozen=True)
class Network:
    """A checked model: its Linear layers (position, module) and hidden activations."""

    linears: tuple[tuple[int, nn.Linear], ...]
    activations: tuple[str, ...]

    @property
    def hidden(self) -> tuple[int, ...]:
        return tuple(lin.out_features for _, lin in self.linears[:-1])


def _named(module: nn.Module) -> str:
    """A module's class name, marked when it is not one of torch's."""
    cls = type(module)
    custom = not cls.__module__.startswith("torch.")
    return f"{cls.__name__} (a custom module)" if custom else cls.__name__


def _unsupported(i: int, module: nn.Module) -> ConfigError:
    name = _named(module)
    why = ""
    if isinstance(module, _DROPOUT):
        why = " (it switches units off at random while training; remove it)"
    elif isinstance(module, nn.Sequential):
        why = " (a Sequential inside the Sequential; flatten it into one nn.Sequential)"
    return ConfigError(f"model[{i}] is {name}, which nnwarp cannot show{why}: {_WHAT_IS_SUPPORTED}")


def _hidden_activation(i: int, module: nn.Module) -> str:
    """The activation name of a hidden-layer module, or ConfigError."""
    for act in ALL:
        if act.hidden and type(module) is getattr(nn, act.torch_class):
            for key, value in act.torch_kwargs:
                got = getattr(module, key, None)
                if got != value:
                    raise ConfigError(
                        f"model[{i}] is {act.torch_class}({key}={got}), but nnwarp's "
                        f"{act.name} has {key}={value:g}: use {_spelled(act)} (the default)"
                    )
            return act.name
    raise _unsupported(i, module)


def _is_output_module(module: nn.Module) -> bool:
    return any(type(module) is getattr(nn, name) for name in _OUTPUT_MODULES)


def _check_output_module(i: int, module: nn.Module, linear: nn.Linear, pos: int) -> None:
    name = type(module).__name__
    shown = f"model[{pos}] (Linear({linear.in_features}, {linear.out_features}))"
    if isinstance(module, nn.Sigmoid):
        if linear.out_features != 1:
            raise ConfigError(
                f"model[{i}] is Sigmoid after {shown}: a sigmoid output needs 1 output unit "
                "(two classes); for K classes end in K outputs, optionally with "
                "nn.Softmax(dim=1)"
            )
        return
    dim = getattr(module, "dim", None)
    if dim not in (None, 1, -1):
        raise ConfigError(
            f"model[{i}] is {name}(dim={dim}): nnwarp's softmax acts across each point's "
            f"outputs; use nn.{name}(dim=1)"
        )
    if linear.out_features < 2:
        raise ConfigError(
            f"model[{i}] is {name} after {shown}, whose single output it turns into a "
            "constant; end in nn.Sigmoid for one output, or give the Linear K outputs"
        )


def check_model(model: nn.Module) -> Network:
    """Check the structure of ``model`` (not yet the outputs against the classes)."""
    if not isinstance(model, nn.Sequential):
        raise ConfigError(
            f"record() takes a torch.nn.Sequential, got {_named(model)}; write the network "
            "as nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)) and train that"
        )
    modules = list(model)
    if not modules:
        raise ConfigError(f"the model is an empty nn.Sequential: {_WHAT_IS_SUPPORTED}")
    linears: list[tuple[int, nn.Linear]] = []
    acts: list[str] = []
    previous_linear = False
    for i, module in enumerate(modules):
        last = i == len(modules) - 1
        if type(module) is nn.Linear:
            if previous_linear:
                raise ConfigError(
                    f"model[{i}] is a Linear right after the Linear model[{i - 1}]: nnwarp "
                    "shows one activation after each hidden layer; put one between them "
                    "(nn.Identity() for none)"
                )
            linears.append((i, module))
            previous_linear = True
            continue
        if last and linears and previous_linear and _is_output_module(module):
            _check_output_module(i, module, linears[-1][1], linears[-1][0])
            break
        if _is_output_module(module) and not isinstance(module, nn.Sigmoid):
            raise ConfigError(
                f"model[{i}] is {type(module).__name__}, which may only end a model (after "
                f"its last Linear); {_WHAT_IS_SUPPORTED}"
            )
        name = _hidden_activation(i, module)
        if not linears:
            raise ConfigError(
                f"model[{i}] is {type(module).__name__}, but a model starts with a Linear "
                "layer taking the 2 coordinates, e.g. nn.Linear(2, 8)"
            )
        if not previous_linear:
            raise ConfigError(
                f"model[{i}] is {type(module).__name__} right after the activation "
                f"model[{i - 1}]: put exactly one activation after each hidden Linear"
            )
        if last:
            raise ConfigError(
                f"model[{i}] is {type(module).__name__} after the last Linear: a model ends "
                "in its output Linear (the logits), optionally followed by nn.Sigmoid "
                "(1 output) or nn.Softmax(dim=1) (K outputs)"
            )
        acts.append(name)
        previous_linear = False

    first_pos, first = linears[0]
    if first.in_features != 2:
        raise ConfigError(
            f"model[{first_pos}] is Linear({first.in_features}, {first.out_features}), but "
            f"nnwarp's data is 2-D: the first layer takes 2 inputs, nn.Linear(2, "
            f"{first.out_features})"
        )
    for (pos_a, a), (pos_b, b) in zip(linears, linears[1:], strict=False):
        if b.in_features != a.out_features:
            raise ConfigError(
                f"model[{pos_b}] is Linear({b.in_features}, {b.out_features}), but "
                f"model[{pos_a}] gives {a.out_features} units: make it "
                f"nn.Linear({a.out_features}, {b.out_features})"
            )
    for pos, lin in linears[:-1]:
        if lin.out_features > MAX_WIDTH:
            raise ConfigError(
                f"model[{pos}] is Linear({lin.in_features}, {lin.out_features}): hidden "
                f"layers have at most {MAX_WIDTH} units (wider ones are shown through a 3-D "
                "projection anyway)"
            )
    if len(linears) - 1 > MAX_DEPTH:
        raise ConfigError(
            f"the model has {len(linears) - 1} hidden layers, more than {MAX_DEPTH} (each "
            "adds two steps to every video); use fewer"
        )
    return Network(tuple(linears), tuple(acts))


def check_outputs(net: Network, k: int) -> None:
    pos, lin = net.linears[-1]
    if (k == 2 and lin.out_features in (1, 2)) or (k > 2 and lin.out_features == k):
        return
    want = (
        "1 output (BCEWithLogitsLoss) or 2 (CrossEntropyLoss)"
        if k == 2
        else f"{k} outputs, one logit per class (CrossEntropyLoss)"
    )
    raise ConfigError(
        f"model[{pos}], the last Linear, has {lin.out_features} output"
        f"{'' if lin.out_features == 1 else 's'}, but y has {k} classes: end in {want}"
    )


# ----------------------------------------------------------------------------- the data


def _as_array(value: Any, what: str) -> np.ndarray[Any, Any]:
    if isinstance(value, torch.Tensor):
        return np.asarray(value.detach().cpu().numpy())
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{what} is not an array ({exc})") from None
    return arr


def check_points(X: Any) -> npt.NDArray[np.float32]:
    x = _as_array(X, "X")
    if x.ndim != 2 or x.shape[1] != 2:
        raise DataError(
            f"X has shape {x.shape}; nnwarp shows 2-D data: X must be shaped (N, 2), one row "
            "(x, y) per point"
        )
    if x.dtype.kind not in "iuf":
        raise DataError(f"X has dtype {x.dtype}; it must hold numbers (e.g. X.astype(float))")
    n = x.shape[0]
    if n < MIN_POINTS:
        raise DataError(f"X has {n} points; give at least {MIN_POINTS}")
    if n > MAX_POINTS:
        raise DataError(
            f"X has {n} points, more than the limit of {MAX_POINTS} (every point is stored "
            "for every layer at every snapshot and drawn in every frame); subsample it, for "
            f"example keep 1 point in {math.ceil(n / MAX_POINTS)}"
        )
    x64 = x.astype(np.float64)
    bad = ~np.isfinite(x64) | (np.abs(x64) > _F32_MAX)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        what = "is not a finite number" if not np.isfinite(x64[row, col]) else "is too large"
        raise DataError(
            f"X[{row}, {col}] = {x[row, col].item()!r} {what}; remove that point or fix its value"
        )
    return np.ascontiguousarray(x, dtype=np.float32)


def check_labels(
    y: Any, n: int, class_names: Sequence[str] | None
) -> tuple[npt.NDArray[np.int64], tuple[str, ...]]:
    arr = _as_array(y, "y")
    if arr.shape != (n,):
        hint = "; flatten it with y.ravel() (or y.flatten() for a tensor)" if arr.size == n else ""
        raise DataError(f"y has shape {arr.shape}, expected ({n},) to match X{hint}")
    if arr.dtype.kind not in "iubf":
        raise DataError(
            f"y has dtype {arr.dtype}; it must hold integer class labels 0..K-1 (map names "
            "to numbers and pass the names as class_names=)"
        )
    values = arr.astype(np.float64)
    bad = ~np.isfinite(values) | (values != np.round(values))
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(
            f"y[{i}] = {arr[i].item()!r} is not a whole number; y must hold integer class "
            "labels 0..K-1"
        )
    if (values < 0).any():
        i = int(np.argmax(values < 0))
        raise DataError(f"y[{i}] = {arr[i].item()!r} is negative; class labels are 0..K-1")
    labels = values.astype(np.int64)
    if class_names is None:
        k = int(labels.max()) + 1
        names = tuple(str(c) for c in range(k))
    else:
        if isinstance(class_names, str) or not all(isinstance(c, str) for c in class_names):
            raise DataError("class_names must be a list of strings, one name per class")
        names = tuple(class_names)
        if len(set(names)) != len(names) or not all(c.strip() for c in names):
            raise DataError(f"class_names {list(names)} must be distinct, non-empty names")
        k = len(names)
        if k < 2:
            raise DataError(
                f"class_names names {k} class{'' if k == 1 else 'es'}; a classifier needs "
                "at least 2"
            )
        if int(labels.max()) >= k:
            i = int(np.argmax(labels >= k))
            raise DataError(
                f"y[{i}] = {labels[i]}, but class_names names {k} classes (labels 0..{k - 1})"
            )
    if k < 2:
        raise DataError("y holds only the class 0; a classifier needs at least 2 classes")
    if k > MAX_CLASSES:
        raise DataError(
            f"y has {k} classes, more than {MAX_CLASSES}: each class needs a colour viewers "
            "can tell apart; merge classes or keep the largest ones"
        )
    counts = np.bincount(labels, minlength=k)
    for c, count in enumerate(counts):
        if count < 2:
            raise DataError(
                f"class {c} ('{names[c]}') has {int(count)} point{'' if count == 1 else 's'} "
                "in y; every class needs at least 2 (labels must be 0..K-1 with none skipped)"
            )
    return labels, names


def check_mask(test_mask: Any, n: int) -> npt.NDArray[np.bool_]:
    if test_mask is None:
        return np.zeros(n, dtype=bool)
    mask = _as_array(test_mask, "test_mask")
    if mask.shape != (n,) or mask.dtype != np.bool_:
        raise DataError(
            f"test_mask must be a boolean array of shape ({n},) (True = held out), got "
            f"{mask.dtype} of shape {mask.shape}"
        )
    held = int(mask.sum())
    if held >= 0.9 * n:
        raise DataError(
            f"test_mask holds out {held} of {n} points; hold out less than 90% so that the "
            "network has points to train on"
        )
    return np.array(mask, dtype=bool)


def data_digest(data: Dataset, test_mask: npt.NDArray[np.bool_]) -> str:
    """sha256 of the data as recorded: points, labels, class names and the held-out mask."""
    h = hashlib.sha256()
    h.update(data.X.tobytes())
    h.update(data.y.tobytes())
    h.update("\0".join(data.class_names).encode())
    h.update(test_mask.tobytes())
    return h.hexdigest()


# ----------------------------------------------------------------------------- the config


def train_config(optimizer: torch.optim.Optimizer | None, test_fraction: float) -> TrainConfig:
    """The optimiser's settings (its first parameter group), or nnwarp's defaults."""
    if optimizer is None:
        return TrainConfig(test_fraction=test_fraction)
    group = optimizer.param_groups[0]
    if type(optimizer) is torch.optim.Adam:
        return TrainConfig(
            optimizer="adam",
            lr=float(group["lr"]),
            weight_decay=float(group["weight_decay"]),
            test_fraction=test_fraction,
        )
    if type(optimizer) is torch.optim.SGD:
        return TrainConfig(
            optimizer="sgd",
            lr=float(group["lr"]),
            weight_decay=float(group["weight_decay"]),
            momentum=float(group["momentum"]),
            test_fraction=test_fraction,
        )
    raise ConfigError(
        f"optimizer= is {type(optimizer).__name__}; the trajectory's config records "
        "torch.optim.Adam or torch.optim.SGD: leave optimizer= out for any other (the "
        "picture does not depend on it)"
    )


def check_seed(seed: int | None) -> int:
    if seed is None:
        return 0
    if (
        isinstance(seed, bool)
        or not isinstance(seed, int | np.integer)
        or not 0 <= seed <= MAX_SEED
    ):
        raise ConfigError(f"seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
    return int(seed)


def check_name(name: str) -> str:
    if not isinstance(name, str) or not name.strip() or "\n" in name or len(name) > 60:
        raise DataError(f"name must be a short one-line text (at most 60 characters), got {name!r}")
    return name.strip()
