"""Validated configuration for a training run: data, network, optimiser, export."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from nnmodel.activations import BY_NAME, HIDDEN_NAMES
from nnmodel.errors import ConfigError

__all__ = [
    "ACTIVATIONS",
    "DataConfig",
    "ExportConfig",
    "MAX_DEPTH",
    "MAX_SEED",
    "MAX_WIDTH",
    "ModelConfig",
    "OPTIMIZERS",
    "RunConfig",
    "TrainConfig",
    "parse_activation",
    "parse_columns",
    "parse_hidden",
    "validate",
]

#: Hidden-layer activations a user may choose (``--activation``), with their descriptions:
#: a view of :data:`nnmodel.activations.ALL`, where each is defined.
ACTIVATIONS: Mapping[str, str] = MappingProxyType(
    {name: BY_NAME[name].description for name in HIDDEN_NAMES}
)
OPTIMIZERS = ("adam", "sgd")
#: Widest hidden layer. Wide layers are shown through a 3-D projection and drawn as their
#: first units in diagrams; 64 x 8 layers train and export in about a minute in < 1 GB.
MAX_WIDTH = 64
#: Most hidden layers (each adds two beats to every video).
MAX_DEPTH = 8
#: Seeds are 32-bit: numpy and torch both take them, and they fit every file format.
MAX_SEED = 2**32 - 1


@dataclass(frozen=True)
class DataConfig:
    """Which 2-D dataset to train on.

    ``name`` is a built-in dataset (``nnwarp list``) or a path to a ``.csv``/``.npz`` file.
    ``columns`` picks a CSV's two feature columns and its label column (names, or positions
    from 0). ``standardize`` scales each input column to mean 0 and standard deviation 1
    (on the training points) before the first layer; ``None`` means yes for files (real
    units) and no for the built-ins (generated at unit scale, where it would only distort
    their shapes).
    """

    name: str = "moons"
    samples: int | None = None
    noise: float | None = None
    arms: int = 2
    columns: tuple[str, str, str] | None = None
    standardize: bool | None = None

    @property
    def standardizes(self) -> bool:
        """Whether the inputs are standardised (``standardize``, or its default)."""
        return self.is_file if self.standardize is None else self.standardize

    @property
    def is_file(self) -> bool:
        """Whether ``name`` refers to a data file rather than a built-in dataset."""
        return self.name.lower().endswith((".csv", ".npz")) or "/" in self.name


@dataclass(frozen=True)
class ModelConfig:
    """The MLP: hidden widths and one activation, or one per hidden layer.

    The default, 2 → 3 → 2 → 1 with tanh on the moons, is the default explainer's story:
    the first layer lifts the plane into 3-D and bends it there, the second brings it back
    to a plane where one line separates the moons. Every hidden layer visibly does work:
    the rule checked (``tests/nnmodel/test_default_story.py``, seeds 0 to 2) is that every
    hidden layer but the last keeps the points spread in at least two directions (the
    second singular value of its centred activations at least 15 % of the first) and that
    training reaches at least 98 % (it reaches 100 %). The earlier default, four 2-unit
    layers, squashed the points onto a line by its second layer, so half the video showed a
    line sliding.
    """

    hidden: tuple[int, ...] = (3, 2)
    activation: tuple[str, ...] = ("tanh",)

    def activations(self) -> tuple[str, ...]:
        """One activation name per hidden layer."""
        if len(self.activation) == 1:
            return self.activation * len(self.hidden)
        return self.activation


@dataclass(frozen=True)
class TrainConfig:
    """Optimiser and stopping rule. ``batch_size=None`` means full batch."""

    optimizer: str = "adam"
    lr: float = 0.03
    epochs: int = 1000
    batch_size: int | None = None
    weight_decay: float = 1e-3
    momentum: float = 0.9
    target_loss: float | None = None
    test_fraction: float = 0.2


@dataclass(frozen=True)
class ExportConfig:
    """What the trajectory file stores: snapshot count, grid and mesh resolution."""

    snapshots: int = 60
    grid_lines: int = 17
    grid_samples: int = 128
    mesh_resolution: int = 128


#: DataConfig fields added later (see :meth:`RunConfig.to_dict`).
_LATER_DATA_OPTIONS = ("columns", "standardize")


@dataclass(frozen=True)
class RunConfig:
    """Everything that determines a trajectory file, including the seed."""

    data: DataConfig = field(default_factory=DataConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    export: ExportConfig = field(default_factory=ExportConfig)
    seed: int = 0

    def __post_init__(self) -> None:
        validate(self)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (tuples become lists).

        Options added after a config's first release are left out while unset, so the
        configs (and hashes, and cached trajectories) of earlier versions stay the same.
        """
        out: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(self)))
        for key in _LATER_DATA_OPTIONS:
            if out["data"][key] is None:
                del out["data"][key]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RunConfig:
        """Rebuild a config from :meth:`to_dict` output (unknown keys are an error)."""
        try:
            model = dict(d.get("model", {}))
            for key in ("hidden", "activation"):
                if key in model:
                    model[key] = tuple(model[key])
            data = dict(d.get("data", {}))
            if data.get("columns") is not None:
                data["columns"] = tuple(data["columns"])
            return cls(
                data=DataConfig(**data),
                model=ModelConfig(**model),
                train=TrainConfig(**d.get("train", {})),
                export=ExportConfig(**d.get("export", {})),
                seed=int(d.get("seed", 0)),
            )
        except TypeError as exc:
            raise ConfigError(f"invalid config: {exc}") from None

    def config_hash(self, data_digest: str = "") -> str:
        """A short stable hash of the config (and of the data file's bytes, if any)."""
        blob = json.dumps(self.to_dict(), sort_keys=True) + data_digest
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def parse_hidden(text: str) -> tuple[int, ...]:
    """Parse ``"8,8,2"`` into ``(8, 8, 2)``; an empty string means no hidden layer.

    >>> parse_hidden("8, 8,2")
    (8, 8, 2)
    """
    text = text.strip()
    if text in ("", "none", "0"):
        return ()
    try:
        widths = tuple(int(part) for part in text.split(","))
    except ValueError:
        raise ConfigError(
            f"--hidden {text!r} is not a list of widths; write e.g. --hidden 8,8,2"
        ) from None
    return widths


