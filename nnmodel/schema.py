"""The trajectory file's schema: every key, once, and the typed manifest (numpy only).

A trajectory is one ``.npz`` (a zip of ``.npy`` arrays, loadable with
``allow_pickle=False``) holding a JSON manifest and, for every snapshot epoch, the
network's weights and every intermediate representation of the data and of a grid of
the input plane. The exporter (:mod:`nnmodel.export`) writes the keys defined here and
the loader (:mod:`nnmodel.trajectory`, with :mod:`nnmodel.npzread` and
:mod:`nnmodel.validation`) reads them; nothing else spells a key. On load the manifest
becomes a :class:`TrajectoryInfo` (``traj.info``): typed, frozen and checked once, so
scenes never index the raw JSON.

File layout (schema version 2)
------------------------------
Array members (``{l}`` is a layer index, from 0; the last layer is the output layer):

``manifest``
    uint8 bytes of a UTF-8 JSON object (the keys below, see :class:`TrajectoryInfo`).
``inputs`` (N, 2), ``labels`` (N,), ``test_mask`` (N,)
    The dataset, its integer labels and which points were held out. ``inputs`` are what
    the first layer sees: standardised when the manifest's ``dataset.standardization``
    holds a mean and standard deviation per column (original units are
    ``inputs * std + mean``, :meth:`nnmodel.scaling.Scaling.invert`); every stage, the
    grid, the mesh and the separator live in that same space.
``epochs`` (S,)
    The snapshot epochs.
``W{l}`` (S, out, in), ``b{l}`` (S, out)  — :func:`weight_key`, :func:`bias_key`
    Weights of layer ``l`` (torch's layout) at every snapshot.
``z{l}`` (S, N, d), ``gz{l}`` (S, G, M, d)  — :func:`points_key`, :func:`grid_lines_key`
    Points and grid after layer ``l``'s affine map ``W·x + b``, in display coordinates.
``h{l}``, ``gh{l}``
    Only for layers wider than :data:`MAX_EXACT_WIDTH` units (``projected``): the
    activation output, in display coordinates. For layers of at most 3 units (stored
    exactly) the activation stage is computed on load as ``activation(z)``, which is exact
    and halves the file size.
``P{l}_{z|h}_mean`` (w,), ``P{l}_{z|h}_components`` (3, w), ``P{l}_{z|h}_explained`` (3,)
    The display projection (PCA fitted once, on the last snapshot) of a projected layer
    (:func:`projection_key`).
``grid`` (G, M, 2)
    The grid lines of the input plane: G = 2·lines_per_axis lines (the vertical ones
    first) of M samples each.
``mesh`` (S, R, R, K)
    Class probabilities over an R×R mesh of the input plane (row 0 = lowest y).
``dW{l}`` (S, out, in), ``db{l}`` (S, out)  — :func:`weight_grad_key`, :func:`bias_grad_key`
    Version 2 only. The gradient of the mean training loss (the training points only,
    full batch, the loss alone: no weight decay) with respect to ``W{l}`` and ``b{l}`` at
    each snapshot's weights, float32, with the unit swaps of ``unit_swaps`` applied as to
    the weights (so it is the gradient at the stored weights).
``dz{l}`` (S, N, d)  — :func:`affine_grad_key`
    Version 2 only. Each point's gradient of the loss with respect to layer ``l``'s affine
    output, in the layer's display coordinates: as stored for exact layers; for projected
    layers through the components of ``P{l}_z`` (``dz · componentsᵀ``, no mean: a gradient
    is a direction). For **every** point, held-out ones included, the row is the gradient
    of the point's own loss divided by the number of training points
    (:data:`GRADIENT_SCALE`, ``"1/n_train"``): for a training point that is exactly its
    share of the gradient of the mean training loss, and a held-out point is scaled the
    same way, so rows are comparable (multiply by ``n_train`` for a point's own loss's
    gradient). With :meth:`nnmodel.activations.Activation.backward` this gives every
    backward stage.

Manifest keys (JSON; :class:`Key` and its siblings name them):
``format`` (:data:`FORMAT`), ``schema_version``, ``config`` (the run config),
``config_hash``, ``seed``, ``dataset`` (:class:`DatasetInfo`; its optional ``columns``,
``label_column`` and ``standardization`` appear only for data that has them), ``layers``
(:class:`LayerInfo`), ``snapshot_epochs``, ``unit_swaps`` (:class:`UnitSwap`),
``metrics`` (:class:`Metrics`, per epoch), ``final`` (:class:`FinalMetrics`; its optional
``diverged``, :class:`Divergence`, only when training diverged), ``baseline``
(:class:`Baseline` or null), ``grid`` (:class:`GridInfo`), ``mesh`` (:class:`MeshInfo`),
``versions`` (:class:`Versions`), ``notes``, and in version 2 ``gradients``
(:class:`GradientInfo`: ``{"loss": "bce"|"ce", "batch": "full", "scale": "1/n_train"}``).

A run whose loss became NaN or infinite at epoch ``e`` is not lost: training stops, the
file holds the snapshots and metrics up to epoch ``e - 1`` (the last finite one, which is
``final.epochs_trained``), and ``final.diverged`` is ``{"epoch": e, "loss": "nan"|"inf"}``.

The same config and seed give the same bytes: members are written in sorted order with
a fixed timestamp, and the manifest as sorted, indented JSON.

Versions
--------
Version 1 is version 2 without the gradient arrays and the ``gradients`` entry; nothing
else differs in meaning, so this nnwarp reads both. ``load`` dispatches on the manifest's
``schema_version`` before anything else is checked: :data:`nnmodel.validation.READERS`
maps each readable version to the function that checks that version's manifest and
arrays and builds its :class:`TrajectoryInfo` (version 2 reuses version 1's checks and
adds the gradient arrays'); a version missing from the table is refused as older or newer
than this nnwarp. A version-1 file loads with ``info.schema_version == 1`` and
``info.gradients`` None, and :meth:`nnmodel.trajectory.Trajectory.gradients` computes its
gradients on load, in numpy (:func:`nnmodel.gradients.backward`), from the stored weights
and inputs, with the same conventions, saying ``computed=True``. :data:`SCHEMA_VERSION`
is what the exporter writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from nnmodel.activations import Activation
from nnmodel.activations import get as get_activation
from nnmodel.scaling import Scaling

if TYPE_CHECKING:
    from nnmodel.config import RunConfig

__all__ = [
    "Baseline",
    "BaselineKey",
    "DatasetInfo",
    "DatasetKey",
    "DIVERGED_LOSSES",
    "DivergedKey",
    "Divergence",
    "EPOCHS",
    "Extent",
    "FORMAT",
    "FinalKey",
    "FinalMetrics",
    "FloatArray",
    "GRADIENTS_SINCE",
    "GRADIENT_BATCH",
    "GRADIENT_LOSSES",
    "GRADIENT_SCALE",
    "GRID",
    "GradientInfo",
    "GradientsKey",
    "GridInfo",
    "GridKey",
    "INPUTS",
    "Key",
    "LABELS",
    "LayerInfo",
    "LayerKey",
    "MANIFEST",
    "MAX_EXACT_WIDTH",
    "MESH",
    "METRIC_NAMES",
    "MeshInfo",
    "MeshKey",
    "Metric",
    "Metrics",
    "NOTES",
    "PROJECTED_DIM",
    "PROJECTION_PARTS",
    "READABLE_VERSIONS",
    "REQUIRED_ARRAYS",
    "REQUIRED_MANIFEST_KEYS",
    "SCHEMA_VERSION",
    "SOURCES",
    "SwapKey",
    "TEST_MASK",
    "TEST_METRICS",
    "TORCH_VERSION_KEY",
    "TRAIN_METRICS",
    "TrajectoryInfo",
    "UnitSwap",
    "VERSION_KEYS",
    "Versions",
    "affine_grad_key",
    "bias_grad_key",
    "bias_key",
    "gradient_keys",
    "grid_lines_key",
    "layer_keys",
    "points_key",
    "projection_key",
    "stored_representations",
    "weight_grad_key",
    "weight_key",
]

FloatArray = npt.NDArray[np.floating[Any]]
#: Where a trajectory's data came from: a built-in generator, a file, or a user's own training
#: loop (:func:`nnmodel.record`).
SOURCES = ("builtin", "file", "recorded")
#: ``(xmin, xmax, ymin, ymax)`` of a region of the input plane.
Extent = tuple[float, float, float, float]

FORMAT = "nnwarp-trajectory"
#: The version the exporter writes.
SCHEMA_VERSION = 2
#: The versions this nnwarp reads (:data:`nnmodel.validation.READERS` has one reader each).
READABLE_VERSIONS = (1, 2)
#: The first version that stores gradients.
GRADIENTS_SINCE = 2
#: Hidden layers at most this wide are stored exactly; wider ones through a 3-D projection.
MAX_EXACT_WIDTH = 3
#: Coordinates of a projected layer's display space.
PROJECTED_DIM = 3

# ----------------------------------------------------------------------------- array keys

MANIFEST = "manifest"
INPUTS = "inputs"
LABELS = "labels"
TEST_MASK = "test_mask"
EPOCHS = "epochs"
GRID = "grid"
MESH = "mesh"
#: Arrays every trajectory holds, whatever its layers.
REQUIRED_ARRAYS = (MANIFEST, INPUTS, LABELS, TEST_MASK, EPOCHS, GRID, MESH)
#: The two representations of a layer: after the affine map, after the activation.
AFFINE, ACTIVATED = "z", "h"
PROJECTION_PARTS = ("mean", "components", "explained")


def weight_key(layer: int) -> str:
    """``W{layer}``: the weights, (S, out, in)."""
    return f"W{layer}"


def bias_key(layer: int) -> str:
    """``b{layer}``: the biases, (S, out)."""
    return f"b{layer}"


def points_key(layer: int, which: str = AFFINE) -> str:
    """``z{layer}`` or ``h{layer}``: the points in display coordinates, (S, N, d)."""
    return f"{which}{layer}"


def grid_lines_key(layer: int, which: str = AFFINE) -> str:
    """``gz{layer}`` or ``gh{layer}``: the grid lines in display coordinates, (S, G, M, d)."""
    return f"g{which}{layer}"


def projection_key(layer: int, which: str, part: str) -> str:
    """``P{layer}_{which}_{part}``: one part of a projected layer's display projection."""
    return f"P{layer}_{which}_{part}"


