"""Check the data before blaming the network: scales, near-constant columns, class balance.

A network that gets 63 % right on data that is 63 % one class has learnt nothing; one that
fails on alcohol (11–15 %) against proline (280–1,680 mg/L) may only be seeing proline.
:func:`check_data` says such things in plain words, and gives the accuracy of always
answering the largest class (the *majority baseline*) to read every accuracy against.
``nnwarp inspect`` prints it, and the videos say it on screen (numpy only).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from nnmodel.trajectory import Trajectory

__all__ = [
    "CONSTANT_SHARE",
    "DataCheck",
    "DataReport",
    "IMBALANCE_RATIO",
    "NO_BETTER_MARGIN",
    "SCALE_RATIO",
    "check_data",
    "check_trajectory",
]

#: Columns whose standard deviations differ more than this: at one scale the network (and
#: the picture) sees mostly the wider one.
SCALE_RATIO = 10.0
#: A column where one value fills this share of the rows is nearly constant: it says little.
CONSTANT_SHARE = 0.95
#: A column varying by less than this fraction of its magnitude is nearly constant too.
CONSTANT_SPREAD = 1e-4
#: The largest class this many times the smallest is a heavy imbalance.
IMBALANCE_RATIO = 3.0
#: A network within this of the majority baseline does no better than always guessing it.
NO_BETTER_MARGIN = 0.02


@dataclass(frozen=True)
class DataCheck:
    """One finding about the data: a kind, the column (if one) and a sentence to show."""

    #: ``"scales-differ"``, ``"nearly-constant"`` or ``"imbalance"``.
    kind: str
    text: str
    column: str | None = None
    #: The ratio of the scales, the share of the common value, or the largest class's share.
    value: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "column": self.column, "value": self.value}


@dataclass(frozen=True)
class DataReport:
    """What :func:`check_data` found, with the majority baseline."""

    #: The largest class among the training points, and its share of them: the accuracy
    #: of a "network" that always answers that class.
    majority_class: str
    majority_acc: float
    #: Standard deviation of each input column in its own units (training points).
    spread: tuple[float, float]
    columns: tuple[str, str]
    standardized: bool
    checks: tuple[DataCheck, ...]

    def no_better(self, accuracy: float) -> bool:
        """Whether ``accuracy`` is no better than always answering the largest class."""
        return accuracy <= self.majority_acc + NO_BETTER_MARGIN

    def verdict(self, accuracy: float) -> str | None:
        """A sentence when ``accuracy`` is no better than the majority baseline, else None.

        >>> r = DataReport("a", 0.63, (1.0, 1.0), ("x", "y"), False, ())
        >>> r.verdict(0.64)
        "no better than always answering 'a' (63 % of the training points)"
        >>> r.verdict(0.9) is None
        True
        """
        if not self.no_better(accuracy):
            return None
        return (
            f"no better than always answering '{self.majority_class}' "
            f"({_pct(self.majority_acc)} of the training points)"
        )

    def checks_for(self, accuracy: float) -> tuple[DataCheck, ...]:
        """:attr:`checks`, and a ``"no-better-than-majority"`` one if ``accuracy`` is."""
        verdict = self.verdict(accuracy)
        if verdict is None:
            return self.checks
        text = f"the network's training accuracy ({_pct(accuracy)}) is {verdict}"
        return (*self.checks, DataCheck("no-better-than-majority", text, None, accuracy))

    def to_json(self) -> dict[str, Any]:
        return {
            "majority_class": self.majority_class,
            "majority_class_acc": self.majority_acc,
            "spread": list(self.spread),
            "columns": list(self.columns),
            "standardized": self.standardized,
            "checks": [c.to_json() for c in self.checks],
        }


def _pct(share: float) -> str:
    return f"{share * 100:.0f} %"


def _nearly_constant(col: npt.NDArray[np.float64], name: str) -> DataCheck | None:
    values, counts = np.unique(col, return_counts=True)
    share = float(counts.max() / len(col))
    if share >= CONSTANT_SHARE:
        common = float(values[counts.argmax()])
        return DataCheck(
            "nearly-constant",
            f"column '{name}' is nearly constant: {_pct(share)} of the points have the "
            f"value {common:g}",
            name,
            share,
        )
    size = float(np.abs(col).max())
    spread = float(col.std())
    if size > 0 and spread < CONSTANT_SPREAD * size:
        return DataCheck(
            "nearly-constant",
            f"column '{name}' is nearly constant: it varies by {spread / size:.1e} of its "
            "size, too little to see or to learn from",
            name,
            spread / size,
        )
    return None


def check_data(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    train: npt.ArrayLike,
    class_names: Sequence[str],
    columns: Sequence[str] = ("x", "y"),
    *,
    standardized: bool = False,
) -> DataReport:
    """Check data in its own units (``x`` N×2, labels ``y``, training rows ``train``).

    Examples
    --------
    >>> x = np.array([[12.0, 300.0], [13.0, 900.0], [14.0, 1500.0], [13.5, 700.0]])
    >>> r = check_data(x, [0, 0, 1, 0], [True] * 4, ("a", "b"), ("alcohol", "proline"))
    >>> r.majority_class, r.majority_acc
    ('a', 0.75)
    >>> [c.kind for c in r.checks]
    ['scales-differ', 'imbalance']
    """
    xs = np.asarray(x, np.float64)
    labels = np.asarray(y, np.int64)
    rows = np.asarray(train, bool)
    if not rows.any():
        rows = np.ones(len(labels), bool)
    xt, yt = xs[rows], labels[rows]
    names = (str(columns[0]), str(columns[1]))
    checks: list[DataCheck] = []
    spread = xt.std(axis=0)
    lo, hi = sorted(range(2), key=lambda k: spread[k])
    if spread[lo] > 0 and spread[hi] / spread[lo] > SCALE_RATIO:
        ratio = float(spread[hi] / spread[lo])
        if standardized:
            text = (
                f"'{names[hi]}' spreads {ratio:,.0f}× wider than '{names[lo]}': both were "
                "standardised (minus the mean, over the standard deviation), so each counts"
            )
        else:
            text = (
                f"'{names[hi]}' spreads {ratio:,.0f}× wider than '{names[lo]}' and the inputs "
                f"are not standardised: the network sees mostly '{names[hi]}' (drop "
                "--no-standardize)"
            )
        checks.append(DataCheck("scales-differ", text, names[hi], ratio))
    for k in range(2):
        found = _nearly_constant(xt[:, k], names[k])
        if found is not None:
            checks.append(found)
    counts = np.bincount(yt, minlength=len(class_names))
    big, small = int(counts.argmax()), int(counts.argmin())
    share = float(counts[big] / len(yt))
    if counts[small] == 0 or counts[big] / counts[small] >= IMBALANCE_RATIO:
        checks.append(
            DataCheck(
                "imbalance",
                f"the classes are unbalanced: '{class_names[big]}' is {_pct(share)} of the "
                f"training points, '{class_names[small]}' only "
                f"{_pct(float(counts[small] / len(yt)))}; always answering "
                f"'{class_names[big]}' already scores {_pct(share)}",
                None,
                share,
            )
        )
    return DataReport(
        majority_class=str(class_names[big]),
        majority_acc=share,
        spread=(float(spread[0]), float(spread[1])),
        columns=names,
        standardized=standardized,
        checks=tuple(checks),
    )


def check_trajectory(traj: Trajectory) -> DataReport:
    """:func:`check_data` on a trajectory's data, in its original units."""
    ds = traj.info.dataset
    x = np.asarray(traj.inputs, np.float64)
    scaling = ds.standardization
    if scaling is not None:
        x = scaling.invert(x)
    return check_data(
        x,
        traj.labels,
        ~np.asarray(traj.test_mask, bool),
        ds.class_names,
        ds.columns,
        standardized=scaling is not None,
    )
