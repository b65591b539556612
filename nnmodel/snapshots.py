"""Which epochs a trajectory stores, and where its loss jumps (numpy only, no torch).

Shared by the exporter, which stores log-spaced snapshots plus the epochs of the training
loss's sharp jumps (:func:`choose_snapshots` with :func:`jump_epochs`), and by scenes,
which plan how many snapshots they need and tell the same jumps (:func:`loss_jumps`):
one detector for both, so a jump a video tells is a jump its trajectory stored.

A jump is measured on the *log clock* (:func:`log_share`): the training's epochs on a
log scale with a knee of a hundredth of the training, the evolution scene's default time
axis. Its "recent level" is the median loss over the last :data:`JUMP_WINDOW` of that
clock (one second of the evolution's default 24), whatever clock a video then shows it on.

>>> loss = [0.03] * 700 + [0.05, 0.75, 0.2] + [0.03] * 298  # a jump at epoch 701
>>> jumps = loss_jumps(loss)
>>> jumps
[Jump(start=699, peak=701, back=703, factor=25.0)]
>>> jump_epochs(jumps)
[699, 701, 703]
>>> kept = choose_snapshots(range(1001), 1000, 60, keep=jump_epochs(jumps))
>>> len(kept), {699, 701, 703} <= set(kept)
(60, True)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "JUMP_EPOCHS",
    "JUMP_FACTOR",
    "JUMP_NEAR",
    "JUMP_WINDOW",
    "KNEE_SHARE",
    "MAX_JUMPS",
    "Jump",
    "choose_snapshots",
    "jump_epochs",
    "log_share",
    "loss_jumps",
]

#: The log clock's knee, as a share of the training's epochs (at least one epoch).
KNEE_SHARE = 0.01
#: A jump: the training loss at least this many times its recent level...
JUMP_FACTOR = 3.0
#: ...the median of its measured values over this share of the log clock before it...
JUMP_WINDOW = 1 / 24
#: ...and over at least this many measured epochs before it.
JUMP_EPOCHS = 5
#: The loss within this share of the recent level is at the level: where a jump starts,
#: and where the loss is back after it.
JUMP_NEAR = 1.1
#: At most this many separate jumps are found (the strongest): the exporter keeps 3
#: snapshots for each (:func:`jump_epochs`), a video tells at most these.
MAX_JUMPS = 3


@dataclass(frozen=True)
class Jump:
    """A sharp jump of the training loss (:func:`loss_jumps`)."""

    #: The last epoch before the peak where the loss was at its recent level.
    start: int
    #: The epoch of the highest loss.
    peak: int
    #: The first epoch after the peak where the loss was back at that level (None: never).
    back: int | None
    #: The loss at the peak over the loss at ``start``.
    factor: float


def log_share(
    epochs: npt.ArrayLike, last: int, knee: float | None = None
) -> npt.NDArray[np.float64]:
    """Where ``epochs`` fall on the log clock of a training of ``last`` epochs, in [0, 1]:
    ``ln(1 + e/k) / ln(1 + last/k)`` with a knee ``k`` (default ``max(1, last/100)``).

    >>> log_share([0, 10, 100, 1000], 1000).round(3).tolist()
    [0.0, 0.15, 0.52, 1.0]
    """
    k = max(1.0, KNEE_SHARE * last) if knee is None else float(knee)
    e = np.clip(np.asarray(epochs, np.float64), 0.0, float(max(last, 1)))
    out: npt.NDArray[np.float64] = np.clip(np.log1p(e / k) / np.log1p(max(last, 1) / k), 0, 1)
    return out


def loss_jumps(
    loss: Sequence[float | None],
    last: int | None = None,
    *,
    factor: float = JUMP_FACTOR,
    most: int = MAX_JUMPS,
) -> list[Jump]:
    """The separate sharp jumps of the training loss, strongest first (at most ``most``).

    A jump peaks at a measured epoch where the loss is at least ``factor`` times its recent
    level: the median of the measured losses over the last :data:`JUMP_WINDOW` of the log
    clock (:func:`log_share`) and at least :data:`JUMP_EPOCHS` measured epochs before it.
    Its start is the last epoch before the peak where the loss was within
    :data:`JUMP_NEAR` of that level, its end (``back``) the first after it where the loss
    was back within it. The strongest (the most times its level) is found first; a weaker
    one whose span (start to back, or to the end) overlaps one already found is the same
    jump, not another. Epochs after ``last`` (default: the last of ``loss``) are ignored;
    None, NaN, infinite and non-positive losses are not measured. A falling or flat loss
    never jumps.

    >>> loss = [0.03] * 300 + [0.3] + [0.03] * 300 + [0.06, 0.6, 0.03] + [0.03] * 97
    >>> [(j.peak, j.factor) for j in loss_jumps(loss)]
    [(602, 20.0), (300, 10.0)]
    >>> loss_jumps([0.7 * 0.99**e for e in range(1001)])
    []
    """
    end = len(loss) - 1 if last is None else min(int(last), len(loss) - 1)
    values = np.array([np.nan if v is None else v for v in loss[: end + 1]], dtype=np.float64)
    measured = np.flatnonzero(np.isfinite(values) & (values > 0))
    if measured.size < JUMP_EPOCHS + 1 or most < 1:
        return []
    v = values[measured]
    u = log_share(measured, max(end, 1))
    # each measured epoch's window: the measured epochs from firsts[k] to k − 1
    firsts = np.minimum(np.searchsorted(u, u - JUMP_WINDOW), np.arange(v.size) - JUMP_EPOCHS)
    found: list[tuple[float, int, float]] = []
    for k in _above_window_minimum(v, firsts, factor):
        level = float(np.median(v[firsts[k] : k]))
        if v[k] >= factor * level:
            found.append((float(v[k]) / level, k, level))
    found.sort(key=lambda c: (-c[0], c[1]))
    out: list[Jump] = []
    spans: list[tuple[int, int]] = []
    for _, i, level in found:
        near = v <= JUMP_NEAR * level
        before = np.flatnonzero(near[:i])
        after = np.flatnonzero(near[i + 1 :])
        start = int(before[-1]) if before.size else i - 1
        back = i + 1 + int(after[0]) if after.size else None
        span = (start, v.size - 1 if back is None else back)
        if any(span[0] < b and a < span[1] for a, b in spans):
            continue  # a lesser peak of a jump already found
        spans.append(span)
        out.append(
            Jump(
                int(measured[start]),
                int(measured[i]),
                None if back is None else int(measured[back]),
                round(float(v[i] / v[start]), 6),
            )
        )
        if len(out) == most:
            break
    return out


def _above_window_minimum(v: np.ndarray, firsts: np.ndarray, factor: float) -> list[int]:
    """The indices ``k`` with a full window (``firsts[k] ≥ 0``) where ``v[k]`` is at least
    ``factor`` times the least of ``v[firsts[k]:k]`` (the windows' starts never go back):
    the only places a median of the window can be ``factor`` times below.

    >>> _above_window_minimum(np.array([1.0, 2.0, 0.5, 3.0, 1.0]), np.array([-1, 0, 0, 1, 3]), 3.0)
    [3]
    """
    out: list[int] = []
    low: deque[int] = deque()  # indices in the window, their values increasing
    added = 0
    for k in range(v.size):
        first = int(firsts[k])
        if first >= 0:
            while added < k:
                while low and v[low[-1]] >= v[added]:
                    low.pop()
                low.append(added)
                added += 1
            while low and low[0] < first:
                low.popleft()
            if low and v[k] >= factor * v[low[0]]:
                out.append(k)
    return out


def jump_epochs(jumps: Iterable[Jump]) -> list[int]:
    """The epochs a trajectory keeps for ``jumps``: each one's start, peak and (if the loss
    came back) its end, the strongest jump's first.

    >>> jump_epochs([Jump(742, 746, 772, 25.0), Jump(900, 903, None, 4.0)])
    [742, 746, 772, 900, 903]
    """
    out: list[int] = []
    for jump in jumps:
        out += [jump.start, jump.peak] + ([] if jump.back is None else [jump.back])
    return list(dict.fromkeys(out))


def _log_spaced(rec: npt.NDArray[np.int64], last: int, n: int) -> list[int]:
    """``n`` of the sorted epochs ``rec`` (0 to ``last``, more than ``n`` of them),
    log-spaced: those nearest to ``n`` targets log-spaced in epoch, then made strictly
    increasing (at least one step apart) and kept inside the list from both ends."""
    targets = np.geomspace(1, last + 1, n) - 1
    # the nearest recorded epoch to each target (the lower one on a tie)
    hi = np.clip(np.searchsorted(rec, targets), 1, len(rec) - 1)
    lo = hi - 1
    idx = np.where(targets - rec[lo] <= rec[hi] - targets, lo, hi)
    idx[0], idx[-1] = 0, len(rec) - 1
    for i in range(1, n):
        idx[i] = max(idx[i], idx[i - 1] + 1)
    for i in range(n - 2, -1, -1):
        idx[i] = min(idx[i], idx[i + 1] - 1)
    return [int(e) for e in rec[idx]]


def choose_snapshots(
    recorded: Iterable[int], last: int, n: int, keep: Iterable[int] = ()
) -> list[int]:
    """``n`` distinct epochs from 0 to ``last``, picked among ``recorded`` ones: log-spaced,
    and including the ``keep`` epochs (the moments that matter: :func:`jump_epochs`).

    Early epochs are dense (training changes fastest there), late ones sparse. When fewer
    than ``n`` epochs were recorded, all of them are used. Epochs of ``keep`` that were
    not recorded are left out, and so are those beyond the first ``n − 2`` (0 and ``last``
    are always kept); the rest take the place of as few log-spaced ones as they need: the
    result is the most log-spaced epochs that, with ``keep``, make at most ``n`` (then
    topped up to ``n`` with the next count's log-spaced epochs, widest log gap first).
    With no ``keep`` (or one already among the log-spaced), exactly the log-spaced epochs.

    >>> choose_snapshots(range(101), 100, 5)
    [0, 2, 9, 31, 100]
    >>> choose_snapshots(range(101), 100, 5, keep=[50, 51])
    [0, 9, 50, 51, 100]
    >>> len(choose_snapshots(range(1001), 1000, 60))
    60
    """
    rec = np.array(sorted({int(e) for e in recorded if e <= last} | {0, last}), np.int64)
    if len(rec) <= n:
        return [int(e) for e in rec]
    base = _log_spaced(rec, last, n)
    present = set(rec.tolist())
    extra = [e for e in dict.fromkeys(int(e) for e in keep) if e in present and e not in (0, last)]
    extra = extra[: max(0, n - 2)]
    if set(extra) <= set(base):
        return base
    for m in range(n - 1, 1, -1):
        chosen = set(_log_spaced(rec, last, m)) | set(extra)
        if len(chosen) <= n:
            # Some kept epochs were log-spaced ones too: fill what is left of the n with
            # more log-spaced ones (of m + 1), each where it splits the widest log gap.
            spare = sorted(set(_log_spaced(rec, last, m + 1)) - chosen)
            while len(chosen) < n and spare:
                have = np.array(sorted(chosen), np.float64)
                at = np.searchsorted(have, spare)
                width = np.log1p(have[at]) - np.log1p(have[at - 1])
                chosen.add(spare.pop(int(np.argmax(width))))
            return sorted(chosen)
    return sorted({0, last, *extra})  # (not reached: m = 2 leaves room for n − 2 kept)
