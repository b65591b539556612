"""Tests for nnmodel.datasets: built-in generators, CSV / NPZ loaders and their errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel.datasets import (
    BUILTIN,
    DEFAULT_NOISE,
    DEFAULT_SAMPLES,
    MAX_POINTS,
    Dataset,
    describe,
    load_csv,
    load_file,
    load_npz,
    make_dataset,
)
from nnmodel.errors import DataError

NAMES = sorted(BUILTIN)


# --------------------------------------------------------------------------- helpers


def _perceptron_separates(F: np.ndarray, y: np.ndarray, epochs: int = 100) -> bool:
    """True if the classic perceptron reaches zero errors (a proof of linear separability)."""
    A = np.column_stack([F, np.ones(len(F))]).astype(np.float64)
    A /= np.abs(A).max(axis=0)
    s = np.where(y == 1, 1.0, -1.0)
    w = np.zeros(A.shape[1])
    for _ in range(epochs):
        mistakes = 0
        for a, t in zip(A, s, strict=True):
            if t * (a @ w) <= 0:
                w += t * a
                mistakes += 1
        if mistakes == 0:
            return True
    return False


def _least_squares_accuracy(F: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of the least-squares linear classifier on features F (with a bias)."""
    A = np.column_stack([F, np.ones(len(F))]).astype(np.float64)
    s = np.where(y == 1, 1.0, -1.0)
    w, *_ = np.linalg.lstsq(A, s, rcond=None)
    return float(np.mean(np.sign(A @ w) == s))


def _lift(X: np.ndarray) -> np.ndarray:
    """Add the squared radius as a third feature (what a 3-wide hidden layer can do)."""
    return np.column_stack([X, (X.astype(np.float64) ** 2).sum(axis=1)])


def _write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _csv_rows(rows: list[str], header: str = "x,y,label") -> str:
    return "\n".join([header, *rows]) + "\n"


GOOD_ROWS = ["0,0,a", "1,0,a", "0,1,b", "1,1,b"]


