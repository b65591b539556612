"""A trajectory stores the moments its loss jumps: just before, at the peak, and back.

The chooser and the detector are numpy only (:mod:`nnmodel.snapshots`); the trainer, the
exporter and the recorder use them, so the snapshots a file keeps are where the loss that
it stores jumps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import nnmodel
from nnmodel import train as training
from nnmodel import trajectory
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.pipeline import load_data, train_to_file
from nnmodel.snapshots import Jump, choose_snapshots, jump_epochs, loss_jumps

LIGHT = ExportConfig(snapshots=60, grid_lines=5, grid_samples=100, mesh_resolution=16)
#: ``nnwarp render evolution -d spiral --hidden 16,16``'s training: its loss jumps once,
#: late (on one CPU from 0.030 at epoch 742 to 0.758 at epoch 746, back at 0.031 by epoch
#: 772). Where exactly depends on the CPU's floating-point kernels (the same machine
#: always gives the same epochs), so the tests below find the jump in the run's own loss.
SPIRAL = RunConfig(
    data=DataConfig("spiral"),
    model=ModelConfig(hidden=(16, 16)),
    train=TrainConfig(epochs=1000),
    export=LIGHT,
)
#: A jump's epochs, for the chooser's tests.
SPIRAL_JUMP = (742, 746, 772)


# --------------------------------------------------------------------------- choosing


def test_kept_epochs_take_the_place_of_log_spaced_ones() -> None:
    plain = choose_snapshots(range(1001), 1000, 60)
    kept = choose_snapshots(range(1001), 1000, 60, keep=SPIRAL_JUMP)
    assert len(kept) == 60 and set(SPIRAL_JUMP) <= set(kept)
    assert not set(SPIRAL_JUMP) <= set(plain), "log-spaced alone skip the jump"
    assert kept == sorted(kept) and kept[0] == 0 and kept[-1] == 1000
    assert kept == choose_snapshots(range(1001), 1000, 60, keep=SPIRAL_JUMP)  # deterministic


def test_kept_epochs_already_log_spaced_change_nothing() -> None:
    plain = choose_snapshots(range(1001), 1000, 60)
    assert choose_snapshots(range(1001), 1000, 60, keep=plain[5:9]) == plain
    assert choose_snapshots(range(1001), 1000, 60, keep=[]) == plain


def test_kept_epochs_that_were_not_recorded_or_too_many_are_left_out() -> None:
    recorded = range(0, 1001, 10)
    kept = choose_snapshots(recorded, 1000, 20, keep=[745, 750, 1])
    assert 750 in kept and 745 not in kept and 1 not in kept and len(kept) == 20
    crowd = choose_snapshots(range(1001), 1000, 5, keep=range(500, 520))
    assert crowd == [0, 500, 501, 502, 1000]  # 0 and the last, and the first n − 2 kept


# --------------------------------------------------------------------------- detecting


def test_separate_jumps_are_found_strongest_first() -> None:
    loss = [0.03] * 1001
    loss[199:202] = [0.05, 0.3, 0.1]  # ×10, back at once
    loss[599:606] = [0.04, 0.9, 0.2, 0.5, 0.1, 0.08, 0.031]  # ×30, a second peak, then back
    assert loss_jumps(loss) == [Jump(598, 600, 605, 30.0), Jump(198, 200, 202, 10.0)]
    assert jump_epochs(loss_jumps(loss)) == [598, 600, 605, 198, 200, 202]
    assert loss_jumps(loss, most=1) == [Jump(598, 600, 605, 30.0)]
    assert loss_jumps(loss, 500) == [Jump(198, 200, 202, 10.0)]  # up to epoch 500 only


def test_unmeasured_epochs_are_skipped_and_a_noisy_plateau_never_jumps() -> None:
    rng = np.random.default_rng(0)
    noisy = (0.3 * np.exp(rng.uniform(-0.3, 0.3, 1001))).tolist()
    assert loss_jumps(noisy) == []
    sparse: list[float | None] = [None] * 1001
    for e in range(0, 1001, 10):
        sparse[e] = 0.03
    sparse[500] = 0.6
    assert loss_jumps(sparse) == [Jump(490, 500, 510, 20.0)]


# --------------------------------------------------------------------------- storing


def _jump(loss: list[float | None]) -> tuple[int, int, int]:
    """The strongest jump of the spiral's loss: (before, peak, back)."""
    jumps = loss_jumps(loss)
    assert jumps, "the spiral 16,16's training jumps (the case these tests are about)"
    return jumps[0].start, jumps[0].peak, jumps[0].back


