"""The anatomy's plan of beats: its order, sections, words from real numbers, durations."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nnmodel import activations
from nnmodel.trajectory import load
from scenes.anatomy import numbers
from scenes.anatomy.plan import PIECES, SECTIONS, anatomy_plan, gather
from scenes.anatomy.scene import Anatomy
from scenes.core.timeline import seconds, sections, timeline
from scenes.errors import RenderError
from scenes.narration.anatomy import num, written

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 2 → 2 → 3 → 1 tanh
FPS = 3


def test_the_beats_follow_the_story_forward_then_backward() -> None:
    traj = load(GOLDEN)
    beats = anatomy_plan(traj, gather(traj), fps=FPS)
    assert [b.id for b in beats] == [
        "diagram",
        "weights",
        "sample",
        "layer-1.forward",
        "layer-1.activation",
        "layer-2.forward",
        "layer-2.activation",
        "output",
        "error",
        "backward.output",
        "backward.layer-2",
        "backward.layer-1",
        "update",
        "real-step",
        "responses",
        "responses.layer-1",
        "responses.layer-2",
        "responses.output",
    ]
    assert [s for s, _, _ in sections(timeline(beats))] == list(SECTIONS)
    layers = [b.data["layer"] for b in beats if b.kind in ("backward", "backward-input")]
    assert layers == [2, 1, 0]  # from the output back to the input


def test_every_kind_of_beat_has_its_pieces_and_a_method_that_plays_it(wide8_traj: Path) -> None:
    traj = load(wide8_traj)
    beats = anatomy_plan(traj, gather(traj), fps=FPS)
    kinds = {b.kind for b in beats}
    assert kinds == set(PIECES)  # every kind is used (this net has 2 hidden layers)
    for kind in kinds:
        assert callable(getattr(Anatomy, "beat_" + kind.replace("-", "_")))


@pytest.mark.parametrize("fps", [3, 15, 60])
def test_durations_are_whole_frames_and_add_up(fps: int) -> None:
    traj = load(GOLDEN)
    beats = anatomy_plan(traj, gather(traj), fps=fps)
    for beat in beats:
        assert beat.min_duration == seconds(PIECES[beat.kind], fps)
        assert round(beat.min_duration * fps, 9) == round(beat.min_duration * fps)
    ends = timeline(beats)
    assert ends[-1].end == pytest.approx(sum(b.min_duration for b in beats))


def test_the_words_carry_the_network_s_real_numbers(wide8_traj: Path) -> None:
    traj = load(wide8_traj)
    f = gather(traj)
    beats = {b.id: b for b in anatomy_plan(traj, f)}
    p = f.point
    x = traj.inputs[f.index]
    assert beats["sample"].line.caption.startswith(f"Follow one point: ({num(x[0])}, {num(x[1])})")
    # 8 units: too wide to draw, the 5 that matter most for the point are
    assert "wide layers: the 5 our point uses most" in beats["diagram"].line.sub
    assert "2 inputs → 8 → 2 → 1 output" in beats["diagram"].line.sub
    u = f.layout.columns[1].units[0]  # the first unit drawn, quoted
    assert beats["layer-1.forward"].line.sub.startswith(f"unit {u + 1}: z = ")
    assert f"= {num(p.z[0][u])}, then relu({num(p.z[0][u])}) = {num(p.a[0][u])}" in (
        beats["layer-1.forward"].line.sub
    )
    share = float(np.mean(f.pre[0] <= 0))
    assert beats["layer-1.activation"].line.caption.endswith("of the values are zeroed")
    assert f"{share * 100:.0f} %" in beats["layer-1.activation"].line.caption
    (logit,), _ = written(lambda z: 1 / (1 + np.exp(-z)), [p.a[-1][0]], num(p.probs[1]))
    assert f"σ({logit}) = {num(p.probs[1])}" in beats["output"].line.caption
    assert f"= {num(p.loss)}" in beats["output"].line.sub
    assert f"= {num(p.dz[-1][0])}" in beats["error"].line.sub
    top = float(np.abs(p.dW[0]).max())
    assert beats["backward.layer-1"].line.sub.endswith(f"here {num(top)})")
    assert beats["update"].line.caption == f"One step: W ← W − {f.lr:g}·g"
    a, b, _ = f.real
    epochs = f"epoch {int(traj.epochs[a])} → {int(traj.epochs[b])}"
    assert beats["real-step"].line.caption == f"The real steps are Adam's: {epochs}"


def test_a_chosen_sample_is_said_to_be_chosen(moons_traj: Path) -> None:
    traj = load(moons_traj)
    beats = anatomy_plan(traj, gather(traj, -1, 7))
    assert beats[2].line.sub.startswith("point #7, as asked")
    assert beats[2].data["index"] == 7


def test_unknown_sections_and_too_short_durations_are_refused_before_drawing(
    moons_traj: Path,
) -> None:
    traj = load(moons_traj)
    Anatomy.check_params(traj, {"sections": ["Backpropagation"], "durations": {"update": 9.0}})
    with pytest.raises(RenderError, match="'Layer 1' is not a section"):
        Anatomy.check_params(traj, {"sections": ["Layer 1"]})
    with pytest.raises(RenderError, match="needs at least"):
        Anatomy.check_params(traj, {"durations": {"update": 0.1}})
    with pytest.raises(RenderError, match="no beat named nope"):
        Anatomy.check_params(traj, {"durations": {"nope": 3.0}})


@pytest.mark.parametrize("fixture", ["moons_traj", "wide_traj", "wide8_traj"])
def test_captions_fit_on_one_line_each(fixture: str, request: pytest.FixtureRequest) -> None:
    """At 100 characters a subcaption still fits the frame at its full size."""
    traj = load(request.getfixturevalue(fixture))
    for beat in anatomy_plan(traj, gather(traj)):
        assert len(beat.line.caption) <= 60, beat.line.caption
        assert len(beat.line.sub) <= 100, beat.line.sub


@pytest.mark.parametrize("fixture", ["moons_traj", "wide_traj"])
def test_counts_and_losses_are_said_whole(fixture: str, request: pytest.FixtureRequest) -> None:
    """The diagram says what training learned in a sentence; an activation's count is how
    many values are flat out of how many; a step's loss is said from where to where."""
    traj = load(request.getfixturevalue(fixture))
    f = gather(traj)
    beats = {b.id: b for b in anatomy_plan(traj, f)}
    n = sum(w.size + b.size for w, b in f.weights)
    assert f"Training learned {n:,} numbers: its weights and biases." in (
        beats["diagram"].line.narration
    )
    for i, name in enumerate(f.acts):
        z = f.pre[i]
        slope = np.abs(activations.get(name).derivative(z))
        flat = int(np.sum(slope < 0.05 * numbers.steepest(name)))
        assert beats[f"layer-{i + 1}.activation"].line.sub.endswith(
            f"{flat:,} of {z.size:,} values"
        )
    a, b_, real = f.real
    sentences = beats["update"].line.narration.split(". ")
    one = next(s for s in sentences if s.startswith("The loss")).split(", and")[0]  # one step
    many = sentences[-1]  # the many steps'
    assert many.startswith("Over those steps the loss"), many
    for said, step in ((one, f.step), (many, f.descent.step)):
        values = [float(v) for v in re.findall(r"\d+\.\d+", said)]
        assert len(values) == 2, said  # from one loss to the other
        for v, loss in zip(values, (step.loss_before, step.loss_after), strict=True):
            digits = len(str(v).split(".")[1])
            assert v == pytest.approx(loss, abs=10**-digits), (said, loss)
    said = beats["real-step"].line.narration.split(". ")[-1]
    assert said.startswith("The loss"), said
    values = [float(v) for v in re.findall(r"\d+\.\d+", said)]
    assert len(values) == 2, said
    for v, loss in zip(values, (real.loss_before, real.loss_after), strict=True):
        digits = len(str(v).split(".")[1])
        assert v == pytest.approx(loss, abs=10**-digits), (said, loss)
    assert "weight's scaled" not in beats["real-step"].line.sub
