"""The plan of beats: computed before drawing, in whole frames, its words from the numbers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from nnmodel.export import choose_snapshots
from nnmodel.schema import Metrics
from nnmodel.snapshots import MAX_JUMPS, jump_epochs, loss_jumps
from nnmodel.trajectory import load
from scenes.core.timeline import sections, timeline
from scenes.errors import RenderError
from scenes.evolution.plan import (
    MAX_CHECK_INS,
    MAX_GAP,
    MIN_GAP,
    PIECES,
    QUIET,
    SPIKE_ROOM,
    check_ins,
    evolution_plan,
    key_moments,
    log_spaced,
    longest_gap,
    make_clock,
    snapshots_wanted,
)
from scenes.evolution.scene import Evolution
from scenes.evolution.timing import Clock
from scenes.narration import evolution as words

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 2 → 2 → 3 → 1 tanh, 200 epochs


@pytest.mark.parametrize("fps", [6, 15, 30, 60])
def test_the_plan_is_whole_frames_and_its_runs_cover_the_training(fps: int) -> None:
    traj = load(GOLDEN)
    beats = evolution_plan(traj, fps=fps)
    # epoch 0 to 20 is 12.5 s of screen: a check-in at epoch 5 cuts it
    ids = ["intro", "plane", "layers", "start", "training", "epoch-5", "loss-halved", "end"]
    assert [b.id for b in beats] == ids
    assert [s for s, _, _ in sections(timeline(beats))] == ["Introduction", "Training", "The end"]
    for b in beats:
        assert b.min_duration * fps == pytest.approx(round(b.min_duration * fps), abs=1e-9)
    runs = [b for b in beats if b.kind in ("run", "moment")]
    assert runs[0].data["epoch"] == 0 and runs[-1].data["until"] == 200
    for a, b in zip(runs, runs[1:], strict=False):
        assert a.data["until"] == b.data["epoch"]
    clock = make_clock(traj)
    assert sum(b.data["frames"] for b in runs) == clock.frames(fps)
    for b in runs:  # a moment's caption and hold, then exactly the run's frames
        fixed = PIECES["moment"] if b.kind == "moment" else ()
        still = sum(int(t * fps) if k == "wait" else round(t * fps) for k, t in fixed)
        assert round(b.min_duration * fps) == still + b.data["frames"]
        # the run's share of frames is its share of the clock
        share = clock.fraction(b.data["until"]) - clock.fraction(b.data["epoch"])
        assert b.data["frames"] == pytest.approx(share * clock.frames(fps), abs=1.0)


def test_the_words_come_from_the_trajectory_s_numbers() -> None:
    traj = load(GOLDEN)
    m = traj.info.metrics
    beats = {b.id: b for b in evolution_plan(traj, fps=15)}
    assert beats["intro"].line.caption == "Watching a network learn: moons"
    assert beats["intro"].line.sub.startswith("2 → 2 → 3 → 1 · 200 epochs on a log clock")
    assert beats["training"].line.caption.startswith("Training: each step nudges")
    n_train = int((~traj.test_mask).sum())
    assert beats["training"].line.sub.startswith(
        f"Adam, learning rate 0.05, all {n_train} training points at each step"
    )
    assert beats["start"].line.sub.startswith(
        f"loss {m.train_loss[0]:.3f} · {m.train_acc[0] * 100:.0f} %"
    )
    e = beats["loss-halved"].data["epoch"]
    assert m.train_loss[e] <= m.train_loss[0] / 2 < m.train_loss[e - 1]
    assert beats["loss-halved"].line.caption == f"At epoch {e}: the loss has halved"
    assert f"→ {m.train_loss[e]:.3f}" in beats["loss-halved"].line.sub
    final = traj.info.final
    assert beats["end"].line.caption == "Epoch 200: training ends"
    assert f"{final.train_acc * 100:.0f} % of the training points right" in beats["end"].line.sub


def fake(train_loss: list[float], train_acc: list[float]) -> SimpleNamespace:
    n = len(train_loss)
    metrics = Metrics(tuple(train_loss), tuple(train_acc), (None,) * n, (None,) * n)
    return SimpleNamespace(info=SimpleNamespace(metrics=metrics))


def test_key_moments_close_on_screen_merge_and_those_near_the_ends_drop() -> None:
    loss = [0.8 * 0.99**e for e in range(1001)]  # halves at epoch 69
    acc = [min(1.0, 0.5 + e / 150) for e in range(1001)]  # 90 % at epoch 60
    clock = Clock(1000, "log", 24.0)
    moments = key_moments(fake(loss, acc), clock)  # type: ignore[arg-type]
    # 90 % at 60 and half the loss at 69 are 0.3 s apart: one moment, at the later epoch;
    # a tenth of the loss at 230 comes 5.8 s later: a moment of its own.
    assert [(m.epoch, m.halved_at, m.passed_at, m.tenth_at) for m in moments] == [
        (69, 69, 60, None),
        (230, None, None, 230),
    ]
    assert [m.id for m in moments] == ["accuracy-90", "loss-tenth"]
    # each marks on the charts what its caption tells, where it happened
    assert [m.pins() for m in moments] == [[(0, 69, "÷2"), (1, 60, "90 %")], [(0, 230, "÷10")]]
    slow_loss = [0.8 * 0.999**e for e in range(1001)]  # halves at epoch 693
    slow_acc = [min(1.0, 0.5 + e / 750) for e in range(1001)]  # 90 % at epoch 300
    apart = key_moments(fake(slow_loss, slow_acc), Clock(1000, "linear", 24.0))  # type: ignore[arg-type]
    assert [(m.epoch, m.passed_at, m.halved_at) for m in apart] == [
        (300, 300, None),
        (693, None, 693),
    ]
    assert [m.id for m in apart] == ["accuracy-90", "loss-halved"]
    early = [0.5 + 0.4 * (e > 0) for e in range(1001)]  # 90 % after one epoch: too soon
    assert key_moments(fake([0.8] * 1001, early), clock) == []  # type: ignore[arg-type]
    assert clock.seconds(1) < MIN_GAP


def test_a_moment_never_comes_closer_than_the_minimum_gap() -> None:
    acc = [min(1.0, 0.5 + e / 1990) for e in range(1001)]  # 90 % at epoch 796
    for mapping in ("log", "linear"):
        clock = Clock(1000, mapping, 24.0)
        for mo in key_moments(fake([0.8] * 1001, acc), clock):  # type: ignore[arg-type]
            assert clock.seconds(mo.epoch) >= MIN_GAP
            assert clock.duration - clock.seconds(mo.epoch) >= MIN_GAP


@pytest.mark.parametrize("mapping", ["log", "linear"])
@pytest.mark.parametrize("duration", [24.0, 60.0, 200.0])
@pytest.mark.parametrize("stops", [[0, 1000], [0, 30, 1000], [0, 400, 420, 1000], [0, 3, 1000]])
def test_check_ins_leave_no_stretch_longer_than_quiet_and_fall_on_round_epochs(
    mapping: str, duration: float, stops: list[int]
) -> None:
    clock = Clock(1000, mapping, duration)
    extra = check_ins(clock, stops)
    every = sorted([*stops, *extra])
    assert len(set(every)) == len(every)  # strictly between the stops they cut
    gaps = [clock.seconds(b) - clock.seconds(a) for a, b in zip(every, every[1:], strict=False)]
    # each piece is a cut of an equal split moved by at most a quarter piece: never more
    # than 1.5 × QUIET, and never under half the shortest of the equal pieces' lengths
    assert max(gaps) <= QUIET * 1.5
    assert all(len(str(e).rstrip("0")) <= 2 for e in extra), extra
    for a, b in zip(stops, stops[1:], strict=False):
        inside = [e for e in extra if a < e < b]
        long = clock.seconds(b) - clock.seconds(a)
        assert (len(inside) > 0) == (long > QUIET), (a, b, long, inside)


def test_a_training_without_key_moments_is_told_in_check_ins() -> None:
    """A training with no key moment (the loss never halves, 90 % never reached) is not one
    caption over the whole run: check-ins cut it, each telling what changed since the last."""
    traj = load(GOLDEN)  # its 200 epochs, with these metrics
    loss = [0.70 - 0.2 * min(e, 20) / 20 for e in range(201)]  # falls, then a plateau
    acc = [0.5 + 0.25 * min(e, 4) / 4 for e in range(201)]  # up to 75 % at once, then flat
    none = (None,) * 201
    traj.info = replace(traj.info, metrics=Metrics(tuple(loss), tuple(acc), none, none))
    beats = evolution_plan(traj, fps=15, duration=48.0)
    runs = [b for b in beats if b.kind in ("run", "moment")]
    checks = [b for b in runs if b.id.startswith("epoch-")]
    assert [b.data["epoch"] for b in checks] == [4, 20, 60]
    assert max(b.data["frames"] for b in runs) <= QUIET * 1.5 * 15
    assert [b.line.caption for b in checks] == [
        "At epoch 4: 75 % of the training points right",
        "At epoch 20: the loss is down to 0.500",
        "At epoch 60: the loss has barely moved",
    ]
    assert checks[0].line.sub == "up from 50 % at epoch 0 · loss 0.700 → 0.660"
    assert checks[1].line.sub.startswith("0.660 → 0.500 since epoch 4")
    assert checks[2].line.sub.startswith("0.500 → 0.500 since epoch 20")


def test_a_long_video_gets_a_few_check_ins_not_one_every_12_seconds() -> None:
    beats = evolution_plan(load(GOLDEN), fps=6, duration=600.0)
    checks = [b for b in beats if b.id.startswith("epoch-")]
    assert 1 <= len(checks) <= MAX_CHECK_INS


def test_a_sharp_drop_on_a_long_stretch_gets_its_check_in_and_pin() -> None:
    """The loss sits at 0.6, then falls by 40 % at epoch 120: not a key moment (it never
    halves), but the stretch's check-in lands right after the fall, says so, and pins it."""
    traj = load(GOLDEN)
    loss = [0.60] * 120 + [0.36] * 81  # a cliff of 40 % at epoch 120
    acc = [0.55] * 120 + [0.80] * 81
    none = (None,) * 201
    traj.info = replace(traj.info, metrics=Metrics(tuple(loss), tuple(acc), none, none))
    beats = evolution_plan(traj, fps=15)
    drop = next(b for b in beats if "drops sharply" in b.line.caption)
    assert drop.data["epoch"] == 120 and drop.kind == "moment"
    assert drop.line.caption == "At epoch 120: the loss drops sharply"
    assert drop.line.sub.startswith(
        "loss 0.600 → 0.360 since epoch 98 · 80 % of the training points right"
    )
    assert drop.data["pins"] == [(0, 120, "−40 %")]
    assert "up from 55 %" in drop.line.narration
    # a gentle fall is no drop: the same stretch gets even check-ins instead
    gentle = [0.60 - 0.24 * e / 200 for e in range(201)]
    traj.info = replace(traj.info, metrics=Metrics(tuple(gentle), tuple(acc), none, none))
    assert not any("sharply" in b.line.caption for b in evolution_plan(traj, fps=15))