def weight_grad_key(layer: int) -> str:
    """``dW{layer}``: the gradient of the mean training loss w.r.t. the weights, (S, out, in)."""
    return f"dW{layer}"


def bias_grad_key(layer: int) -> str:
    """``db{layer}``: the gradient of the mean training loss w.r.t. the biases, (S, out)."""
    return f"db{layer}"


def affine_grad_key(layer: int) -> str:
    """``dz{layer}``: each point's loss gradient w.r.t. the affine output, (S, N, d)."""
    return f"dz{layer}"


def gradient_keys(layer: int) -> list[str]:
    """The gradient arrays of one layer (version 2): ``dW``, ``db``, ``dz``."""
    return [weight_grad_key(layer), bias_grad_key(layer), affine_grad_key(layer)]


def stored_representations(projected: bool) -> tuple[str, ...]:
    """Which of z and h a layer stores: both if projected, else z (h is computed on load)."""
    return (AFFINE, ACTIVATED) if projected else (AFFINE,)


def layer_keys(layer: int, projected: bool) -> list[str]:
    """Every array one layer needs in version 1 (and 2, with :func:`gradient_keys`)."""
    keys = [weight_key(layer), bias_key(layer)]
    reps = stored_representations(projected)
    keys += [k(layer, which) for which in reps for k in (points_key, grid_lines_key)]
    if projected:
        keys += [projection_key(layer, w, part) for w in reps for part in PROJECTION_PARTS]
    return keys


