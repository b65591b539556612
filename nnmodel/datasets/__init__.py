"""Built-in 2-D toy datasets and loaders for user CSV / NPZ files (numpy only)."""

from __future__ import annotations

from nnmodel.datasets.builtin import BUILTIN, DEFAULT_NOISE, DEFAULT_SAMPLES, make_dataset
from nnmodel.datasets.csvfile import load_csv
from nnmodel.datasets.dataset import MAX_CLASSES, MAX_POINTS, Dataset, describe
from nnmodel.datasets.files import load_file
from nnmodel.datasets.npzfile import load_npz

__all__ = [
    "BUILTIN",
    "DEFAULT_NOISE",
    "DEFAULT_SAMPLES",
    "MAX_CLASSES",
    "MAX_POINTS",
    "Dataset",
    "describe",
    "load_csv",
    "load_file",
    "load_npz",
    "make_dataset",
]