def test_a_check_in_says_when_the_loss_went_up_or_fewer_points_are_right() -> None:
    up = words.check_in(300, 100, 0.61, 0.52, 0.70, 0.71, None)
    assert up.caption == "At epoch 300: the loss has gone up"
    assert "from 0.520 to 0.610" in up.narration
    fewer = words.check_in(300, 100, 0.40, 0.52, 0.60, 0.71, 0.58)
    assert fewer.caption == "At epoch 300: the loss is down to 0.400"
    assert "fewer training points are right: 60 %, from 71 %" in fewer.narration


def test_no_hidden_layer_means_no_layers_beat(logreg_traj: Path) -> None:
    beats = evolution_plan(load(logreg_traj), fps=15)
    assert "layers" not in [b.id for b in beats]


def test_an_early_stop_is_said(stopped_traj: Path) -> None:
    traj = load(stopped_traj)
    assert traj.info.final.stopped_early
    end = evolution_plan(traj, fps=15)[-1]
    last = int(traj.epochs[-1])
    assert end.line.caption == f"Epoch {last:,}: stopped early, at the target loss"
    final_loss = traj.info.metrics.train_loss[last]
    assert final_loss is not None and final_loss <= 0.45
    assert end.line.sub.startswith(f"loss {final_loss:.3f} · ")


