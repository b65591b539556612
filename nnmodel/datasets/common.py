"""Checks shared by the CSV and NPZ loaders: the file, the classes and the size limit."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nnmodel.datasets.dataset import _LIMIT_WHY, MAX_CLASSES, MAX_POINTS, Dataset, FloatArray
from nnmodel.errors import DataError

__all__ = [
    "_F32_MAX",
    "_as_integer",
    "_check_file",
    "_classes_from_strings",
    "_finish",
    "_too_many",
]

_F32_MAX = float(np.finfo(np.float32).max)


def _check_file(path: str | Path, expected: str) -> tuple[Path, str]:
    """Resolve ``path`` and return it with the label used in messages; check it is a file."""
    where = str(path)
    p = Path(path).expanduser()
    if not p.exists():
        raise DataError(f"{where}: file not found; check the path and the current directory")
    if p.is_dir():
        raise DataError(f"{where} is a directory; give a .csv or .npz file")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DataError(f"{where}: cannot read the file ({exc.strerror})") from None
    if size == 0:
        raise DataError(f"{where} is empty; {expected}")
    return p, where


def _finish(
    where: str,
    name: str,
    X: FloatArray,
    y: npt.NDArray[np.int64],
    class_names: tuple[str, ...],
    kind: str,
    feature_names: tuple[str, str] = ("x", "y"),
    label_name: str = "label",
) -> Dataset:
    """Check class count and sizes, then build the Dataset (shared by CSV and NPZ)."""
    if len(class_names) < 2:
        found = f"only the class '{class_names[0]}'" if class_names else "no classes"
        raise DataError(f"{where}: found {found} in {kind}; a classifier needs at least 2 classes")
    if len(class_names) > MAX_CLASSES:
        raise DataError(
            f"{where}: {len(class_names)} classes in {kind}, more than {MAX_CLASSES}: each class "
            "needs a colour viewers can tell apart; merge classes or keep the largest ones"
        )
    counts = np.bincount(y, minlength=len(class_names))
    for cname, count in zip(class_names, counts, strict=True):
        if count < 2:
            raise DataError(
                f"{where}: class '{cname}' has only {int(count)} point"
                f"{'' if count == 1 else 's'}; every class needs at least 2 "
                "(add points or remove that class)"
            )
    return Dataset(
        X=np.ascontiguousarray(X, dtype=np.float32),
        y=np.ascontiguousarray(y, dtype=np.int64),
        class_names=class_names,
        name=name,
        feature_names=feature_names,
        label_name=label_name,
    )


def _too_many(where: str, n: int) -> DataError:
    step = math.ceil(n / MAX_POINTS)
    return DataError(
        f"{where} has {n} points, more than the limit of {MAX_POINTS} ({_LIMIT_WHY}); "
        f"subsample it, for example keep 1 point in {step}"
    )


def _as_integer(text: str) -> int | None:
    """Parse ``"3"``, ``" -1 "`` or ``"2.0"`` as an integer label; None otherwise."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _classes_from_strings(labels: Sequence[str]) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    """Class names (integers numerically, else strings lexicographically) and indices."""
    parsed = [_as_integer(s) for s in labels]
    ints = [v for v in parsed if v is not None]
    if len(ints) == len(labels):
        by_int = {v: i for i, v in enumerate(sorted(set(ints)))}
        y = np.fromiter((by_int[v] for v in ints), dtype=np.int64, count=len(ints))
        return tuple(str(v) for v in by_int), y
    by_str = {s: i for i, s in enumerate(sorted(set(labels)))}
    y = np.fromiter((by_str[s] for s in labels), dtype=np.int64, count=len(labels))
    return tuple(by_str), y