def hidden_label(widths: Sequence[int]) -> str:
    """How a run's hidden layers are named in a label: ``hidden 8,2``, or ``no hidden
    layer`` for none (a logistic regression); the inverse of :func:`parse_hidden`.

    >>> hidden_label((8, 2)), hidden_label(())
    ('hidden 8,2', 'no hidden layer')
    """
    return "hidden " + ",".join(map(str, widths)) if widths else "no hidden layer"


def parse_columns(text: str) -> tuple[str, str, str]:
    """Parse ``--columns "alcohol, proline,cultivar"`` (names or positions from 0).

    >>> parse_columns("alcohol, proline,cultivar")
    ('alcohol', 'proline', 'cultivar')
    >>> parse_columns("0,12,13")
    ('0', '12', '13')
    """
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 3 or not all(parts):
        raise ConfigError(
            f"--columns {text!r}: give three columns, two features then the label, by name "
            "or by position from 0, e.g. --columns alcohol,proline,cultivar or 0,12,13"
        )
    return parts[0], parts[1], parts[2]


def parse_activation(text: str) -> tuple[str, ...]:
    """Parse ``"relu,relu,tanh"`` (or one name for every layer)."""
    return tuple(part.strip().lower().replace("-", "_") for part in text.split(","))


def validate(cfg: RunConfig) -> None:
    """Raise :class:`ConfigError` with a plain-English message if ``cfg`` is invalid."""
    m, t, e, d = cfg.model, cfg.train, cfg.export, cfg.data
    if d.columns is not None and not d.is_file:
        raise ConfigError(
            f"--columns picks columns of a CSV file, but -d {d.name!r} is a built-in "
            "dataset; give -d a .csv file or drop --columns"
        )
    for w in m.hidden:
        if not 1 <= w <= MAX_WIDTH:
            raise ConfigError(
                f"--hidden: width {w} is out of range: use 1 to {MAX_WIDTH} units a layer "
                "(wider layers are shown through a 3-D projection anyway)"
            )
    if len(m.hidden) > MAX_DEPTH:
        raise ConfigError(
            f"--hidden: {len(m.hidden)} hidden layers is too deep: use at most {MAX_DEPTH} "
            "(each layer adds two steps to every video)"
        )
    for a in m.activation:
        if a not in HIDDEN_NAMES:
            what = (
                f"{a!r} is for output layers only" if a in BY_NAME else f"unknown activation {a!r}"
            )
            raise ConfigError(f"{what}; choose from {', '.join(HIDDEN_NAMES)}")
    if len(m.activation) not in (1, max(len(m.hidden), 1)):
        raise ConfigError(
            f"{len(m.activation)} activations for {len(m.hidden)} hidden layers: give one "
            "activation for all layers, or exactly one per hidden layer"
        )
    if t.optimizer not in OPTIMIZERS:
        raise ConfigError(f"unknown optimizer {t.optimizer!r}; choose from {', '.join(OPTIMIZERS)}")
    if not (math.isfinite(t.lr) and t.lr > 0):
        raise ConfigError(f"--lr must be a finite number > 0, got {t.lr}; e.g. --lr 0.03")
    if not 1 <= t.epochs <= 100_000:
        raise ConfigError(f"--epochs must be between 1 and 100000, got {t.epochs}")
    if t.batch_size is not None and t.batch_size < 1:
        raise ConfigError(f"--batch-size must be at least 1, got {t.batch_size}")
    if not (math.isfinite(t.weight_decay) and t.weight_decay >= 0):
        raise ConfigError(f"--weight-decay must be a finite number >= 0, got {t.weight_decay}")
    if not 0 <= t.momentum < 1:
        raise ConfigError(f"momentum must be in [0, 1), got {t.momentum}")
    if t.target_loss is not None and not (math.isfinite(t.target_loss) and t.target_loss > 0):
        raise ConfigError(
            f"--target-loss must be a finite number > 0, got {t.target_loss}; e.g. 0.05"
        )
    if not 0 <= t.test_fraction < 0.9:
        raise ConfigError(f"--test-fraction must be in [0, 0.9), got {t.test_fraction}")
    if isinstance(cfg.seed, bool) or not isinstance(cfg.seed, int) or not 0 <= cfg.seed <= MAX_SEED:
        raise ConfigError(f"--seed must be a whole number from 0 to {MAX_SEED}, got {cfg.seed}")
    if not 2 <= e.snapshots <= 1000:
        raise ConfigError(f"--snapshots must be between 2 and 1000, got {e.snapshots}")
    if not 2 <= e.grid_lines <= 100:
        raise ConfigError(f"grid lines per axis must be between 2 and 100, got {e.grid_lines}")
    if not 100 <= e.grid_samples <= 1000:
        raise ConfigError(
            f"grid samples per line must be between 100 and 1000 (fewer look jagged after a "
            f"nonlinearity), got {e.grid_samples}"
        )
    if not 8 <= e.mesh_resolution <= 512:
        raise ConfigError(f"mesh resolution must be between 8 and 512, got {e.mesh_resolution}")
