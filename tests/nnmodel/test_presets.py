"""Tests for nnmodel.presets: the seed posts' experiments as grids of runs."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from nnmodel import presets
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig, validate
from nnmodel.datasets import make_dataset
from nnmodel.errors import ConfigError
from nnmodel.presets import PRESETS, Preset

ALL_RUNS = [
    pytest.param(cfg, id=f"{preset.name}/{label.replace(' · ', '/')}")
    for preset in PRESETS.values()
    for label, cfg in preset.runs()
]


# --------------------------------------------------------------------------- sandwich-grid
#
# "Understanding Neural Networks (with Graphs)", Pablo Leo, 2020 (seeds/004), quoted:
#   "400 samples equally distributed in two classes (0 and 1), each sample having two
#    dimensions (X0 and X1)."
#   "All the data comes from three random normal distributions with means [-1, 0, 1] and
#    standard deviations [0.5, 0.5, 0.5]."
#   "The dimension of the hidden layer is minimal (2 neurons)"
#   "The hidden layer has a ReLU or a tanh activation function."
#   "The output layer has a sigmoid activation function"
#   "trained using 2 different activation functions in the hidden layer (ReLU and Tanh) and
#    3 different learning rates (0.1, 0.01, and 0.001)."
#   "The loss function used is the binary cross-entropy ... the optimizer is ... Adam. The
#    model training stops when it reaches the epoch number 200 or the loss goes below 0.263."
# The post does not say (nnwarp's choices): full batch, no weight decay, no held-out points,
# seed 0.

POST_SAMPLES = 400
POST_MEANS = (-1.0, 0.0, 1.0)
POST_SD = 0.5
POST_HIDDEN = (2,)
POST_ACTIVATIONS = ("relu", "tanh")
POST_LRS = (0.1, 0.01, 0.001)
POST_EPOCHS = 200
POST_TARGET_LOSS = 0.263


def test_sandwich_grid_is_the_posts_setup_field_by_field() -> None:
    grid = presets.get("sandwich-grid")
    assert grid.shape == (len(POST_ACTIVATIONS), len(POST_LRS))
    for i, activation in enumerate(POST_ACTIVATIONS):
        for j, lr in enumerate(POST_LRS):
            cfg = grid.cells[i][j]
            assert cfg.data.name == "sandwich"
            assert cfg.data.samples == POST_SAMPLES
            assert cfg.data.noise == POST_SD
            assert cfg.model.hidden == POST_HIDDEN
            assert cfg.model.activation == (activation,)
            assert cfg.train.optimizer == "adam"
            assert cfg.train.lr == lr
            assert cfg.train.epochs == POST_EPOCHS
            assert cfg.train.target_loss == POST_TARGET_LOSS
            # not in the post: one full-batch step an epoch, no weight decay, no test split
            assert cfg.train.batch_size is None
            assert cfg.train.weight_decay == 0.0
            assert cfg.train.test_fraction == 0.0
            assert cfg.seed == 0
            # ... and nothing else differs from nnwarp's defaults
            assert cfg == RunConfig(
                data=DataConfig(name="sandwich", samples=POST_SAMPLES, noise=POST_SD),
                model=ModelConfig(hidden=POST_HIDDEN, activation=(activation,)),
                train=TrainConfig(
                    optimizer="adam",
                    lr=lr,
                    epochs=POST_EPOCHS,
                    batch_size=None,
                    weight_decay=0.0,
                    target_loss=POST_TARGET_LOSS,
                    test_fraction=0.0,
                ),
                export=ExportConfig(),
                seed=0,
            )


def test_sandwich_grid_labels() -> None:
    grid = presets.get("sandwich-grid")
    assert grid.rows == ("ReLU", "tanh")
    assert grid.columns == ("lr 0.1", "lr 0.01", "lr 0.001")
    assert grid.labels[0] == ("ReLU · lr 0.1", "ReLU · lr 0.01", "ReLU · lr 0.001")
    assert grid.labels[1][2] == "tanh · lr 0.001"
    assert [label for label, _ in grid.runs()][3] == "tanh · lr 0.1"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sandwich_data_is_the_posts_recipe(seed: int) -> None:
    d = presets.get("sandwich-grid").cells[0][0].data
    ds = make_dataset(d.name, samples=d.samples, noise=d.noise, seed=seed, arms=d.arms)
    # "400 samples equally distributed in two classes (0 and 1), each ... two dimensions"
    assert ds.X.shape == (POST_SAMPLES, 2)
    assert np.bincount(ds.y).tolist() == [200, 200]
    assert ds.class_names == ("outer", "middle")
    # three clouds with means -1, 0, 1 (in both dimensions) and standard deviation 0.5:
    # the middle one is class 1, the two outer ones (100 points each) class 0. The outer
    # clouds are 2.8 standard deviations from the diagonal's midpoint, so splitting them
    # by the sign of x + y misplaces about 1 point in 400.
    x = ds.X.astype(np.float64)
    outer = x[ds.y == 0]
    clouds = {
        POST_MEANS[0]: outer[outer.sum(axis=1) < 0],
        POST_MEANS[1]: x[ds.y == 1],
        POST_MEANS[2]: outer[outer.sum(axis=1) >= 0],
    }
    for mean, cloud in clouds.items():
        n = len(cloud)
        assert n == 200 if mean == 0 else abs(n - 100) <= 3
        # standard errors: 0.5 / sqrt(n) for a mean (0.05), about 0.5 / sqrt(2 n) for a sd
        np.testing.assert_allclose(cloud.mean(axis=0), [mean, mean], atol=4 * POST_SD / n**0.5)
        np.testing.assert_allclose(cloud.std(axis=0), POST_SD, atol=4 * POST_SD / (2 * n) ** 0.5)


def test_sandwich_without_noise_sits_on_the_three_means() -> None:
    """Exact counts: with noise 0 every point is at its cloud's mean."""
    ds = make_dataset("sandwich", samples=POST_SAMPLES, noise=0.0, seed=0)
    centres, counts = np.unique(ds.X, axis=0, return_counts=True)
    assert centres.tolist() == [[m, m] for m in POST_MEANS]
    assert counts.tolist() == [100, 200, 100]
    middle = (ds.X == 0).all(axis=1)
    np.testing.assert_array_equal(ds.y, middle.astype(np.int64))


