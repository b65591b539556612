"""nnmodel.record: a user's own PyTorch model and training loop, written as a trajectory."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from torch import nn

import nnmodel
from nnmodel import trajectory
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import make_dataset
from nnmodel.errors import ConfigError, DataError, OutputError, TrainingError
from nnmodel.pipeline import load_data, train_to_file
from nnmodel.recorder import RECORDED_DATA, SUPPORTED
from nnmodel.schema import METRIC_NAMES
from nnmodel.train import split_mask

ROOT = Path(__file__).resolve().parents[2]
LIGHT = ExportConfig(snapshots=60, grid_lines=5, grid_samples=100, mesh_resolution=16)


@pytest.fixture(autouse=True)
def one_thread() -> None:
    torch.set_num_threads(1)  # as the trainer does: tiny nets, and the same floats


def moons(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    data = make_dataset("moons", samples=n, seed=1)
    return data.X, data.y


def fit(
    model: nn.Module, x: np.ndarray, y: np.ndarray, rec: Any, epochs: int, every: int = 1
) -> None:
    """A user's loop: full-batch Adam, BCE for one output, CE otherwise."""
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    rec.snapshot(0)
    for epoch in range(1, epochs + 1):
        opt.zero_grad()
        out = model(xt)
        if out.shape[1] == 1:
            loss = nn.functional.binary_cross_entropy_with_logits(out[:, 0], yt.float())
        else:
            loss = nn.functional.cross_entropy(out, yt)
        loss.backward()
        opt.step()
        if epoch % every == 0:
            rec.snapshot(epoch, loss=loss.item())


# --------------------------------------------------------------------------- (a) equality


def test_the_recorders_file_equals_the_built_in_trainers(tmp_path: Path) -> None:
    """The same network, data, seed and loop: the same weights, stages, mesh and metrics."""
    cfg = RunConfig(
        data=DataConfig("moons", samples=100),
        model=ModelConfig(hidden=(2, 2), activation=("tanh",)),
        train=TrainConfig(optimizer="adam", lr=0.05, epochs=30),
        export=LIGHT,
        seed=3,
    )
    built = trajectory.load(train_to_file(cfg, tmp_path / "built.npz"))

    # The user's side: nnmodel.train.train's loop, written out with an nn.Sequential.
    data, _ = load_data(cfg)
    tc = cfg.train
    torch.manual_seed(cfg.seed)
    model = nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 1))
    opt = torch.optim.Adam(model.parameters(), lr=tc.lr, weight_decay=tc.weight_decay)
    mask = split_mask(len(data.y), tc.test_fraction, cfg.seed)
    rec = nnmodel.record(
        model, data.X, data.y, test_mask=mask, seed=cfg.seed, optimizer=opt, export_config=LIGHT
    )
    x_tr = torch.from_numpy(data.X)[~mask]
    y_tr = torch.from_numpy(data.y)[~mask]
    loss_fn = nn.BCEWithLogitsLoss()
    rec.snapshot(0)
    for epoch in range(1, tc.epochs + 1):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x_tr)[:, 0], y_tr.float())
        loss.backward()
        opt.step()
        rec.snapshot(epoch, loss=loss.item())
    mine = trajectory.load(rec.save(tmp_path / "recorded.npz"))
    assert mine.info.dataset.source == "recorded" and built.info.dataset.source == "builtin"
    # both store gradients (schema version 2): the trainer's from torch autograd, the
    # recorder's from numpy, both in float64 from the same weights: the same float32s below
    assert mine.info.schema_version == built.info.schema_version == 2
    assert mine.info.gradients == built.info.gradients is not None

    with np.load(built.path) as a, np.load(mine.path) as b:
        assert sorted(a.files) == sorted(b.files)
        for key in a.files:
            if key != "manifest":
                np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    assert mine.n_snapshots == built.n_snapshots == tc.epochs + 1
    for s in range(mine.n_snapshots):
        for ours, theirs in zip(mine.stages(s), built.stages(s), strict=True):
            assert (ours.kind, ours.layer, ours.activation) == (
                theirs.kind,
                theirs.layer,
                theirs.activation,
            )
            np.testing.assert_array_equal(ours.points, theirs.points)
            np.testing.assert_array_equal(ours.grid, theirs.grid)

    i, j = mine.info, built.info
    assert (i.layers, i.snapshot_epochs, i.unit_swaps) == (
        j.layers,
        j.snapshot_epochs,
        j.unit_swaps,
    )
    assert i.dataset.class_names == j.dataset.class_names
    for key in ("model", "train", "export", "seed"):
        assert i.config[key] == j.config[key], key
    assert i.config["data"]["name"] == RECORDED_DATA
    # Metrics: the trainer measures in float32 torch, the recorder in float64 numpy.
    for key in METRIC_NAMES:
        np.testing.assert_allclose(
            np.array(i.metrics.as_dict()[key], float),
            np.array(j.metrics.as_dict()[key], float),
            rtol=1e-5,
            err_msg=key,
        )
    assert i.final.epochs_trained == j.final.epochs_trained == tc.epochs
    assert i.final.train_acc == pytest.approx(j.final.train_acc, rel=1e-6)
    assert i.baseline is not None
    assert rec.losses[tc.epochs] == pytest.approx(loss.item())


