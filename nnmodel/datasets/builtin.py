"""Built-in 2-D toy datasets: the generators, make_dataset() and their defaults."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnmodel.datasets.dataset import _LIMIT_WHY, MAX_CLASSES, MAX_POINTS, Dataset, FloatArray
from nnmodel.errors import DataError

__all__ = [
    "BUILTIN",
    "DEFAULT_NOISE",
    "DEFAULT_SAMPLES",
    "make_dataset",
]

_MIN_SAMPLES = 4


Generator = Callable[[np.random.Generator, list[int], float, int], FloatArray]


@dataclass(frozen=True)
class _Builtin:
    description: str
    samples: int
    noise: float
    class_names: Callable[[int], tuple[str, ...]]
    generate: Generator


def _two(_: int) -> tuple[str, ...]:
    return ("0", "1")


def _jitter(rng: np.random.Generator, X: FloatArray, sd: float | FloatArray) -> FloatArray:
    if np.all(np.asarray(sd) == 0):
        return X
    sd_col = np.asarray(sd, dtype=np.float64)
    if sd_col.ndim == 1:
        sd_col = sd_col[:, None]
    return X + rng.normal(0.0, 1.0, X.shape) * sd_col


def _polar(r: FloatArray, theta: FloatArray) -> FloatArray:
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def _moons(rng: np.random.Generator, counts: list[int], noise: float, _: int) -> FloatArray:
    t0 = rng.uniform(0.0, np.pi, counts[0])
    t1 = rng.uniform(0.0, np.pi, counts[1])
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) - np.array([0.5, 0.25])
    return _jitter(rng, X, noise)


def _circles(rng: np.random.Generator, counts: list[int], noise: float, _: int) -> FloatArray:
    parts = [
        _polar(np.full(n, radius), rng.uniform(0.0, 2 * np.pi, n))
        for n, radius in zip(counts, (1.0, 0.5), strict=True)
    ]
    return _jitter(rng, np.vstack(parts), noise)


def _spiral(rng: np.random.Generator, counts: list[int], noise: float, arms: int) -> FloatArray:
    turns, r0, r1 = 1.75, 0.2, 2.5
    parts = []
    for arm, n in enumerate(counts):
        t = rng.uniform(0.0, 1.0, n)
        r = r0 + (r1 - r0) * t
        theta = 2 * np.pi * (turns * t + arm / arms)
        # The gap between neighbouring arms is constant in r and shrinks like 1/arms, so the
        # noise grows with r (arms are close near the centre) and is divided by arms / 2.
        parts.append(_jitter(rng, _polar(r, theta), noise * r * 2.0 / arms))
    return np.vstack(parts)


def _xor(rng: np.random.Generator, counts: list[int], noise: float, _: int) -> FloatArray:
    parts = []
    for cls, n in enumerate(counts):
        # Class 1: sign(x) == sign(y) (quadrants I, III); class 0: quadrants II, IV.
        sx = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
        sy = sx if cls == 1 else -sx
        # Magnitudes keep a gap of 0.1 around the axes; abs() reflects jitter that would
        # cross an axis, so the label always equals sign(x) * sign(y).
        mag = np.abs(_jitter(rng, rng.uniform(0.1, 1.5, (n, 2)), noise))
        parts.append(mag * np.column_stack([sx, sy]))
    return np.vstack(parts)


def _rings(rng: np.random.Generator, counts: list[int], noise: float, _: int) -> FloatArray:
    # Uniform by area: ring 1.0 <= r <= 1.5 (class 0), disk r <= 0.5 (class 1).
    r_ring = np.sqrt(rng.uniform(1.0**2, 1.5**2, counts[0]))
    r_disk = 0.5 * np.sqrt(rng.uniform(0.0, 1.0, counts[1]))
    ring = _polar(r_ring, rng.uniform(0.0, 2 * np.pi, counts[0]))
    disk = _polar(r_disk, rng.uniform(0.0, 2 * np.pi, counts[1]))
    return _jitter(rng, np.vstack([ring, disk]), noise)


def _sandwich(rng: np.random.Generator, counts: list[int], noise: float, _: int) -> FloatArray:
    # The data of "Understanding Neural Networks (with Graphs)" (Pablo Leo, 2020; seed post
    # 004): "400 samples equally distributed in two classes (0 and 1), each sample having two
    # dimensions (X0 and X1)", from "three random normal distributions with means [-1, 0, 1]
    # and standard deviations [0.5, 0.5, 0.5]". As stated: 400 points by default, 200 a
    # class, three clouds with means -1, 0 and 1 and standard deviation 0.5 (the default
    # noise). Read into it, as the post's code is not published (its link is missing): that
    # a cloud has its mean in both dimensions (centres (-1, -1), (0, 0), (1, 1)); that the
    # two outer clouds (100 points each) are class 0 'outer' and the middle one is class 1
    # 'middle' (the sandwich of issue #12); numpy's default_rng as the generator (so the
    # points themselves differ from the post's).
    n_outer, n_middle = counts
    n_low = (n_outer + 1) // 2
    means = np.vstack(
        [
            np.tile([-1.0, -1.0], (n_low, 1)),
            np.tile([1.0, 1.0], (n_outer - n_low, 1)),
            np.zeros((n_middle, 2)),
        ]
    )
    return _jitter(rng, means, noise)


def _linear(rng: np.random.Generator, counts: list[int], noise: float, _: int) -> FloatArray:
    centre = np.array([1.0, 0.75])
    means = np.vstack([np.tile(-centre, (counts[0], 1)), np.tile(centre, (counts[1], 1))])
    return _jitter(rng, means, noise)


_BUILTINS: dict[str, _Builtin] = {
    "moons": _Builtin("two interleaving half circles", 400, 0.1, _two, _moons),
    "circles": _Builtin(
        "two concentric circles, radius 1 (class 'outer') and 0.5 (class 'inner')",
        400,
        0.05,
        lambda _: ("outer", "inner"),
        _circles,
    ),
    "spiral": _Builtin(
        "interleaved spiral arms, one class per arm (2 arms unless arms is given)",
        600,
        0.04,
        lambda k: tuple(str(i) for i in range(k)),
        _spiral,
    ),
    "xor": _Builtin(
        "four square quadrants; class 1 where sign(x)*sign(y) = +1", 400, 0.05, _two, _xor
    ),
    "rings": _Builtin(
        "a disk inside a ring with a gap; needs a hidden layer at least 3 wide",
        400,
        0.03,
        lambda _: ("ring", "disk"),
        _rings,
    ),
    "sandwich": _Builtin(
        "three diagonal Gaussian clouds; the middle one against the two outer ones",
        400,
        0.5,
        lambda _: ("outer", "middle"),
        _sandwich,
    ),
    "linear": _Builtin(
        "two Gaussian blobs separable by a straight line (baseline)", 200, 0.3, _two, _linear
    ),
}

BUILTIN: dict[str, str] = {name: spec.description for name, spec in _BUILTINS.items()}
"""Built-in dataset names mapped to a one-line description (shown by ``nnwarp list``)."""

DEFAULT_SAMPLES: dict[str, int] = {name: spec.samples for name, spec in _BUILTINS.items()}
"""Number of points each built-in dataset has when ``samples`` is not given."""

DEFAULT_NOISE: dict[str, float] = {name: spec.noise for name, spec in _BUILTINS.items()}
"""Noise level each built-in dataset uses when ``noise`` is not given."""


def _balanced(n: int, k: int) -> list[int]:
    base, extra = divmod(n, k)
    return [base + (1 if i < extra else 0) for i in range(k)]


def make_dataset(
    name: str,
    *,
    samples: int | None = None,
    noise: float | None = None,
    seed: int = 0,
    arms: int = 2,
) -> Dataset:
    """Generate a built-in dataset.

    The result is deterministic for a given ``seed``, has exactly ``samples`` points with
    class sizes differing by at most one (``sandwich``: the middle class against the two
    outer clouds together), and is roughly centred on the origin.

    Parameters
    ----------
    name : str
        One of :data:`BUILTIN` (``moons``, ``circles``, ``spiral``, ``xor``, ``rings``,
        ``sandwich``, ``linear``); case-insensitive.
    samples : int, optional
        Number of points, 4 to :data:`MAX_POINTS`; default :data:`DEFAULT_SAMPLES` [name].
    noise : float, optional
        Noise level (>= 0, a standard deviation); default :data:`DEFAULT_NOISE` [name].
        For ``spiral`` it is scaled by the radius and by ``2 / arms``; for ``sandwich``
        it is the spread of the three clouds.
    seed : int
        Seed for :func:`numpy.random.default_rng`.
    arms : int
        Number of spiral arms (= classes), at least 2; ignored by the other datasets.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        For an unknown name or an out-of-range ``samples``, ``noise``, ``seed`` or ``arms``.

    Examples
    --------
    >>> from nnmodel.datasets import describe
    >>> ds = make_dataset("spiral", samples=300, arms=3, seed=1)
    >>> describe(ds)
    'spiral · 300 points · 3 classes (0: 100, 1: 100, 2: 100)'
    """
    key = name.strip().lower() if isinstance(name, str) else ""
    spec = _BUILTINS.get(key)
    if spec is None:
        choices = ", ".join(_BUILTINS)
        close = difflib.get_close_matches(key, list(_BUILTINS), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise DataError(
            f"unknown dataset {name!r}; {hint}choose one of: {choices} (or give a .csv / .npz file)"
        )
    n = spec.samples if samples is None else samples
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise DataError(f"samples must be a whole number, not {samples!r}")
    n = int(n)
    if not _MIN_SAMPLES <= n <= MAX_POINTS:
        raise DataError(
            f"samples must be between {_MIN_SAMPLES} and {MAX_POINTS} (got {n}); "
            f"the upper limit exists because {_LIMIT_WHY}"
        )
    sigma = spec.noise if noise is None else noise
    try:
        sigma = float(sigma)
    except (TypeError, ValueError):
        raise DataError(f"noise must be a number >= 0, not {noise!r}") from None
    if not math.isfinite(sigma) or sigma < 0:
        raise DataError(f"noise must be a finite number >= 0 (got {noise!r})")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise DataError(f"seed must be a whole number >= 0 (got {seed!r})")
    k = 2
    if key == "spiral":
        if isinstance(arms, bool) or not isinstance(arms, int | np.integer) or arms < 2:
            raise DataError(f"arms must be a whole number >= 2 (got {arms!r})")
        k = int(arms)
        if k > MAX_CLASSES:
            raise DataError(
                f"--arms {k}: at most {MAX_CLASSES} arms (classes), one distinct colour each"
            )
        if n < 2 * k:
            raise DataError(
                f"spiral with {k} arms needs at least {2 * k} samples (2 per arm); got {n}"
            )
    counts = _balanced(n, k)
    rng = np.random.default_rng(int(seed))
    X = spec.generate(rng, counts, sigma, k)
    y = np.repeat(np.arange(k, dtype=np.int64), counts)
    order = rng.permutation(n)
    return Dataset(
        X=np.ascontiguousarray(X[order], dtype=np.float32),
        y=np.ascontiguousarray(y[order]),
        class_names=spec.class_names(k),
        name=key,
    )
