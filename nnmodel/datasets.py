"""Built-in 2-D toy datasets and loaders for user CSV / NPZ files (numpy only)."""

from __future__ import annotations

import csv
import difflib
import math
import tokenize
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel.errors import DataError

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

_MIN_SAMPLES = 4
_LABEL_MAX = 2.0**53  # integer labels beyond this are not exact in float64 (nor in CSV text)
_F32_MAX = float(np.finfo(np.float32).max)
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

    Examples
    --------
    >>> ds = make_dataset("moons", samples=10)
    >>> ds.X.shape, ds.y.dtype, ds.n_classes
    ((10, 2), dtype('int64'), 2)
    """

    X: npt.NDArray[np.float32]
    y: npt.NDArray[np.int64]
    class_names: tuple[str, ...]
    name: str

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
        >>> make_dataset("spiral", arms=3).n_classes
        3
        """
        return len(self.class_names)


# --------------------------------------------------------------------------- built-ins

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


# --------------------------------------------------------------------------- files


def _check_file(path: str | Path, expected: str) -> tuple[Path, str]:
    """Resolve ``path`` and return it with the label used in messages; check it is a file."""
    where = str(path)
    p = Path(path).expanduser()
    if not p.exists():
        raise DataError(f"{where}: file not found; check the path and the current directory")
    if p.is_dir():
        raise DataError(f"{where} is a directory; give a .csv or .npz file")
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DataError(f"{where}: cannot read the file ({exc.strerror})") from None
    if size == 0:
        raise DataError(f"{where} is empty; {expected}")
    return p, where


_CSV_EXPECTED = "expected a header line x,y,label followed by one row per point"
_NPZ_EXPECTED = "expected arrays X (N, 2) and y (N,), saved with np.savez(path, X=X, y=y)"


def load_file(path: str | Path) -> Dataset:
    """Load a dataset from a ``.csv`` or ``.npz`` file, chosen by the file's suffix.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; see :func:`load_csv` and :func:`load_npz` for the formats.

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
        return load_csv(path)
    if suffix == ".npz":
        return load_npz(path)
    if not Path(path).expanduser().exists():
        raise DataError(f"{where}: file not found; check the path and the current directory")
    shown = f"suffix '{Path(path).suffix}'" if suffix else "no suffix"
    raise DataError(
        f"{where} has {shown}; give a .csv file (columns x,y,label) or an .npz file "
        "(arrays X and y)"
    )


def _finish(
    where: str,
    name: str,
    X: FloatArray,
    y: npt.NDArray[np.int64],
    class_names: tuple[str, ...],
    kind: str,
) -> Dataset:
    """Check class count and sizes, then build the Dataset (shared by CSV and NPZ)."""
    if len(class_names) < 2:
        found = f"only the class '{class_names[0]}'" if class_names else "no classes"
        raise DataError(f"{where}: found {found} in {kind}; a classifier needs at least 2 classes")
    if len(class_names) > MAX_CLASSES:
        raise DataError(
            f"{where}: {len(class_names)} classes in {kind}, more than {MAX_CLASSES}: each class "
            "needs a colour viewers can tell apart; merge classes or keep the largest ones"
        )
    counts = np.bincount(y, minlength=len(class_names))
    for cname, count in zip(class_names, counts, strict=True):
        if count < 2:
            raise DataError(
                f"{where}: class '{cname}' has only {int(count)} point"
                f"{'' if count == 1 else 's'}; every class needs at least 2 "
                "(add points or remove that class)"
            )
    return Dataset(
        X=np.ascontiguousarray(X, dtype=np.float32),
        y=np.ascontiguousarray(y, dtype=np.int64),
        class_names=class_names,
        name=name,
    )


def _too_many(where: str, n: int) -> DataError:
    step = math.ceil(n / MAX_POINTS)
    return DataError(
        f"{where} has {n} points, more than the limit of {MAX_POINTS} ({_LIMIT_WHY}); "
        f"subsample it, for example keep 1 point in {step}"
    )


def _as_integer(text: str) -> int | None:
    """Parse ``"3"``, ``" -1 "`` or ``"2.0"`` as an integer label; None otherwise."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _classes_from_strings(labels: Sequence[str]) -> tuple[tuple[str, ...], npt.NDArray[np.int64]]:
    """Class names (integers numerically, else strings lexicographically) and indices."""
    parsed = [_as_integer(s) for s in labels]
    ints = [v for v in parsed if v is not None]
    if len(ints) == len(labels):
        by_int = {v: i for i, v in enumerate(sorted(set(ints)))}
        y = np.fromiter((by_int[v] for v in ints), dtype=np.int64, count=len(ints))
        return tuple(str(v) for v in by_int), y
    by_str = {s: i for i, s in enumerate(sorted(set(labels)))}
    y = np.fromiter((by_str[s] for s in labels), dtype=np.int64, count=len(labels))
    return tuple(by_str), y


