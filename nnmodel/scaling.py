"""Standardised inputs: each column minus its mean, over its standard deviation (numpy only).

Real measurements come in their own units: alcohol in % (11–15), proline in mg/L
(280–1,680). At one scale the network (and the picture) sees almost only the wider column.
nnwarp standardises file data by default: the mean and standard deviation of each column
are computed on the training points only (the held-out points must not leak into the
model), stored in the trajectory, and applied before the first layer. Everything the
trajectory stores (points, stages, grid, mesh, separator) lives in the standardised space;
:meth:`Scaling.invert` gives back the original units, for axis labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel.errors import DataError

__all__ = [
    "Scaling",
    "constant_column",
    "fit_scaling",
]

FloatArray = npt.NDArray[np.floating[Any]]


@dataclass(frozen=True)
class Scaling:
    """Per-column ``mean`` and ``std`` (original units): ``z = (x - mean) / std``.

    Examples
    --------
    >>> s = Scaling(mean=(13.0, 750.0), std=(0.8, 315.0))
    >>> s.apply(np.array([[13.8, 435.0]])).round(6).tolist()
    [[1.0, -1.0]]
    >>> s.invert(np.array([[1.0, -1.0]])).round(6).tolist()
    [[13.8, 435.0]]
    """

    mean: tuple[float, float]
    std: tuple[float, float]

    def apply(self, x: FloatArray) -> npt.NDArray[np.float64]:
        """Original units → standardised (``(..., 2)`` arrays)."""
        out: npt.NDArray[np.float64] = (np.asarray(x, np.float64) - self.mean) / np.asarray(
            self.std
        )
        return out

    def invert(self, z: FloatArray) -> npt.NDArray[np.float64]:
        """Standardised → original units (``(..., 2)`` arrays)."""
        out: npt.NDArray[np.float64] = np.asarray(z, np.float64) * self.std + np.asarray(self.mean)
        return out

    def to_json(self) -> dict[str, Any]:
        return {"mean": list(self.mean), "std": list(self.std)}


def constant_column(x: FloatArray) -> int | None:
    """The first column of ``x`` with a single value (standard deviation 0), else None."""
    for k in range(x.shape[1]):
        col = x[:, k]
        if len(col) and np.all(col == col[0]):
            return k
    return None


def fit_scaling(
    x: FloatArray,
    train: npt.NDArray[np.bool_],
    names: Sequence[str],
    where: str,
) -> Scaling:
    """Mean and standard deviation of each column of ``x`` over the ``train`` rows.

    Raises
    ------
    DataError
        If a column has one value on every training point: its standard deviation is 0,
        so standardising would divide by zero (and it cannot tell the classes apart).

    Examples
    --------
    >>> x = np.array([[1.0, 10.0], [3.0, 30.0], [100.0, 0.0]])
    >>> fit_scaling(x, np.array([True, True, False]), ("a", "b"), "d.csv")
    Scaling(mean=(2.0, 20.0), std=(1.0, 10.0))
    """
    rows = np.asarray(x, np.float64)[np.asarray(train, bool)]
    k = constant_column(rows)
    if k is not None:
        raise DataError(
            f"{where}: column '{names[k]}' has the same value ({rows[0, k]:g}) on every "
            "training point, so it cannot tell the classes apart and cannot be standardised "
            "(its standard deviation is 0); choose another column with --columns"
        )
    mean, std = rows.mean(axis=0), rows.std(axis=0)
    return Scaling(
        mean=(float(mean[0]), float(mean[1])),
        std=(float(std[0]), float(std[1])),
    )
