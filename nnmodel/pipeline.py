"""From a config to a trajectory file on disk: load data, check the budget, train, export."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from nnmodel import __version__, datasets, export, trajectory
from nnmodel.baseline import fit_line
from nnmodel.config import RunConfig
from nnmodel.datacheck import DataReport, check_data
from nnmodel.datasets import Dataset
from nnmodel.errors import ConfigError, DataError, TrajectoryError
from nnmodel.fileio import check_file_target, clean_stale
from nnmodel.scaling import Scaling, constant_column, fit_scaling
from nnmodel.split import split_mask

if TYPE_CHECKING:
    from nnmodel.train import Grads, Progress, TrainResult, Weights

__all__ = [
    "Prepared",
    "cache_path",
    "check_budget",
    "ensure_trajectory",
    "load_data",
    "prepare",
    "standardize",
    "train_to_file",
    "usable_cache",
]


@dataclass(frozen=True)
class Prepared:
    """A config with its data loaded and checked: everything needed before training.

    ``data`` is what the network sees (standardised when ``standardization`` is set);
    ``raw`` is the data in its own units.
    """

    cfg: RunConfig
    data: Dataset
    digest: str  # sha256 of the data file's bytes ('' for built-ins)
    raw: Dataset | None = None
    standardization: Scaling | None = None

    def data_report(self) -> DataReport:
        """:func:`nnmodel.datacheck.check_data` on the data in its own units."""
        raw = self.raw or self.data
        train_rows = ~split_mask(len(raw.y), self.cfg.train.test_fraction, self.cfg.seed)
        return check_data(
            raw.X,
            raw.y,
            train_rows,
            raw.class_names,
            raw.feature_names,
            standardized=self.standardization is not None,
        )


def train(
    cfg: RunConfig,
    data: Dataset,
    *,
    hidden: tuple[int, ...] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """:func:`nnmodel.train.train`, imported when a network is trained, not before: torch
    takes seconds to import, and a render from a cached trajectory never needs it."""
    from nnmodel import train as trainer

    return trainer.train(cfg, data, hidden=hidden, progress=progress)


def gradients_at(
    weights: Weights,
    activations: Sequence[str],
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    test_mask: npt.ArrayLike,
) -> Grads:
    """:func:`nnmodel.train.gradients_at`, imported only when used (like :func:`train`)."""
    from nnmodel import train as trainer

    return trainer.gradients_at(weights, activations, x, y, test_mask)


def _digest(cfg: RunConfig) -> str:
    """The sha256 of the config's data file ('' for built-ins)."""
    return hashlib.sha256(Path(cfg.data.name).read_bytes()).hexdigest() if cfg.data.is_file else ""


def load_data(cfg: RunConfig) -> tuple[Dataset, str]:
    """The dataset a config names, and the sha256 of its file ('' for built-ins)."""
    d = cfg.data
    if d.is_file:
        return datasets.load_file(d.name, d.columns), _digest(cfg)
    return datasets.make_dataset(
        d.name, samples=d.samples, noise=d.noise, seed=cfg.seed, arms=d.arms
    ), ""


def check_budget(cfg: RunConfig, data: Dataset) -> int:
    """Refuse a config whose trajectory file would exceed :data:`export.MAX_FILE_BYTES`.

    Returns the estimated size in bytes.
    """
    size = export.estimate_bytes(cfg, len(data.y), data.n_classes)
    if size > export.MAX_FILE_BYTES:
        mb, limit = size / 2**20, export.MAX_FILE_BYTES / 2**20
        raise ConfigError(
            f"this network's trajectory file would take about {mb:,.0f} MB, over the limit of "
            f"{limit:.0f} MB (each of the {len(data.y)} points is stored for every layer at "
            f"every snapshot); use fewer --snapshots (now {cfg.export.snapshots}), fewer "
            "points or fewer and narrower --hidden layers"
        )
    return size


def standardize(cfg: RunConfig, data: Dataset) -> tuple[Dataset, Scaling | None]:
    """``data`` as the network will see it: standardised if ``cfg`` says so.

    The mean and standard deviation come from the training points only (the split is
    :func:`nnmodel.split.split_mask`, the one training uses).

    Raises
    ------
    DataError
        If an input column has a single value (it cannot tell the classes apart, and
        standardising it would divide by zero).
    """
    names = data.feature_names
    k = constant_column(data.X)
    if k is not None:
        raise DataError(
            f"{data.name}: column '{names[k]}' has the same value ({float(data.X[0, k]):g}) "
            "in every row, so it cannot tell the classes apart; choose another column "
            "with --columns"
        )
    if not cfg.data.standardizes:
        return data, None
    train_rows = ~split_mask(len(data.y), cfg.train.test_fraction, cfg.seed)
    scaling = fit_scaling(data.X, train_rows, names, data.name)
    x = scaling.apply(data.X).astype(np.float32)
    return replace(data, X=np.ascontiguousarray(x)), scaling


