"""The trajectory file: the numpy-only contract between the trainer and the scenes.

A trajectory is one ``.npz`` (a zip of ``.npy`` arrays, loadable with
``allow_pickle=False``) holding a JSON manifest and, for every snapshot epoch, the
network's weights and every intermediate representation of the data and of a grid of
the input plane. This module never imports torch, so it can be used from any Manim
scene or notebook. The file layout, every key and the typed manifest
(:class:`~nnmodel.schema.TrajectoryInfo`, ``traj.info``) are defined in
:mod:`nnmodel.schema`; the careful reading is :mod:`nnmodel.npzread`, the checks
:mod:`nnmodel.validation`.

Example
-------
>>> from nnmodel import trajectory
>>> traj = trajectory.load("media/trajectories/moons.npz")  # doctest: +SKIP
>>> [(s.kind, s.layer, s.points.shape) for s in traj.stages(-1)]  # doctest: +SKIP
[('input', -1, (400, 2)), ('affine', 0, (400, 2)), ('activation', 0, (400, 2)), ...]
>>> traj.info.dataset.name, traj.info.final.train_acc  # doctest: +SKIP
('moons', 1.0)
>>> g = traj.gradients(-1)  # stored (version 2), or computed (version 1)  # doctest: +SKIP
>>> g.computed, g.dW[0].shape, g.dz[0].shape  # doctest: +SKIP
(False, (2, 2), (400, 2))
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

from nnmodel import activations, validation
from nnmodel import schema as S
from nnmodel.errors import TrajectoryError
from nnmodel.fileio import atomic_file
from nnmodel.gradients import backward
from nnmodel.schema import (
    FORMAT,
    REQUIRED_ARRAYS,
    REQUIRED_MANIFEST_KEYS,
    SCHEMA_VERSION,
    LayerInfo,
    TrajectoryInfo,
)

__all__ = [
    "FORMAT",
    "REQUIRED_ARRAYS",
    "REQUIRED_MANIFEST_KEYS",
    "SCHEMA_VERSION",
    "LayerInfo",
    "Separator",
    "Stage",
    "StoredGradients",
    "Trajectory",
    "TrajectoryInfo",
    "activate",
    "decide",
    "forward",
    "is_trajectory_file",
    "load",
    "write",
]

FloatArray = npt.NDArray[np.floating[Any]]

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# ----------------------------------------------------------------------------- activations


def activate(name: str, z: FloatArray) -> FloatArray:
    """Apply the named activation (as torch defines it) to an array, in numpy.

    The functions are those of :mod:`nnmodel.activations`.

    >>> activate("relu", np.array([-1.0, 2.0]))
    array([0., 2.])
    """
    try:
        act = activations.BY_NAME[name]
    except KeyError:
        raise TrajectoryError(f"unknown activation {name!r} in trajectory file") from None
    return act.function(z)


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
    path: str | os.PathLike[str],
    manifest: Mapping[str, Any] | TrajectoryInfo,
    arrays: Mapping[str, Any],
) -> Path:
    """Write a trajectory atomically and deterministically.

    ``manifest`` is a :class:`TrajectoryInfo` or its JSON form. The zip entries carry a
    fixed timestamp and are written in sorted order, so the same content gives the same
    bytes. The file appears at ``path`` only once complete (it is written to a temporary
    file in the same folder, then renamed).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(manifest, TrajectoryInfo):
        manifest = manifest.to_json()
    manifest_bytes = json.dumps(manifest, sort_keys=True, indent=1).encode("utf-8")
    entries: dict[str, np.ndarray] = {S.MANIFEST: np.frombuffer(manifest_bytes, dtype=np.uint8)}
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
        with zipfile.ZipFile(path) as zf, zf.open(f"{S.MANIFEST}.npy") as fh:
            raw = np.lib.format.read_array(fh, allow_pickle=False)
        manifest = json.loads(raw.tobytes().decode("utf-8"))
    except Exception:  # anything unreadable is not ours
        return False
    return isinstance(manifest, dict) and manifest.get(S.Key.FORMAT) == FORMAT


