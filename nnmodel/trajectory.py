"""The trajectory file: the numpy-only contract between the trainer and the scenes.

A trajectory is one ``.npz`` (a zip of ``.npy`` arrays, loadable with
``allow_pickle=False``) holding a JSON manifest and, for every snapshot epoch, the
network's weights and every intermediate representation of the data and of a grid of
the input plane. This module never imports torch, so it can be used from any Manim
scene or notebook.

Example
-------
>>> from nnmodel import trajectory
>>> traj = trajectory.load("media/trajectories/moons.npz")  # doctest: +SKIP
>>> [(s.kind, s.layer, s.points.shape) for s in traj.stages(-1)]  # doctest: +SKIP
[('input', -1, (400, 2)), ('affine', 0, (400, 2)), ('activation', 0, (400, 2)), ...]

File layout (schema version 1)
------------------------------
``manifest``
    uint8 bytes of a UTF-8 JSON object (see :data:`REQUIRED_MANIFEST_KEYS`).
``inputs`` (N, 2), ``labels`` (N,), ``test_mask`` (N,)
    The dataset, its integer labels and which points were held out.
``epochs`` (S,)
    The snapshot epochs.
``W{l}`` (S, out, in), ``b{l}`` (S, out)
    Weights of layer ``l`` (torch's layout) at every snapshot. The last layer is the output.
``z{l}`` (S, N, d), ``gz{l}`` (S, G, M, d)
    Points and grid after layer ``l``'s affine map ``W·x + b``, in display coordinates.
``h{l}``, ``gh{l}``
    Only for layers wider than 3 units: the activation output, in display coordinates.
    For layers of at most 3 units (stored exactly) the activation stage is computed on
    load as ``activation(z)``, which is exact and halves the file size.
``P{l}_{z|h}_mean`` (w,), ``P{l}_{z|h}_components`` (3, w), ``P{l}_{z|h}_explained`` (3,)
    The display projection (PCA fitted once, on the last snapshot) of a wide layer.
``grid`` (G, M, 2)
    The grid lines of the input plane.
``mesh`` (S, R, R, K)
    Class probabilities over an R×R mesh of the input plane (row 0 = lowest y).
"""

from __future__ import annotations

import io
import json
import math
import os
import tokenize
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nnmodel.errors import TrajectoryError
from nnmodel.fileio import atomic_file

SCHEMA_VERSION = 1
FORMAT = "nnwarp-trajectory"
REQUIRED_MANIFEST_KEYS = (
    "format",
    "schema_version",
    "config",
    "config_hash",
    "seed",
    "dataset",
    "layers",
    "snapshot_epochs",
    "metrics",
    "final",
    "grid",
    "mesh",
    "versions",
)
REQUIRED_ARRAYS = ("manifest", "inputs", "labels", "test_mask", "epochs", "grid", "mesh")

FloatArray = npt.NDArray[np.floating[Any]]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- activations


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def _softplus(x: FloatArray) -> FloatArray:
    # torch.nn.Softplus(beta=1, threshold=20): linear above the threshold.
    return np.where(x > 20.0, x, np.log1p(np.exp(np.minimum(x, 20.0))))


def _softmax(x: FloatArray) -> FloatArray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


ACTIVATION_FUNCTIONS: dict[str, Any] = {
    "tanh": np.tanh,
    "relu": lambda x: np.maximum(x, 0.0),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.01 * x),
    "sigmoid": _sigmoid,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0.0))),
    "softplus": _softplus,
    "linear": lambda x: x,
    "softmax": _softmax,
}