def test_a_projected_layer_is_said_to_be_a_projection(wide_traj: Path) -> None:
    traj = load(wide_traj)
    layers = {b.id: b for b in evolution_plan(traj, fps=15)}["layers"]
    assert "layer 1 has 5 units, seen through a fixed 3-D projection" in layers.line.sub


@pytest.mark.parametrize(("last", "n"), [(100, 5), (1000, 60), (1000, 150), (37, 60), (5000, 300)])
def test_log_spaced_snapshots_are_the_exporter_s(last: int, n: int) -> None:
    assert log_spaced(last, n) == choose_snapshots(range(last + 1), last, n)


@pytest.mark.parametrize("mapping", ["log", "linear"])
def test_the_snapshots_wanted_keep_interpolation_short(mapping: str) -> None:
    clock = Clock(1000, mapping, 24.0)
    n = snapshots_wanted(clock) - SPIKE_ROOM  # the log-spaced ones; the rest: for jumps
    assert (
        longest_gap(log_spaced(1000, n), clock)
        <= MAX_GAP
        < longest_gap(log_spaced(1000, n - 1), clock)
    )
    assert longest_gap(log_spaced(1000, 60), clock) > MAX_GAP  # the default 60 are too few
    assert snapshots_wanted(Clock(1000, mapping, 48.0)) > n + SPIKE_ROOM  # longer: more