# ----------------------------------------------------------------------------- manifest keys


class Key:
    """Top-level manifest keys."""

    FORMAT = "format"
    SCHEMA_VERSION = "schema_version"
    CONFIG = "config"
    CONFIG_HASH = "config_hash"
    SEED = "seed"
    DATASET = "dataset"
    LAYERS = "layers"
    SNAPSHOT_EPOCHS = "snapshot_epochs"
    UNIT_SWAPS = "unit_swaps"
    METRICS = "metrics"
    FINAL = "final"
    BASELINE = "baseline"
    GRID = "grid"
    MESH = "mesh"
    VERSIONS = "versions"
    NOTES = "notes"
    #: Version 2 only (:class:`GradientInfo`).
    GRADIENTS = "gradients"


#: Keys every manifest has (a file lacking one is refused naming it).
REQUIRED_MANIFEST_KEYS = (
    Key.FORMAT,
    Key.SCHEMA_VERSION,
    Key.CONFIG,
    Key.CONFIG_HASH,
    Key.SEED,
    Key.DATASET,
    Key.LAYERS,
    Key.SNAPSHOT_EPOCHS,
    Key.METRICS,
    Key.FINAL,
    Key.GRID,
    Key.MESH,
    Key.VERSIONS,
)


class DatasetKey:
    NAME = "name"
    N_POINTS = "n_points"
    CLASS_NAMES = "class_names"
    SOURCE = "source"
    SHA256 = "sha256"
    COLUMNS = "columns"
    LABEL_COLUMN = "label_column"
    STANDARDIZATION = "standardization"


