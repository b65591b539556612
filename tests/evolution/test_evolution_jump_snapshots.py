"""Every jump of the loss the evolution tells is stored: its start, peak and end are snapshots.

The scene tells the jumps :func:`nnmodel.snapshots.loss_jumps` finds, whatever its clock;
the exporter keeps the same jumps' epochs. So while a jump's caption is read, the plane
shows the network at its peak, not a blend of the snapshots around it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel.snapshots import JUMP_WINDOW, log_share
from nnmodel.trajectory import load
from scenes.evolution.plan import evolution_plan, loss_spikes, make_clock, snapshots_wanted
from scenes.evolution.timing import DEFAULT_DURATION, Clock
from tests.evolution.test_evolution_numbers import curve, curve_file


def every_epoch_file(folder: Path, name: str, snapshots: int) -> Path:
    """A small trajectory whose training went as :func:`curve` ``name`` says, with weights
    recorded at every epoch (the exporter picks ``snapshots`` of them, as the trainer's)."""
    return curve_file(
        folder, *curve(name), snapshots=snapshots, every_epoch=True, name=f"{name}-{snapshots}"
    )


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