def _error(fn: object, *args: object) -> str:
    with pytest.raises(DataError) as info:
        fn(*args)  # type: ignore[operator]
    message = str(info.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- built-ins


@pytest.mark.parametrize("name", NAMES)
def test_builtin_shapes_dtypes_and_defaults(name: str) -> None:
    ds = make_dataset(name)
    n = DEFAULT_SAMPLES[name]
    assert isinstance(ds, Dataset)
    assert ds.name == name
    assert ds.X.shape == (n, 2) and ds.X.dtype == np.float32
    assert ds.y.shape == (n,) and ds.y.dtype == np.int64
    assert ds.n_classes == len(ds.class_names) == 2
    assert all(isinstance(c, str) for c in ds.class_names)
    assert set(np.unique(ds.y).tolist()) == set(range(ds.n_classes))
    assert np.isfinite(ds.X).all()
    # roughly centred, extent of order 1-3
    assert np.abs(ds.X.mean(axis=0)).max() < 0.3
    assert 0.5 < np.abs(ds.X).max() < 4.0
    assert DEFAULT_NOISE[name] >= 0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("samples", [4, 7, 401, 1000])
def test_builtin_exact_size_and_balance(name: str, samples: int) -> None:
    ds = make_dataset(name, samples=samples, seed=3)
    assert len(ds.X) == len(ds.y) == samples
    counts = np.bincount(ds.y, minlength=ds.n_classes)
    assert counts.sum() == samples
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", NAMES)
def test_builtin_deterministic_per_seed(name: str) -> None:
    a = make_dataset(name, seed=7)
    b = make_dataset(name, seed=7)
    c = make_dataset(name, seed=8)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.class_names == b.class_names
    assert not np.array_equal(a.X, c.X)


def test_max_points_is_allowed() -> None:
    ds = make_dataset("moons", samples=MAX_POINTS)
    assert len(ds.y) == MAX_POINTS


def test_zero_noise_is_allowed() -> None:
    ds = make_dataset("circles", noise=0.0)
    r = np.hypot(ds.X[:, 0], ds.X[:, 1])
    np.testing.assert_allclose(r[ds.y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(r[ds.y == 1], 0.5, atol=1e-6)


def test_spiral_arms() -> None:
    ds = make_dataset("spiral", arms=3)
    assert ds.n_classes == 3
    assert ds.class_names == ("0", "1", "2")
    assert np.bincount(ds.y).tolist() == [200, 200, 200]
    ds5 = make_dataset("spiral", arms=5, samples=101)
    assert ds5.n_classes == 5
    counts = np.bincount(ds5.y)
    assert counts.max() - counts.min() <= 1


def test_spiral_arms_do_not_overlap_at_default_noise() -> None:
    """Each point's nearest neighbour of another arm is farther than most same-arm ones."""
    for arms in (2, 3):
        ds = make_dataset("spiral", arms=arms)
        d = np.linalg.norm(ds.X[:, None, :] - ds.X[None, :, :], axis=2)
        np.fill_diagonal(d, np.inf)
        nearest = d.argmin(axis=1)
        assert np.mean(ds.y[nearest] == ds.y) > 0.97


def test_linear_is_linearly_separable() -> None:
    for seed in range(3):
        ds = make_dataset("linear", seed=seed)
        assert _perceptron_separates(ds.X, ds.y)
        assert _least_squares_accuracy(ds.X, ds.y) == 1.0


@pytest.mark.parametrize("name", ["circles", "rings"])
def test_circles_and_rings_need_the_radius(name: str) -> None:
    ds = make_dataset(name)
    assert not _perceptron_separates(ds.X, ds.y, epochs=30)
    assert _least_squares_accuracy(ds.X, ds.y) < 0.75
    # separable by radius: every inner point is closer to the origin than every outer one
    r = np.hypot(ds.X[:, 0], ds.X[:, 1])
    inner = 1  # circles: ("outer", "inner"); rings: ("ring", "disk")
    assert r[ds.y == inner].max() < r[ds.y != inner].min()
    # ... hence linearly separable once the squared radius is added as a third feature
    assert _perceptron_separates(_lift(ds.X), ds.y)


def test_rings_has_a_clear_gap() -> None:
    ds = make_dataset("rings")
    assert ds.class_names == ("ring", "disk")
    r = np.hypot(ds.X[:, 0], ds.X[:, 1])
    assert r[ds.y == 0].min() - r[ds.y == 1].max() > 0.3


def test_moons_interleave() -> None:
    ds = make_dataset("moons")
    assert _least_squares_accuracy(ds.X, ds.y) < 0.95


def test_xor_label_is_sign_product() -> None:
    ds = make_dataset("xor")
    same_sign = np.sign(ds.X[:, 0]) * np.sign(ds.X[:, 1]) > 0
    np.testing.assert_array_equal(same_sign, ds.y == 1)
    assert _least_squares_accuracy(ds.X, ds.y) < 0.75
    # four quadrants, each with about a quarter of the points
    quadrant = (ds.X[:, 0] > 0).astype(int) * 2 + (ds.X[:, 1] > 0).astype(int)
    assert np.bincount(quadrant, minlength=4).min() >= 90


def test_sandwich_default() -> None:
    ds = make_dataset("sandwich")
    assert len(ds.y) == 400
    assert ds.class_names == ("outer", "middle")
    middle = ds.X[ds.y == 1]
    outer = ds.X[ds.y == 0]
    assert len(middle) == 200
    assert np.abs(middle.mean(axis=0)).max() < 0.15
    low = outer[outer.sum(axis=1) < 0]
    high = outer[outer.sum(axis=1) >= 0]
    assert abs(len(low) - len(high)) < 30
    np.testing.assert_allclose(low.mean(axis=0), [-1, -1], atol=0.2)
    np.testing.assert_allclose(high.mean(axis=0), [1, 1], atol=0.2)
    np.testing.assert_allclose(middle.std(axis=0), 0.5, atol=0.08)


def test_name_is_case_insensitive() -> None:
    assert make_dataset(" Moons ").name == "moons"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"samples": 3}, "between 4 and 20000"),
        ({"samples": MAX_POINTS + 1}, "between 4 and 20000"),
        ({"noise": -0.1}, "noise"),
        ({"noise": float("nan")}, "noise"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_parameters(kwargs: dict[str, float], expected: str) -> None:
    with pytest.raises(DataError, match=expected):
        make_dataset("moons", **kwargs)  # type: ignore[arg-type]


def test_bad_arms() -> None:
    with pytest.raises(DataError, match="arms"):
        make_dataset("spiral", arms=1)
    with pytest.raises(DataError, match="at least 10 samples"):
        make_dataset("spiral", arms=5, samples=9)
    assert make_dataset("moons", arms=1).n_classes == 2  # ignored elsewhere


def test_unknown_name_lists_choices() -> None:
    message = _error(make_dataset, "moon")
    assert "'moon'" in message
    assert "did you mean 'moons'" in message
    for name in NAMES:
        assert name in message


def test_describe() -> None:
    assert describe(make_dataset("moons")) == "moons · 400 points · 2 classes (0: 200, 1: 200)"
    assert describe(make_dataset("spiral", arms=3, samples=301)) == (
        "spiral · 301 points · 3 classes (0: 101, 1: 100, 2: 100)"
    )


def test_dataset_checks_its_arrays() -> None:
    X = np.zeros((3, 2), dtype=np.float32)
    y = np.array([0, 1, 1], dtype=np.int64)
    assert Dataset(X, y, ("a", "b"), "t").n_classes == 2
    with pytest.raises(DataError):
        Dataset(X.astype(np.float64), y, ("a", "b"), "t")
    with pytest.raises(DataError):
        Dataset(X, y.astype(np.int32), ("a", "b"), "t")
    with pytest.raises(DataError):
        Dataset(X, np.array([0, 1, 2], dtype=np.int64), ("a", "b"), "t")
    with pytest.raises(DataError):
        Dataset(np.zeros((3, 3), dtype=np.float32), y, ("a", "b"), "t")


# --------------------------------------------------------------------------- CSV


def test_csv_string_labels_round_trip(tmp_path: Path) -> None:
    rows = ["0.5,1.5,dog", "-1,2,cat", "3,-4,bird", "0,0,cat", "1e-3,2.5,dog", "7,7,bird"]
    ds = load_csv(_write(tmp_path, _csv_rows(rows)))
    assert ds.name == "data.csv"
    assert ds.class_names == ("bird", "cat", "dog")
    assert [ds.class_names[i] for i in ds.y] == ["dog", "cat", "bird", "cat", "dog", "bird"]
    np.testing.assert_allclose(ds.X[0], [0.5, 1.5])
    np.testing.assert_allclose(ds.X[4], [0.001, 2.5])
    assert ds.X.dtype == np.float32 and ds.y.dtype == np.int64


def test_csv_integer_labels_sorted_numerically(tmp_path: Path) -> None:
    rows = ["0,0,10", "0,1,2", "1,0,10", "1,1,2", "2,2,1", "3,3, 1.0"]
    ds = load_csv(_write(tmp_path, _csv_rows(rows)))
    assert ds.class_names == ("1", "2", "10")
    assert ds.y.tolist() == [2, 1, 2, 1, 0, 0]


def test_csv_flexible_header_and_blank_lines(tmp_path: Path) -> None:
    text = (
        "\ufeff id , Label ,Y,  X ,note\n\n1,a,10,20,hi\n2,a,11,21,\n\n3,b,12,22,x\n4,b,13,23,y\n"
    )
    ds = load_csv(_write(tmp_path, text))
    assert ds.class_names == ("a", "b")
    np.testing.assert_allclose(ds.X, [[20, 10], [21, 11], [22, 12], [23, 13]])


def test_load_file_dispatch(tmp_path: Path) -> None:
    path = _write(tmp_path, _csv_rows(GOOD_ROWS), "DATA.CSV")
    assert load_file(path).name == "DATA.CSV"
    assert load_file(str(path)).n_classes == 2
    npz = tmp_path / "d.npz"
    np.savez(npz, X=np.zeros((4, 2)), y=np.array([0, 0, 1, 1]))
    assert load_file(npz).name == "d.npz"


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            ["0,0,a", "1,1,a", "2,2,b", "3,3,b", "4,4,b", "5,abc,b"],
            "data.csv, line 7, column 'y': 'abc' is not a number",
        ),
        (["0,0,a", "1,1,a", "nan,2,b", "3,3,b"], "line 4, column 'x': 'nan' is not a finite"),
        (["0,0,a", "1,inf,a", "2,2,b", "3,3,b"], "line 3, column 'y': 'inf' is not a finite"),
        (["0,0,a", "1,-Infinity,a", "2,2,b", "3,3,b"], "line 3, column 'y'"),
        (["0,0,a", "1,1e39,a", "2,2,b", "3,3,b"], "line 3, column 'y': '1e39' is too large"),
        (["0,0,a", "1,1,a", "2,2,b", "3,3"], "line 5: expected 3 fields"),
        (["0,0,a", "1,1,a,9", "2,2,b", "3,3,b"], "line 3: expected 3 fields"),
        (["0,0,a", "1,,a", "2,2,b", "3,3,b"], "line 3, column 'y': the value is empty"),
        (["0,0,a", "1,1, ", "2,2,b", "3,3,b"], "line 3, column 'label': the label is empty"),
        (["0,0,a", "1,1,a", "2,2,a"], "only the class 'a'"),
        (["0,0,a", "1,1,a", "2,2,b", "3,3,c", "4,4,c"], "class 'b' has only 1 point"),
        ([], "no data rows"),
    ],
)
def test_csv_bad_rows(tmp_path: Path, rows: list[str], expected: str) -> None:
    message = _error(load_csv, _write(tmp_path, _csv_rows(rows)))
    assert expected in message
    assert "data.csv" in message


