"""Property tests (hypothesis): the file readers never crash and the geometry keeps its promises."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
import string
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from nnmodel import trajectory
from nnmodel.datasets import Dataset, load_csv, load_file, load_npz
from nnmodel.errors import DataError, TrajectoryError
from scenes.core import geometry as g
from scenes.core.view import Box, View, fit, pad3, required_scale, step_views

# Deterministic and bounded for CI (2 cores): no example database, no deadline, a fixed seed.
settings.register_profile(
    "nnwarp-properties",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROPS = settings.get_profile("nnwarp-properties")


def props(n: int) -> settings:
    """The profile with another example budget (per test, so other test files are unaffected)."""
    return settings(PROPS, max_examples=n)


# =========================================================================== helpers


def _metadata_offsets(raw: bytes) -> list[int]:
    """Offsets of the zip records and the .npy headers of an archive.

    A flip there is not caught by a CRC first: zip records have none, and a member's .npy
    header is parsed before its CRC is checked at the end of the member.
    """
    offsets: list[int] = []
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        for info in zf.infolist():
            local = 30 + len(info.filename.encode()) + len(info.extra)
            offsets += range(info.header_offset, info.header_offset + local + 128)
    end_record = raw.rfind(b"PK\x05\x06")
    directory = int.from_bytes(raw[end_record + 16 : end_record + 20], "little")
    offsets += range(directory, len(raw))
    return sorted({o for o in offsets if 0 <= o < len(raw)})


# =========================================================================== datasets

LOADERS: dict[str, Callable[[Path], Dataset]] = {
    "load_file": load_file,
    "load_csv": load_csv,
    "load_npz": load_npz,
}


def load_or_data_error(loader: Callable[[Path], Dataset], path: Path) -> Dataset | None:
    """Run a dataset loader: a Dataset, or None after a one-line DataError naming the file."""
    try:
        ds = loader(path)
    except DataError as exc:
        message = str(exc)
        assert str(path) in message, message
        assert "\n" not in message, message
        return None
    assert isinstance(ds, Dataset)
    assert ds.X.dtype == np.float32 and ds.X.shape == (len(ds.y), 2)
    assert np.isfinite(ds.X).all()
    assert ds.n_classes >= 2 and np.bincount(ds.y, minlength=ds.n_classes).min() >= 2
    return ds


CSV_ALPHABET = "xyXYlabel,;\t\r\n \"'0123456789.-+eEinfa\ufeff\x00é"


@props(150)
@given(
    content=st.one_of(
        st.binary(max_size=400).map(lambda b: ("bytes", b)),
        st.text(max_size=300).map(lambda t: ("text", t)),
        st.text(alphabet=CSV_ALPHABET, max_size=300).map(lambda t: ("text", t)),
        st.lists(
            st.lists(st.text(alphabet=CSV_ALPHABET, max_size=6), min_size=1, max_size=4),
            max_size=12,
        ).map(lambda rows: ("text", "x,y,label\n" + "\n".join(",".join(r) for r in rows))),
    ),
    suffix=st.sampled_from([".csv", ".npz", ".CSV"]),
    loader=st.sampled_from(sorted(LOADERS)),
)
def test_any_bytes_or_text_load_or_raise_a_data_error_naming_the_file(
    tmp_path: Path, content: tuple[str, Any], suffix: str, loader: str
) -> None:
    kind, value = content
    path = tmp_path / f"data{suffix}"
    if kind == "bytes":
        path.write_bytes(value)
    else:
        path.write_bytes(value.encode("utf-8", errors="surrogatepass"))
    load_or_data_error(LOADERS[loader], path)


NPZ_DTYPES = st.sampled_from(
    [
        np.float64,
        np.float32,
        np.float16,
        np.longdouble,
        np.int64,
        np.int32,
        np.int8,
        np.uint8,
        np.bool_,
        np.complex64,
        np.dtype("M8[s]"),
    ]
)


@st.composite
def npz_arrays(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """Arrays named like a dataset (X, y, class_names, …) of random dtypes and shapes."""
    out: dict[str, np.ndarray] = {}
    for name in draw(st.lists(st.sampled_from(["X", "y", "class_names", "x", "other"]))):
        kind = draw(st.sampled_from(["numbers", "numbers", "str", "bytes", "objects"]))
        texts = draw(st.lists(st.text(max_size=4), max_size=8))
        if kind == "str":
            out[name] = np.array(texts, dtype=str)
        elif kind == "bytes":
            out[name] = np.array([t.encode("utf-8", "surrogatepass") for t in texts], "S")
        elif kind == "objects":  # pickled by np.savez; the loader must refuse, not unpickle
            out[name] = np.array([*texts, None, 1.5], dtype=object)
        else:
            shape = draw(hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=6))
            out[name] = draw(hnp.arrays(draw(NPZ_DTYPES), shape))
    return out


@props(100)
@given(arrays=npz_arrays(), loader=st.sampled_from(["load_file", "load_npz"]))
def test_any_npz_archive_loads_or_raises_a_data_error_naming_the_file(
    tmp_path: Path, arrays: dict[str, np.ndarray], loader: str
) -> None:
    path = tmp_path / "arrays.npz"
    np.savez(path, **arrays)
    load_or_data_error(LOADERS[loader], path)


FLOAT32 = st.floats(width=32, allow_nan=False, allow_infinity=False)
WORD = st.text(alphabet=string.ascii_letters + "_", min_size=1, max_size=6)


@st.composite
def labelled_points(draw: st.DrawFn) -> tuple[np.ndarray, list[Any], tuple[str, ...]]:
    """Float32-representable points, labels (ints or words) and the documented class names."""
    k = draw(st.integers(2, 4))
    if draw(st.booleans()):
        classes: list[Any] = draw(
            st.lists(st.integers(-(10**6), 10**6), min_size=k, max_size=k, unique=True)
        )
        names = tuple(str(v) for v in sorted(classes))
    else:
        classes = draw(st.lists(WORD, min_size=k, max_size=k, unique=True))
        names = tuple(sorted(classes))
    counts = draw(st.lists(st.integers(2, 5), min_size=k, max_size=k))
    labels = [c for c, n in zip(classes, counts, strict=True) for _ in range(n)]
    labels = draw(st.permutations(labels))
    xy = draw(hnp.arrays(np.float32, (len(labels), 2), elements=FLOAT32))
    return xy, labels, names


def _expected_y(labels: list[Any], names: tuple[str, ...]) -> np.ndarray:
    return np.array([names.index(str(v)) for v in labels], dtype=np.int64)


@props(80)
@given(
    data=labelled_points(),
    order=st.permutations(["x", "y", "label"]),
    extra=st.lists(
        st.tuples(
            st.sampled_from(["id", "note", "weight", "X2", "labels", ""]),
            st.text(alphabet=CSV_ALPHABET.replace("\x00", ""), max_size=5),
        ),
        max_size=2,
    ),
    spelling=st.sampled_from([str, str.upper, lambda s: f" {s.title()} "]),
    int_style=st.sampled_from(["{}", "{}.0", " {} "]),
    bom=st.booleans(),
    blank_lines=st.booleans(),
)
def test_csv_round_trips_points_and_class_order(
    tmp_path: Path,
    data: tuple[np.ndarray, list[Any], tuple[str, ...]],
    order: list[str],
    extra: list[tuple[str, str]],
    spelling: Callable[[str], str],
    int_style: str,
    bom: bool,
    blank_lines: bool,
) -> None:
    xy, labels, names = data
    header = [spelling(c) for c in order] + [name for name, _ in extra]
    buf = io.StringIO()
    writer = csv.writer(buf)  # "\r\n" rows: a "\r" or "\n" inside a field is quoted
    if blank_lines:
        buf.write("\n  \n")
    writer.writerow(header)
    for (x, y), label in zip(xy.tolist(), labels, strict=True):
        # repr of the float64 value of a float32 reads back to the same float32
        cell = {"x": repr(x), "y": repr(y)}
        cell["label"] = int_style.format(label) if isinstance(label, int) else label
        writer.writerow([cell[c] for c in order] + [value for _, value in extra])
        if blank_lines:
            buf.write("\n")
    path = tmp_path / "points.csv"
    path.write_bytes(("\ufeff" if bom else "").encode() + buf.getvalue().encode("utf-8"))
    for loader in (load_csv, load_file):
        ds = loader(path)
        np.testing.assert_array_equal(ds.X, xy)
        assert ds.class_names == names
        np.testing.assert_array_equal(ds.y, _expected_y(labels, names))
        assert ds.name == "points.csv"


@props(80)
@given(
    points=labelled_points(),
    x_dtype=st.sampled_from([np.float32, np.float64]),
    y_style=st.sampled_from(["native", "float", "bytes"]),
    with_names=st.booleans(),
    data=st.data(),
)
def test_npz_round_trips_points_and_class_order(
    tmp_path: Path,
    points: tuple[np.ndarray, list[Any], tuple[str, ...]],
    x_dtype: type,
    y_style: str,
    with_names: bool,
    data: st.DataObject,
) -> None:
    xy, labels, names = points
    ints = isinstance(labels[0], int)
    arrays: dict[str, np.ndarray] = {"X": xy.astype(x_dtype)}
    if with_names:
        # class_names gives the order; integer labels index it, string labels appear in it
        names = tuple(data.draw(st.permutations(names), label="class_names"))
        arrays["y"] = _expected_y(labels, names) if ints else np.array(labels)
        arrays["class_names"] = np.array(names)
    elif ints:
        arrays["y"] = np.array(labels, dtype=np.int64)
    else:
        arrays["y"] = np.array(labels)
    if y_style == "float" and arrays["y"].dtype.kind == "i":
        arrays["y"] = arrays["y"].astype(np.float64)  # whole-number floats are accepted
    if y_style == "bytes" and arrays["y"].dtype.kind == "U":
        arrays["y"] = arrays["y"].astype("S")
    path = tmp_path / "points.npz"
    np.savez(path, **arrays)
    for loader in (load_npz, load_file):
        ds = loader(path)
        np.testing.assert_array_equal(ds.X, xy)
        assert ds.class_names == names
        np.testing.assert_array_equal(ds.y, _expected_y(labels, names))
        assert ds.name == "points.npz"


# -- damaged dataset archives and labels beyond int64 (both refused with a DataError)

BIG_X = np.linspace(-1.0, 1.0, 2000).reshape(1000, 2)  # members over zipfile's 4 KiB read-ahead


def _dataset_npz() -> bytes:
    buf = io.BytesIO()
    np.savez(buf, X=BIG_X, y=np.arange(1000) % 2)
    return buf.getvalue()


DATASET_NPZ = _dataset_npz()
_LAST_DIRECTORY_RECORD = DATASET_NPZ.rfind(b"PK\x01\x02")
_FIRST_NPY_HEADER = DATASET_NPZ.find(b"\x93NUMPY")


@settings(PROPS, max_examples=60, report_multiple_bugs=False)
@example(flips=[(_LAST_DIRECTORY_RECORD + 10, 99)])  # compression method 99: NotImplementedError
@example(flips=[(_LAST_DIRECTORY_RECORD + 8, 1)])  # the "encrypted" flag: RuntimeError
@example(flips=[(_FIRST_NPY_HEADER + 11, 0x04)])  # "{'descr'" -> "{#descr'": TokenError
@given(
    flips=st.lists(
        st.tuples(st.sampled_from(_metadata_offsets(DATASET_NPZ)), st.integers(1, 255)),
        min_size=1,
        max_size=3,
    )
)
def test_a_damaged_dataset_npz_raises_only_data_errors(
    tmp_path: Path, flips: list[tuple[int, int]]
) -> None:
    damaged = bytearray(DATASET_NPZ)
    for offset, mask in flips:
        damaged[offset] ^= mask
    path = tmp_path / "damaged.npz"
    path.write_bytes(bytes(damaged))
    load_or_data_error(load_npz, path)


@pytest.mark.filterwarnings("ignore:invalid value encountered in cast:RuntimeWarning")
@pytest.mark.parametrize(
    ("y", "names"),
    [
        (np.array([2**64 - 1, 2**64 - 1, 5, 5], np.uint64), ("5", "18446744073709551615")),
        (np.array([1e19, 1e19, 2e19, 2e19]), ("10000000000000000000", "20000000000000000000")),
    ],
)
def test_npz_labels_beyond_int64_keep_their_names_or_are_refused(
    tmp_path: Path, y: np.ndarray, names: tuple[str, ...]
) -> None:
    path = tmp_path / "big_labels.npz"
    np.savez(path, X=BIG_X[:4], y=y)
    try:
        ds = load_npz(path)
    except DataError as exc:  # refusing is fine if the message shows the real label
        assert str(y[0]) in str(exc) or str(int(y[0])) in str(exc), str(exc)
        return
    assert ds.class_names == names


# =========================================================================== trajectories


@dataclass(frozen=True)
class Stored:
    """A real trajectory file: its path, bytes, manifest and arrays (never modified)."""

    path: Path
    raw: bytes
    manifest: dict[str, Any]
    arrays: dict[str, np.ndarray]

    @classmethod
    def read(cls, path: Path) -> Stored:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        manifest = json.loads(arrays.pop("manifest").tobytes())
        return cls(path, path.read_bytes(), manifest, arrays)


@pytest.fixture(scope="module")
def moons(moons_traj: Path) -> Stored:
    """The 2-2-2-2 tanh moons trajectory: every layer stored exactly."""
    return Stored.read(moons_traj)


@pytest.fixture(scope="module")
def wide(wide_traj: Path) -> Stored:
    """The 3-class relu trajectory with a projected 5-wide layer."""
    return Stored.read(wide_traj)


def check_loads_usably_or_refuses(path: Path) -> bool:
    """``load`` raises a one-line TrajectoryError naming the file, or gives a usable trajectory.

    Returns whether it loaded.
    """
    try:
        traj = trajectory.load(path)
    except TrajectoryError as exc:
        message = str(exc)
        assert str(path) in message, message
        assert "\n" not in message, message
        return False
    n = len(traj.inputs)
    stages = traj.stages(-1)
    assert len(stages) == 1 + 2 * len(traj.layers)
    for stage in stages:
        assert stage.points.shape[0] == n
        assert stage.grid.shape[-1] == stage.points.shape[-1] == stage.dim
    summary = traj.summary()
    json.dumps(summary)
    assert summary["n_points"] == n
    weights = traj.weights(0)
    for (w, b), layer in zip(weights, traj.layers, strict=True):
        assert w.shape == (layer.d_out, layer.d_in) and b.shape == (layer.d_out,)
    mesh = traj.mesh(-1)
    assert mesh.ndim == 3 and mesh.shape[-1] == traj.n_classes
    sep = traj.separator(-1)
    assert sep.w.shape == (traj.layers[-1].d_out, stages[-3].dim)
    assert sep.b.shape == (traj.layers[-1].d_out,)
    return True


def test_the_fixtures_load_usably(moons: Stored, wide: Stored) -> None:
    assert check_loads_usably_or_refuses(moons.path)
    assert check_loads_usably_or_refuses(wide.path)
    assert check_loads_usably_or_refuses(Path(__file__).parent / "data" / "golden.npz")


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr)
    return buf.getvalue()


@props(60)
@example(content=_npy(np.zeros(3)), prefix=b"")  # a .npy: np.load gives an array, not an archive
@example(content=b"x,y,label\n0,0,a\n", prefix=b"")
@example(content=b"", prefix=b"")
@given(content=st.binary(max_size=2000), prefix=st.sampled_from([b"", b"PK\x03\x04", b"\x93NUMPY"]))
def test_random_bytes_are_refused(tmp_path: Path, content: bytes, prefix: bytes) -> None:
    path = tmp_path / "random.npz"
    path.write_bytes(prefix + content)
    assert not check_loads_usably_or_refuses(path)


@props(60)
@given(fraction=st.floats(0.0, 1.0, exclude_max=True), near_end=st.integers(1, 200))
def test_truncated_files_are_refused(
    tmp_path: Path, moons: Stored, fraction: float, near_end: int
) -> None:
    raw = moons.raw
    for size in (int(fraction * len(raw)), len(raw) - near_end):
        path = tmp_path / "cut.npz"
        path.write_bytes(raw[:size])
        assert not check_loads_usably_or_refuses(path)


#: Members of the moons trajectory (and of every trajectory: the arrays of one hidden layer).
MEMBERS = ["manifest", "gz0", "z0", "W0", "b0", "grid", "mesh", "inputs", "labels", "epochs"]
FLIPS = st.lists(
    st.tuples(
        st.one_of(
            # anywhere, or in the zip records and .npy headers: an index into _metadata_offsets
            st.tuples(st.sampled_from(["anywhere", "metadata"]), st.integers(0, 2**32)),
            # in the .npy header of one member: (member, byte from the start of its data)
            st.tuples(st.sampled_from(MEMBERS), st.integers(0, 127)),
        ),
        st.integers(1, 255),  # the XOR mask
    ),
    min_size=1,
    max_size=4,
)


def _member_data(raw: bytes) -> dict[str, int]:
    """Offset of each member's data (its .npy magic) in a zip written by trajectory.write."""
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {
            info.filename.removesuffix(".npy"): info.header_offset + 30 + len(info.filename)
            for info in zf.infolist()
        }