class LayerKey:
    IN = "in"
    OUT = "out"
    ACTIVATION = "activation"
    OUTPUT = "output"
    PROJECTED = "projected"
    EXPLAINED = "explained"


class Metric:
    """The per-epoch metrics (``metrics``) and their final values (``final``)."""

    TRAIN_LOSS = "train_loss"
    TRAIN_ACC = "train_acc"
    TEST_LOSS = "test_loss"
    TEST_ACC = "test_acc"


#: The training metrics are always numbers, the test ones null when no point was held out.
TRAIN_METRICS = (Metric.TRAIN_LOSS, Metric.TRAIN_ACC)
TEST_METRICS = (Metric.TEST_LOSS, Metric.TEST_ACC)
METRIC_NAMES = (*TRAIN_METRICS, *TEST_METRICS)


class FinalKey:
    EPOCHS_TRAINED = "epochs_trained"
    STOPPED_EARLY = "stopped_early"
    #: Optional (:class:`Divergence`): present only when training diverged.
    DIVERGED = "diverged"


class DivergedKey:
    EPOCH = "epoch"
    LOSS = "loss"


#: What a diverged loss became: not a number, or infinite.
DIVERGED_LOSSES = ("nan", "inf")


class GradientsKey:
    LOSS = "loss"
    BATCH = "batch"
    SCALE = "scale"


#: The loss the gradients are of: binary cross-entropy of one logit, cross-entropy of K.
GRADIENT_LOSSES = ("bce", "ce")
#: Every gradient is of the full batch (all training points at once).
GRADIENT_BATCH = "full"
#: Each point's ``dz`` row is its own loss's gradient divided by the number of training
#: points (for a training point: its share of the gradient of the mean training loss).
GRADIENT_SCALE = "1/n_train"


class BaselineKey:
    W = "W"
    B = "b"
    TRAIN_ACC = "train_acc"
    TEST_ACC = "test_acc"


class GridKey:
    LINES_PER_AXIS = "lines_per_axis"
    SAMPLES = "samples"
    EXTENT = "extent"


class MeshKey:
    RESOLUTION = "resolution"
    EXTENT = "extent"


class SwapKey:
    SNAPSHOT = "snapshot"
    EPOCH = "epoch"
    LAYER = "layer"
    UNITS = "units"


#: Versions always recorded, and torch's when the writer knew it.
VERSION_KEYS = ("nnwarp", "numpy", "python")
TORCH_VERSION_KEY = "torch"
NOTES = "activation stages of layers stored exactly are computed on load as act(z)"


# ----------------------------------------------------------------------------- the manifest


@dataclass(frozen=True)
class DatasetInfo:
    """The dataset: its name, class names in label order, size and origin, its columns."""

    name: str
    class_names: tuple[str, ...]
    n_points: int
    #: ``"builtin"``, ``"file"`` or ``"recorded"`` (:data:`SOURCES`).
    source: str
    #: sha256 of the data file (None for built-ins).
    sha256: str | None
    #: The two input columns' names, as the file's header writes them.
    columns: tuple[str, str] = ("x", "y")
    #: The label column's name.
    label_column: str = "label"
    #: How ``inputs`` were standardised (None: they are in the data's own units).
    standardization: Scaling | None = None

    @property
    def n_classes(self) -> int:
        """Number of classes K."""
        return len(self.class_names)

    def to_json(self) -> dict[str, Any]:
        """The manifest's ``dataset``; the optional keys only when they say something (so a
        built-in's manifest is what it was before they existed)."""
        out: dict[str, Any] = {
            DatasetKey.NAME: self.name,
            DatasetKey.N_POINTS: self.n_points,
            DatasetKey.CLASS_NAMES: list(self.class_names),
            DatasetKey.SOURCE: self.source,
            DatasetKey.SHA256: self.sha256,
        }
        if self.columns != ("x", "y") or self.label_column != "label":
            out[DatasetKey.COLUMNS] = list(self.columns)
            out[DatasetKey.LABEL_COLUMN] = self.label_column
        if self.standardization is not None:
            out[DatasetKey.STANDARDIZATION] = self.standardization.to_json()
        return out


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
        return PROJECTED_DIM if self.projected else self.d_out

    @property
    def act(self) -> Activation:
        """The activation's entry in :mod:`nnmodel.activations` (function, derivative...)."""
        return get_activation(self.activation)

    def to_json(self) -> dict[str, Any]:
        return {
            LayerKey.IN: self.d_in,
            LayerKey.OUT: self.d_out,
            LayerKey.ACTIVATION: self.activation,
            LayerKey.OUTPUT: self.is_output,
            LayerKey.PROJECTED: self.projected,
            LayerKey.EXPLAINED: None if self.explained is None else list(self.explained),
        }