def test_sandwich_grid_cells_train_as_measured() -> None:
    """Two tiny runs (200 full-batch epochs of a 2-2-1 net): lr 0.1 learns, 0.001 barely."""
    from nnmodel.train import train

    grid = presets.get("sandwich-grid")
    fast, slow = grid.cells[1][0], grid.cells[1][2]  # tanh · lr 0.1, tanh · lr 0.001
    data = make_dataset("sandwich", samples=400, noise=0.5, seed=fast.seed)
    results = [train(cfg, data) for cfg in (fast, slow)]
    for result in results:
        assert result.epochs_trained == POST_EPOCHS and not result.stopped_early
        assert result.metrics["test_acc"][-1] is None  # no held-out points
    fast_acc, slow_loss = results[0].metrics["train_acc"][-1], results[1].metrics["train_loss"][-1]
    assert fast_acc is not None and fast_acc > 0.85
    assert slow_loss is not None and slow_loss > 0.6  # log 2 = 0.69 is a coin toss


# --------------------------------------------------------------------------- spiral-depth


def test_spiral_depth_cells() -> None:
    grid = presets.get("spiral-depth")
    assert grid.shape == (1, 3)
    assert grid.rows == ("tanh",)
    assert grid.columns == (
        "2, 2 · too narrow",
        "2, 2, 2, 2, 2, 2 · too deep and narrow",
        "8, 2 · wide enough",
    )
    assert grid.labels[0][2] == "tanh · 8, 2 · wide enough"
    cells = grid.cells[0]
    assert [cfg.model.hidden for cfg in cells] == [(2, 2), (2, 2, 2, 2, 2, 2), (8, 2)]
    for cfg in cells:
        assert cfg.data == DataConfig(name="spiral")
        assert cfg.model.activation == ("tanh",)
        # only the hidden layers differ between the cells
        assert dataclasses.replace(cfg, model=cells[0].model) == cells[0]


# --------------------------------------------------------------------------- every preset


@pytest.mark.parametrize("cfg", ALL_RUNS)
def test_every_cell_is_a_valid_run_config(cfg: RunConfig) -> None:
    from nnmodel import pipeline

    assert isinstance(cfg, RunConfig)
    validate(cfg)
    assert RunConfig.from_dict(cfg.to_dict()) == cfg
    pipeline.prepare(cfg)  # its data generates and its trajectory is within the size limit


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_shape_and_labels(name: str) -> None:
    preset = PRESETS[name]
    assert preset.name == name
    assert presets.get(name.upper().replace("-", "_")) is preset
    rows, cols = preset.shape
    assert len(preset.cells) == len(preset.labels) == rows
    assert all(len(r) == cols for r in (*preset.cells, *preset.labels))
    labels = [label for label, _ in preset.runs()]
    assert len(set(labels)) == len(labels) == rows * cols
    assert len({cfg.config_hash() for _, cfg in preset.runs()}) == rows * cols
    for text in (preset.description, preset.source, *preset.rows, *preset.columns, *labels):
        assert text and "\n" not in text


def test_with_seed() -> None:
    grid = presets.get("sandwich-grid")
    moved = grid.with_seed(7)
    assert {cfg.seed for _, cfg in moved.runs()} == {7}
    assert moved.labels == grid.labels
    assert dataclasses.replace(moved.cells[0][1], seed=0) == grid.cells[0][1]
    with pytest.raises(ConfigError, match="seed"):
        grid.with_seed(-1)


def test_mismatched_grid_is_refused() -> None:
    cfg = RunConfig()
    with pytest.raises(ValueError, match="2 rows of 1"):
        Preset("p", "d", "s", ("a", "b"), ("c",), ((cfg,),), (("a · c",),))


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("sandwich", "did you mean 'sandwich-grid'? "),
        ("spiral-deep", "did you mean 'spiral-depth'? "),
        ("bananas", ""),
    ],
)
def test_unknown_preset_is_one_clear_line(name: str, hint: str) -> None:
    with pytest.raises(ConfigError) as info:
        presets.get(name)
    message = str(info.value)
    assert message == f"unknown preset '{name}'; {hint}choose one of: sandwich-grid, spiral-depth"
