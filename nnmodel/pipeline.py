"""From a config to a trajectory file on disk: load data, train, export, cache."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from nnmodel import datasets, export, trajectory
from nnmodel.config import RunConfig
from nnmodel.datasets import Dataset
from nnmodel.train import Progress, train


def load_data(cfg: RunConfig) -> tuple[Dataset, str]:
    """The dataset a config names, and the sha256 of its file ('' for built-ins)."""
    d = cfg.data
    if d.is_file:
        ds = datasets.load_file(d.name)
        return ds, hashlib.sha256(Path(d.name).read_bytes()).hexdigest()
    return datasets.make_dataset(
        d.name, samples=d.samples, noise=d.noise, seed=cfg.seed, arms=d.arms
    ), ""


def _baseline(cfg: RunConfig, data: Dataset) -> dict[str, object]:
    """Logistic regression (no hidden layer) on the same data: the 'a line fails' opening."""
    result = train(cfg, data, hidden=())
    (w, b) = result.final_weights[0]
    return {
        "W": w.astype(float).tolist(),
        "b": b.astype(float).tolist(),
        "train_acc": result.metrics["train_acc"][result.epochs_trained],
        "test_acc": result.metrics["test_acc"][result.epochs_trained],
    }


def train_to_file(
    cfg: RunConfig, out: str | os.PathLike[str], progress: Progress | None = None
) -> Path:
    """Train ``cfg`` and write its trajectory atomically to ``out``. Returns the path."""
    import torch

    data, digest = load_data(cfg)
    result = train(cfg, data, progress=progress)
    manifest, arrays = export.build(
        cfg,
        data,
        result.weights,
        result.epochs_trained,
        result.metrics,
        result.test_mask,
        stopped_early=result.stopped_early,
        baseline=_baseline(cfg, data),
        data_digest=digest,
        versions={"torch": torch.__version__.split("+")[0]},
    )
    return trajectory.write(out, manifest, arrays)


def cache_path(cfg: RunConfig, cache_dir: str | os.PathLike[str]) -> Path:
    """Where the cached trajectory of ``cfg`` lives (keyed by the config hash)."""
    digest = ""
    if cfg.data.is_file and Path(cfg.data.name).exists():
        digest = hashlib.sha256(Path(cfg.data.name).read_bytes()).hexdigest()
    stem = Path(cfg.data.name).stem if cfg.data.is_file else cfg.data.name
    return Path(cache_dir) / f"{stem}-{cfg.config_hash(digest)}.npz"


def ensure_trajectory(
    cfg: RunConfig,
    cache_dir: str | os.PathLike[str],
    *,
    retrain: bool = False,
    progress: Progress | None = None,
) -> tuple[Path, bool]:
    """The cached trajectory for ``cfg``, training only if needed. Returns (path, trained)."""
    path = cache_path(cfg, cache_dir)
    if path.exists() and not retrain:
        try:
            trajectory.load(path)
            return path, False
        except Exception:  # a stale or corrupt cache entry: retrain over it
            pass
    return train_to_file(cfg, path, progress), True


__all__ = ["cache_path", "ensure_trajectory", "load_data", "train_to_file"]