def activate(name: str, z: FloatArray) -> FloatArray:
    """Apply the named activation (as torch defines it) to an array, in numpy.

    >>> activate("relu", np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    try:
        fn = ACTIVATION_FUNCTIONS[name]
    except KeyError:
        raise TrajectoryError(f"unknown activation {name!r} in trajectory file") from None
    return fn(z)  # type: ignore[no-any-return]


def forward(
    weights: list[tuple[FloatArray, FloatArray]], activations: list[str], x: FloatArray
) -> list[tuple[FloatArray, FloatArray]]:
    """Numpy forward pass: ``[(z, h) for each layer]`` with ``z = x·Wᵀ + b``, ``h = act(z)``.

    Computed in float64 from the given weights; ``x`` may have any leading shape.
    """
    out: list[tuple[FloatArray, FloatArray]] = []
    h: FloatArray = np.asarray(x, dtype=np.float64)
    for (w, b), act in zip(weights, activations, strict=True):
        z: FloatArray = h @ np.asarray(w, np.float64).T + np.asarray(b, np.float64)
        h = activate(act, z)
        out.append((z, h))
    return out


# ----------------------------------------------------------------------------- writing


def write(
    path: str | os.PathLike[str], manifest: Mapping[str, Any], arrays: Mapping[str, Any]
) -> Path:
    """Write a trajectory atomically and deterministically.

    The zip entries carry a fixed timestamp and are written in sorted order, so the same
    content gives the same bytes. The file appears at ``path`` only once complete (it is
    written to a temporary file in the same folder, then renamed).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest_bytes = json.dumps(manifest, sort_keys=True, indent=1).encode("utf-8")
    entries: dict[str, np.ndarray] = {"manifest": np.frombuffer(manifest_bytes, dtype=np.uint8)}
    for key, value in arrays.items():
        arr = np.ascontiguousarray(value)
        if arr.dtype == object:
            raise TrajectoryError(f"array {key!r} has dtype object; trajectories hold no pickles")
        entries[key] = arr
    with (
        atomic_file(path, still_ours=is_trajectory_file) as tmp,
        open(tmp, "wb") as fh,
        zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as zf,
    ):
        for key in sorted(entries):
            info = zipfile.ZipInfo(f"{key}.npy", date_time=_ZIP_DATE)
            info.external_attr = 0o644 << 16
            buf = io.BytesIO()
            np.lib.format.write_array(buf, entries[key], allow_pickle=False)
            zf.writestr(info, buf.getvalue())
    return path


