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
import os
import zipfile
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
        """Predicted class of each row of ``h`` (display coordinates)."""
        logits = h @ self.w.T + self.b
        out: npt.NDArray[np.int64]
        if logits.shape[-1] == 1:
            out = (logits[..., 0] >= 0).astype(np.int64)
        else:
            out = np.argmax(logits, axis=-1).astype(np.int64)
        return out


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
        """Predicted class probabilities of every point, (N, K)."""
        s = self._snap(snapshot)
        logits = self._a[f"z{len(self.layers) - 1}"][s].astype(np.float64)
        return _logits_to_probs(logits)

    def predictions(self, snapshot: int) -> npt.NDArray[np.int64]:
        """Predicted class of every point, (N,)."""
        out: npt.NDArray[np.int64] = np.argmax(self.probabilities(snapshot), axis=1).astype(
            np.int64
        )
        return out

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


def load(path: str | os.PathLike[str]) -> Trajectory:
    """Load and validate a trajectory file (numpy only, no pickles).

    Raises
    ------
    TrajectoryError
        If the file is missing, truncated, not a trajectory, of another schema version,
        or lacks an array its manifest promises.
    """
    path = Path(path)
    hint = "re-create it with `nnwarp train -o FILE`"
    if not path.exists():
        raise TrajectoryError(f"trajectory file {path} does not exist ({hint})")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise TrajectoryError(
            f"{path} is not a readable trajectory file (truncated or corrupt: {exc}); {hint}"
        ) from None
    missing = [k for k in REQUIRED_ARRAYS if k not in arrays]
    if "manifest" in missing:
        raise TrajectoryError(f"{path} has no manifest: it is not an nnwarp trajectory ({hint})")
    try:
        manifest = json.loads(arrays.pop("manifest").tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise TrajectoryError(f"{path} has an unreadable manifest ({hint})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise TrajectoryError(f"{path} is not an nnwarp trajectory file ({hint})")
    version = manifest.get("schema_version")
    if version != SCHEMA_VERSION:
        age = "newer" if isinstance(version, int) and version > SCHEMA_VERSION else "older"
        raise TrajectoryError(
            f"{path} uses trajectory schema {version}, this nnwarp reads schema "
            f"{SCHEMA_VERSION}: the file is {age} than this version; "
            + ("upgrade nnwarp" if age == "newer" else hint)
        )
    missing_keys = [k for k in REQUIRED_MANIFEST_KEYS if k not in manifest]
    if missing_keys:
        raise TrajectoryError(f"{path} manifest lacks {', '.join(missing_keys)} ({hint})")
    if missing:
        raise TrajectoryError(f"{path} lacks array(s) {', '.join(missing)} ({hint})")
    n_layers = len(manifest["layers"])
    n_snap = len(arrays["epochs"])
    for i, L in enumerate(manifest["layers"]):
        needed = [f"W{i}", f"b{i}", f"z{i}", f"gz{i}"]
        if L.get("projected"):
            needed += [f"h{i}", f"gh{i}"] + [
                f"P{i}_{w}_{part}" for w in "zh" for part in ("mean", "components", "explained")
            ]
        absent = [k for k in needed if k not in arrays]
        if absent:
            raise TrajectoryError(
                f"{path} lacks array(s) {', '.join(absent)} for layer {i} ({hint})"
            )
        for key in needed[:4]:
            if arrays[key].shape[0] != n_snap:
                raise TrajectoryError(
                    f"{path}: array {key} has {arrays[key].shape[0]} snapshots, expected {n_snap}"
                )
    if n_layers == 0:
        raise TrajectoryError(f"{path} describes a network with no layers ({hint})")
    return Trajectory(path, arrays, manifest)
