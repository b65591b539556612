"""Trajectories for the anatomy tests: the shared ones, plus a layer too wide to draw."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel.config import ModelConfig, TrainConfig
from tests.conftest import small_config


@pytest.fixture(scope="session")
def wide8_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 8-2 ReLU net on the moons: 8 units is wider than the diagram draws."""
    from nnmodel.pipeline import train_to_file

    cfg = small_config(
        model=ModelConfig(hidden=(8, 2), activation=("relu",)),
        train=TrainConfig(epochs=80, lr=0.05),
    )
    return train_to_file(cfg, tmp_path_factory.mktemp("wide8") / "wide8.npz")