# --------------------------------------------------------------------------- (b) bad models


class Doubler(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 2 * x


def lin(a: int, b: int) -> nn.Linear:
    return nn.Linear(a, b)


BAD_MODELS: list[tuple[str, Callable[[], nn.Module], tuple[str, ...]]] = [
    (
        "conv",
        lambda: nn.Sequential(lin(2, 4), nn.Conv2d(1, 1, 3), lin(4, 1)),
        ("model[1]", "Conv2d"),
    ),
    (
        "batchnorm",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), nn.BatchNorm1d(4), lin(4, 1)),
        ("model[2]", "BatchNorm1d"),
    ),
    (
        "dropout",
        lambda: nn.Sequential(lin(2, 4), nn.ReLU(), nn.Dropout(0.2), lin(4, 1)),
        ("model[2]", "Dropout", "remove it"),
    ),
    (
        "dropout-eval",
        lambda: nn.Sequential(lin(2, 4), nn.ReLU(), nn.Dropout(0.2), lin(4, 1)).eval(),
        ("model[2]", "Dropout"),
    ),
    (
        "custom",
        lambda: nn.Sequential(lin(2, 4), Doubler(), lin(4, 1)),
        ("model[1]", "Doubler (a custom module)"),
    ),
    ("gelu", lambda: nn.Sequential(lin(2, 4), nn.GELU(), lin(4, 1)), ("model[1]", "GELU")),
    (
        "subclass-of-linear",
        lambda: nn.Sequential(type("MyLinear", (nn.Linear,), {})(2, 4), nn.Tanh(), lin(4, 1)),
        ("model[0]", "MyLinear (a custom module)"),
    ),
    (
        "nested",
        lambda: nn.Sequential(nn.Sequential(lin(2, 4), nn.Tanh()), lin(4, 1)),
        ("model[0]", "flatten"),
    ),
    (
        "leaky-slope",
        lambda: nn.Sequential(lin(2, 4), nn.LeakyReLU(0.2), lin(4, 1)),
        ("model[1]", "negative_slope=0.2", "negative_slope=0.01"),
    ),
    (
        "elu-alpha",
        lambda: nn.Sequential(lin(2, 4), nn.ELU(alpha=0.5), lin(4, 1)),
        ("model[1]", "alpha=0.5"),
    ),
    (
        "softplus-beta",
        lambda: nn.Sequential(lin(2, 4), nn.Softplus(beta=2), lin(4, 1)),
        ("model[1]", "beta=2"),
    ),
    (
        "two-linears",
        lambda: nn.Sequential(lin(2, 4), lin(4, 4), nn.Tanh(), lin(4, 1)),
        ("model[1]", "model[0]", "nn.Identity()"),
    ),
    (
        "two-activations",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), nn.ReLU(), lin(4, 1)),
        ("model[2]", "model[1]"),
    ),
    ("starts-with-activation", lambda: nn.Sequential(nn.Tanh(), lin(2, 1)), ("model[0]",)),
    (
        "ends-in-tanh",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), lin(4, 1), nn.Tanh()),
        ("model[3]", "output Linear"),
    ),
    (
        "softmax-inside",
        lambda: nn.Sequential(lin(2, 4), nn.Softmax(dim=1), lin(4, 1)),
        ("model[1]", "Softmax"),
    ),
    (
        "softmax-dim-0",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), lin(4, 2), nn.Softmax(dim=0)),
        ("model[3]", "dim=1"),
    ),
    (
        "sigmoid-on-two",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), lin(4, 2), nn.Sigmoid()),
        ("model[3]", "1 output"),
    ),
    ("three-inputs", lambda: nn.Sequential(lin(3, 4), nn.Tanh(), lin(4, 1)), ("model[0]", "2-D")),
    (
        "mismatched-sizes",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), lin(5, 1)),
        ("model[2]", "nn.Linear(4, 1)"),
    ),
    ("too-wide", lambda: nn.Sequential(lin(2, 65), nn.Tanh(), lin(65, 1)), ("model[0]", "64")),
    (
        "too-deep",
        lambda: nn.Sequential(
            lin(2, 2), *[m for _ in range(9) for m in (nn.Tanh(), lin(2, 2))][:-1], lin(2, 1)
        ),
        ("9 hidden layers", "8"),
    ),
    (
        "three-outputs-for-two-classes",
        lambda: nn.Sequential(lin(2, 4), nn.Tanh(), lin(4, 3)),
        ("model[2]", "3 outputs", "2 classes"),
    ),
    ("not-sequential", lambda: lin(2, 1), ("nn.Sequential", "Linear")),
    ("empty", lambda: nn.Sequential(), ("empty",)),
]


