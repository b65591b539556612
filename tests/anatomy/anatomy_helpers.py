"""Helpers of the anatomy's tests: an 8-class trajectory from a CSV, small networks that
showed the anatomy's flaws (:data:`NETS`), a scene built but not rendered."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.trajectory import Trajectory
from scenes.anatomy import Anatomy

BREEDS = (
    "Beagle",
    "Bulldog",
    "German Shepherd",
    "Golden Retriever",
    "Labrador",
    "Poodle",
    "Rottweiler",
    "Yorkshire Terrier",
)
COLUMNS = ("shoulder height in centimetres", "body weight in kilograms", "breed")


def train_dogs(folder: Path) -> Path:
    """8 dog breeds (long names) in 8 blobs, from a CSV whose columns have long names, in
    real units (so standardised), trained briefly: the trajectory's path."""
    from nnmodel.pipeline import train_to_file

    rng = np.random.default_rng(3)
    lines = [",".join(COLUMNS)]
    for k, breed in enumerate(BREEDS):
        centre = (50 + 14 * np.cos(k * np.pi / 4), 30 + 10 * np.sin(k * np.pi / 4))
        for x, y in rng.normal(centre, (3.0, 2.0), size=(20, 2)):
            lines.append(f"{x:.2f},{y:.2f},{breed}")
    csv = folder / "dogs.csv"
    csv.write_text("\n".join(lines) + "\n")
    cfg = RunConfig(
        data=DataConfig(str(csv), columns=COLUMNS),
        model=ModelConfig(hidden=(6,)),
        train=TrainConfig(epochs=40, lr=0.05),
        export=ExportConfig(snapshots=4, grid_lines=5, grid_samples=100, mesh_resolution=16),
        seed=0,
    )
    return train_to_file(cfg, folder / "dogs.npz")


def scene_for(traj: Trajectory, sample: int | None = None) -> Anatomy:
    """The anatomy scene for ``traj``, prepared (its pieces built, nothing rendered)."""
    scene = Anatomy(trajectory=traj, sample=sample)
    scene.prepare()
    return scene


#: Small networks that showed the anatomy's flaws, each trained in a second or so:
#: a 2-unit ReLU net on XOR (75 %: the old default point had both units zeroed), a
#: 16-16 ReLU net on three spiral arms (wide layers), a sigmoid net on the circles after
#: 5 epochs (no boundary in the plane yet), six 2-unit tanh layers on the spiral.
NETS = {
    "xor_relu": {
        "data": DataConfig("xor", samples=200),
        "model": ModelConfig(hidden=(2,), activation=("relu",)),
        "train": TrainConfig(epochs=300, lr=0.05),
    },
    "spiral_wide": {
        "data": DataConfig("spiral", samples=150, arms=3),
        "model": ModelConfig(hidden=(16, 16), activation=("relu",)),
        "train": TrainConfig(epochs=200, lr=0.02),
    },
    "circles_early": {
        "data": DataConfig("circles", samples=120),
        "model": ModelConfig(hidden=(3,), activation=("sigmoid",)),
        "train": TrainConfig(epochs=5, lr=0.03),
    },
    "deep_tanh": {
        "data": DataConfig("spiral", samples=150),
        "model": ModelConfig(hidden=(2,) * 6, activation=("tanh",)),
        "train": TrainConfig(epochs=150, lr=0.03),
    },
}


def train_net(name: str, folder: Path) -> Path:
    """One of :data:`NETS`, trained (with the tests' light export) into ``folder``."""
    from nnmodel.pipeline import train_to_file
    from tests.conftest import small_config

    return train_to_file(small_config(**NETS[name]), folder / f"{name}.npz")