@dataclass(frozen=True)
class UnitSwap:
    """Hidden units 0 and 1 of ``layer`` were swapped at ``snapshot`` to keep det W > 0."""

    snapshot: int
    epoch: int
    layer: int
    units: tuple[int, int] = (0, 1)

    def to_json(self) -> dict[str, Any]:
        return {
            SwapKey.SNAPSHOT: self.snapshot,
            SwapKey.EPOCH: self.epoch,
            SwapKey.LAYER: self.layer,
            SwapKey.UNITS: list(self.units),
        }


@dataclass(frozen=True)
class Metrics:
    """Per-epoch history, indexed by epoch (0 = before training); None where not measured.

    >>> Metrics((0.7, 0.2), (0.5, 0.9), (None, None), (None, None)).train_acc[1]
    0.9
    """

    train_loss: tuple[float | None, ...]
    train_acc: tuple[float | None, ...]
    test_loss: tuple[float | None, ...]
    test_acc: tuple[float | None, ...]

    def as_dict(self) -> dict[str, list[float | None]]:
        """``{name: [value per epoch]}`` (what the manifest holds)."""
        return {name: list(getattr(self, name)) for name in METRIC_NAMES}

    def to_json(self) -> dict[str, Any]:
        return self.as_dict()


@dataclass(frozen=True)
class Divergence:
    """Training diverged: at ``epoch`` the loss (or a weight) became NaN or infinite.

    ``loss`` is ``"nan"`` or ``"inf"`` (:data:`DIVERGED_LOSSES`): what the training loss
    became, or, if it was still finite, what the weights held. The run's snapshots and
    metrics stop at the epoch before (``FinalMetrics.epochs_trained == epoch - 1``).

    >>> Divergence(12, "nan").to_json()
    {'epoch': 12, 'loss': 'nan'}
    """

    epoch: int
    loss: str

    @property
    def became(self) -> str:
        """``"NaN"`` or ``"infinite"``, for a sentence."""
        return "NaN" if self.loss == "nan" else "infinite"

    def to_json(self) -> dict[str, Any]:
        return {DivergedKey.EPOCH: self.epoch, DivergedKey.LOSS: self.loss}


@dataclass(frozen=True)
class FinalMetrics:
    """Where training stopped, and the metrics there (at the last finite epoch)."""

    epochs_trained: int
    stopped_early: bool
    train_loss: float
    train_acc: float
    test_loss: float | None
    test_acc: float | None
    #: Set when training diverged (the file stops at the epoch before).
    diverged: Divergence | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            FinalKey.EPOCHS_TRAINED: self.epochs_trained,
            FinalKey.STOPPED_EARLY: self.stopped_early,
            **{name: getattr(self, name) for name in METRIC_NAMES},
        }
        if self.diverged is not None:
            out[FinalKey.DIVERGED] = self.diverged.to_json()
        return out


@dataclass(frozen=True)
class GradientInfo:
    """How the gradient arrays (version 2) were measured: loss, batch and scale of ``dz``.

    >>> GradientInfo.for_outputs(1).to_json()
    {'batch': 'full', 'loss': 'bce', 'scale': '1/n_train'}
    """

    #: ``"bce"`` (one logit) or ``"ce"`` (K logits), :data:`GRADIENT_LOSSES`.
    loss: str
    batch: str = GRADIENT_BATCH
    scale: str = GRADIENT_SCALE

    @classmethod
    def for_outputs(cls, outputs: int) -> GradientInfo:
        """The gradients of a network with ``outputs`` logits: BCE for one, CE for more."""
        return cls("bce" if outputs == 1 else "ce")

    def to_json(self) -> dict[str, Any]:
        return {
            GradientsKey.BATCH: self.batch,
            GradientsKey.LOSS: self.loss,
            GradientsKey.SCALE: self.scale,
        }


