"""Load a dataset from an .npz archive with arrays X and y (and optional class_names)."""

from __future__ import annotations

import tokenize
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel.datasets.common import (
    _F32_MAX,
    _check_file,
    _classes_from_strings,
    _finish,
    _too_many,
)
from nnmodel.datasets.dataset import MAX_POINTS, Dataset
from nnmodel.errors import DataError

__all__ = [
    "load_npz",
]

_LABEL_MAX = 2.0**53  # integer labels beyond this are not exact in float64 (nor in CSV text)
_NPZ_EXPECTED = "expected arrays X (N, 2) and y (N,), saved with np.savez(path, X=X, y=y)"


#: What numpy and zipfile raise on a damaged archive (a flipped byte in a header or flag).
_DAMAGED = (
    OSError,
    zipfile.BadZipFile,
    EOFError,
    NotImplementedError,  # an unknown compression method
    RuntimeError,  # an "encrypted" member
    SyntaxError,  # a damaged .npy header
    tokenize.TokenError,
)


def _npz_array(data: Any, key: str, where: str) -> np.ndarray[Any, Any]:
    try:
        arr = data[key]
    except ValueError:
        raise DataError(
            f"{where}: array '{key}' holds Python objects, which are not loaded for safety; "
            "save plain numeric or string arrays (e.g. X.astype(float), y.astype(str))"
        ) from None
    except _DAMAGED as exc:
        raise DataError(
            f"{where}: array '{key}' is unreadable, the archive is damaged ({exc}); "
            "save it again with np.savez"
        ) from None
    if not isinstance(arr, np.ndarray):
        raise DataError(f"{where}: '{key}' is not an array; save it with np.savez")
    return arr


def _decode(arr: np.ndarray[Any, Any]) -> list[str]:
    if arr.dtype.kind == "S":
        return [b.decode("utf-8", errors="replace") for b in arr.tolist()]
    return [str(v) for v in arr.tolist()]


def load_npz(path: str | Path) -> Dataset:
    """Load a dataset from an ``.npz`` archive with arrays ``X`` and ``y``.

    ``X`` must be numeric with shape ``(N, 2)`` and finite. ``y`` has shape ``(N,)`` and
    holds integer labels (floats with integral values are accepted) or string labels.
    Without ``class_names`` the classes are the sorted distinct labels, as strings. An
    optional 1-D ``class_names`` array names the classes in order: integer labels then
    index it (``0..K-1``) and string labels must each appear in it. The file is read with
    ``allow_pickle=False``, so arrays of Python objects are refused.

    Parameters
    ----------
    path : str or pathlib.Path
        An archive written by :func:`numpy.savez` or :func:`numpy.savez_compressed`.

    Returns
    -------
    Dataset
        Named after the file (``"data.npz"``).

    Raises
    ------
    DataError
        Naming the file and the array: missing or empty file, not an ``.npz`` archive,
        missing arrays, object arrays, wrong shapes or dtypes, NaN or infinity, labels
        outside ``class_names``, fewer than 2 classes, a class with fewer than 2 points,
        or more than :data:`MAX_POINTS` points.

    Examples
    --------
    >>> import numpy as np
    >>> np.savez("pts.npz", X=np.random.rand(10, 2), y=np.arange(10) % 2)  # doctest: +SKIP
    >>> load_npz("pts.npz").class_names  # doctest: +SKIP
    ('0', '1')
    """
    p, where = _check_file(path, _NPZ_EXPECTED)
    how = "save it with np.savez(path, X=X, y=y)"
    try:
        loaded = np.load(p, allow_pickle=False)
    except (ValueError, *_DAMAGED):
        raise DataError(f"{where} is not a valid .npz archive; {how}") from None
    if isinstance(loaded, np.ndarray):
        raise DataError(f"{where} holds a single array (.npy), not an .npz archive; {how}")
    with loaded as data:
        keys = list(data.files)
        missing = [k for k in ("X", "y") if k not in keys]
        if missing:
            listed = " and ".join(f"'{m}'" for m in missing)
            found = ", ".join(repr(k) for k in keys) or "none"
            raise DataError(
                f"{where}: missing array {listed} (found: {found}); {how} "
                "(names are case-sensitive)"
            )
        X_raw = _npz_array(data, "X", where)
        y_raw = _npz_array(data, "y", where)
        names_raw = _npz_array(data, "class_names", where) if "class_names" in keys else None

    if X_raw.ndim != 2 or X_raw.shape[1] != 2:
        raise DataError(
            f"{where}: array 'X' has shape {X_raw.shape}, expected (N, 2) with one row "
            "(x, y) per point"
        )
    if X_raw.dtype.kind not in "iuf":
        raise DataError(
            f"{where}: array 'X' has dtype {X_raw.dtype}, expected numbers; "
            "save it with X.astype(float)"
        )
    n = X_raw.shape[0]
    if y_raw.shape != (n,):
        hint = "; flatten it with y.ravel()" if y_raw.size == n else ""
        raise DataError(
            f"{where}: array 'y' has shape {y_raw.shape}, expected ({n},) to match X{hint}"
        )
    if n > MAX_POINTS:
        raise _too_many(where, n)
    if n == 0:
        raise DataError(f"{where}: arrays X and y are empty; add one row per point")
    X = X_raw.astype(np.float64)
    bad = ~np.isfinite(X) | (np.abs(X) > _F32_MAX)
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        what = "is not a finite number" if not np.isfinite(X[row, col]) else "is too large"
        raise DataError(
            f"{where}: X[{row}, {col}] = {X_raw[row, col].item()!r} {what}; "
            "remove that point or fix its value"
        )
    class_names, y = _npz_labels(y_raw, names_raw, where)
    return _finish(where, p.name, X, y, class_names, "array 'y'")