@props(120)
@example(flips=[(("gz0", 11), 0x04)])  # "{'descr'" -> "{#descr'": numpy's header parser fails
@example(flips=[(("W0", 8), 0x40)])  # .npy format version 1.0 -> 65.0
@given(flips=FLIPS)
def test_byte_flips_are_refused_or_harmless(
    tmp_path: Path, moons: Stored, flips: list[tuple[tuple[str, int], int]]
) -> None:
    raw = moons.raw
    meta, members = _metadata_offsets(raw), _member_data(raw)
    assert all(raw[members[m] : members[m] + 6] == b"\x93NUMPY" for m in MEMBERS)
    damaged = bytearray(raw)
    for (where, index), mask in flips:
        if where == "anywhere":
            offset = index % len(raw)
        elif where == "metadata":
            offset = meta[index % len(meta)]
        else:
            offset = members[where] + index
        damaged[offset] ^= mask
    path = tmp_path / "flipped.npz"
    path.write_bytes(bytes(damaged))
    check_loads_usably_or_refuses(path)


JSON_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10),
    st.integers(),
    st.floats(),
    st.text(max_size=6),
    st.sampled_from(["1", "2", "tanh", "softmax", "0"]),
    st.lists(st.one_of(st.integers(-2, 4), st.floats(), st.text(max_size=2)), max_size=4),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=3),
)