# ----------------------------------------------------------------------------- reading


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


@dataclass(frozen=True)
class StoredGradients:
    """The gradients of one snapshot: what the optimiser saw at those weights.

    All are gradients of the mean training loss (the training points only, full batch,
    the loss alone: no weight decay) at the snapshot's stored weights (after the unit
    swaps). ``dz[l]`` has a row for **every** point, held-out ones included: the gradient
    of the point's own loss with respect to layer ``l``'s affine output, divided by the
    number of training points ``n_train`` (for a training point, its share of the mean
    loss's gradient; :meth:`own` gives the undivided one), in the layer's display
    coordinates, like ``stages(s)``' affine points (through the ``P{l}_z`` components for a
    projected layer).

    ``computed`` is False when the file stores them (schema version 2, float32) and True
    when they were computed on load, in numpy float64 with
    :func:`nnmodel.gradients.backward`, from the stored weights and inputs (schema version
    1 files store none): a scene can then say "computed from the weights".

    Attributes
    ----------
    dW : tuple of (out, in) arrays, one per layer
    db : tuple of (out,) arrays, one per layer
    dz : tuple of (N, d) arrays, one per layer (display coordinates)
    computed : bool
    loss : str
        ``"bce"`` (one logit) or ``"ce"`` (K logits).
    n_train : int
        The number of training points (the mean's denominator).
    """

    dW: tuple[FloatArray, ...]
    db: tuple[FloatArray, ...]
    dz: tuple[FloatArray, ...]
    computed: bool
    loss: str
    n_train: int

    def own(self, layer: int) -> FloatArray:
        """Each point's gradient of its **own** loss at layer ``layer``: ``dz[layer]·n_train``."""
        out: FloatArray = np.asarray(self.dz[layer], np.float64) * self.n_train
        return out


