"""Shared fixtures: small real trajectories, trained once per test session."""

from __future__ import annotations

import atexit
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.sweep import Sweep
from scenes.compare.grid import GridSource
from tests.compare.compare_helpers import RUNS, relu_run

# Renders in tests are silent unless a test asks for a voice (tests/voice, the voiced render
# tests): `nnwarp render`'s default narrator would otherwise speak in every CLI test.
os.environ.setdefault("NNWARP_VOICE", "none")
# ...and in one process (a process costs seconds to start; tests/render covers -j).
os.environ.setdefault("NNWARP_JOBS", "1")
os.environ.setdefault("NNWARP_CACHE", "0")  # tests/render covers the section cache
# text outlines are kept for the session in a folder of its own, not the user's cache
if "NNWARP_TEXT_CACHE" not in os.environ:
    os.environ["NNWARP_TEXT_CACHE"] = _TEXT = tempfile.mkdtemp(prefix="nnwarp-text-")
    atexit.register(shutil.rmtree, _TEXT, True)


def small_config(**changes: object) -> RunConfig:
    """The default network, trained briefly, with a light export (fast tests)."""
    parts: dict[str, object] = {
        "data": DataConfig("moons", samples=120),
        "model": ModelConfig(hidden=(2, 2, 2, 2)),
        "train": TrainConfig(epochs=150, lr=0.05),
        "export": ExportConfig(snapshots=8, grid_lines=5, grid_samples=100, mesh_resolution=16),
        "seed": 0,
    }
    parts.update(changes)
    return RunConfig(**parts)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def moons_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trained 2-2-2-2 tanh moons trajectory."""
    from nnmodel.pipeline import train_to_file

    return train_to_file(small_config(), tmp_path_factory.mktemp("traj") / "moons.npz")


@pytest.fixture(scope="session")
def wide_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A relu net with a projected 5-wide layer and a 3-wide layer, on 3 classes from a CSV."""
    from nnmodel.datasets import make_dataset
    from nnmodel.pipeline import train_to_file

    folder = tmp_path_factory.mktemp("wide")
    ds = make_dataset("spiral", samples=150, arms=3, seed=1)
    names = np.array(["red", "green", "blue"])[ds.y]
    csv = folder / "spiral3.csv"
    lines = ["x,y,label"] + [f"{x:.6f},{y:.6f},{n}" for (x, y), n in zip(ds.X, names, strict=True)]
    csv.write_text("\n".join(lines) + "\n")
    cfg = small_config(
        data=DataConfig(str(csv)),
        model=ModelConfig(hidden=(5, 3, 3), activation=("relu",)),
        train=TrainConfig(epochs=200, lr=0.02),
    )
    return train_to_file(cfg, folder / "wide.npz")


@pytest.fixture(scope="module", params=["golden", "wide"])
def golden_or_wide(request: pytest.FixtureRequest) -> Any:
    """The golden trajectory (two classes, a 3-D layer), then :func:`wide_traj` (three
    classes, a projected layer), loaded."""
    from nnmodel.trajectory import load

    if request.param == "golden":
        return load(Path(__file__).parent / "data" / "golden.npz")
    return load(request.getfixturevalue("wide_traj"))


@pytest.fixture(scope="session")
def one_layer_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-2 tanh net (one hidden layer): the shortest full warp video, for render tests."""
    from nnmodel.pipeline import train_to_file

    cfg = small_config(model=ModelConfig(hidden=(2,)), train=TrainConfig(epochs=120, lr=0.05))
    return train_to_file(cfg, tmp_path_factory.mktemp("one") / "one.npz")


WINE = Path(__file__).resolve().parents[1] / "examples" / "wine" / "wine.csv"


def wine_config(standardize: bool | None = None) -> RunConfig:
    """Alcohol against proline (scales 395× apart) from the wine example, briefly trained."""
    return small_config(
        data=DataConfig(
            str(WINE), columns=("alcohol", "proline", "cultivar"), standardize=standardize
        ),
        model=ModelConfig(hidden=(2, 2)),
        train=TrainConfig(epochs=200, lr=0.05),
    )


@pytest.fixture(scope="session")
def wine_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real data in real units, standardised (the default for files)."""
    from nnmodel.pipeline import train_to_file

    return train_to_file(wine_config(), tmp_path_factory.mktemp("wine") / "wine.npz")


@pytest.fixture(scope="session")
def raw_wine_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same data with --no-standardize: the network sees mostly proline."""
    from nnmodel.pipeline import train_to_file

    return train_to_file(wine_config(False), tmp_path_factory.mktemp("wine") / "raw.npz")


@pytest.fixture(scope="session")
def wide8_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An 8-2 ReLU net on the moons: 8 units is wider than the diagram draws."""
    from nnmodel.pipeline import train_to_file

    cfg = small_config(
        model=ModelConfig(hidden=(8, 2), activation=("relu",)),
        train=TrainConfig(epochs=80, lr=0.05),
    )
    return train_to_file(cfg, tmp_path_factory.mktemp("wide8") / "wide8.npz")


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


@pytest.fixture(scope="session")
def story(tmp_path_factory: pytest.TempPathFactory) -> GridSource:
    """The four runs as a 2 × 2 grid, trained in parallel (and cached) by a sweep."""
    from nnmodel import sweep

    labels = list(RUNS)
    cells = list(RUNS.values())
    sw = Sweep(
        "story",
        "four ReLU runs",
        ("", ""),
        ("", ""),
        ((cells[0], cells[1]), (cells[2], cells[3])),
        ((labels[0], labels[1]), (labels[2], labels[3])),
        ("seed", "target_loss"),
    )
    trained = sweep.train(sw, tmp_path_factory.mktemp("story"), workers=2)
    return GridSource(trained.paths, sw.labels, sw.name, sw.description, sw.varies)


@pytest.fixture(scope="session")
def moons_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny run on another dataset (the moons)."""
    from nnmodel.pipeline import train_to_file

    cfg = dataclasses.replace(relu_run(0), data=DataConfig("moons", samples=80))
    return train_to_file(cfg, tmp_path_factory.mktemp("moons") / "moons.npz")


# --------------------------------------------------------------------------- golden frames
# Options read by manim.utils.testing.frames_comparison (tests/test_golden.py), as in
# Manim's own test suite: --set_test writes the control frames, --show_diff plots a failure.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--set_test",
        action="store_true",
        default=False,
        help="write the control frames of golden-frame tests instead of comparing",
    )
    parser.addoption(
        "--show_diff",
        action="store_true",
        default=False,
        help="plot the difference when a golden-frame comparison fails",
    )


def _allow_old_cairo() -> None:
    """frames_comparison silently skips on Cairo < 1.18; the frames here are our own."""
    import importlib

    importlib.import_module("manim.utils.testing.frames_comparison").MIN_CAIRO_VERSION = 0


_allow_old_cairo()


@pytest.fixture(scope="session")
def dogs_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """8 dog breeds with long names, from a CSV with long column names, standardised."""
    from tests.anatomy.anatomy_helpers import train_dogs

    return train_dogs(tmp_path_factory.mktemp("dogs"))


@pytest.fixture(scope="module")
def own_media(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Text drawn by the module (nothing rendered) goes to a media folder of its own
    (``pytestmark = pytest.mark.usefixtures("own_media")``)."""
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield
