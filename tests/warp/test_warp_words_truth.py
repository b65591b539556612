"""The warp's and the explainer's words are true of the network and the data shown, not
only of the default run: no "100 %" short of every point, no "linearly separable" short of
a line getting them all, the cause of a failure rather than a stock hint, the cut of the
space the separator really lives in, no cut named as if drawn where none is, "unsure" where
the regions are pale, "bent" for ReLU boundaries, chance on balanced classes, names
written as people write them, and a collapse told once, where the health check finds it,
in its words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel.config import DataConfig, ModelConfig, TrainConfig
from nnmodel.datacheck import DataReport
from nnmodel.health import diagnose
from nnmodel.pipeline import train_to_file
from nnmodel.trajectory import Trajectory, load
from scenes.narration import warp as words
from scenes.narration.measure import ActivationFacts, ShiftFacts
from scenes.warp import plan
from scenes.warp.plan import warp_plan
from tests.conftest import small_config

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 2 → 2 → 3 → 1 tanh, epochs 0-200


def beats_of(traj: Trajectory, snapshot: int = -1) -> dict[str, Any]:
    return {b.id: b for b in warp_plan(traj, snapshot, with_title=True)}


def shown(line: Any) -> str:
    """What a line puts on screen (and in the subtitles)."""
    return f"{line.caption}\n{line.sub}"


def trained(tmp_path: Path, name: str, **changes: Any) -> Trajectory:
    return load(train_to_file(small_config(**changes), tmp_path / f"{name}.npz"))


# ----------------------------------------------------------------------------- 1. rounding


def test_99_6_percent_is_neither_100_percent_nor_linearly_separable() -> None:
    verdict = words.line_verdict(0.996)
    assert verdict.caption == "A line gets 99 % right"
    assert verdict.sub == "the data is nearly linearly separable as it is"
    assert words.line_verdict(1.0).sub == "the data is linearly separable as it is"
    head = words.separator_head(2, 2, 0.99, True)
    assert "nearly linearly separable" in head.sub and "nearly" in head.spoken
    assert "nearly linearly separable" not in words.separator_head(2, 2, 1.0, True).sub
    moral, facts = words.end_card(2, 1000, 1000, 0.996, 0.8)
    assert moral.sub == "together they make the classes nearly separable by a line."
    assert facts.endswith("99 % of the points right")
    assert words.separator_score(0.996, 500, 10).caption.startswith("99 % of the points")
    step = words.layer_step(
        "activation", 1, d_in=2, d_out=3, activation="tanh",
        facts=ActivationFacts("tanh", 0.0, line_before=0.9, line_after=0.996),
    )  # fmt: skip
    assert "100 %" not in step.sub + step.narration and "99 %" in step.sub


def test_a_line_short_of_every_point_never_made_bending_needless() -> None:
    moral, _ = words.end_card(2, 1000, 1000, 1.0, 0.995)
    assert "no bending" not in moral.sub
    assert moral.sub == "bending the space got this network only a little further (100 %)."
    moral, _ = words.end_card(2, 1000, 1000, 1.0, 1.0)
    assert moral.sub == "this data needed no bending."


# ----------------------------------------------------------------------------- 2. which points


def test_a_layer_s_split_says_it_counts_all_the_points() -> None:
    """The corner shows the training accuracy; the layers' and the score's numbers count
    all the points (training and held-out): their captions say so."""
    beats = beats_of(load(GOLDEN))
    for n in (1, 2):
        sub = beats[f"layer-{n}.activation"].line.sub
        assert sub.endswith("of all points"), sub
    assert "training and held-out" in beats["separator-score"].line.sub


# ----------------------------------------------------------------------------- 3. end card


def test_a_network_without_hidden_layers_is_told_it_draws_one_straight_line(
    logreg_traj: Path,
) -> None:
    beats = beats_of(load(logreg_traj))
    for beat in ("separator", "end"):
        said = shown(beats[beat].line) + beats[beat].line.spoken
        assert "more training" not in said and "more units" not in said, said
    assert beats["end"].line.caption == (
        "With no hidden layer, the network can only draw a straight line:"
    )
    three, _ = words.end_card(0, 1000, 1000, 0.7, None, n_classes=3)
    assert "straight cuts" in three.caption


def test_a_linear_network_is_told_nothing_bends_not_to_grow(tmp_path: Path) -> None:
    traj = trained(
        tmp_path,
        "linear",
        data=DataConfig("xor", samples=120),
        model=ModelConfig(hidden=(3,), activation=("linear",)),
    )
    beats = beats_of(traj)
    assert float(np.mean(traj.predictions(-1) == traj.labels)) < 0.9
    assert words.NO_CAUSE not in beats["separator"].line.sub
    assert "all linear" in beats["separator"].line.sub
    assert beats["end"].line.caption.startswith("With only linear layers")


def test_a_collapsed_sigmoid_network_is_told_its_collapse(tmp_path: Path) -> None:
    """Four sigmoid layers squash the moons to one spot: that is the cause to give, not
    the score against always answering one class."""
    traj = trained(
        tmp_path, "sigmoid", model=ModelConfig(hidden=(4, 4, 4, 4), activation=("sigmoid",))
    )
    found = [f for f in diagnose(traj) if f.kind == "collapsed-layer"]
    assert found, "the run the test is about: a collapsed layer"
    beats = beats_of(traj)
    layer = f"layer {found[0].layer + 1} (sigmoid)"  # type: ignore[operator]
    for beat in ("separator", "end"):
        assert layer in beats[beat].line.sub, beats[beat].line.sub
        assert "always answering" not in beats[beat].line.sub


def test_a_stuck_run_is_told_its_loss_barely_moved_its_regions_unsure_its_score_chance(
    tmp_path: Path,
) -> None:
    traj = trained(tmp_path, "stuck", train=TrainConfig(epochs=30, lr=1e-5))
    beats = beats_of(traj)
    assert "the loss barely moved" in beats["end"].line.sub
    assert "the loss barely moved" in beats["separator"].line.sub
    assert beats["regions"].line.caption == "The network is unsure almost everywhere"
    assert beats["separator-score"].line.sub.endswith("guessing scores 50 %")


def test_the_end_card_names_the_cut_of_the_last_space_and_the_classes() -> None:
    beats = beats_of(load(GOLDEN))  # the last hidden space is 3-D: a plane cuts it
    assert beats["end"].line.sub == "together they make the classes nearly separable by a plane."
    three, _ = words.end_card(2, 1000, 1000, 1.0, 0.4, n_classes=3, dims=2)
    assert three.sub == "together they make the classes separable by flat cuts."
    one, _ = words.end_card(2, 1000, 1000, 1.0, 0.4, dims=1)
    assert one.sub.endswith("separable by a threshold.")


def test_the_end_card_does_not_repeat_the_line_s_score() -> None:
    """The line's verdict said "A line gets 99 % right"; the end card says what it means."""
    moral, _ = words.end_card(2, 1000, 1000, 0.99, 0.99)
    assert "%" not in moral.caption
    assert moral.caption == "A straight line already got as far:"
    assert moral.sub == "bending the space got this network no further (99 %)."
    moral, _ = words.end_card(2, 1000, 1000, 1.0, 1.0, n_classes=3)
    assert moral.caption == "Straight cuts already got every point right:"


# ----------------------------------------------------------------------------- 4. no cut drawn


def test_no_flat_cut_is_named_as_if_drawn_in_a_layer_s_step() -> None:
    """After an activation no line or plane is drawn: the words say one could split the
    points, not that one "now separates" them."""
    for beat in warp_plan(load(GOLDEN)):
        if beat.id.startswith("layer-"):
            assert "now separate" not in beat.line.sub, beat.line.sub
    step = words.layer_step(
        "activation", 2, d_in=2, d_out=3, activation="relu", n_classes=3,
        facts=ActivationFacts("relu", 0.4, line_before=0.5, line_after=0.9),
    )  # fmt: skip
    assert step.sub.endswith("flat cuts could split 90 % of all points"), step.sub


# ----------------------------------------------------------------------------- 5. unsure


def test_pale_regions_are_said_to_be_unsure() -> None:
    traj = load(GOLDEN)
    assert plan.unsure_everywhere(traj, 0) and not plan.unsure_everywhere(traj, -1)
    assert beats_of(traj, 0)["regions"].line.caption == "The network is unsure almost everywhere"
    assert beats_of(traj)["regions"].line.caption == "The network's decision regions"


# ----------------------------------------------------------------------------- 6. bent


def test_a_relu_network_s_boundary_is_bent_not_curved(wide_traj: Path) -> None:
    rewind = beats_of(load(wide_traj))["rewind"].line.sub
    assert rewind.endswith("come back bent, made of straight pieces"), rewind
    assert "curved" not in rewind
    assert beats_of(load(GOLDEN))["rewind"].line.sub.endswith("a curved boundary")  # tanh


# ----------------------------------------------------------------------------- 7. chance