def _npz_labels(
    y_raw: np.ndarray[Any, Any], names_raw: np.ndarray[Any, Any] | None, where: str
) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    """Turn an NPZ ``y`` (and optional ``class_names``) into class names and indices."""
    kind = y_raw.dtype.kind
    ints: npt.NDArray[np.int64] | None = None
    if kind in "iuf" and y_raw.size:
        big = np.abs(y_raw.astype(np.float64)) > _LABEL_MAX
        if big.any():
            i = int(np.argmax(big))
            raise DataError(
                f"{where}: y[{i}] = {y_raw[i].item()!r} is too large for a label (at most "
                f"{_LABEL_MAX:.0f} in size); number the classes 0, 1, 2, ... or use names"
            )
    if kind in "iub":
        ints = y_raw.astype(np.int64)
    elif kind == "f":
        nonint = ~np.isfinite(y_raw) | (y_raw != np.round(y_raw))
        if nonint.any():
            i = int(np.argmax(nonint))
            raise DataError(
                f"{where}: y[{i}] = {y_raw[i].item()!r} is not a whole number; "
                "labels must be integers or strings"
            )
        ints = y_raw.astype(np.int64)
    elif kind not in "US":
        raise DataError(
            f"{where}: array 'y' has dtype {y_raw.dtype}; labels must be integers or strings"
        )

    if names_raw is None:
        if ints is not None:
            values, y = np.unique(ints, return_inverse=True)
            return tuple(str(v) for v in values.tolist()), y.astype(np.int64).ravel()
        return _classes_from_strings(_decode(y_raw))

    if names_raw.ndim != 1 or names_raw.dtype.kind not in "USiuf":
        raise DataError(
            f"{where}: array 'class_names' must be a 1-D array of strings "
            f"(found shape {names_raw.shape}, dtype {names_raw.dtype})"
        )
    names = tuple(_decode(names_raw))
    if len(set(names)) != len(names):
        dup = next(nm for nm in names if names.count(nm) > 1)
        raise DataError(f"{where}: class_names lists '{dup}' twice; class names must be unique")
    if ints is not None:
        bad = (ints < 0) | (ints >= len(names))
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(
                f"{where}: y[{i}] = {int(ints[i])} but class_names has {len(names)} names, "
                f"so labels must be 0..{len(names) - 1}"
            )
        return names, ints
    index = {nm: i for i, nm in enumerate(names)}
    labels = _decode(y_raw)
    out = np.empty(len(labels), dtype=np.int64)
    for i, label in enumerate(labels):
        if label not in index:
            raise DataError(
                f"{where}: y[{i}] = '{label}' is not one of class_names; add it there "
                "or fix the label"
            )
        out[i] = index[label]
    return names, out
