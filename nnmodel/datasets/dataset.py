"""The Dataset class (a labelled 2-D point cloud), its size limits and describe()."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nnmodel.errors import DataError

__all__ = [
    "MAX_CLASSES",
    "MAX_POINTS",
    "Dataset",
    "describe",
]

FloatArray = npt.NDArray[np.float64]

MAX_POINTS: int = 20_000
"""Largest number of points a dataset may have.

Every point is stored for every layer at every snapshot in the trajectory file and is
drawn in every frame of the video. 20,000 points keep trajectory files under about
200 MB and rendering fast; subsample bigger data sets.
"""

MAX_CLASSES: int = 8
"""Most classes a dataset may have: the theme has 8 colours a colour-blind viewer can tell
apart (Okabe-Ito), and every class needs its own."""

_LIMIT_WHY = (
    "every point is stored for every layer at every snapshot of the trajectory file "
    "and drawn in every frame"
)


@dataclass(frozen=True, eq=False)
class Dataset:
    """A labelled 2-D point cloud.

    Attributes
    ----------
    X : numpy.ndarray
        Points, shape ``(N, 2)``, dtype float32.
    y : numpy.ndarray
        Class index of each point, shape ``(N,)``, dtype int64, values ``0..K-1``.
    class_names : tuple of str
        Name of each of the ``K`` classes; ``class_names[y[i]]`` names point ``i``.
    name : str
        ``"moons"`` for a built-in, or the file's name (``"data.csv"``).
    feature_names : tuple of str
        The two input columns' names (``("x", "y")`` unless a file names them).
    label_name : str
        The label column's name (``"label"`` unless a file names it).

    Examples
    --------
    >>> from nnmodel.datasets import make_dataset
    >>> ds = make_dataset("moons", samples=10)
    >>> ds.X.shape, ds.y.dtype, ds.n_classes
    ((10, 2), dtype('int64'), 2)
    """

    X: npt.NDArray[np.float32]
    y: npt.NDArray[np.int64]
    class_names: tuple[str, ...]
    name: str
    feature_names: tuple[str, str] = ("x", "y")
    label_name: str = "label"

    def __post_init__(self) -> None:
        X, y = self.X, self.y
        if not isinstance(X, np.ndarray) or X.dtype != np.float32 or X.ndim != 2:
            raise DataError("Dataset.X must be a float32 array of shape (N, 2)")
        if X.shape[1] != 2:
            raise DataError(f"Dataset.X must have shape (N, 2), not {X.shape}")
        if not isinstance(y, np.ndarray) or y.dtype != np.int64 or y.shape != (X.shape[0],):
            raise DataError(f"Dataset.y must be an int64 array of shape ({X.shape[0]},)")
        names = tuple(str(c) for c in self.class_names)
        object.__setattr__(self, "class_names", names)
        if not names:
            raise DataError("Dataset.class_names must name at least one class")
        if y.size and (int(y.min()) < 0 or int(y.max()) >= len(names)):
            raise DataError(f"Dataset.y values must lie in 0..{len(names) - 1}")

    @property
    def n_classes(self) -> int:
        """Number of classes ``K`` (the length of ``class_names``).

        Examples
        --------
        >>> from nnmodel.datasets import make_dataset
        >>> make_dataset("spiral", arms=3).n_classes
        3
        """
        return len(self.class_names)


def describe(ds: Dataset) -> str:
    """Summarise a dataset in one line: name, size and points per class.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    str

    Examples
    --------
    >>> from nnmodel.datasets import make_dataset
    >>> describe(make_dataset("moons"))
    'moons · 400 points · 2 classes (0: 200, 1: 200)'
    """
    counts = np.bincount(ds.y, minlength=ds.n_classes)
    per_class = ", ".join(
        f"{cname}: {int(c)}" for cname, c in zip(ds.class_names, counts, strict=True)
    )
    n = len(ds.y)
    return (
        f"{ds.name} · {n} point{'' if n == 1 else 's'} · {ds.n_classes} "
        f"class{'' if ds.n_classes == 1 else 'es'} ({per_class})"
    )