@pytest.mark.parametrize(
    ("make", "words"), [(m, w) for _, m, w in BAD_MODELS], ids=[i for i, _, _ in BAD_MODELS]
)
def test_a_model_nnwarp_cannot_show_is_refused_naming_the_layer(
    make: Callable[[], nn.Module], words: tuple[str, ...]
) -> None:
    x, y = moons()
    with pytest.raises(ConfigError) as caught:
        nnmodel.record(make(), x, y)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_an_unsupported_layer_lists_what_is_supported() -> None:
    x, y = moons()
    with pytest.raises(ConfigError) as caught:
        nnmodel.record(nn.Sequential(lin(2, 4), nn.Conv2d(1, 1, 3), lin(4, 1)), x, y)
    for spelled, _ in SUPPORTED:
        assert spelled in str(caught.value)


# --------------------------------------------------------------------------- bad data, misuse

GOOD = nn.Sequential(lin(2, 3), nn.Tanh(), lin(3, 1))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"X": np.zeros((40, 3))}, ("X has shape (40, 3)", "(N, 2)")),
        ({"X": np.zeros((3, 2)), "y": np.array([0, 1, 1])}, ("at least 4",)),
        ({"X": np.zeros((20_001, 2)), "y": np.arange(20_001) % 2}, ("20000", "subsample")),
        ({"X": np.where(np.eye(40, 2, -5) > 0, np.nan, 0.0)}, ("X[5, 0]", "not a finite")),
        ({"X": np.array([["a", "b"]] * 40)}, ("dtype",)),
        ({"y": np.r_[0.5, np.zeros(39)]}, ("y[0] = 0.5", "whole number")),
        ({"y": np.r_[-1, np.ones(39)].astype(int)}, ("y[0] = -1", "negative")),
        ({"y": np.zeros(40, int)}, ("only the class 0", "2 classes")),
        ({"y": np.zeros((40, 1), int)}, ("(40, 1)", "ravel")),
        ({"y": np.r_[0, 2, np.ones(38)].astype(int)}, ("class 0", "1 point")),
        ({"y": np.arange(40) % 9}, ("9 classes", "8")),
        ({"y": np.array(["a", "b"] * 20)}, ("class_names",)),
        ({"class_names": ["a", "a"]}, ("distinct",)),
        ({"class_names": ["a"]}, ("names 1 class;", "at least 2")),
        ({"class_names": ["a", "b", "c"], "y": np.arange(40) % 4}, ("y[3] = 3", "3 classes")),
        ({"test_mask": np.zeros(39, bool)}, ("test_mask", "(40,)")),
        ({"test_mask": np.ones(40, bool)}, ("holds out 40 of 40",)),
        ({"name": "two\nlines"}, ("one-line",)),
    ],
)
def test_bad_data_is_refused_in_one_line(change: dict[str, Any], words: tuple[str, ...]) -> None:
    x, y = moons()
    args: dict[str, Any] = {"X": x, "y": y, **change}
    with pytest.raises(DataError) as caught:
        nnmodel.record(GOOD, **args)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message