def test_csv_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    text = "x,y,label\n0,0,a\n\n1,1,a\n\n2,oops,b\n3,3,b\n"
    message = _error(load_csv, _write(tmp_path, text))
    assert "line 6, column 'y': 'oops' is not a number" in message


def test_csv_column_name_as_written(tmp_path: Path) -> None:
    message = _error(load_csv, _write(tmp_path, _csv_rows(["1,Q,a"], header="X,Y,Label")))
    assert "column 'Y': 'Q'" in message


@pytest.mark.parametrize(
    ("header", "missing"),
    [
        ("x,y,class", "missing column 'label'"),
        ("a,b,label", "missing columns 'x', 'y'"),
        ("0,0,1", "the first line must be a header"),
        ("x;y;label", "comma-separated"),
    ],
)
def test_csv_missing_columns(tmp_path: Path, header: str, missing: str) -> None:
    message = _error(load_csv, _write(tmp_path, _csv_rows(GOOD_ROWS, header=header)))
    assert missing in message
    assert "line 1" in message
    assert "x,y,label" in message


def test_csv_duplicate_column(tmp_path: Path) -> None:
    message = _error(load_csv, _write(tmp_path, _csv_rows(GOOD_ROWS, header="x,y,label,X")))
    assert "'x' twice" in message