def test_the_spiral_s_file_stores_its_jump(tmp_path: Path) -> None:
    """The QA's case: the caption told the jump but no snapshot sat at its peak, so the
    plane barely moved. Now the peak's picture is the peak's network: its answers are
    right for exactly the share the metrics say (86 % on the QA's machine), against more
    just before."""
    traj = trajectory.load(train_to_file(SPIRAL, tmp_path / "spiral.npz"))
    epochs = [int(e) for e in traj.epochs]
    m = traj.info.metrics
    jump = _jump(m.train_loss)
    assert len(epochs) == 60 and set(jump) <= set(epochs)
    assert not set(jump) <= set(choose_snapshots(range(1001), 1000, 60)), "log-spaced skip it"
    train = ~traj.test_mask
    for epoch in jump[:2]:
        right = traj.predictions(epochs.index(epoch)) == traj.labels
        assert float(right[train].mean()) == pytest.approx(m.train_acc[epoch])
    before, peak = m.train_acc[jump[0]], m.train_acc[jump[1]]
    assert before is not None and peak is not None and peak < before


def test_a_training_that_keeps_few_weights_retraces_its_jump(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large network keeps weights at some epochs only (its memory budget); the jump's
    epochs fall between them, so the trainer trains again to take them, bit for bit."""
    data, _ = load_data(SPIRAL)
    full = training.train(SPIRAL, data)
    jump = _jump(full.metrics["train_loss"])
    monkeypatch.setattr(training, "recorded_epochs", lambda *_: set(range(0, 1001, 100)))
    sparse = training.train(SPIRAL, data)
    assert sorted(sparse.weights) == sorted({*range(0, 1001, 100), *jump})
    for epoch in jump:
        for (w, b), (w0, b0) in zip(sparse.weights[epoch], full.weights[epoch], strict=True):
            np.testing.assert_array_equal(w, w0)
            np.testing.assert_array_equal(b, b0)
    assert sparse.metrics == full.metrics


def test_the_recorder_keeps_the_jump_and_measures_every_recorded_epoch(tmp_path: Path) -> None:
    """A user's loop recorded 1,000 epochs, the file keeps 20: log-spaced, and the epochs
    around the one where the weights flipped (the loss jumps there, and is back next)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    model = nn.Sequential(nn.Linear(2, 1))
    rec = nnmodel.record(model, x, y, export_config=LIGHT, snapshots=20)
    layer = model[0]
    assert isinstance(layer, nn.Linear)
    for epoch in range(1001):
        scale = (0.1 + 4 * epoch / 1000) * (-1 if epoch == 600 else 1)
        with torch.no_grad():
            layer.weight.copy_(torch.tensor([[scale, scale]]))
            layer.bias.zero_()
        rec.snapshot(epoch)
    traj = trajectory.load(rec.save(tmp_path / "flip.npz"))
    loss = traj.info.metrics.train_loss
    assert all(v is not None for v in loss), "measured at every recorded epoch"
    (jump,) = loss_jumps(loss)
    assert (jump.start, jump.peak, jump.back) == (599, 600, 601) and jump.factor > 10
    epochs = [int(e) for e in traj.epochs]
    assert len(epochs) == 20 and {599, 600, 601} <= set(epochs)
