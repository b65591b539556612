"""Trajectories for the evolution tests: the shared ones, plus no hidden layer and an early stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel.config import ModelConfig, TrainConfig
from tests.conftest import small_config


@pytest.fixture(scope="session")
def logreg_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """No hidden layer: logistic regression on the moons (no small multiples)."""
    from nnmodel.pipeline import train_to_file

    cfg = small_config(model=ModelConfig(hidden=()), train=TrainConfig(epochs=60, lr=0.05))
    return train_to_file(cfg, tmp_path_factory.mktemp("logreg") / "logreg.npz")


@pytest.fixture(scope="session")
def stopped_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-2 net stopped early once its loss fell to 0.45."""
    from nnmodel.pipeline import train_to_file

    cfg = small_config(
        model=ModelConfig(hidden=(8, 2)),
        train=TrainConfig(epochs=400, lr=0.05, target_loss=0.45),
    )
    return train_to_file(cfg, tmp_path_factory.mktemp("stopped") / "stopped.npz")