def test_csv_missing_empty_and_wrong_files(tmp_path: Path) -> None:
    assert "file not found" in _error(load_csv, tmp_path / "nope.csv")
    assert "nope.csv" in _error(load_file, tmp_path / "nope.csv")
    assert "is empty" in _error(load_csv, _write(tmp_path, ""))
    assert "is empty" in _error(load_csv, _write(tmp_path, "\n  \n\n"))
    assert "directory" in _error(load_csv, tmp_path)
    bad = tmp_path / "latin.csv"
    bad.write_bytes(b"x,y,label\n" + b"0,0,a\n" * 3000 + b"1,1,caf\xe9\n")
    message = _error(load_csv, bad)
    assert "latin.csv, line 3002" in message and "UTF-8" in message
    txt = _write(tmp_path, _csv_rows(GOOD_ROWS), "data.txt")
    message = _error(load_file, txt)
    assert "data.txt" in message and "'.txt'" in message and ".csv" in message


def test_csv_too_many_points(tmp_path: Path) -> None:
    n = MAX_POINTS + 500
    rows = [f"{i % 100},{i % 7},{i % 2}" for i in range(n)]
    message = _error(load_csv, _write(tmp_path, _csv_rows(rows)))
    assert f"has {n} points" in message
    assert str(MAX_POINTS) in message
    assert "snapshot" in message and "subsample" in message