def test_balanced_classes_read_a_score_against_guessing() -> None:
    beats = beats_of(load(GOLDEN), 0)  # epoch 0: one class everywhere, 50 % right
    score = beats["separator-score"].line.sub
    assert score.endswith("guessing scores 50 %") and "always answering" not in score
    even = DataReport("1", 0.51, (1.0, 1.0), ("x", "y"), False, ())
    assert words.chance(even, 0.9, 2) is None  # better than chance: nothing to say
    assert words.chance(even, 0.5, 2) == "no better than guessing (50 %)"
    thirds = DataReport("c", 0.34, (1.0, 1.0), ("x", "y"), False, ())
    assert words.chance(thirds, 0.35, 3) == "no better than guessing (33 %)"
    lopsided = DataReport("b", 0.63, (1.0, 1.0), ("x", "y"), False, ())
    assert words.chance(lopsided, 0.64, 2) == "no better than always answering 'b' (63 %)"


# ----------------------------------------------------------------------------- 8. bias


def test_a_bias_that_barely_moves_the_points_says_so_not_by_0_00() -> None:
    line = words.layer_step(
        "bias", 1, d_in=2, d_out=2, activation="tanh", facts=ShiftFacts(0.003, "up")
    )
    assert "0.00" not in line.sub and "barely moves" in line.sub
    moved = words.layer_step(
        "bias", 1, d_in=2, d_out=2, activation="tanh", facts=ShiftFacts(0.42, "up")
    )
    assert moved.sub.endswith("by 0.42, up")


# ----------------------------------------------------------------------------- 9. names


def test_names_are_written_as_people_write_them() -> None:
    title = words.title_card("moons", [2, 6, 3, 1], ["leaky_relu", "leaky_relu"])
    assert "leaky_relu" not in title.sub + title.narration
    assert title.sub.endswith("· leaky ReLU") and "leaky ReLU units" in title.narration
    step = words.layer_step("activation", 1, d_in=2, d_out=6, activation="leaky_relu")
    assert step.caption == "Layer 1 · leaky ReLU"


def test_the_data_beat_counts_the_user_s_classes_by_name(wide_traj: Path) -> None:
    traj = load(wide_traj)  # a CSV whose classes are red, green and blue
    counts = np.bincount(traj.labels)
    sub = beats_of(traj)["data"].line.sub
    named = ", ".join(f"{n}: {c}" for n, c in zip(traj.class_names, counts, strict=True))
    assert f"({named} points)" in sub, sub
    assert "red: " in sub


def test_a_network_shown_at_an_earlier_epoch_says_so_in_its_title() -> None:
    traj = load(GOLDEN)
    title = beats_of(traj, 1)["title"].line  # epoch 5 of 200
    assert title.sub.endswith("· at epoch 5 of 200") and "epoch 5 of 200" in title.spoken
    assert "epoch" not in beats_of(traj)["title"].line.sub  # the trained network: no epoch


def test_a_dead_network_s_layers_say_everything_lands_on_one_spot() -> None:
    """A network whose weights decayed to about 0 (xor with sigmoid) sends every point to
    one spot: "flattens the plane onto a line, scaled 1e-06×" and "the points lie almost on
    a single line" named a shape the picture (one dot) does not have."""
    from scenes.narration.measure import linear_facts

    w = np.array([[1e-6, 0.0], [0.0, 5e-7], [3e-7, 0.0]])
    sub = words.layer_step("linear", 1, d_in=2, d_out=3, activation="sigmoid",
                           facts=linear_facts(w)).sub  # fmt: skip
    assert sub.startswith("W is nearly 0") and "onto a line" not in sub
    normal = words.layer_step("linear", 1, d_in=2, d_out=3, activation="sigmoid",
                              facts=linear_facts(np.eye(3, 2))).sub  # fmt: skip
    assert "nearly 0" not in normal
    facts = ActivationFacts("sigmoid", 0.0, None, None)
    spot = words.layer_step("activation", 1, d_in=2, d_out=3, activation="sigmoid",
                            facts=facts, collapsed=True, to_a_point=True).sub  # fmt: skip
    assert spot.endswith("every point lands in nearly the same place")
    x = np.random.default_rng(1).normal(size=(200, 2))
    assert plan.nearly_a_point(0.5 + 1e-6 * x, x)
    assert not plan.nearly_a_point(np.column_stack([x[:, 0], 1e-6 * x[:, 1]]), x)  # a line


# ----------------------------------------------------------------------------- 10. could


def test_the_voice_says_a_cut_could_separate_the_points_as_the_subtitle_does() -> None:
    """No cut is drawn after an activation: the subtitle says one "could split" the
    points, and the voice said one "separates" them."""
    for n_classes, cut in ((2, "a plane"), (3, "flat cuts")):
        step = words.layer_step(
            "activation", 2, d_in=2, d_out=3, activation="tanh", n_classes=n_classes,
            facts=ActivationFacts("tanh", 0.0, line_before=0.9, line_after=0.96),
        )  # fmt: skip
        assert step.sub.endswith(f"{cut} could split 96 % of all points"), step.sub
        said = f"After this layer, {cut} could separate 96 % of the points, up from 90 % before it."
        assert said in step.narration, step.narration
    for beat in warp_plan(load(GOLDEN)):
        if beat.id.endswith(".activation"):
            assert "could separate" in beat.line.spoken and "separates" not in beat.line.spoken