class Trajectory:
    """A loaded trajectory file. Use :func:`load` to create one.

    ``snapshot`` arguments index like a Python list: 0 is the first, -1 the last.
    ``info`` is the typed manifest (:class:`~nnmodel.schema.TrajectoryInfo`): read the
    dataset, layers, metrics, final metrics, baseline, grid and mesh from it.
    ``manifest`` is the same as raw JSON, kept for older code.
    """

    def __init__(
        self,
        path: Path,
        arrays: dict[str, np.ndarray],
        manifest: dict[str, Any],
        info: TrajectoryInfo | None = None,
    ):
        if info is None:
            try:
                info = validation.parse_manifest(manifest)
            except validation.Corrupt as exc:
                raise TrajectoryError(f"{path}: {exc}: {validation.CORRUPT_HINT}") from None
        self.path = path
        self.info = info
        self.manifest = manifest
        self._a = arrays
        self.layers: list[LayerInfo] = list(info.layers)
        self._computed: dict[int, StoredGradients] = {}

    # -- dataset and metadata
    @property
    def inputs(self) -> FloatArray:
        """The data points, (N, 2)."""
        return self._a[S.INPUTS]

    @property
    def labels(self) -> npt.NDArray[np.int64]:
        """Integer class of each point, (N,)."""
        return self._a[S.LABELS]

    @property
    def test_mask(self) -> npt.NDArray[np.bool_]:
        """True for points held out of training, (N,)."""
        return self._a[S.TEST_MASK]

    @property
    def class_names(self) -> list[str]:
        """Names of the classes, in label order."""
        return list(self.info.class_names)

    @property
    def n_classes(self) -> int:
        """Number of classes K."""
        return self.info.n_classes

    @property
    def epochs(self) -> npt.NDArray[np.int64]:
        """Epoch of each snapshot, (S,)."""
        return self._a[S.EPOCHS]

    @property
    def n_snapshots(self) -> int:
        """Number of snapshots S."""
        return len(self.epochs)

    @property
    def hidden_layers(self) -> list[LayerInfo]:
        """All layers but the output layer."""
        return self.layers[:-1]

    @property
    def metrics(self) -> dict[str, list[float | None]]:
        """Per-epoch history: train_loss, train_acc, test_loss, test_acc (``info.metrics``)."""
        return self.info.metrics.as_dict()

    @property
    def input_grid(self) -> FloatArray:
        """The grid lines of the input plane, (G, M, 2)."""
        return self._a[S.GRID]

    @property
    def mesh_extent(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)`` of the probability mesh."""
        return self.info.mesh.extent

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
        return [
            (self._a[S.weight_key(i)][s], self._a[S.bias_key(i)][s])
            for i in range(len(self.layers))
        ]

    def stages(self, snapshot: int) -> list[Stage]:
        """The input stage, then an affine and an activation stage per layer."""
        s = self._snap(snapshot)
        out = [Stage("input", -1, self.inputs, self.input_grid)]
        for L in self.layers:
            i = L.index
            z, gz = self._a[S.points_key(i)][s], self._a[S.grid_lines_key(i)][s]
            if L.projected:
                h = self._a[S.points_key(i, S.ACTIVATED)][s]
                gh = self._a[S.grid_lines_key(i, S.ACTIVATED)][s]
            else:
                h = activate(L.activation, z.astype(np.float64)).astype(np.float32)
                gh = activate(L.activation, gz.astype(np.float64)).astype(np.float32)
            ez, eh = L.explained if L.explained else (None, None)
            out.append(Stage("affine", i, z, gz, L.activation, L.projected, ez))
            out.append(Stage("activation", i, h, gh, L.activation, L.projected, eh))
        return out

    def _logits(self, snapshot: int) -> FloatArray:
        s = self._snap(snapshot)
        logits: FloatArray = self._a[S.points_key(len(self.layers) - 1)][s].astype(np.float64)
        return logits

    def probabilities(self, snapshot: int) -> FloatArray:
        """Predicted class probabilities of every point, (N, K).

        For the predicted class use :meth:`predictions`: it decides on the logits, where a
        probability of exactly 0.5 (a logit of 0, or one too small to move the sigmoid)
        is not a tie.
        """
        return activations.class_probabilities(self._logits(snapshot))

    def predictions(self, snapshot: int) -> npt.NDArray[np.int64]:
        """Predicted class of every point, (N,), from the output logits.

        The trainer's rule (its accuracy counts the same way) and :meth:`Separator.classify`'s:
        with one logit, class 1 where the logit is ``>= 0``; with K logits, the largest (the
        lowest class on a tie).
        """
        return decide(self._logits(snapshot))

    def mesh(self, snapshot: int) -> FloatArray:
        """Class probabilities over the input mesh, (R, R, K); row 0 is the lowest y."""
        out: FloatArray = self._a[S.MESH][self._snap(snapshot)]
        return out

    def projection(self, layer: int, which: str = "h") -> tuple[FloatArray, FloatArray, FloatArray]:
        """``(mean, components, explained)`` of a projected layer's display projection."""
        try:
            mean, comps, explained = (
                self._a[S.projection_key(layer, which, part)] for part in S.PROJECTION_PARTS
            )
        except KeyError:
            raise TrajectoryError(
                f"layer {layer} is stored exactly, it has no projection"
            ) from None
        return mean, comps, explained

    @property
    def stores_gradients(self) -> bool:
        """Whether the file stores its gradients (schema version 2) or they are computed."""
        return self.info.gradients is not None

    def gradients(self, snapshot: int) -> StoredGradients:
        """The gradients of the mean training loss at ``snapshot``'s weights.

        Stored in schema version 2 files (``computed=False``); computed from the stored
        weights and inputs for version 1 files (``computed=True``, numpy float64, the same
        conventions; :class:`StoredGradients` says which are which).
        """
        s = self._snap(snapshot)
        info = self.info
        n_train = int(np.count_nonzero(~self.test_mask))
        loss = (info.gradients or S.GradientInfo.for_outputs(info.output_layer.d_out)).loss
        if info.gradients is not None:
            n = range(len(self.layers))
            return StoredGradients(
                dW=tuple(self._a[S.weight_grad_key(i)][s] for i in n),
                db=tuple(self._a[S.bias_grad_key(i)][s] for i in n),
                dz=tuple(self._a[S.affine_grad_key(i)][s] for i in n),
                computed=False,
                loss=loss,
                n_train=n_train,
            )
        if s not in self._computed:
            g = backward(
                self.weights(s),
                [L.activation for L in self.hidden_layers],
                self.inputs,
                self.labels,
                train=~self.test_mask,
            )
            dz = []
            for L, d in zip(self.layers, g.dz, strict=True):
                if L.projected:
                    comps = self.projection(L.index, S.AFFINE)[1].astype(np.float64)
                    d = d @ comps.T
                dz.append(d)
            self._computed[s] = StoredGradients(
                tuple(g.dW), tuple(g.db), tuple(dz), True, loss, n_train
            )
        return self._computed[s]

    def separator(self, snapshot: int) -> Separator:
        """The output layer as a boundary in the last hidden space (display coordinates)."""
        w, b = self.weights(snapshot)[-1]
        w64, b64 = w.astype(np.float64), b.astype(np.float64)
        if len(self.layers) >= 2 and self.layers[-2].projected:
            mean, comps, _ = self.projection(len(self.layers) - 2, S.ACTIVATED)
            # h ≈ mean + compsᵀ·p, so w·h + b ≈ (w·compsᵀ)·p + (w·mean + b).
            return Separator(w64 @ comps.T, b64 + w64 @ mean, exact=False)
        return Separator(w64, b64, exact=True)

    def summary(self) -> dict[str, Any]:
        """The facts ``nnwarp inspect`` prints."""
        from nnmodel.datacheck import check_trajectory
        from nnmodel.health import diagnose

        info, final, ds = self.info, self.info.final, self.info.dataset
        report = check_trajectory(self)
        scaling = ds.standardization
        return {
            "path": str(self.path),
            "schema_version": info.schema_version,
            "gradients": "stored" if self.stores_gradients else "computed from the weights",
            "dataset": ds.name,
            "columns": list(ds.columns),
            "label_column": ds.label_column,
            "classes": self.class_names,
            "n_points": int(len(self.inputs)),
            "standardization": None
            if scaling is None
            else {
                name: {"mean": m, "std": sd}
                for name, m, sd in zip(ds.columns, scaling.mean, scaling.std, strict=True)
            },
            "layers": [
                f"{L.d_in}→{L.d_out} {L.activation}" + (" (projected)" if L.projected else "")
                for L in self.layers
            ],
            "snapshot_epochs": [int(e) for e in self.epochs],
            "epochs_trained": final.epochs_trained,
            "train_accuracy": final.train_acc,
            "train_loss": final.train_loss,
            "test_accuracy": final.test_acc,
            "test_loss": final.test_loss,
            "majority_class": report.majority_class,
            "majority_class_accuracy": report.majority_acc,
            "data_checks": [c.to_json() for c in report.checks_for(final.train_acc)],
            "findings": [f.to_json() for f in diagnose(self)],
            "seed": info.seed,
            "config_hash": info.config_hash,
        }


def load(path: str | os.PathLike[str]) -> Trajectory:
    """Load and validate a trajectory file (numpy only, no pickles).

    Every manifest entry is type-checked and becomes the typed ``traj.info``, and every
    array's dtype and shape is checked against the manifest's layers, so a file that loads
    is usable. The manifest's ``schema_version`` picks the reader
    (:data:`nnmodel.validation.READERS`).

    Raises
    ------
    TrajectoryError
        One line naming the file, what is wrong and how to fix it: the path is missing or a
        directory; the file is not an ``.npz`` archive, truncated or corrupt; it is not a
        trajectory, of another schema version, or its manifest or arrays are inconsistent.
    """
    path = Path(path)
    if not path.exists():
        raise TrajectoryError(f"trajectory file {path} does not exist ({validation.HINT})")
    if path.is_dir():
        raise TrajectoryError(
            f"{path} is a directory, not a trajectory file; give the path of the .npz file "
            "itself (one written by `nnwarp train -o FILE`)"
        )
    info, manifest, arrays = validation.read(path)
    return Trajectory(path, arrays, manifest, info)