# --------------------------------------------------------------------------- NPZ


def test_npz_integer_and_string_labels(tmp_path: Path) -> None:
    X = np.arange(12, dtype=np.float64).reshape(6, 2)
    path = tmp_path / "ints.npz"
    np.savez(path, X=X, y=np.array([5, -1, 5, -1, 10, 10]))
    ds = load_npz(path)
    assert ds.class_names == ("-1", "5", "10")
    assert ds.y.tolist() == [1, 0, 1, 0, 2, 2]
    np.testing.assert_array_equal(ds.X, X.astype(np.float32))

    path = tmp_path / "strs.npz"
    np.savez_compressed(path, X=X.astype(np.int32), y=np.array(["b", "a", "b", "a", "c", "c"]))
    ds = load_npz(path)
    assert ds.class_names == ("a", "b", "c")
    assert ds.y.tolist() == [1, 0, 1, 0, 2, 2]

    path = tmp_path / "floats.npz"
    np.savez(path, X=X, y=np.array([0.0, 1.0, 0.0, 1.0, 1.0, 0.0]))
    assert load_npz(path).class_names == ("0", "1")


def test_npz_class_names(tmp_path: Path) -> None:
    X = np.zeros((4, 2), dtype=np.float32)
    path = tmp_path / "named.npz"
    np.savez(path, X=X, y=np.array([1, 0, 1, 0]), class_names=np.array(["zebra", "ant"]))
    ds = load_npz(path)
    assert ds.class_names == ("zebra", "ant")
    assert ds.y.tolist() == [1, 0, 1, 0]

    np.savez(path, X=X, y=np.array(["ant", "zebra"] * 2), class_names=np.array(["zebra", "ant"]))
    ds = load_npz(path)
    assert ds.class_names == ("zebra", "ant")
    assert ds.y.tolist() == [1, 0, 1, 0]


def _save_npz(tmp_path: Path, **arrays: np.ndarray) -> Path:
    path = tmp_path / "data.npz"
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return path


X4 = np.zeros((4, 2))
Y4 = np.array([0, 0, 1, 1])


