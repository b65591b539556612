"""A stand-in for the batch's training: the golden trajectory, under the network's name."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

#: A trajectory of another shape than the tests' small networks (2 → 2 → 3 → 1): a job
#: that shows it rendered the batch's file, not a network of its own.
GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def install_fake_training(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Make the batch's trainings copy :data:`GOLDEN` into the cache; returns the list of
    the files "trained", in order."""
    trainings: list[Path] = []

    def fake_training(prep: Any, out: Any, cache: Path, retrain: bool, quiet: bool) -> Any:
        from nnmodel import pipeline

        path = pipeline.cache_path(prep, cache)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(GOLDEN, path)
        trainings.append(path)
        return path, True

    monkeypatch.setattr("scenes.cli.commands.run_training", fake_training)
    return trainings