@dataclass(frozen=True)
class Baseline:
    """Logistic regression on the same data (no hidden layer): the line that fails.

    ``w`` is (1, 2) for two classes (one logit), (K, 2) otherwise.
    """

    w: tuple[tuple[float, ...], ...]
    b: tuple[float, ...]
    train_acc: float
    test_acc: float | None = None

    def arrays(self) -> tuple[FloatArray, FloatArray]:
        """``(w, b)`` as float64 arrays."""
        return np.array(self.w, np.float64), np.array(self.b, np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            BaselineKey.W: [list(row) for row in self.w],
            BaselineKey.B: list(self.b),
            BaselineKey.TRAIN_ACC: self.train_acc,
            BaselineKey.TEST_ACC: self.test_acc,
        }


@dataclass(frozen=True)
class GridInfo:
    """The grid lines of the input plane (the ``grid`` array): per axis, and samples each."""

    lines_per_axis: int
    samples: int
    extent: Extent

    def to_json(self) -> dict[str, Any]:
        return {
            GridKey.LINES_PER_AXIS: self.lines_per_axis,
            GridKey.SAMPLES: self.samples,
            GridKey.EXTENT: list(self.extent),
        }


@dataclass(frozen=True)
class MeshInfo:
    """The probability mesh (the ``mesh`` array): R×R cells over ``extent``."""

    resolution: int
    extent: Extent

    def to_json(self) -> dict[str, Any]:
        return {MeshKey.RESOLUTION: self.resolution, MeshKey.EXTENT: list(self.extent)}


@dataclass(frozen=True)
class Versions:
    """The software that wrote the file."""

    nnwarp: str
    numpy: str
    python: str
    torch: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = dict(zip(VERSION_KEYS, (self.nnwarp, self.numpy, self.python), strict=True))
        return out if self.torch is None else {**out, TORCH_VERSION_KEY: self.torch}


@dataclass(frozen=True)
class TrajectoryInfo:
    """The manifest, typed: everything about a trajectory but its arrays (``traj.info``)."""

    schema_version: int
    #: The run config as written (:meth:`run_config` rebuilds a RunConfig from it).
    config: Mapping[str, Any]
    config_hash: str
    seed: int
    dataset: DatasetInfo
    layers: tuple[LayerInfo, ...]
    snapshot_epochs: tuple[int, ...]
    metrics: Metrics
    final: FinalMetrics
    grid: GridInfo
    mesh: MeshInfo
    versions: Versions
    baseline: Baseline | None = None
    unit_swaps: tuple[UnitSwap, ...] = ()
    notes: str | None = NOTES
    #: How the gradient arrays were measured (version 2); None in version 1 (no arrays).
    gradients: GradientInfo | None = None

    @property
    def class_names(self) -> tuple[str, ...]:
        """Names of the classes, in label order."""
        return self.dataset.class_names

    @property
    def n_classes(self) -> int:
        """Number of classes K."""
        return self.dataset.n_classes

    @property
    def hidden_layers(self) -> tuple[LayerInfo, ...]:
        """All layers but the output layer."""
        return self.layers[:-1]

    @property
    def output_layer(self) -> LayerInfo:
        """The last layer (its activation is sigmoid or softmax)."""
        return self.layers[-1]

    def run_config(self) -> RunConfig:
        """The :class:`~nnmodel.config.RunConfig` that trained the network.

        Raises ConfigError if this nnwarp no longer accepts the stored config.
        """
        from nnmodel.config import RunConfig

        return RunConfig.from_dict(dict(self.config))

    def to_json(self) -> dict[str, Any]:
        """The manifest as the file stores it (before ``json.dumps``)."""
        out: dict[str, Any] = {
            Key.FORMAT: FORMAT,
            Key.SCHEMA_VERSION: self.schema_version,
            Key.CONFIG: _plain(self.config),
            Key.CONFIG_HASH: self.config_hash,
            Key.SEED: self.seed,
            Key.DATASET: self.dataset.to_json(),
            Key.LAYERS: [L.to_json() for L in self.layers],
            Key.SNAPSHOT_EPOCHS: list(self.snapshot_epochs),
            Key.UNIT_SWAPS: [s.to_json() for s in self.unit_swaps],
            Key.METRICS: self.metrics.to_json(),
            Key.FINAL: self.final.to_json(),
            Key.BASELINE: None if self.baseline is None else self.baseline.to_json(),
            Key.GRID: self.grid.to_json(),
            Key.MESH: self.mesh.to_json(),
            Key.VERSIONS: self.versions.to_json(),
        }
        if self.notes is not None:
            out[Key.NOTES] = self.notes
        if self.gradients is not None:
            out[Key.GRADIENTS] = self.gradients.to_json()
        return out


def _plain(value: Any) -> Any:
    """``value`` with every mapping a dict and every tuple a list (what ``json`` writes)."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value
