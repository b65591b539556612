"""The gradient step shows what it does: on a trained network the gradient is nearly 0 and
one step changes next to nothing, which the words say; then plain steps, recomputed here
from the stored weights where the gradient was largest (or from the snapshot shown, while
it is not nearly 0), as many as it takes the boundary to move visibly. Every number of
it is true and checkable: the largest move on the board is ``lr`` times the largest
``|g|`` as written."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nnmodel.gradients import backward
from nnmodel.trajectory import Trajectory, load
from scenes.anatomy import numbers
from scenes.anatomy.numbers import NEAR_ZERO, STEP_COUNTS, VISIBLE
from scenes.anatomy.plan import PIECES, anatomy_plan, gather
from scenes.narration import anatomy as words
from scenes.narration.anatomy import pct, sig
from tests.anatomy.test_anatomy_arithmetic import check

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 4 snapshots: epochs 0, 5, 33, 200


def norms(traj: Trajectory, upto: int) -> np.ndarray:
    """The mean training gradient's size at each snapshot up to ``upto``, from the file."""
    out = []
    for s in range(upto + 1):
        g = traj.gradients(s)
        out.append(np.sqrt(sum(np.sum(np.square(np.asarray(d, float))) for d in (*g.dW, *g.db))))
    return np.array(out)


def plain_descent(traj: Trajectory, snapshot: int, lr: float, steps: int) -> list:
    """``steps`` steps of ``W ← W − lr·g`` from ``snapshot``, ``g`` the mean gradient of the
    training points' loss, recomputed after every step."""
    acts = [L.activation for L in traj.hidden_layers]
    train = ~np.asarray(traj.test_mask, bool)
    w = [(np.asarray(a, float), np.asarray(b, float)) for a, b in traj.weights(snapshot)]
    for _ in range(steps):
        g = backward(w, acts, traj.inputs[train], traj.labels[train])
        w = [(a - lr * da, b - lr * db) for (a, b), da, db in zip(w, g.dW, g.db, strict=True)]
    return w


@pytest.fixture(scope="module")
def trained(moons_traj: Path, wide_traj: Path) -> dict[str, Trajectory]:
    return {"golden": load(GOLDEN), "moons": load(moons_traj), "wide": load(wide_traj)}


@pytest.mark.parametrize("name", ["golden", "moons"])
def test_a_trained_network_s_step_is_said_to_do_next_to_nothing_and_steps_start_earlier(
    trained: dict[str, Trajectory], name: str
) -> None:
    traj = trained[name]
    f = gather(traj)
    sizes = norms(traj, f.snapshot)
    assert sizes[-1] <= NEAR_ZERO * sizes.max()  # these networks have settled
    d = f.descent
    assert d.settled and d.snapshot == int(np.argmax(sizes[:-1])) < f.snapshot
    start = int(traj.epochs[d.snapshot])
    line = {b.id: b for b in anatomy_plan(traj, f)}["update"].line
    assert line.caption == f"One step: W ← W − {f.lr:g}·g"
    assert line.sub.startswith(f"epoch {f.epoch}: g nearly 0, loss ")
    flips = "flip" if d.steps > 1 else "flips"
    assert f"; epoch {start}: {d.steps:,} step" in line.sub
    assert f"{flips} {pct(d.step.changed)}" in line.sub
    assert f"After {f.epoch} epochs the gradient is nearly zero" in line.narration
    assert f"from the weights of epoch {start}" in line.narration
    # one step barely moves the boundary; the steps move it visibly (or take the most)
    assert f.step.changed < VISIBLE
    assert d.step.changed >= VISIBLE or d.steps == STEP_COUNTS[-1]


@pytest.mark.parametrize("name", ["golden", "moons", "wide"])
def test_the_steps_are_plain_descent_and_the_fewest_that_move_the_boundary(
    trained: dict[str, Trajectory], name: str
) -> None:
    traj = trained[name]
    f = gather(traj)
    d = f.descent
    ours = plain_descent(traj, d.snapshot, f.lr, d.steps)
    for (w, b), (w2, b2) in zip(ours, d.step.after, strict=True):
        np.testing.assert_allclose(w, w2, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(b, b2, rtol=1e-9, atol=1e-12)
    acts = list(f.acts)
    train = ~np.asarray(traj.test_mask, bool)
    loss = backward(ours, acts, traj.inputs[train], traj.labels[train]).loss
    assert d.step.loss_after == pytest.approx(loss)
    ext, res = traj.info.mesh.extent, numbers.CHANGE_RESOLUTION
    start = numbers.class_map(d.step.before, acts, ext, res)
    assert d.step.changed == pytest.approx(
        np.mean(numbers.class_map(ours, acts, ext, res) != start)
    )
    fewer = [n for n in STEP_COUNTS if n < d.steps]
    if fewer:  # the count before would not have been seen
        w = plain_descent(traj, d.snapshot, f.lr, fewer[-1])
        assert np.mean(numbers.class_map(w, acts, ext, res) != start) < VISIBLE
    g = traj.gradients(d.snapshot)
    np.testing.assert_allclose(np.concatenate([x.ravel() for x in d.dW]),
                               np.concatenate([np.ravel(x) for x in g.dW]), atol=1e-6)  # fmt: skip


def test_while_the_gradient_is_not_nearly_zero_the_steps_start_at_the_snapshot_shown(
    trained: dict[str, Trajectory],
) -> None:
    traj = trained["golden"]
    f = gather(traj, 1)  # epoch 5, early in training
    sizes = norms(traj, 1)
    assert sizes[-1] > NEAR_ZERO * sizes.max()
    d = f.descent
    assert not d.settled and d.snapshot == 1 and d.steps > 1
    line = {b.id: b for b in anatomy_plan(traj, f)}["update"].line
    assert line.sub.startswith("one step: loss ")
    assert line.sub.endswith(f"{d.steps:,} steps flip {pct(d.step.changed)}")
    assert "nearly zero" not in line.narration


@pytest.mark.parametrize("name", ["golden", "moons", "wide"])
def test_the_largest_move_on_the_board_checks_out_with_the_numbers_written(
    trained: dict[str, Trajectory], name: str
) -> None:
    traj = trained[name]
    f = gather(traj)
    d = f.descent
    start = int(traj.epochs[d.snapshot])
    true_g = {
        f.snapshot: numbers.largest_gradient(traj, f.snapshot),
        d.snapshot: numbers.largest_gradient(traj, d.snapshot),
    }
    notes = [
        (words.gradient_note(f.computed, f.epoch, f.lr, f.g_max), true_g[f.snapshot]),
        (words.descent_note(d.steps, start, f.lr, d.g_max), true_g[d.snapshot]),
    ]
    for note, g in notes:
        (equation,) = [line for line in note.splitlines() if " = " in line]
        check(equation)  # lr · |g| = move, as written
        lr, written = re.split(r"[·=]", equation)[:2]
        assert lr == f"{f.lr:g}"
        assert written.strip() == sig(g)  # the largest |g| of any weight or bias
    assert f.g_max == pytest.approx(true_g[f.snapshot])
    assert d.g_max == pytest.approx(true_g[d.snapshot], rel=1e-6)


def test_the_beat_shows_one_step_then_the_steps_and_the_words_use_the_same_threshold() -> None:
    plays = [t for kind, t in PIECES["update"] if kind == "play"]
    assert len(plays) == 5  # caption, the step's gradient, its boundary; the steps' two
    assert words.VISIBLE == VISIBLE