# ----------------------------------------------------------------------------- 11. collapse

NEWS = ("every point lands in nearly the same place", "now lie almost on a single line")
AGAIN = ("the points stay in nearly the same place", "still lie almost on a single line")


def test_a_collapse_is_told_once_with_the_flattening_behind_it_and_fits_at_480p() -> None:
    """A layer that leaves the points where the one before left them says they stay there
    (the later layers of a dead sigmoid network each said every point "lands" on one spot,
    as news); the saturation that squashed them is said too; the voice does not say
    "nothing is left to separate" next to the share a cut could still separate."""
    for act in ("tanh", "sigmoid", "relu", "leaky_relu", "elu", "softplus"):
        for flat in (0.0, 1.0):
            for to_a_point in (True, False):
                for still in (False, True):
                    facts = ActivationFacts(act, flat, line_before=0.89, line_after=0.9)
                    step = words.layer_step(
                        "activation", 2, d_in=2, d_out=2, activation=act, facts=facts,
                        collapsed=True, to_a_point=to_a_point, still=still,
                    )  # fmt: skip
                    told = (AGAIN if still else NEWS)[0 if to_a_point else 1]
                    assert told in step.sub and len(step.sub) <= words.SUB_CHARS, step.sub
                    assert told[1:] in step.narration
                    other = (NEWS if still else AGAIN)[0 if to_a_point else 1]
                    assert other not in step.sub + step.narration
                    assert "nothing is left" not in step.narration
                    assert "could separate 90 % of the points" in step.narration
                    if flat and act in ("tanh", "sigmoid"):
                        assert "100 % saturate" in step.sub, step.sub
                        assert "100 % of the coordinates saturate" in step.narration


def deep_sigmoid(tmp_path: Path, data: str, hidden: tuple[int, ...]) -> Trajectory:
    model = ModelConfig(hidden=hidden, activation=("sigmoid",))
    return trained(tmp_path, f"{data}-deep", data=DataConfig(data, samples=120), model=model)


@pytest.mark.parametrize(("data", "hidden"), [("moons", (2,) * 6), ("xor", (2, 2, 2))])
def test_a_collapse_is_told_as_news_where_health_finds_it_and_only_there(
    tmp_path: Path, data: str, hidden: tuple[int, ...]
) -> None:
    """Deep sigmoid networks whose points collapse: the layer the health check names says
    so, in the shape it names (one place or a line); the layers after it say the points
    stay so, not that each of them collapses them again."""
    traj = deep_sigmoid(tmp_path, data, hidden)
    found = [f for f in diagnose(traj) if f.kind == "collapsed-layer"]
    assert found, "the run the test is about: a collapsed layer"
    first = found[0].layer
    assert first is not None
    beats = beats_of(traj)
    subs = [beats[f"layer-{i + 1}.activation"].line.sub for i in range(len(hidden))]
    news = [i for i, sub in enumerate(subs) if any(w in sub for w in NEWS)]
    assert news and news[0] == first, subs
    assert set(news) <= {f.layer for f in found}, subs  # news only where health finds one
    point = "same place" in found[0].text  # health's words for the shape
    assert ("same place" in subs[first]) == point, (found[0].text, subs[first])
    spoken = beats[f"layer-{first + 1}.activation"].line.spoken
    assert ("same place" if point else "single line") in spoken
    for sub in subs[first + 1 :]:
        assert not any(w in sub for w in NEWS), sub


def test_the_cause_names_a_collapse_in_the_health_check_s_words() -> None:
    """The separator and the end card name a collapse as the health check's sentence does
    ("squashes all the points onto a line", "sends every point to the same place"), never
    "onto a line or a point" (a point is what moves, not where they all land)."""
    from nnmodel.health import Finding, _collapse
    from nnmodel.schema import LayerInfo

    layer = LayerInfo(1, 2, 2, "sigmoid", is_output=False, projected=False)
    for onto in ("point", "line"):
        finding = _collapse(layer, onto)
        why = words.network_why([finding], ["tanh", "sigmoid"])
        assert why is not None and why.startswith("layer 2 (sigmoid) "), why
        assert why.removeprefix("layer 2 (sigmoid) ") in finding.text, (why, finding.text)
        assert len(words.TANGLED + why) <= words.SUB_CHARS
    unknown = words.network_why([Finding("collapsed-layer", "", layer=1)])
    assert unknown is not None and "a point" not in unknown