def _json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if prefix:
        yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _json_paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value[:3]):  # long lists (metrics) repeat themselves
            yield from _json_paths(item, (*prefix, i))


def _edit(manifest: dict[str, Any], path: tuple[Any, ...], op: str, value: Any) -> None:
    parent: Any = manifest
    for key in path[:-1]:
        parent = parent[key]
    if op == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


def _write(path: Path, manifest: Any, arrays: dict[str, np.ndarray]) -> Path:
    path.unlink(missing_ok=True)
    return trajectory.write(path, manifest, arrays)


@props(150)
@given(which=st.sampled_from(["moons", "wide"]), data=st.data())
def test_manifest_edits_are_refused_or_harmless(
    tmp_path: Path, moons: Stored, wide: Stored, which: str, data: st.DataObject
) -> None:
    stored = moons if which == "moons" else wide
    base, arrays = stored.manifest, stored.arrays
    manifest = copy.deepcopy(base)
    paths = list(_json_paths(manifest))
    top = [p for p in paths if len(p) == 1]
    layers = [p for p in paths if p[0] == "layers"]
    small = [p for p in paths if p[0] in ("dataset", "final", "mesh", "baseline", "grid")]
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        path = data.draw(
            st.one_of(
                st.sampled_from(top),
                st.sampled_from(layers),
                st.sampled_from(small),
                st.sampled_from(paths),
            ),
            label="path",
        )
        op = data.draw(st.sampled_from(["delete", "set", "set"]), label="op")
        value = data.draw(JSON_VALUES, label="value")
        try:
            _edit(manifest, path, op, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed or replaced this path's parent
    check_loads_usably_or_refuses(_write(tmp_path / "edited.npz", manifest, arrays))


@props(40)
@given(
    key=st.sampled_from(["schema_version", "format", "layers", "dataset", "final", "mesh"]),
    value=JSON_VALUES,
)
def test_top_level_manifest_values_of_another_type(
    tmp_path: Path, moons: Stored, key: str, value: Any
) -> None:
    base, arrays = moons.manifest, moons.arrays
    manifest = copy.deepcopy(base)
    manifest[key] = value
    path = _write(tmp_path / "typed.npz", manifest, arrays)
    same = type(value) is type(base[key]) and value == base[key]
    assert check_loads_usably_or_refuses(path) == same


@props(80)
@given(
    layer=st.integers(0, 4),
    key=st.sampled_from(["in", "out", "activation", "output", "projected", "explained"]),
    value=JSON_VALUES,
)
def test_layer_entry_edits_are_refused_unless_equivalent(
    tmp_path: Path, moons: Stored, layer: int, key: str, value: Any
) -> None:
    base, arrays = moons.manifest, moons.arrays
    manifest = copy.deepcopy(base)
    manifest["layers"][layer][key] = value
    loaded = check_loads_usably_or_refuses(_write(tmp_path / "layer.npz", manifest, arrays))
    if key in ("in", "out", "output", "projected") and loaded:
        # only the stored value itself is consistent with the arrays (True == 1 is not enough)
        assert type(value) is type(base["layers"][layer][key])
        assert value == base["layers"][layer][key]


@props(30)
@given(content=st.one_of(st.binary(max_size=60), JSON_VALUES.map(lambda v: json.dumps(v).encode())))
def test_an_unreadable_manifest_is_refused(tmp_path: Path, moons: Stored, content: bytes) -> None:
    arrays = moons.arrays
    path = tmp_path / "manifest.npz"
    path.unlink(missing_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        for key, arr in {**arrays, "manifest": np.frombuffer(content, np.uint8)}.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, allow_pickle=False)
            zf.writestr(f"{key}.npy", buf.getvalue())
    assert not check_loads_usably_or_refuses(path)


ARRAY_EDITS = ["delete", "dtype", "add_axis", "drop_axis", "shorter", "longer", "scalar"]


@props(120)
@given(which=st.sampled_from(["moons", "wide"]), data=st.data())
def test_array_edits_are_refused_or_harmless(
    tmp_path: Path, moons: Stored, wide: Stored, which: str, data: st.DataObject
) -> None:
    stored = moons if which == "moons" else wide
    manifest, base = stored.manifest, stored.arrays
    arrays = dict(base)
    key = data.draw(st.sampled_from(sorted(arrays)), label="array")
    op = data.draw(st.sampled_from(ARRAY_EDITS), label="op")
    arr = arrays[key]
    if op == "delete":
        del arrays[key]
    elif op == "dtype":
        dtype = data.draw(
            st.sampled_from(["float64", "float16", "int64", "int8", "bool", "complex64", "<U3"])
        )
        arrays[key] = arr.astype(dtype)
    elif op == "add_axis":
        arrays[key] = arr[..., None]
    elif op == "drop_axis" and arr.ndim:
        arrays[key] = arr[..., 0]
    elif op in ("shorter", "longer") and arr.ndim:
        axis = data.draw(st.integers(0, arr.ndim - 1), label="axis")
        if op == "shorter":
            arrays[key] = np.take(arr, range(arr.shape[axis] // 2), axis=axis)
        else:
            arrays[key] = np.concatenate([arr, np.take(arr, [0], axis=axis)], axis=axis)
    else:
        arrays[key] = np.asarray(arr.ravel()[0] if arr.size else 0)
    reshaped = key not in arrays or arrays[key].shape != arr.shape
    loaded = check_loads_usably_or_refuses(_write(tmp_path / "arrays.npz", manifest, arrays))
    if reshaped:  # every array's shape is fixed by the manifest and the other arrays
        assert not loaded


# -- the three messages that used to mislead


def test_a_random_file_or_csv_is_not_an_npz_archive(tmp_path: Path) -> None:
    for name, content in (("random.npz", bytes(range(256)) * 3), ("data.csv", b"x,y,label\n")):
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(TrajectoryError) as info:
            trajectory.load(path)
        message = str(info.value)
        assert str(path) in message and "\n" not in message
        assert "not an nnwarp trajectory" in message and "not an .npz archive" in message
        assert "nnwarp train -o FILE" in message
        assert "allow_pickle" not in message and "unsafe" not in message


def test_a_schema_version_string_is_not_a_whole_number(tmp_path: Path, moons: Stored) -> None:
    base, arrays = moons.manifest, moons.arrays
    manifest = copy.deepcopy(base)
    manifest["schema_version"] = "1"
    path = _write(tmp_path / "v.npz", manifest, arrays)
    with pytest.raises(TrajectoryError) as info:
        trajectory.load(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    assert "schema_version" in message and "not a whole number" in message
    assert "corrupt" in message and "older" not in message
    assert "nnwarp train -o FILE" in message


def test_a_directory_is_not_a_trajectory_file(tmp_path: Path) -> None:
    folder = tmp_path / "run.npz"
    folder.mkdir()
    with pytest.raises(TrajectoryError) as info:
        trajectory.load(folder)
    message = str(info.value)
    assert str(folder) in message and "\n" not in message
    assert "is a directory" in message and ".npz file" in message
    assert "truncated" not in message and "corrupt" not in message


# =========================================================================== geometry

ENTRY = st.floats(-10.0, 10.0, allow_nan=False)
SHAPES = [(2, 2), (3, 3), (2, 3), (3, 2), (1, 2), (2, 1), (1, 3), (3, 1)]


def _padded(w: np.ndarray) -> np.ndarray:
    dim = max(*w.shape, 2)
    out = np.zeros((dim, dim))
    out[: w.shape[0], : w.shape[1]] = w
    return out


@st.composite
def weights(draw: st.DrawFn, shapes: list[tuple[int, int]]) -> np.ndarray:
    shape = draw(st.sampled_from(shapes))
    w = draw(hnp.arrays(np.float64, shape, elements=ENTRY))
    if shape[0] == shape[1]:
        det = float(np.linalg.det(w))
        # det W > 0, away from rounding noise (the sign of a ~1e-16 determinant is arbitrary)
        assume(det > 1e-9 * max(1.0, float(np.abs(w).max())) ** shape[0])
    return w


@props(120)
@given(w=weights(SHAPES))
def test_linear_path_ends_exactly_and_never_collapses(w: np.ndarray) -> None:
    d_out, d_in = w.shape
    path = g.linear_path(w, d_in, d_out)
    dim = max(d_in, d_out, 2)
    target = _padded(w)
    assert path.dim == dim
    np.testing.assert_array_equal(path(0.0), np.eye(dim))
    np.testing.assert_array_equal(path(1.0), target)
    scale = 1.0 + float(np.abs(w).max())
    np.testing.assert_allclose(path.rotation @ path.stretch, target, atol=1e-12 * scale)
    np.testing.assert_allclose(path(1e-12), np.eye(dim), atol=1e-10 * scale)
    np.testing.assert_allclose(path(1.0 - 1e-12), target, atol=1e-10 * scale)
    if d_in == d_out:
        _, dets = g.path_determinants(w, num=129)
        assert np.all(dets > 0), dets.min()
        assert g.path_min_abs_det(w, num=129) > 0
    else:  # padded maps are singular at t = 1 only
        _, dets = g.path_determinants(w, d_in, d_out, num=129, t_max=0.999)
        assert np.all(dets > 0), dets.min()


@props(60)
@given(w=hnp.arrays(np.float64, st.sampled_from(SHAPES), elements=ENTRY), t=st.floats(0.0, 1.0))
def test_straight_path_ends_exactly(w: np.ndarray, t: float) -> None:
    path = g.straight_path(w)
    dim = max(*w.shape, 2)
    np.testing.assert_array_equal(path(0.0), np.eye(dim))
    np.testing.assert_array_equal(path(1.0), _padded(w))
    expected = (1 - t) * np.eye(dim) + t * _padded(w)
    np.testing.assert_allclose(path(t), expected, atol=1e-12 * (1 + float(np.abs(w).max())))


POSITIVE = st.floats(min_value=5e-324, max_value=1.7e308, allow_nan=False, allow_infinity=False)


@props(100)
@given(s0=POSITIVE, s1=POSITIVE, t=st.floats(0.0, 1.0))
def test_interpolate_scale_ends_exactly_and_stays_between(s0: float, s1: float, t: float) -> None:
    assert g.interpolate_scale(s0, s1, 0.0) == s0
    assert g.interpolate_scale(s0, s1, 1.0) == s1
    mid = g.interpolate_scale(s0, s1, t)
    assert min(s0, s1) <= mid <= max(s0, s1)
    if s0 == s1:
        assert mid == s0


# -- framing

HUGE = 1e300  # coordinates up to here; beyond ~1e307 rotated or padded sums overflow float64
COORD = st.floats(-HUGE, HUGE, allow_nan=False, allow_infinity=False)
PLOT = Box(-6.85, 2.45, -3.85, 2.45)  # scenes.warp.PLOT (importing warp pulls in manim)


@st.composite
def clouds(draw: st.DrawFn, dim: int, n: int | None = None) -> np.ndarray:
    """Finite point clouds, including degenerate ones: one point, all equal, collinear, huge…"""
    n = draw(st.integers(1, 12)) if n is None else n
    kind = draw(st.sampled_from(["free", "same", "line", "scaled", "scaled"]))
    if kind == "free":
        pts = draw(hnp.arrays(np.float64, (n, dim), elements=COORD))
    elif kind == "same":
        pts = np.tile(draw(hnp.arrays(np.float64, (dim,), elements=COORD)), (n, 1))
    else:
        unit = st.floats(-1.0, 1.0, allow_nan=False)
        magnitude = 10.0 ** draw(st.integers(-300, 299))
        offset = draw(hnp.arrays(np.float64, (dim,), elements=COORD))
        if kind == "line":
            direction = draw(hnp.arrays(np.float64, (dim,), elements=unit))
            along = draw(hnp.arrays(np.float64, (n, 1), elements=unit))
            shape = along * direction
        else:
            shape = draw(hnp.arrays(np.float64, (n, dim), elements=unit))
        with np.errstate(over="ignore"):
            pts = offset + magnitude * shape
    assume(np.isfinite(pts).all() and np.abs(pts).max() <= HUGE)
    return pts


BOXES = st.one_of(
    st.just(PLOT),
    st.tuples(st.floats(-20, 20), st.floats(0.5, 20), st.floats(-20, 20), st.floats(0.5, 20)).map(
        lambda v: Box(v[0], v[0] + v[1], v[2], v[2] + v[3])
    ),
)
ANGLE = st.floats(-2 * math.pi, 2 * math.pi)


def _on_screen(view: View, points: np.ndarray) -> bool:
    xy, depth = view.project(points)
    return bool(np.isfinite(xy).all() and np.isfinite(depth).all() and view.box.contains(xy))


def _with_junk(points: np.ndarray, junk: int) -> np.ndarray:
    """Add rows holding NaN or infinity, which framing ignores."""
    rows = np.full((junk, points.shape[1]), np.nan)
    rows[::2, 0] = np.inf
    return np.vstack([points, rows])


@props(150)
@given(
    dim=st.sampled_from([2, 3]),
    data=st.data(),
    box=BOXES,
    phi=ANGLE,
    theta=ANGLE,
    junk=st.integers(0, 2),
)
def test_fit_keeps_every_point_on_screen(
    dim: int, data: st.DataObject, box: Box, phi: float, theta: float, junk: int
) -> None:
    pts = data.draw(clouds(dim), label="points")
    three_d = dim == 3 or data.draw(st.booleans(), label="three_d")
    centre, scale = fit(_with_junk(pts, junk), box, three_d=three_d)
    assert np.isfinite(centre).all() and math.isfinite(scale) and scale > 0
    # a 3-D fit holds at every camera angle; a flat one looks straight down
    angles = (phi, theta) if three_d else (0.0, 0.0)
    assert _on_screen(View(box, centre, scale, *angles), pts)


@props(100)
@given(dim=st.sampled_from([2, 3]), data=st.data(), box=BOXES, margin=st.floats(0.1, 1.0))
def test_fit_scale_keeps_every_point_inside(
    dim: int, data: st.DataObject, box: Box, margin: float
) -> None:
    pts = data.draw(clouds(dim), label="points")
    centre = data.draw(clouds(dim), label="centre")[0]
    s = g.fit_scale(pts, box.half_width, box.half_height, margin, center=centre)
    assert math.isfinite(s) and s > 0
    scaled = s * (pts - centre)
    if dim == 2:
        assert np.all(np.abs(scaled[:, 0]) <= margin * box.half_width * (1 + 1e-12) + 1e-300)
        assert np.all(np.abs(scaled[:, 1]) <= margin * box.half_height * (1 + 1e-12) + 1e-300)
    else:  # the bounding sphere: inside at every camera angle
        radius = np.linalg.norm(scaled, axis=1).max()
        assert radius <= margin * min(box.half_width, box.half_height) * (1 + 1e-12) + 1e-300


@props(100)
@given(dim=st.sampled_from([2, 3]), data=st.data(), box=BOXES, phi=ANGLE, theta=ANGLE)
def test_required_scale_keeps_every_point_on_screen(
    dim: int, data: st.DataObject, box: Box, phi: float, theta: float
) -> None:
    pts = data.draw(clouds(dim), label="points")
    centre = data.draw(clouds(3), label="centre")[0] if data.draw(st.booleans()) else None
    if centre is None:
        centre, _ = fit(pts, box, three_d=True)
    view = View(box, centre, 1.0, phi, theta)
    need = required_scale(view, pts)
    assert math.isfinite(need) and need > 0
    assert _on_screen(View(box, centre, need, phi, theta), pts)


@st.composite
def framed(draw: st.DrawFn, points: np.ndarray, dim: int, box: Box) -> View:
    """The view a warp step frames ``dim``-D ``points`` with (warp.view_for_points, .move)."""
    three_d = dim == 3 or draw(st.booleans())  # a 2-D stage can be shown in a 3-D scene
    centre, scale = fit(points, box, three_d=three_d)
    if three_d:
        return View(box, centre, scale, draw(st.floats(0.0, math.pi / 2)), draw(ANGLE))
    return View(box, centre, scale)


@props(100)
@given(
    data=st.data(),
    box=BOXES,
    dims=st.tuples(st.sampled_from([2, 3]), st.sampled_from([2, 3])),
    motion=st.sampled_from(["lerp", "turn"]),
    samples=st.integers(1, 24),
)
def test_step_views_keep_every_sampled_moment_on_screen(
    data: st.DataObject, box: Box, dims: tuple[int, int], motion: str, samples: int
) -> None:
    p0 = pad3(data.draw(clouds(dims[0]), label="start points"))
    n = len(p0)
    p1 = pad3(data.draw(clouds(dims[1], n), label="end points"))
    if motion == "lerp":

        def positions(t: float) -> np.ndarray:
            return (1 - t) * p0 + t * p1

    else:  # rotate p0 about its centre by up to a half turn while moving to p1's centre
        angle = data.draw(st.floats(-math.pi, math.pi), label="angle")
        c0, c1 = p0.mean(axis=0), p1.mean(axis=0)

        def positions(t: float) -> np.ndarray:
            a = angle * t
            rot = np.array(
                [[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]]
            )
            return (p0 - c0) @ rot.T + (1 - t) * c0 + t * c1

    assume(all(np.isfinite(positions(t)).all() for t in (0.0, 0.5, 1.0)))
    start = data.draw(framed(positions(0.0), dims[0], box), label="start")
    end = data.draw(framed(positions(1.0), dims[1], box), label="end")
    views = step_views(start, end, positions, samples=samples)
    for t, view in ((0.0, start), (1.0, end)):  # both ends exactly
        assert views(t).scale == view.scale and (views(t).phi, views(t).theta) == (
            view.phi,
            view.theta,
        )
        np.testing.assert_array_equal(views(t).centre, pad3(view.centre))
    sampled = np.linspace(0.0, 1.0, samples + 2)
    for t in sampled:
        view = views(float(t))
        assert math.isfinite(view.scale) and view.scale > 0, t
        assert _on_screen(view, positions(float(t))), t
