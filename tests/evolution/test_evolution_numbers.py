"""Every number the evolution's captions tell is the stored metric at the epoch they name."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import manim
import numpy as np
import pytest

from nnmodel import trajectory
from nnmodel.config import ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import Dataset
from nnmodel.export import build
from nnmodel.schema import Metrics
from nnmodel.snapshots import loss_jumps
from nnmodel.trajectory import Trajectory, load
from scenes.core.timeline import Beat
from scenes.evolution.chart import latest
from scenes.evolution.plan import (
    MIN_GAP,
    SPIKE,
    SPIKE_GAP,
    evolution_plan,
    key_moments,
    loss_spike,
    loss_spikes,
    make_clock,
)
from scenes.evolution.timing import Clock
from scenes.narration import evolution as words
from scenes.render import pipeline as r
from tests.render_helpers import small_render

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
#: Real per-epoch metrics (``train_loss``, ``train_acc``, ``test_acc``) of three trainings
#: of 1,000 epochs (Adam, learning rate 0.03, seed 0): ``moons`` (``nnwarp train``'s
#: defaults: its loss halves at epoch 26 and 90 % is first reached at epoch 39, close on
#: the clock), ``spiral_tanh`` (``-d spiral --hidden 16,16``: the loss jumps from 0.03 to
#: 0.758 at epoch 746, then recovers) and ``spiral_relu`` (``--hidden 16,16,2 --activation
#: relu``: it jumps to 3.679 at epoch 798 and never comes back down).
CURVES = Path(__file__).parent / "data" / "curves.npz"

LOSS = r"\d+\.\d+(?:e-\d+)?|\d+e-\d+"  # as words.loss_text writes them
PCT = r"\d+ %"
EPOCH = r"\d[\d,]*"


def curve(name: str) -> tuple[list[float], list[float], list[float]]:
    """The stored metrics of one of :data:`CURVES`' trainings."""
    with np.load(CURVES) as f:
        return tuple(f[f"{name}.{k}"].tolist() for k in ("train_loss", "train_acc", "test_acc"))  # type: ignore[return-value]


