"""Every jump of the loss the evolution tells is stored: its start, peak and end are snapshots.

The scene tells the jumps :func:`nnmodel.snapshots.loss_jumps` finds, whatever its clock;
the exporter keeps the same jumps' epochs. So while a jump's caption is read, the plane
shows the network at its peak, not a blend of the snapshots around it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel import trajectory
from nnmodel.config import ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import Dataset
from nnmodel.export import build
from nnmodel.snapshots import JUMP_WINDOW, log_share
from nnmodel.trajectory import load
from scenes.evolution.plan import evolution_plan, loss_spikes, make_clock, snapshots_wanted
from scenes.evolution.timing import DEFAULT_DURATION, Clock
from tests.evolution.test_evolution_numbers import curve


def every_epoch_file(folder: Path, name: str, snapshots: int) -> Path:
    """A small trajectory whose training went as :func:`curve` ``name`` says, with weights
    recorded at every epoch (the exporter picks ``snapshots`` of them, as the trainer's)."""
    loss, acc, test = curve(name)
    n = len(loss)
    steps = (-1.0, -0.5, 0.0, 0.5, 1.0)
    x = np.array([(a, b) for a in steps for b in steps], np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    cfg = RunConfig(
        model=ModelConfig(hidden=(2,), activation=("tanh",)),
        train=TrainConfig(epochs=n - 1),
        export=ExportConfig(snapshots=snapshots, grid_lines=2, grid_samples=100, mesh_resolution=8),
    )
    weights = {
        e: [
            (np.eye(2, dtype=np.float32) * (1 + e / n), np.zeros(2, np.float32)),
            (np.full((1, 2), 0.5, np.float32), np.zeros(1, np.float32)),
        ]
        for e in range(n)
    }
    metrics: dict[str, list[float | None]] = {
        "train_loss": list(loss),
        "train_acc": list(acc),
        "test_loss": [None] * n,
        "test_acc": list(test),
    }
    held_out = np.arange(len(y)) % 5 == 0
    info, arrays = build(cfg, Dataset(x, y, ("a", "b"), "hand"), weights, n - 1, metrics, held_out)
    return trajectory.write(folder / f"{name}-{snapshots}.npz", info, arrays)


@pytest.mark.parametrize("name", ["spiral_tanh", "spiral_relu"])
@pytest.mark.parametrize(("mapping", "duration"), [("log", 24.0), ("linear", 24.0), ("log", 90.0)])
def test_every_told_jump_is_stored(
    tmp_path: Path, name: str, mapping: str, duration: float
) -> None:
    probe = load(every_epoch_file(tmp_path, name, 60))
    clock = make_clock(probe, mapping, duration)
    traj = load(every_epoch_file(tmp_path, name, min(snapshots_wanted(clock), 300)))
    stored = {int(e) for e in traj.epochs}
    told = loss_spikes(clock, traj.info.metrics.train_loss)
    assert told, "both trainings jump"
    for jump in told:
        assert {jump.start, jump.peak} <= stored and (jump.back is None or jump.back in stored)
    beats = evolution_plan(traj, fps=15, mapping=mapping, duration=duration)
    told_at = [b.data["epoch"] for b in beats if "jumps" in b.line.caption]
    assert told_at == [jump.peak for jump in told] and set(told_at) <= stored
    # the default 60 snapshots keep the jumps too (a render of `nnwarp train`'s file)
    assert {jump.peak for jump in told} <= {int(e) for e in probe.epochs}


@pytest.mark.parametrize("last", [1, 37, 1000, 100_000])
def test_the_detector_measures_on_the_evolution_s_default_clock(last: int) -> None:
    """The exporter has no clock: it finds jumps on the log clock the evolution shows by
    default, their recent level over its last second."""
    epochs = np.linspace(0, last, 50)
    np.testing.assert_array_equal(log_share(epochs, last), Clock(last).fraction(epochs))
    assert pytest.approx(1.0) == JUMP_WINDOW * DEFAULT_DURATION