@pytest.mark.parametrize(
    ("arrays", "expected"),
    [
        ({"X": np.zeros((4, 3)), "y": Y4}, "'X' has shape (4, 3), expected (N, 2)"),
        ({"X": np.zeros(8), "y": Y4}, "'X' has shape (8,)"),
        ({"X": X4, "y": np.array([0, 1, 1])}, "'y' has shape (3,), expected (4,)"),
        ({"X": X4, "y": Y4[:, None]}, "y.ravel()"),
        ({"X": X4}, "missing array 'y'"),
        ({"x": X4, "Y": Y4}, "missing array 'X' and 'y' (found: 'x', 'Y')"),
        ({"X": np.array([[0, 0], [1, np.nan], [2, 2], [3, 3]]), "y": Y4}, "X[1, 1]"),
        ({"X": np.array([[0, 0], [1, 1], [np.inf, 2], [3, 3]]), "y": Y4}, "X[2, 0]"),
        ({"X": X4.astype(str), "y": Y4}, "expected numbers"),
        ({"X": X4, "y": np.array([0, 0.5, 1, 1])}, "y[1] = "),
        ({"X": X4, "y": np.array([0, 0, 0, 0])}, "only the class '0'"),
        ({"X": X4, "y": np.array([0, 0, 0, 1])}, "class '1' has only 1 point"),
        ({"X": X4, "y": Y4, "class_names": np.array(["a"])}, "labels must be 0..0"),
        ({"X": X4, "y": Y4, "class_names": np.array(["a", "a"])}, "'a' twice"),
        (
            {"X": X4, "y": Y4, "class_names": np.array(["a", "b", "c"])},
            "class 'c' has only 0 points",
        ),
        (
            {"X": X4, "y": np.array(["a", "a", "b", "q"]), "class_names": np.array(["a", "b"])},
            "y[3] = 'q' is not one of class_names",
        ),
        ({"X": X4[:0], "y": Y4[:0]}, "empty"),
    ],
)
def test_npz_bad_arrays(tmp_path: Path, arrays: dict[str, np.ndarray], expected: str) -> None:
    message = _error(load_npz, _save_npz(tmp_path, **arrays))
    assert expected in message
    assert "data.npz" in message


def test_npz_object_array(tmp_path: Path) -> None:
    y = np.array([0, 0, "a", "a"], dtype=object)
    message = _error(load_npz, _save_npz(tmp_path, X=X4, y=y))
    assert "'y'" in message and "plain numeric or string arrays" in message


def test_npz_too_many_points(tmp_path: Path) -> None:
    n = MAX_POINTS + 1
    path = _save_npz(tmp_path, X=np.zeros((n, 2), dtype=np.float32), y=np.arange(n) % 2)
    message = _error(load_npz, path)
    assert f"{n} points" in message and str(MAX_POINTS) in message and "subsample" in message


def test_npz_not_an_archive(tmp_path: Path) -> None:
    assert "is empty" in _error(load_npz, _write(tmp_path, "", "data.npz"))
    assert "not a valid .npz" in _error(load_npz, _write(tmp_path, "hello", "data.npz"))
    npy = tmp_path / "single.npz"
    with npy.open("wb") as fh:
        np.save(fh, X4)
    assert "single array (.npy)" in _error(load_npz, npy)
    assert "file not found" in _error(load_npz, tmp_path / "missing.npz")


@pytest.mark.parametrize(("samples", "low", "middle", "high"), [(400, 100, 200, 100), (7, 2, 3, 2)])
def test_sandwich_counts_per_cloud(samples: int, low: int, middle: int, high: int) -> None:
    """Without noise every point sits on its cloud's centre: the counts are exact."""
    ds = make_dataset("sandwich", samples=samples, noise=0.0, seed=5)
    centres, counts = np.unique(ds.X, axis=0, return_counts=True)
    assert centres.tolist() == [[-1.0, -1.0], [0.0, 0.0], [1.0, 1.0]]
    assert counts.tolist() == [low, middle, high]
    np.testing.assert_array_equal(ds.y, (ds.X == 0).all(axis=1).astype(np.int64))


def test_sandwich_noise_is_the_clouds_spread() -> None:
    for sd in (0.1, 0.5, 1.0):
        ds = make_dataset("sandwich", samples=4000, noise=sd, seed=1)
        middle = ds.X[ds.y == 1].astype(np.float64)
        np.testing.assert_allclose(middle.mean(axis=0), 0.0, atol=0.1 * sd)
        np.testing.assert_allclose(middle.std(axis=0), sd, rtol=0.1)