def curve_file(
    folder: Path,
    loss: Sequence[float],
    acc: Sequence[float],
    test_acc: Sequence[float] | None = None,
    *,
    snapshots: int = 2,
    every_epoch: bool = False,
    name: str = "curve",
) -> Path:
    """A small trajectory file (25 points, a 2-unit tanh layer) whose training went exactly
    as ``loss`` and ``acc`` say, epoch by epoch: weights at the first and last epoch, or,
    ``every_epoch``, at every epoch (growing, so snapshots differ), of which the exporter
    keeps ``snapshots`` as it keeps the trainer's."""
    n = len(loss)
    steps = (-1.0, -0.5, 0.0, 0.5, 1.0)
    x = np.array([(a, b) for a in steps for b in steps], np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    cfg = RunConfig(
        model=ModelConfig(hidden=(2,), activation=("tanh",)),
        train=TrainConfig(epochs=n - 1),
        export=ExportConfig(snapshots=snapshots, grid_lines=2, grid_samples=100, mesh_resolution=8),
    )

    def weights(e: int) -> list[tuple[np.ndarray, np.ndarray]]:
        grow = 1 + e / n if every_epoch else 1.0
        return [
            (np.eye(2, dtype=np.float32) * grow, np.zeros(2, np.float32)),
            (np.full((1, 2), 0.5, np.float32), np.zeros(1, np.float32)),
        ]

    metrics: dict[str, list[float | None]] = {
        "train_loss": list(loss),
        "train_acc": list(acc),
        "test_loss": [None] * n,
        "test_acc": [None] * n if test_acc is None else list(test_acc),
    }
    held_out = np.arange(len(y)) % 5 == 0
    epochs = range(n) if every_epoch else (0, n - 1)
    recorded = {e: weights(e) for e in epochs}
    data = Dataset(x, y, ("a", "b"), "hand")
    info, arrays = build(cfg, data, recorded, n - 1, metrics, held_out)
    return trajectory.write(folder / f"{name}.npz", info, arrays)


def with_metrics(
    traj: Trajectory, loss: Sequence[float], acc: Sequence[float], test_acc: Any = None
) -> Trajectory:
    """``traj`` with these metrics instead of its own (as many epochs as it has)."""
    none = (None,) * len(loss)
    test = none if test_acc is None else tuple(test_acc)
    traj.info = replace(traj.info, metrics=Metrics(tuple(loss), tuple(acc), none, test))
    return traj


def misquoted(beat: Beat, m: Metrics) -> list[str]:
    """Every number in ``beat``'s caption and subcaption that is not the stored metric at
    the epoch it is told at, and every number this reading cannot place (empty: all true).

    The caption names its epoch E ("At epoch E: …", "Epoch E: …"); in the subcaption's
    `` · ``-separated parts, a number names its own epoch ("0.030 at epoch 742", "up from
    50 % at epoch 0", "90 % first at epoch 200"), or is a change ``a → b`` (the loss
    "halved" or "fell tenfold": from epoch 0 to E, or to N if "by epoch N"; "a → b since
    epoch S": from S to E; otherwise from the last epoch an earlier part named, or epoch
    0, to E), or is at E.
    """
    bad: list[str] = []

    def check(kind: str, text: str, epoch: int) -> None:
        values = {"loss": m.train_loss, "acc": m.train_acc, "test": m.test_acc}[kind]
        v = latest(values, epoch)
        want = None if v is None else (words.loss_text(v) if kind == "loss" else words.pct(v))
        if text != want:
            bad.append(f"{beat.id}: {text} told as the {kind} at epoch {epoch}, which is {want}")

    line = beat.line
    head = re.match(rf"(?:At epoch|Epoch) ({EPOCH}):", line.caption)
    assert head is not None, line.caption
    told = int(head[1].replace(",", ""))
    caption = line.caption[head.end() :]
    for text in re.findall(rf"({PCT}) of the training points right", caption):
        check("acc", text, told)
    caption = re.sub(rf"({PCT}) of the training points right", "", caption)
    for text in re.findall(LOSS, caption):
        check("loss", text, told)
    if re.search(r"\d", re.sub(LOSS, "", caption)):
        bad.append(f"{beat.id}: a number in {line.caption!r} not read")
    named = 0
    for part in line.sub.split(" · ") if line.sub else []:

        def at(match: re.Match[str], kind: str) -> str:
            check(kind, match[1], int(match[2].replace(",", "")))
            return " "

        rest = re.sub(rf"({LOSS}) at epoch ({EPOCH})", lambda mt: at(mt, "loss"), part)
        rest = re.sub(rf"up from ({PCT}) at epoch ({EPOCH})", lambda mt: at(mt, "acc"), rest)
        for mark, first in re.findall(rf"({PCT}) first at epoch ({EPOCH})", rest):
            e = int(first.replace(",", ""))
            passed = [k for k, v in enumerate(m.train_acc[: e + 1]) if v is not None and v >= 0.9]
            if mark != "90 %" or not passed or passed[0] != e:
                bad.append(f"{beat.id}: {mark} first at epoch {e} is not when 90 % was reached")
        rest = re.sub(rf"({PCT}) first at epoch ({EPOCH})", " ", rest)
        by = re.search(rf"by epoch ({EPOCH})", rest)
        since = re.search(rf"since epoch ({EPOCH})", rest)
        for a, b in re.findall(rf"({LOSS}) → ({LOSS})", rest):
            if re.search("halved|fell tenfold", rest):  # from its first value
                check("loss", a, 0)
                check("loss", b, told if by is None else int(by[1].replace(",", "")))
            else:
                check("loss", a, int(since[1].replace(",", "")) if since else named)
                check("loss", b, told)
        rest = re.sub(rf"({LOSS}) → ({LOSS})", " ", rest)
        for text in re.findall(rf"({PCT}) of the training points right", rest):
            check("acc", text, told)
        rest = re.sub(rf"({PCT}) of the training points right", " ", rest)
        for text in re.findall(rf"({PCT}) of the held-out", rest):
            check("test", text, told)
        rest = re.sub(rf"({PCT}) of the held-out", " ", rest)
        for text in re.findall(LOSS, rest):
            check("loss", text, told)
        rest = re.sub(LOSS, " ", rest)
        epochs = re.findall(rf"epoch ({EPOCH})", part)
        if epochs:
            named = int(epochs[-1].replace(",", ""))
        if re.search(r"\d", re.sub(rf"epoch {EPOCH}", " ", rest)):
            bad.append(f"{beat.id}: a number in {part!r} not read")
    return bad


def told(beats: Sequence[Beat]) -> list[Beat]:
    """The beats whose words tell the training's numbers at an epoch."""
    return [b for b in beats if b.kind in ("start", "moment", "end")]


def scenarios(tmp_path: Path, request: pytest.FixtureRequest) -> dict[str, Trajectory]:
    """Real trainings, and golden's network with metrics that make every kind of caption."""
    out = {"golden": load(GOLDEN)}
    for name in ("stopped_traj", "wide_traj", "logreg_traj", "moons_traj"):
        out[name] = load(request.getfixturevalue(name))
    for name in ("moons", "spiral_tanh", "spiral_relu"):
        (tmp_path / name).mkdir()
        out[name] = load(curve_file(tmp_path / name, *curve(name)))
    # a fall, then a plateau: check-ins; a cliff: a sharp drop
    out["check-ins"] = with_metrics(
        load(GOLDEN),
        [0.70 - 0.2 * min(e, 20) / 20 for e in range(201)],
        [0.5 + 0.25 * min(e, 4) / 4 for e in range(201)],
    )
    out["cliff"] = with_metrics(
        load(GOLDEN), [0.60] * 120 + [0.36] * 81, [0.55] * 120 + [0.80] * 81, [0.5] * 201
    )
    return out


@pytest.mark.parametrize("mapping", ["log", "linear"])
def test_every_number_in_the_captions_is_the_metric_at_the_epoch_they_name(
    mapping: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The moons' "At epoch 39: 90 % …" once said "the loss halved by epoch 26: 0.748 →
    0.283", the loss at epoch 39: at epoch 26 it was 0.373."""
    for name, traj in scenarios(tmp_path, request).items():
        beats = told(evolution_plan(traj, fps=15, mapping=mapping))
        assert len(beats) >= 2, name
        problems = [p for b in beats for p in misquoted(b, traj.info.metrics)]
        assert problems == [], name


def test_the_voice_says_the_loss_at_the_epoch_it_names(tmp_path: Path) -> None:
    """When 90 % and half the loss are told together, the loss said beside the halving's
    epoch is the loss there, in the subcaption and in the voice."""
    loss, acc, test = curve("moons")
    traj = load(curve_file(tmp_path, loss, acc, test))
    beat = next(b for b in evolution_plan(traj, fps=15) if b.id == "accuracy-90")
    assert beat.data["epoch"] == 39 and beat.data["pins"] == [(0, 26, "÷2"), (1, 39, "90 %")]
    assert "the loss halved by epoch 26: 0.748 → 0.373" in beat.line.sub
    assert "The loss had halved by epoch 26, from 0.748 to 0.373." in beat.line.narration
    assert words.loss_text(loss[39]) == "0.283"
    assert "0.283" not in beat.line.sub + beat.line.narration


# --------------------------------------------------------------------------- a jump


def test_a_jump_of_the_loss_is_told_at_its_peak(tmp_path: Path) -> None:
    """spiral 16,16: at epoch 746 the loss jumps from 0.03 to 0.758 (above its first value)
    and only 86 % of the points are right; by epoch 772 it is back. The snapshots skip it:
    only the words can tell it, at the epoch the counter shows it."""
    loss, acc, test = curve("spiral_tanh")
    traj = load(curve_file(tmp_path, loss, acc, test))
    beats = evolution_plan(traj, fps=15)
    k = next(i for i, b in enumerate(beats) if b.id == "epoch-746")
    jump = beats[k]
    assert jump.kind == "moment" and jump.data["epoch"] == 746
    assert beats[k - 1].data["until"] == 746, "the run before it stops at the peak"
    assert jump.line.caption == "At epoch 746: the loss jumps to 0.758"
    assert jump.line.sub == (
        "0.030 at epoch 742 → 0.758 → 0.031 at epoch 772 · 86 % of the training points right"
    )
    assert jump.data["pins"] == [(0, 746, "×25")]
    said = jump.line.narration
    assert "At epoch 746 the loss suddenly jumps, from 0.030 at epoch 742 to 0.758" in said
    assert "above where it started" in said and "down from 100 %" in said
    assert said.endswith("By epoch 772 it is back down to 0.031.")
    assert not re.search("[→·×]", said), "a voice reads sentences, not the subcaption"
    # the caption before it ("At epoch 247: 100 % …") is not left up over the jump
    assert beats[k - 1].line.caption.startswith("At epoch 247:")


def test_a_jump_that_never_recovers_says_so(tmp_path: Path) -> None:
    loss, acc, test = curve("spiral_relu")
    traj = load(curve_file(tmp_path, loss, acc, test))
    jump = next(b for b in evolution_plan(traj, fps=15) if b.id == "epoch-798")
    assert jump.line.caption == "At epoch 798: the loss jumps again, to 3.679, and never recovers"
    assert jump.line.sub.startswith("0.106 at epoch 793 → 3.679 · 56 % of the training points")
    assert jump.line.narration.endswith("It does not come back down before the end.")


@pytest.mark.parametrize("mapping", ["log", "linear"])
def test_two_separate_jumps_are_each_told(tmp_path: Path, mapping: str) -> None:
    """spiral 16,16,2 relu jumps twice: at epoch 236 from 0.159 to 1.364 (back by 285),
    and at 798 from 0.106 to 3.679 for good. Only the larger one was told."""
    loss, acc, test = curve("spiral_relu")
    traj = load(curve_file(tmp_path, loss, acc, test))
    beats = evolution_plan(traj, fps=15, mapping=mapping)
    jumps = [b for b in beats if "jumps" in b.line.caption]
    assert [b.id for b in jumps] == ["epoch-236", "epoch-798"]
    first, second = jumps
    assert first.line.caption == "At epoch 236: the loss jumps to 1.364"
    assert first.line.sub.startswith("0.159 at epoch 232 → 1.364 → 0.179 at epoch 285 · ")
    assert "again" in second.line.caption and "jumps again, from 0.106" in second.line.narration
    assert [b.data["pins"] for b in jumps] == [[(0, 236, "×9")], [(0, 798, "×35")]]
    # each its own beat: the run before each stops at its peak, and they never share one
    ids = [b.id for b in beats]
    for jump in jumps:
        assert beats[ids.index(jump.id) - 1].data["until"] == jump.data["epoch"]
    assert [s.peak for s in loss_spikes(make_clock(traj, mapping), loss)] == [236, 798]


def test_jumps_are_told_apart_and_at_most_max_jumps() -> None:
    """Five separate jumps: the three strongest are found; two of them closer on screen
    than MIN_GAP are told as one (the stronger); none in the last SPIKE_GAP seconds."""
    loss = [0.03] * 1001
    for peak, times in ((150, 5.0), (300, 20.0), (320, 10.0), (600, 8.0), (990, 30.0)):
        loss[peak] = 0.03 * times
    assert [j.peak for j in loss_jumps(loss)] == [990, 300, 320]  # strongest first, 3 at most
    clock = Clock(1000, "log", 24.0)
    assert clock.seconds(320) - clock.seconds(300) < MIN_GAP
    assert clock.duration - clock.seconds(990) < SPIKE_GAP
    assert [s.peak for s in loss_spikes(clock, loss)] == [300]
    # a slow linear clock: 4.8 s apart, and epoch 990 2.4 s from the end: all three told
    wide = Clock(1000, "linear", 240.0)
    assert [s.peak for s in loss_spikes(wide, loss)] == [300, 320, 990]


def smooth_curves() -> dict[str, list[float]]:
    rng = np.random.default_rng(0)
    return {
        "moons": curve("moons")[0],
        "falling": [0.7 * 0.99**e for e in range(1001)],
        "noisy plateau": (0.3 * np.exp(rng.uniform(-0.3, 0.3, 1001))).tolist(),
        "noisy fall": [0.7 * 0.995**e * float(np.exp(rng.normal(0, 0.1))) for e in range(1001)],
        "cliff": [0.6] * 500 + [0.2] * 501,
        "slow rise": [0.2 + 0.4 * e / 1000 for e in range(1001)],
        "early wobble": [0.7, 0.9, 1.1, 0.8] + [0.6 * 0.995**e for e in range(997)],
    }


@pytest.mark.parametrize("name", list(smooth_curves()))
@pytest.mark.parametrize("mapping", ["log", "linear"])
def test_no_jump_is_invented_on_a_curve_without_one(name: str, mapping: str) -> None:
    loss = smooth_curves()[name]
    clock = Clock(1000, mapping, 24.0)
    assert loss_spike(clock, loss) is None
    none = (None,) * 1001
    fake = SimpleNamespace(
        info=SimpleNamespace(metrics=Metrics(tuple(loss), (0.5,) * 1001, none, none))
    )
    assert all(mo.spike is None for mo in key_moments(fake, clock))  # type: ignore[arg-type]


def test_a_jump_is_several_fold_its_recent_level() -> None:
    """A rise to just under :data:`SPIKE` times the level is not a jump; just over is."""
    level = 0.035
    base = [max(level, 0.7 * 0.99**e) for e in range(600)]  # down to a plateau
    clock = Clock(1000, "log", 24.0)
    for times, found in ((SPIKE * 0.95, False), (SPIKE * 1.05, True)):
        loss = [*base, level * times, *[level] * 400]
        spike = loss_spike(clock, loss)
        assert (spike is not None) == found, times
    assert spike is not None and (spike.start, spike.peak, spike.back) == (599, 600, 601)


def test_golden_and_real_smooth_trainings_have_no_jump_beat() -> None:
    traj = load(GOLDEN)
    for mapping in ("log", "linear"):
        clock = make_clock(traj, mapping)
        assert loss_spike(clock, traj.info.metrics.train_loss) is None
        assert not any("jumps" in b.line.caption for b in evolution_plan(traj, mapping=mapping))


def test_a_told_jump_is_pinned_and_dims_as_the_training_runs_past_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered: the video stands at the peak while the jump is told (the counter at its
    epoch), rings it on the loss curve, and dims its caption as training runs on."""
    from scenes.evolution import scene as evolution

    loss = [0.7 * 0.99**e for e in range(300)]
    loss = [*loss, loss[-1] * 20, *[loss[-1]] * 100]  # a jump at epoch 300 of 400
    acc = [min(1.0, 0.5 + e / 200) for e in range(401)]
    path = curve_file(tmp_path, loss, acc)
    dims: dict[str, float] = {}
    moment = evolution.Evolution.beat_moment

    def watched(self: evolution.Evolution, beat: Beat) -> None:
        moment(self, beat)
        caption = self.captions.current
        assert caption is not None
        dims[beat.id] = max(
            float(m.get_fill_opacity()) for m in caption.family_members_with_points()
        )

    monkeypatch.setattr(evolution.Evolution, "beat_moment", watched)
    seen: dict[str, Any] = {}
    opts = small_render("evolution", tmp_path, (96, 54), 2)
    r.render(path, opts, on_scene=lambda s: seen.setdefault("scene", s))
    scene: evolution.Evolution = seen["scene"]
    jump = next(b for b in scene.beats if "jumps" in b.line.caption)
    assert jump.data["epoch"] == 300
    assert dims[jump.id] == pytest.approx(evolution.TOLD)
    _, start, _ = next(t for t in scene.beat_times if t[0] == jump.id)
    held = [e for t, _, e in scene.shown if start <= t < start + 1.0]
    assert held and np.allclose(held, 300), "the counter stands at the peak while it is told"
    rings = [m for m in scene.mobjects if isinstance(m, manim.VGroup) and m.z_index == 4]
    at = scene.charts[0].marker(scene.series[0][0], 300)
    pin = next(ring for ring in rings if np.allclose(ring[0].get_center()[:2], at))
    assert pin[1].text == "×20"
    # near the chart's right end, its label goes left of the ring, not over the next chart
    assert pin[1].get_right()[0] <= scene.charts[0].box.xmax + 0.05
