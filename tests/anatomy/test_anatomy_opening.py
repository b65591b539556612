"""The opening beat says how well the network does, and, when that is poor, what always
answering one class would get: a failed network's story is not told as if it worked."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel.trajectory import decide, load
from scenes.anatomy import numbers
from scenes.anatomy.plan import anatomy_plan, gather
from tests.anatomy.anatomy_helpers import train_net

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def shares(path: Path) -> tuple[str, str]:
    """The training accuracy and the commonest class's share, as percentages."""
    traj = load(path)
    _, hs = numbers.forward(
        numbers.as_float(traj.weights(-1)), [L.activation for L in traj.hidden_layers], traj.inputs
    )
    train = ~traj.test_mask
    acc = np.mean(decide(hs[-1])[train] == traj.labels[train])
    base = np.bincount(traj.labels[train]).max() / train.sum()
    return f"{acc * 100:.0f} %", f"{base * 100:.0f} %"


def test_a_poor_network_says_so_and_what_guessing_gets_in_its_first_beat(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    path = train_net("xor_relu", tmp_path_factory.mktemp("xor"))
    traj = load(path)
    acc, base = shares(path)
    first = anatomy_plan(traj, gather(traj))[0]
    assert first.id == "diagram"
    assert first.line.caption == f"The network after 300 epochs gets {acc} of points right"
    assert f"always answering one class gets {base}" in first.line.sub
    assert f"It gets {acc} of its training points right." in first.line.narration
    assert "only part of the pattern" in first.line.narration
    assert len(first.line.caption) <= 60 and len(first.line.sub) <= 100


def test_a_good_network_says_its_accuracy_without_the_baseline() -> None:
    traj = load(GOLDEN)  # 91 % right
    acc, _ = shares(GOLDEN)
    assert acc == "91 %"
    first = anatomy_plan(traj, gather(traj))[0]
    assert first.line.caption.endswith(f"gets {acc} of points right")
    assert "one class" not in first.line.sub and "same class" not in first.line.narration