def prepare(cfg: RunConfig) -> Prepared:
    """Load and check ``cfg``'s data and the size of its trajectory (before any training)."""
    raw, digest = load_data(cfg)
    data, scaling = standardize(cfg, raw)
    check_budget(cfg, data)
    return Prepared(cfg, data, digest, raw, scaling)


def train_to_file(
    cfg: RunConfig | Prepared, out: str | os.PathLike[str], progress: Progress | None = None
) -> Path:
    """Train ``cfg`` and write its trajectory atomically to ``out``. Returns the path.

    ``out`` is replaced only if it is a trajectory nnwarp wrote
    (:func:`nnmodel.trajectory.is_trajectory_file`); any other file there is refused
    before training starts. The gradients stored at each snapshot are torch autograd's
    (:func:`nnmodel.train.gradients_at`). A run that diverged is written too, up to its
    last finite epoch, with ``final.diverged`` saying where.
    """
    import torch

    prep = cfg if isinstance(cfg, Prepared) else prepare(cfg)
    out = Path(out)
    check_file_target(out, "-o", trajectory.is_trajectory_file, "trajectory", create=True)
    result = train(prep.cfg, prep.data, progress=progress)
    hidden_acts = prep.cfg.model.activations() if prep.cfg.model.hidden else ()

    def autograd(epoch: int) -> export.Grads:
        weights = result.weights[epoch]
        return list(gradients_at(weights, hidden_acts, prep.data.X, prep.data.y, result.test_mask))

    info, arrays = export.build(
        prep.cfg,
        prep.data,
        result.weights,
        result.epochs_trained,
        result.metrics,
        result.test_mask,
        stopped_early=result.stopped_early,
        baseline=fit_line(prep.data, result.test_mask),
        data_digest=prep.digest,
        torch_version=torch.__version__.split("+")[0],
        standardization=prep.standardization,
        gradients=autograd,
        diverged=result.diverged,
    )
    return trajectory.write(out, info, arrays)


def cache_path(cfg: RunConfig | Prepared, cache_dir: str | os.PathLike[str]) -> Path:
    """Where the cached trajectory of ``cfg`` lives: keyed by the config hash (with the
    data's) and the exporter's revision (:data:`nnmodel.export.EXPORT_REVISION`)."""

    if isinstance(cfg, Prepared):
        prep_cfg, digest = cfg.cfg, cfg.digest
    else:
        prep_cfg, digest = cfg, _digest(cfg)
    stem = Path(prep_cfg.data.name).stem if prep_cfg.data.is_file else prep_cfg.data.name
    return Path(cache_dir) / f"{stem}-{prep_cfg.config_hash(digest)}-r{export.EXPORT_REVISION}.npz"


#: Cached trajectory files this process has loaded whole, with their modification time
#: and size then: unchanged since, they need not be read again to be trusted.
_checked: dict[Path, tuple[int, int]] = {}


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def usable_cache(path: Path) -> bool:
    """Whether the cached trajectory at ``path`` can be used as it is: it loads, and this
    nnwarp wrote it (another may have trained or exported it differently). A stale or
    corrupt entry is trained again over."""
    if _stamp(path) == _checked.get(path):
        return True  # (loaded fine before in this process: a --watch re-render)
    try:
        if trajectory.load(path).info.versions.nnwarp != __version__:
            return False
    except TrajectoryError:
        return False
    _checked[path] = _stamp(path)
    return True


def ensure_trajectory(
    cfg: RunConfig | Prepared,
    cache_dir: str | os.PathLike[str],
    *,
    retrain: bool = False,
    progress: Progress | None = None,
) -> tuple[Path, bool]:
    """The cached trajectory for ``cfg``, training only if needed. Returns (path, trained)."""
    prep = cfg if isinstance(cfg, Prepared) else prepare(cfg)
    path = cache_path(prep, cache_dir)
    if path.exists() and not retrain and usable_cache(path):
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(path.parent)
    return train_to_file(prep, path, progress), True
