"""Which epochs a trajectory stores: log-spaced snapshots (numpy only, no torch).

Shared by the exporter and by scenes that plan how many snapshots they need.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["choose_snapshots"]


def choose_snapshots(recorded: Sequence[int], last: int, n: int) -> list[int]:
    """``n`` distinct epochs, log-spaced from 0 to ``last``, picked among ``recorded`` ones.

    Early epochs are dense (training changes fastest there), late ones sparse. When fewer
    than ``n`` epochs were recorded, all of them are used.

    >>> choose_snapshots(range(101), 100, 5)
    [0, 2, 9, 31, 100]
    >>> len(choose_snapshots(range(1001), 1000, 60))
    60
    """
    rec = np.array(sorted({int(e) for e in recorded if e <= last} | {0, last}))
    if len(rec) <= n:
        return [int(e) for e in rec]
    # Ideal positions in the sorted recorded list, log-spaced in epoch, then made strictly
    # increasing (at least one step apart) and kept inside the list from both ends.
    targets = np.geomspace(1, last + 1, n) - 1
    idx = np.abs(rec[None, :] - targets[:, None]).argmin(axis=1)
    idx[0], idx[-1] = 0, len(rec) - 1
    for i in range(1, n):
        idx[i] = max(idx[i], idx[i - 1] + 1)
    for i in range(n - 2, -1, -1):
        idx[i] = min(idx[i], idx[i + 1] - 1)
    return [int(e) for e in rec[idx]]