def test_bad_options_are_refused() -> None:
    x, y = moons()
    with pytest.raises(ConfigError, match="AdamW"):
        nnmodel.record(GOOD, x, y, optimizer=torch.optim.AdamW(GOOD.parameters()))
    with pytest.raises(ConfigError, match="seed"):
        nnmodel.record(GOOD, x, y, seed=-1)
    with pytest.raises(ConfigError, match="snapshots must be between 2 and 1000"):
        nnmodel.record(GOOD, x, y, snapshots=1)
    with pytest.raises(ConfigError, match="over the limit of 512 MB"):
        big = nn.Sequential(lin(2, 64), *[m for _ in range(7) for m in (nn.Tanh(), lin(64, 64))])
        big.append(nn.Tanh()).append(lin(64, 1))
        xb, yb = moons(20_000)
        nnmodel.record(big, xb, yb, snapshots=1000)


def test_snapshots_must_start_at_0_and_increase() -> None:
    x, y = moons()
    rec = nnmodel.record(GOOD, x, y)
    with pytest.raises(ConfigError, match=r"rec\.snapshot\(0\) before"):
        rec.snapshot(1)
    rec.snapshot(0)
    with pytest.raises(ConfigError, match="must increase"):
        rec.snapshot(0)
    with pytest.raises(ConfigError, match="whole number"):
        rec.snapshot(1.5)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="at least 2"):
        rec.save("never.npz")
    with pytest.raises(TrainingError, match="epoch 3"):
        rec.snapshot(3, loss=float("nan"))
    assert rec.epochs == (0,)


def test_diverged_weights_are_refused_at_the_snapshot() -> None:
    x, y = moons()
    model = nn.Sequential(lin(2, 3), nn.Tanh(), lin(3, 1))
    rec = nnmodel.record(model, x, y)
    rec.snapshot(0)
    with torch.no_grad():
        model[2].weight[0, 0] = float("inf")
    with pytest.raises(TrainingError, match=r"epoch 1 \(model\[2\]"):
        rec.snapshot(1)


def test_save_never_overwrites_another_file(tmp_path: Path) -> None:
    x, y = moons()
    model = nn.Sequential(lin(2, 3), nn.Tanh(), lin(3, 1))
    rec = nnmodel.record(model, x, y, export_config=LIGHT, baseline=False)
    fit(model, x, y, rec, 3)
    mine = tmp_path / "notes.npz"
    mine.write_text("my notes")
    with pytest.raises(OutputError, match="not written by nnwarp"):
        rec.save(mine)
    assert mine.read_text() == "my notes"
    out = tmp_path / "rec.npz"
    rec.save(out)
    rec.save(out)  # its own earlier file is replaced
    assert trajectory.load(out).info.baseline is None


# --------------------------------------------------------------------------- what is accepted


def test_metrics_are_measured_at_the_snapshots_and_null_between(tmp_path: Path) -> None:
    x, y = moons()
    model = nn.Sequential(lin(2, 3), nn.ReLU(), lin(3, 1), nn.Sigmoid())  # trailing sigmoid
    mask = np.arange(40) % 4 == 0
    rec = nnmodel.record(model, x, y, test_mask=mask, export_config=LIGHT, name="my moons")
    xt = torch.from_numpy(x)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    rec.snapshot(0)
    for epoch in range(1, 21):
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy(
            model(xt[~mask])[:, 0], torch.from_numpy(y[~mask]).float()
        )
        loss.backward()
        opt.step()
        if epoch % 5 == 0:
            rec.snapshot(epoch, loss=loss)
    traj = trajectory.load(rec.save(tmp_path / "r.npz"))
    m = traj.info.metrics
    assert list(traj.epochs) == [0, 5, 10, 15, 20]
    for key in METRIC_NAMES:
        values = m.as_dict()[key]
        assert len(values) == 21
        assert [e for e, v in enumerate(values) if v is not None] == [0, 5, 10, 15, 20]
    with torch.no_grad():
        p = model(xt)[:, 0].double().numpy()
    acc = float(((p >= 0.5) == y)[~mask].mean())
    assert m.train_acc[20] == pytest.approx(acc)
    assert traj.info.final.train_acc == m.train_acc[20]
    assert traj.info.final.test_acc is not None
    assert traj.info.dataset.name == "my moons"
    assert traj.info.config["train"]["optimizer"] == "adam"  # no optimizer= given: defaults
    assert set(rec.losses) == {5, 10, 15, 20}


