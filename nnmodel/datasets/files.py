"""load_file(): load a user's .csv or .npz dataset, choosing the loader by suffix."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from nnmodel.datasets.csvfile import load_csv
from nnmodel.datasets.dataset import Dataset
from nnmodel.datasets.npzfile import load_npz
from nnmodel.errors import DataError

__all__ = [
    "load_file",
]


def load_file(path: str | Path, columns: Sequence[str] | None = None) -> Dataset:
    """Load a dataset from a ``.csv`` or ``.npz`` file, chosen by the file's suffix.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; see :func:`load_csv` and :func:`load_npz` for the formats.
    columns : sequence of 3 str, optional
        For a CSV: the two feature columns and the label column (see :func:`load_csv`).

    Returns
    -------
    Dataset
        Named after the file (``"data.csv"``).

    Raises
    ------
    DataError
        If the file is missing, has another suffix, or its content is invalid.

    Examples
    --------
    >>> ds = load_file("points.csv")  # doctest: +SKIP
    """
    where = str(path)
    suffix = Path(path).suffix.lower()
    if Path(path).expanduser().is_dir():
        raise DataError(f"{where} is a folder; give a .csv or .npz file")
    if suffix == ".csv":
        return load_csv(path, columns)
    if suffix == ".npz":
        if columns is not None:
            raise DataError(
                f"{where}: --columns picks columns of a CSV file; an .npz file gives its "
                "points as array X (N×2) and its labels as array y: drop --columns"
            )
        return load_npz(path)
    if not Path(path).expanduser().exists():
        raise DataError(f"{where}: file not found; check the path and the current directory")
    shown = f"suffix '{Path(path).suffix}'" if suffix else "no suffix"
    raise DataError(
        f"{where} has {shown}; give a .csv file (columns x,y,label) or an .npz file "
        "(arrays X and y)"
    )
