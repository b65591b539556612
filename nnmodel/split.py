"""Which points are held out: the one deterministic train/test split of nnwarp (numpy only).

Here, not in :mod:`nnmodel.train`, so that reading a dataset, standardising it or finding a
cached trajectory never imports torch.

>>> split_mask(10, 0.2, seed=0).sum()
np.int64(2)
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["split_mask"]


def split_mask(n: int, fraction: float, seed: int) -> npt.NDArray[np.bool_]:
    """A deterministic held-out mask with ``round(n * fraction)`` test points."""
    mask = np.zeros(n, dtype=bool)
    n_test = int(round(n * fraction))
    if n_test:
        order = np.random.default_rng(seed + 7919).permutation(n)
        mask[order[:n_test]] = True
    return mask