def _number(text: str, where: str, line: int, column: str) -> float:
    value = text.strip()
    if not value:
        raise DataError(
            f"{where}, line {line}, column '{column}': the value is empty; "
            "every row needs a number here"
        )
    try:
        number = float(value)
    except ValueError:
        raise DataError(
            f"{where}, line {line}, column '{column}': '{value}' is not a number; "
            "fix or remove that row"
        ) from None
    if not math.isfinite(number):
        raise DataError(
            f"{where}, line {line}, column '{column}': '{value}' is not a finite number "
            "(NaN and infinity are not allowed); fix or remove that row"
        )
    if abs(number) > _F32_MAX:
        raise DataError(
            f"{where}, line {line}, column '{column}': '{value}' is too large for float32 "
            "(limit about 3.4e38); rescale the data"
        )
    return number


def load_csv(path: str | Path) -> Dataset:
    """Load a dataset from a CSV file with columns ``x``, ``y`` and ``label``.

    The first non-blank line is the header. Column names are matched case-insensitively
    after trimming whitespace, in any order; other columns are ignored. Blank lines are
    skipped. ``x`` and ``y`` must be finite numbers. Labels may be integers (sorted
    numerically; ``"1.0"`` counts as ``1``) or strings (sorted lexicographically); the
    sorted distinct labels become ``class_names`` (as strings) and ``y`` indexes them.

    Parameters
    ----------
    path : str or pathlib.Path
        A UTF-8 text file, comma-separated.

    Returns
    -------
    Dataset
        Named after the file (``"data.csv"``).

    Raises
    ------
    DataError
        Naming the file, line and column: missing file, empty file, missing columns, a
        row with the wrong number of fields, a non-numeric, NaN or infinite coordinate,
        an empty label, fewer than 2 classes, a class with fewer than 2 points, or more
        than :data:`MAX_POINTS` points.

    Examples
    --------
    Given ``pets.csv``::

        x,y,label
        0.1,0.2,cat
        ...

    >>> ds = load_csv("pets.csv")  # doctest: +SKIP
    >>> ds.class_names  # doctest: +SKIP
    ('cat', 'dog')
    """
    p, where = _check_file(path, _CSV_EXPECTED)
    xs: list[float] = []
    ys: list[float] = []
    labels: list[str] = []
    header: list[str] | None = None
    cols = (0, 0, 0)
    names = ("x", "y", "label")
    n_rows = 0
    line = 0
    reader: Any = None
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            for row in reader:
                line = reader.line_num
                if not any(field.strip() for field in row):
                    continue
                if header is None:
                    header = row
                    cols, names = _header_columns(row, where, line)
                    continue
                n_rows += 1
                if n_rows > MAX_POINTS:
                    continue  # keep counting to report the size
                if len(row) != len(header):
                    raise DataError(
                        f"{where}, line {line}: expected {len(header)} fields like the "
                        f"header but found {len(row)}; fix or remove that row"
                    )
                xs.append(_number(row[cols[0]], where, line, names[0]))
                ys.append(_number(row[cols[1]], where, line, names[1]))
                label = row[cols[2]].strip()
                if not label:
                    raise DataError(
                        f"{where}, line {line}, column '{names[2]}': the label is empty; "
                        "every row needs a class label"
                    )
                labels.append(label)
    except UnicodeDecodeError:
        raise DataError(
            f"{where}{_bad_utf8_line(p)}: the file is not UTF-8 text; save it as UTF-8 CSV"
        ) from None
    except csv.Error as exc:
        at = f", line {reader.line_num}" if reader is not None else ""
        raise DataError(f"{where}{at}: not valid CSV ({exc}); fix that line") from None
    except OSError as exc:
        raise DataError(f"{where}: cannot read the file ({exc.strerror})") from None
    if header is None:
        raise DataError(f"{where} is empty; {_CSV_EXPECTED}")
    if n_rows > MAX_POINTS:
        raise _too_many(where, n_rows)
    if n_rows == 0:
        raise DataError(f"{where} has a header but no data rows; add one row per point")
    class_names, y = _classes_from_strings(labels)
    X = np.column_stack([np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)])
    return _finish(where, p.name, X, y, class_names, f"column '{names[2]}'")


def _bad_utf8_line(p: Path) -> str:
    """``", line N"`` for the first line of ``p`` that is not valid UTF-8, else ``""``."""
    try:
        raw = p.read_bytes()
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return f", line {line}"
    except OSError:
        pass
    return ""


def _header_columns(
    header: list[str], where: str, line: int
) -> tuple[tuple[int, int, int], tuple[str, str, str]]:
    """Find the x, y and label columns; return their indices and names as written."""
    wanted = ("x", "y", "label")
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        key = raw.strip().lower()
        if key in wanted:
            if key in found:
                raise DataError(
                    f"{where}, line {line}: the header has column '{key}' twice; "
                    "rename or remove one of them"
                )
            found[key] = i
    missing = [w for w in wanted if w not in found]
    if missing:
        listed = ", ".join(f"'{m}'" for m in missing)
        shown = ",".join(h.strip() for h in header)
        hint = ""
        if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
            hint = " (the file must be comma-separated)"
        elif all(_is_float(h) for h in header):
            hint = " (the first line must be a header)"
        raise DataError(
            f"{where}, line {line}: missing column{'s' if len(missing) > 1 else ''} "
            f"{listed}{hint}; expected a header like x,y,label but found: {shown}"
        )
    cols = (found["x"], found["y"], found["label"])
    names = (header[cols[0]].strip(), header[cols[1]].strip(), header[cols[2]].strip())
    return cols, names


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


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