@pytest.mark.parametrize("mapping", ["log", "linear"])
@pytest.mark.parametrize(
    "peaks", [(746,), (236, 798), (40, 400, 990), (5, 6, 7), (300, 500, 700, 900)]
)
def test_the_snapshots_wanted_stay_short_with_the_jumps_kept(
    mapping: str, peaks: tuple[int, ...]
) -> None:
    """The exporter keeps each jump's start, peak and end in place of log-spaced snapshots;
    the evolution asks for room for them, so the picture still never leans on a long gap."""
    clock = Clock(1000, mapping, 24.0)
    n = snapshots_wanted(clock)
    loss = [0.03] * 1001
    for peak in peaks:
        loss[peak - 1], loss[peak], loss[peak + 1] = 0.1, 0.6, 0.1  # start peak-2, back peak+2
    keep = jump_epochs(loss_jumps(loss))
    assert len(keep) == 3 * min(len(peaks), MAX_JUMPS) or max(peaks) < 10
    kept = choose_snapshots(range(1001), 1000, n, keep=keep)
    assert len(kept) == n and set(keep) <= set(kept)
    assert longest_gap(kept, clock) <= MAX_GAP


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"epoch": 40}, "--epoch"),
        ({"merge_bias": True}, "--merge-bias"),
        ({"time": "cubic"}, "unknown time mapping"),
        ({"duration": 2}, "--duration 2"),
        ({"sections": ["Layer 1"]}, "not a section"),
        ({"durations": {"nope": 3.0}}, "no beat named nope"),
        ({"durations": {"end": 0.5}}, "needs at least"),
    ],
)
def test_bad_parameters_are_refused_before_any_work(
    params: dict[str, object], message: str
) -> None:
    with pytest.raises(RenderError, match=message):
        Evolution.check_params(load(GOLDEN), params)
    Evolution.check_params(load(GOLDEN), {"epoch": None, "merge_bias": False, "color_by": "class"})