def is_trajectory_file(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a file nnwarp wrote as a trajectory (its manifest says so).

    Only the manifest is read. nnwarp replaces an existing file only when this is true.
    """
    try:
        with zipfile.ZipFile(path) as zf, zf.open("manifest.npy") as fh:
            raw = np.lib.format.read_array(fh, allow_pickle=False)
        manifest = json.loads(raw.tobytes().decode("utf-8"))
    except Exception:  # anything unreadable is not ours
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class LayerInfo:
    """One layer of the network as stored: ``in → out`` units and its activation."""

    index: int
    d_in: int
    d_out: int
    activation: str
    is_output: bool
    projected: bool
    #: Fraction of variance the 3-D display projection keeps (affine, activation), if projected.
    explained: tuple[float, float] | None = None

    @property
    def display_dim(self) -> int:
        """Dimensions of the stored display coordinates (≤ 3 for hidden layers)."""
        return 3 if self.projected else self.d_out


@dataclass(frozen=True)
class Stage:
    """The data and the grid at one point of the forward pass.

    ``kind`` is ``"input"``, ``"affine"`` (after ``W·x + b``) or ``"activation"``.
    ``layer`` is -1 for the input stage.
    """

    kind: str
    layer: int
    points: FloatArray
    grid: FloatArray
    activation: str | None = None
    projected: bool = False
    explained: float | None = None

    @property
    def dim(self) -> int:
        """Number of coordinates per point."""
        return int(self.points.shape[-1])


def decide(logits: FloatArray) -> npt.NDArray[np.int64]:
    """The predicted class from output logits, as the trainer counts accuracy.

    One logit: class 1 where it is ``>= 0`` (a logit of exactly 0 is class 1). K logits:
    the largest (the lowest class on a tie).

    >>> decide(np.array([[0.0], [-0.1]])), decide(np.array([[1.0, 3.0, 3.0]]))
    (array([1, 0]), array([1]))
    """
    out: npt.NDArray[np.int64]
    if logits.shape[-1] == 1:
        out = (logits[..., 0] >= 0).astype(np.int64)
    else:
        out = np.argmax(logits, axis=-1).astype(np.int64)
    return out


@dataclass(frozen=True)
class Separator:
    """The output layer as a boundary in the last hidden space: ``w·h + b``.

    For a binary network ``w`` is (1, d) and the boundary is ``w·h + b = 0``; with K classes
    ``w`` is (K, d) and region k is where logit k is largest. ``exact`` is False when the
    last hidden layer is shown through a projection (the boundary is then the projected one).
    """

    w: FloatArray
    b: FloatArray
    exact: bool

    def classify(self, h: FloatArray) -> npt.NDArray[np.int64]:
        """Predicted class of each row of ``h`` (display coordinates).

        As the trainer counts accuracy and :meth:`Trajectory.predictions` predicts: with one
        logit, class 1 where ``w·h + b >= 0`` (a logit of exactly 0 is class 1); with K
        logits, the largest (the lowest class on a tie).
        """
        return decide(np.asarray(h, np.float64) @ self.w.T + self.b)


class Trajectory:
    """A loaded trajectory file. Use :func:`load` to create one.

    ``snapshot`` arguments index like a Python list: 0 is the first, -1 the last.
    """

    def __init__(self, path: Path, arrays: dict[str, np.ndarray], manifest: dict[str, Any]):
        self.path = path
        self.manifest = manifest
        self._a = arrays
        self.layers = [
            LayerInfo(
                index=i,
                d_in=int(L["in"]),
                d_out=int(L["out"]),
                activation=str(L["activation"]),
                is_output=bool(L["output"]),
                projected=bool(L["projected"]),
                explained=(float(L["explained"][0]), float(L["explained"][1]))
                if L.get("explained")
                else None,
            )
            for i, L in enumerate(manifest["layers"])
        ]

    # -- dataset and metadata
    @property
    def inputs(self) -> FloatArray:
        """The data points, (N, 2)."""
        return self._a["inputs"]

    @property
    def labels(self) -> npt.NDArray[np.int64]:
        """Integer class of each point, (N,)."""
        return self._a["labels"]

    @property
    def test_mask(self) -> npt.NDArray[np.bool_]:
        """True for points held out of training, (N,)."""
        return self._a["test_mask"]

    @property
    def class_names(self) -> list[str]:
        """Names of the classes, in label order."""
        return list(self.manifest["dataset"]["class_names"])

    @property
    def n_classes(self) -> int:
        """Number of classes K."""
        return len(self.class_names)

    @property
    def epochs(self) -> npt.NDArray[np.int64]:
        """Epoch of each snapshot, (S,)."""
        return self._a["epochs"]

    @property
    def n_snapshots(self) -> int:
        """Number of snapshots S."""
        return len(self.epochs)

    @property
    def hidden_layers(self) -> list[LayerInfo]:
        """All layers but the output layer."""
        return self.layers[:-1]

    @property
    def metrics(self) -> dict[str, list[float]]:
        """Per-epoch history: train_loss, train_acc, test_loss, test_acc."""
        return dict(self.manifest["metrics"])

    @property
    def input_grid(self) -> FloatArray:
        """The grid lines of the input plane, (G, M, 2)."""
        return self._a["grid"]

    @property
    def mesh_extent(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of the probability mesh."""
        x0, x1, y0, y1 = (float(v) for v in self.manifest["mesh"]["extent"])
        return x0, x1, y0, y1

    def _snap(self, snapshot: int) -> int:
        n = self.n_snapshots
        if not -n <= snapshot < n:
            raise IndexError(f"snapshot {snapshot} out of range: this file has {n} snapshots")
        return snapshot % n

    def snapshot_for_epoch(self, epoch: int) -> int:
        """Index of the snapshot nearest to ``epoch`` (the earlier one on a tie)."""
        return int(np.argmin(np.abs(self.epochs - epoch)))

    # -- per snapshot
    def weights(self, snapshot: int) -> list[tuple[FloatArray, FloatArray]]:
        """``[(W, b), ...]`` per layer, W shaped (out, in) as in torch."""
        s = self._snap(snapshot)
        return [(self._a[f"W{i}"][s], self._a[f"b{i}"][s]) for i in range(len(self.layers))]

    def stages(self, snapshot: int) -> list[Stage]:
        """The input stage, then an affine and an activation stage per layer."""
        s = self._snap(snapshot)
        out = [Stage("input", -1, self.inputs, self.input_grid)]
        for L in self.layers:
            i = L.index
            z, gz = self._a[f"z{i}"][s], self._a[f"gz{i}"][s]
            if L.projected:
                h, gh = self._a[f"h{i}"][s], self._a[f"gh{i}"][s]
            else:
                h = activate(L.activation, z.astype(np.float64)).astype(np.float32)
                gh = activate(L.activation, gz.astype(np.float64)).astype(np.float32)
            ez, eh = L.explained if L.explained else (None, None)
            out.append(Stage("affine", i, z, gz, L.activation, L.projected, ez))
            out.append(Stage("activation", i, h, gh, L.activation, L.projected, eh))
        return out

    def probabilities(self, snapshot: int) -> FloatArray:
        """Predicted class probabilities of every point, (N, K).

        For the predicted class use :meth:`predictions`: it decides on the logits, where a
        probability of exactly 0.5 (a logit of 0, or one too small to move the sigmoid)
        is not a tie.
        """
        s = self._snap(snapshot)
        logits = self._a[f"z{len(self.layers) - 1}"][s].astype(np.float64)
        return _logits_to_probs(logits)

    def predictions(self, snapshot: int) -> npt.NDArray[np.int64]:
        """Predicted class of every point, (N,), from the output logits.

        The trainer's rule (its accuracy counts the same way) and :meth:`Separator.classify`'s:
        with one logit, class 1 where the logit is ``>= 0``; with K logits, the largest (the
        lowest class on a tie).
        """
        s = self._snap(snapshot)
        return decide(self._a[f"z{len(self.layers) - 1}"][s].astype(np.float64))

    def mesh(self, snapshot: int) -> FloatArray:
        """Class probabilities over the input mesh, (R, R, K); row 0 is the lowest y."""
        out: FloatArray = self._a["mesh"][self._snap(snapshot)]
        return out

    def projection(self, layer: int, which: str = "h") -> tuple[FloatArray, FloatArray, FloatArray]:
        """``(mean, components, explained)`` of a projected layer's display projection."""
        p = f"P{layer}_{which}_"
        try:
            return self._a[p + "mean"], self._a[p + "components"], self._a[p + "explained"]
        except KeyError:
            raise TrajectoryError(
                f"layer {layer} is stored exactly, it has no projection"
            ) from None

    def separator(self, snapshot: int) -> Separator:
        """The output layer as a boundary in the last hidden space (display coordinates)."""
        w, b = self.weights(snapshot)[-1]
        w64, b64 = w.astype(np.float64), b.astype(np.float64)
        if len(self.layers) >= 2 and self.layers[-2].projected:
            mean, comps, _ = self.projection(len(self.layers) - 2, "h")
            # h ≈ mean + compsᵀ·p, so w·h + b ≈ (w·compsᵀ)·p + (w·mean + b).
            return Separator(w64 @ comps.T, b64 + w64 @ mean, exact=False)
        return Separator(w64, b64, exact=True)

    def summary(self) -> dict[str, Any]:
        """The facts ``nnwarp inspect`` prints."""
        m = self.manifest
        final = m["final"]
        return {
            "path": str(self.path),
            "schema_version": m["schema_version"],
            "dataset": m["dataset"]["name"],
            "classes": self.class_names,
            "n_points": int(len(self.inputs)),
            "layers": [
                f"{L.d_in}→{L.d_out} {L.activation}" + (" (projected)" if L.projected else "")
                for L in self.layers
            ],
            "snapshot_epochs": [int(e) for e in self.epochs],
            "epochs_trained": final["epochs_trained"],
            "train_accuracy": final["train_acc"],
            "train_loss": final["train_loss"],
            "test_accuracy": final["test_acc"],
            "test_loss": final["test_loss"],
            "seed": m["seed"],
            "config_hash": m["config_hash"],
        }


def _logits_to_probs(logits: FloatArray) -> FloatArray:
    if logits.shape[-1] == 1:
        p1 = activate("sigmoid", logits[..., 0])
        return np.stack([1.0 - p1, p1], axis=-1)
    return activate("softmax", logits)


# ----------------------------------------------------------------------------- loading

_HINT = "re-create it with `nnwarp train -o FILE`"
_CORRUPT_HINT = f"the file is corrupt or was not written by nnwarp; {_HINT}"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip's first record, or an empty zip
_NPY_MAGIC = b"\x93NUMPY"
#: What reading a damaged archive can raise: zipfile and zlib on broken records, numpy's
#: header parser (ast, tokenize) on a mangled ``.npy`` header, the OS on an odd seek.
_UNREADABLE = (
    zipfile.BadZipFile,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    SyntaxError,
    tokenize.TokenError,
    zlib.error,
    MemoryError,
)
#: Hidden layers at most this wide are stored exactly; wider ones through a 3-D projection.
_MAX_EXACT_WIDTH = 3
_FINAL_NUMBERS = ("train_loss", "train_acc")
_FINAL_OPTIONAL = ("test_loss", "test_acc")


class _Corrupt(Exception):
    """A consistency check failed; the message says what is wrong (no file, no fix)."""


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _short(value: Any) -> str:
    """``value`` as JSON would show it, cut to a readable length."""
    try:
        text = json.dumps(value, allow_nan=True)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    """An int or a float, as JSON decodes a number (NaN and infinity included)."""
    return _is_int(value) or isinstance(value, float)


def _is_number(value: Any) -> bool:
    """A finite number."""
    return _is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    """One ``.npy`` member, its header checked against its size before any data is read."""
    if info.flag_bits & 0x1:
        raise ValueError(f"{info.filename} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ValueError(f"{info.filename} uses an unsupported compression method")
    with zf.open(info) as fh:
        version = np.lib.format.read_magic(fh)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
        else:
            raise ValueError(f"{info.filename} has .npy format version {version}")
        if dtype.hasobject:
            raise _Corrupt(f"array {info.filename[:-4]} holds Python objects (pickles)")
        nbytes = math.prod(shape) * dtype.itemsize
        if info.file_size - fh.tell() != nbytes:
            raise ValueError(f"{info.filename} does not hold the {nbytes} bytes its header says")
        data = fh.read(nbytes)  # zipfile checks the CRC-32 on reaching the end
        if len(data) != nbytes:
            raise EOFError(f"{info.filename} ends early")
    flat: np.ndarray = np.frombuffer(bytearray(data), dtype=dtype)
    return flat.reshape(tuple(shape), order="F" if fortran else "C")


def _read_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array of the ``.npz`` at ``path``; TrajectoryError if it is not a readable one."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(6)
    except OSError as exc:
        raise TrajectoryError(
            f"{path}: cannot read the file ({exc.strerror}); check that it is readable"
        ) from None
    if not head:
        raise TrajectoryError(f"{path} is empty (0 bytes), not an nnwarp trajectory; {_HINT}")
    if head[:4] not in _ZIP_MAGIC:
        npy = "holds a single numpy array (.npy), " if head == _NPY_MAGIC else "is "
        made = "make one with `nnwarp train -o FILE`"
        if path.suffix.lower() == ".csv":
            made += f" (add `-d {path}` to train on this data)"
        raise TrajectoryError(
            f"{path} is not a readable trajectory file: it {npy}not an .npz archive, so it is "
            f"not an nnwarp trajectory; {made}"
        )
    arrays: dict[str, np.ndarray] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.filename.endswith(".npy"):
                    arrays[info.filename[:-4]] = _read_member(zf, info)
    except _Corrupt as exc:
        raise TrajectoryError(f"{path}: {exc}: {_CORRUPT_HINT}") from None
    except _UNREADABLE as exc:
        raise TrajectoryError(
            f"{path} is not a readable trajectory file (truncated or corrupt: "
            f"{_one_line(exc)}); {_HINT}"
        ) from None
    return arrays


def _read_manifest(path: Path, arrays: dict[str, np.ndarray]) -> dict[str, Any]:
    """The manifest: format, schema version and required keys checked."""
    if "manifest" not in arrays:
        raise TrajectoryError(f"{path} has no manifest: it is not an nnwarp trajectory ({_HINT})")
    raw = arrays.pop("manifest")
    try:
        if raw.dtype != np.uint8 or raw.ndim != 1:
            raise ValueError("not bytes")
        manifest = json.loads(raw.tobytes().decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError included
        raise TrajectoryError(f"{path} has an unreadable manifest ({_HINT})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise TrajectoryError(f"{path} is not an nnwarp trajectory file ({_HINT})")
    if "schema_version" not in manifest:
        raise TrajectoryError(f"{path} manifest lacks schema_version ({_HINT})")
    version = manifest["schema_version"]
    if not _is_int(version):
        raise TrajectoryError(
            f"{path}: the manifest's schema_version is {_short(version)}, not a whole number: "
            f"{_CORRUPT_HINT}"
        )
    if version != SCHEMA_VERSION:
        age = "newer" if version > SCHEMA_VERSION else "older"
        raise TrajectoryError(
            f"{path} uses trajectory schema {version}, this nnwarp reads schema "
            f"{SCHEMA_VERSION}: the file is {age} than this version; "
            + ("upgrade nnwarp" if age == "newer" else _HINT)
        )
    missing_keys = [k for k in REQUIRED_MANIFEST_KEYS if k not in manifest]
    if missing_keys:
        raise TrajectoryError(f"{path} manifest lacks {', '.join(missing_keys)} ({_HINT})")
    return manifest


def _entry(mapping: Mapping[str, Any], key: str, where: str, ok: Any, expected: str) -> Any:
    """``mapping[key]`` if ``ok(value)``, else _Corrupt naming ``where`` and ``expected``.

    ``where`` is the path of ``mapping`` in the manifest (``""`` for the manifest itself).
    """
    if key not in mapping:
        owner = f"the manifest's {where}" if where else "the manifest"
        raise _Corrupt(f"{owner} lacks '{key}'")
    value = mapping[key]
    if not ok(value):
        name = f"{where}['{key}']" if where else f"'{key}'"
        raise _Corrupt(f"the manifest's {name} is {_short(value)}, expected {expected}")
    return value


def _check_manifest(m: dict[str, Any]) -> None:
    """Types and internal consistency of every manifest entry the loader and scenes read."""

    def is_dict(v: Any) -> bool:
        return isinstance(v, dict)

    top = ""
    for key in ("config", "grid", "versions"):
        _entry(m, key, top, is_dict, "an object")
    _entry(m, "config_hash", top, lambda v: isinstance(v, str), "a string")
    _entry(m, "seed", top, _is_int, "a whole number")
    ds = _entry(m, "dataset", top, is_dict, "an object")
    _entry(ds, "name", "dataset", lambda v: isinstance(v, str), "a string")
    names = _entry(
        ds,
        "class_names",
        "dataset",
        lambda v: (
            isinstance(v, list)
            and len(v) >= 2
            and all(isinstance(n, str) for n in v)
            and len(set(v)) == len(v)
        ),
        "a list of 2 or more distinct strings",
    )
    k = len(names)
    layers = _entry(
        m,
        "layers",
        top,
        lambda v: isinstance(v, list) and v and all(isinstance(L, dict) for L in v),
        "a non-empty list of objects",
    )
    d_prev = 2
    for i, L in enumerate(layers):
        at = f"layers[{i}]"
        last = i == len(layers) - 1
        d_in = _entry(L, "in", at, lambda v: _is_int(v) and v >= 1, "a whole number >= 1")
        d_out = _entry(L, "out", at, lambda v: _is_int(v) and v >= 1, "a whole number >= 1")
        _entry(
            L,
            "activation",
            at,
            lambda v: isinstance(v, str) and v in ACTIVATION_FUNCTIONS,
            "one of " + ", ".join(ACTIVATION_FUNCTIONS),
        )
        _entry(L, "output", at, lambda v, last=last: v is last, f"{'true' if last else 'false'}")
        projected = _entry(L, "projected", at, lambda v: isinstance(v, bool), "true or false")
        explained = L.get("explained")
        if explained is not None and not (
            isinstance(explained, list) and len(explained) == 2 and all(map(_is_number, explained))
        ):
            raise _Corrupt(
                f"the manifest's {at}['explained'] is {_short(explained)}, "
                "expected null or a list of 2 numbers"
            )
        if d_in != d_prev:
            raise _Corrupt(
                f"the manifest's {at} has {d_in} inputs but the layer before gives {d_prev}"
            )
        if last and projected:
            raise _Corrupt(f"the manifest's {at} (the output layer) is marked projected")
        if not last and not projected and d_out > _MAX_EXACT_WIDTH:
            raise _Corrupt(
                f"the manifest's {at} has {d_out} units but is not marked projected "
                f"(exact layers have at most {_MAX_EXACT_WIDTH})"
            )
        if last and d_out != (1 if k == 2 else k):
            raise _Corrupt(f"the output layer has {d_out} unit(s) but the dataset has {k} classes")
        d_prev = d_out
    final = _entry(m, "final", top, is_dict, "an object")
    _entry(final, "epochs_trained", "final", lambda v: _is_int(v) and v >= 0, "a whole number")
    for key in _FINAL_NUMBERS:
        _entry(final, key, "final", _is_real, "a number")
    for key in _FINAL_OPTIONAL:
        _entry(final, key, "final", lambda v: v is None or _is_real(v), "a number or null")
    mesh = _entry(m, "mesh", top, is_dict, "an object")
    _entry(mesh, "resolution", "mesh", lambda v: _is_int(v) and v >= 1, "a whole number >= 1")
    _entry(
        mesh,
        "extent",
        "mesh",
        lambda v: isinstance(v, list) and len(v) == 4 and all(map(_is_number, v)),
        "a list of 4 numbers",
    )
    _entry(
        m,
        "snapshot_epochs",
        top,
        lambda v: isinstance(v, list) and v and all(_is_int(e) and e >= 0 for e in v),
        "a non-empty list of whole numbers",
    )
    metrics = _entry(m, "metrics", top, is_dict, "an object")
    longest = max(m["snapshot_epochs"])
    for key in (*_FINAL_NUMBERS, *_FINAL_OPTIONAL):
        _entry(
            metrics,
            key,
            "metrics",
            lambda v: (
                isinstance(v, list)
                and len(v) > longest
                and all(x is None or _is_real(x) for x in v)
            ),
            f"a list of numbers (or null) for epochs 0..{longest}",
        )
    base = m.get("baseline")
    if base is not None:
        if not isinstance(base, dict):
            raise _Corrupt(f"the manifest's baseline is {_short(base)}, expected an object")
        w = _entry(base, "W", "baseline", _is_matrix, "a list of rows of 2 numbers")
        _entry(
            base,
            "b",
            "baseline",
            lambda v: isinstance(v, list) and len(v) == len(w) and all(map(_is_number, v)),
            f"a list of {len(w)} number(s)",
        )
        _entry(base, "train_acc", "baseline", _is_real, "a number")


def _is_matrix(value: Any) -> bool:
    """A non-empty list of rows of 2 numbers (a read-out of the input plane)."""
    return (
        isinstance(value, list)
        and len(value) >= 1
        and all(isinstance(r, list) and len(r) == 2 and all(map(_is_number, r)) for r in value)
    )


def _check_array(
    arrays: Mapping[str, np.ndarray], key: str, kinds: str, shape: tuple[int | None, ...]
) -> np.ndarray:
    """``arrays[key]`` if its dtype kind is in ``kinds`` and its shape fits (None = any ≥ 1)."""
    arr = arrays[key]
    named = {"f": "floats", "i": "integers", "u": "integers", "b": "booleans"}
    if arr.dtype.kind not in kinds:
        raise _Corrupt(f"array {key} has dtype {arr.dtype}, expected {named[kinds[0]]}")
    fits = arr.ndim == len(shape) and all(
        n >= 1 if want is None else n == want for n, want in zip(arr.shape, shape, strict=True)
    )
    if not fits:
        shown = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ")"
        if len(shape) == 1:
            shown = shown[:-1] + ",)"
        raise _Corrupt(f"array {key} has shape {arr.shape}, expected {shown}")
    return arr


def _check_arrays(m: dict[str, Any], arrays: Mapping[str, np.ndarray]) -> None:
    """Dtypes and shapes of every array, against each other and the manifest's layers."""
    n = _check_array(arrays, "inputs", "f", (None, 2)).shape[0]
    k = len(m["dataset"]["class_names"])
    labels = _check_array(arrays, "labels", "iu", (n,))
    if labels.size and (int(labels.min()) < 0 or int(labels.max()) >= k):
        raise _Corrupt(f"array labels holds values outside 0..{k - 1} ({k} classes)")
    _check_array(arrays, "test_mask", "b", (n,))
    epochs = _check_array(arrays, "epochs", "iu", (None,))
    s = epochs.shape[0]
    if [int(e) for e in epochs] != m["snapshot_epochs"]:
        raise _Corrupt("array epochs differs from the manifest's snapshot_epochs")
    g, samples, _ = _check_array(arrays, "grid", "f", (None, None, 2)).shape
    r = m["mesh"]["resolution"]
    _check_array(arrays, "mesh", "f", (s, r, r, k))
    for i, L in enumerate(m["layers"]):
        d_in, d_out = L["in"], L["out"]
        shown = 3 if L["projected"] else d_out
        _check_array(arrays, f"W{i}", "f", (s, d_out, d_in))
        _check_array(arrays, f"b{i}", "f", (s, d_out))
        stored = ("z", "h") if L["projected"] else ("z",)
        for which in stored:
            _check_array(arrays, f"{which}{i}", "f", (s, n, shown))
            _check_array(arrays, f"g{which}{i}", "f", (s, g, samples, shown))
            if L["projected"]:
                _check_array(arrays, f"P{i}_{which}_mean", "f", (d_out,))
                _check_array(arrays, f"P{i}_{which}_components", "f", (3, d_out))
                _check_array(arrays, f"P{i}_{which}_explained", "f", (3,))


def load(path: str | os.PathLike[str]) -> Trajectory:
    """Load and validate a trajectory file (numpy only, no pickles).

    Every manifest entry the loader uses is type-checked, and every array's dtype and shape
    is checked against the manifest's layers, so a file that loads is usable.

    Raises
    ------
    TrajectoryError
        One line naming the file, what is wrong and how to fix it: the path is missing or a
        directory; the file is not an ``.npz`` archive, truncated or corrupt; it is not a
        trajectory, of another schema version, or its manifest or arrays are inconsistent.
    """
    path = Path(path)
    if not path.exists():
        raise TrajectoryError(f"trajectory file {path} does not exist ({_HINT})")
    if path.is_dir():
        raise TrajectoryError(
            f"{path} is a directory, not a trajectory file; give the path of the .npz file "
            "itself (one written by `nnwarp train -o FILE`)"
        )
    arrays = _read_arrays(path)
    manifest = _read_manifest(path, arrays)
    missing = [k for k in REQUIRED_ARRAYS if k != "manifest" and k not in arrays]
    if missing:
        raise TrajectoryError(f"{path} lacks array(s) {', '.join(missing)} ({_HINT})")
    try:
        _check_manifest(manifest)
    except _Corrupt as exc:
        raise TrajectoryError(f"{path}: {exc}: {_CORRUPT_HINT}") from None
    for i, L in enumerate(manifest["layers"]):
        needed = [f"W{i}", f"b{i}", f"z{i}", f"gz{i}"]
        if L["projected"]:
            needed += [f"h{i}", f"gh{i}"] + [
                f"P{i}_{w}_{part}" for w in "zh" for part in ("mean", "components", "explained")
            ]
        absent = [k for k in needed if k not in arrays]
        if absent:
            raise TrajectoryError(
                f"{path} lacks array(s) {', '.join(absent)} for layer {i} ({_HINT})"
            )
    try:
        _check_arrays(manifest, arrays)
    except _Corrupt as exc:
        raise TrajectoryError(f"{path}: {exc}: {_CORRUPT_HINT}") from None
    return Trajectory(path, arrays, manifest)