def test_two_logits_for_two_classes_are_stored_as_one(tmp_path: Path) -> None:
    x, y = moons()
    model = nn.Sequential(lin(2, 3), nn.Tanh(), lin(3, 2))  # CrossEntropyLoss on 2 outputs
    rec = nnmodel.record(model, torch.from_numpy(x), torch.from_numpy(y), export_config=LIGHT)
    fit(model, x, y, rec, 10)
    traj = trajectory.load(rec.save(tmp_path / "two.npz"))
    assert traj.layers[-1].d_out == 1
    with torch.no_grad():
        expected = torch.softmax(model(torch.from_numpy(x)).double(), dim=1).numpy()
    np.testing.assert_allclose(traj.probabilities(-1), expected, atol=1e-6)
    # The one logit's BCE is the two logits' CE: the hidden layer's gradients are the model's.
    model.zero_grad()
    nn.functional.cross_entropy(model(torch.from_numpy(x)), torch.from_numpy(y)).backward()
    stored = traj.gradients(-1)
    assert traj.info.schema_version == 2 and not stored.computed and stored.loss == "bce"
    first = model[0]
    assert isinstance(first, nn.Linear) and first.weight.grad is not None
    assert first.bias is not None and first.bias.grad is not None
    np.testing.assert_allclose(stored.dW[0], first.weight.grad.numpy(), rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(stored.db[0], first.bias.grad.numpy(), rtol=1e-4, atol=1e-7)


def test_k_classes_with_a_trailing_softmax_and_thinned_snapshots(tmp_path: Path) -> None:
    data = make_dataset("spiral", samples=60, arms=3, seed=0)
    model = nn.Sequential(lin(2, 5), nn.ELU(), lin(5, 3), nn.LeakyReLU(), lin(3, 3), nn.Softmax(1))
    rec = nnmodel.record(
        model, data.X, data.y, class_names=["a", "b", "c"], snapshots=5, export_config=LIGHT
    )
    xt = torch.from_numpy(data.X)
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    rec.snapshot(0)
    for epoch in range(1, 21):
        opt.zero_grad()
        loss = nn.functional.nll_loss(torch.log(model(xt)), torch.from_numpy(data.y))
        loss.backward()
        opt.step()
        rec.snapshot(epoch)
    traj = trajectory.load(rec.save(tmp_path / "k.npz"))
    assert traj.n_snapshots == 5 and traj.epochs[0] == 0 and traj.epochs[-1] == 20
    assert [L.activation for L in traj.layers] == ["elu", "leaky_relu", "softmax"]
    assert traj.layers[0].projected and traj.class_names == ["a", "b", "c"]
    with torch.no_grad():
        expected = model(xt).double().numpy()
    np.testing.assert_allclose(traj.probabilities(-1), expected, atol=1e-6)


# --------------------------------------------------------------------------- (c), (d)


def test_the_example_runs_and_its_file_loads(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "own_model.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "nnwarp render --trajectory own_model.npz" in done.stdout
    traj = trajectory.load(tmp_path / "own_model.npz")
    assert traj.info.final.train_acc > 0.9
    assert [L.d_out for L in traj.layers] == [8, 2, 1]


def test_import_nnmodel_does_not_import_torch() -> None:
    probe = (
        "import sys, nnmodel\n"
        "assert 'torch' not in sys.modules, 'import nnmodel imported torch'\n"
        "assert 'record' in nnmodel.__all__\n"
        "nnmodel.record\n"
        "assert 'torch' in sys.modules, 'nnmodel.record did not load the recorder'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
