"""The comparison's words: pure functions of the runs' numbers."""

from __future__ import annotations

import pytest

from scenes.narration import compare as words
from scenes.narration.compare import Event, Result


def test_many_runs_stopping_together_are_one_caption_naming_a_few() -> None:
    stops = [Event(f"run {k}", words.STOPPED, 30 + k, loss=0.25, target=0.263) for k in range(5)]
    line = words.events(stops)
    assert line.caption == "5 runs stop early"
    assert line.sub == (
        "run 0 at epoch 30, run 1 at epoch 31, run 2 at epoch 32 and 2 more: each reached "
        "the target loss 0.263"
    )
    two_targets = [stops[0], Event("x", words.STOPPED, 9, loss=0.1, target=0.2)]
    assert words.events(two_targets).sub.endswith("each reached its target loss")


def test_each_kind_of_event_has_its_words() -> None:
    ended = words.events([Event("lr 0.1", words.ENDED, 100)])
    assert ended.caption == "lr 0.1 ends at epoch 100"
    dead = Event("A", words.DEAD, 12, "Units 1 and 2 of layer 1 are dead ReLUs.", count=2)
    assert words.events([dead]).caption == "A: 2 dead ReLUs"
    assert words.events([dead]).sub == "from epoch 12, units 1 and 2 of layer 1 are dead ReLUs"
    # Several runs: how many each has, and what it means (not one run's units as if all's)
    two = words.events([dead, Event("B", words.DEAD, 14, "Layer 1, unit 1 is a dead ReLU.")])
    assert (two.caption, two.sub) == (
        "2 runs: dead ReLUs",
        "A (2) and B (1): a dead ReLU outputs 0 for every point, so it can no longer learn",
    )
    assert two.spoken == (
        "2 runs show dead ReLUs: A and B. A dead ReLU outputs 0 for every point, so "
        "it can no longer learn."
    )
    same = Event("C", words.NO_PROGRESS, 0, "The loss barely moved in 40 epochs.")
    both = words.events([same, Event("D", words.NO_PROGRESS, 0, same.sentence)])
    assert both.sub == "C and D: the loss barely moved in 40 epochs"
    odd = words.events([Event("C", "exploded-gradients", 5)])
    assert odd.caption == "C: exploded gradients" and odd.sub == "from epoch 5 on"
    varying = words.events([Event("A", words.DEAD, 12, dead.sentence, count=0)])
    assert varying.caption == "A: dead ReLUs"
    with pytest.raises(ValueError):
        words.events([])


def test_badges_are_a_few_words() -> None:
    assert words.badge(words.NO_PROGRESS).text == "no progress"
    assert words.badge(words.DIVERGED, epoch=12).text == "diverged at epoch 12"
    assert words.badge(words.ENDED, epoch=1500).text == "done: 1,500 epochs"
    assert words.badge(words.SATURATED, count=7).lines == ("7 saturated units",)
    stop = words.badge(words.STOPPED, epoch=41, loss=0.00041)
    assert stop.lines == ("stopped at epoch 41", "loss 0.00041 reached")
    assert all(len(line) <= 20 for line in stop.lines)


def test_the_best_run_is_judged_on_held_out_points_when_all_have_them() -> None:
    runs = [
        Result("A", loss=0.01, acc=1.00, test_acc=0.90),
        Result("B", loss=0.05, acc=0.97, test_acc=0.95),
        Result("C", loss=0.02, acc=0.97, test_acc=0.95),
    ]
    verdict = words.results(runs)
    assert verdict.best == 2  # B and C tie on held-out accuracy: the far lower loss wins
    assert verdict.line.caption == "Best: C" and verdict.framed == (2,) and verdict.held_out
    assert verdict.line.sub == (
        "95 % of the held-out points right, loss 0.020; B: as many right (95 %), but loss 0.050"
    )
    runs[0] = Result("A", loss=0.01, acc=1.00)  # one run without held-out points
    verdict = words.results(runs)
    assert verdict.best == 0 and "training points" in verdict.line.sub
    assert not verdict.held_out
    tie = words.results([Result("X", 0.3, 0.9), Result("Y", 0.3, 0.9)])
    assert tie.best == 0  # a full tie: the earlier run is named first


def test_one_point_more_is_one_more_held_out_point_right_not_a_percentage_point() -> None:
    # the fish comparison: 48 held-out points, tanh 41 right (85 %), sigmoid 42 (88 %)
    fish = [
        Result("ReLU", loss=1.385, acc=0.27, test_acc=8 / 48, n_train=192, n_test=48),
        Result("tanh", loss=0.114, acc=0.97, test_acc=41 / 48, n_train=192, n_test=48),
        Result("sigmoid", loss=0.203, acc=0.94, test_acc=42 / 48, n_train=192, n_test=48),
    ]
    verdict = words.results(fish)
    assert verdict.best == 1 and verdict.line.caption == "Best: tanh"
    sub = verdict.line.sub
    assert sub.startswith("85 % of held-out points right, loss 0.114; ")
    assert "sigmoid: one more right (88 %)" in sub and "loss 0.203" in sub
    assert "point more" not in sub and len(sub) <= 88
    assert "sigmoid gets one more held-out point right, 88 %" in verdict.line.spoken
    # a barely trained run one point ahead (64 held-out points)
    slow = Result("lr 0.01", loss=0.676, acc=0.98, test_acc=63 / 64, n_train=256, n_test=64)
    fast = Result("lr 0.1", loss=0.156, acc=0.99, test_acc=62 / 64, n_train=256, n_test=64)
    verdict = words.results([slow, fast])
    assert verdict.best == 1 and verdict.line.caption == "Best: lr 0.1"
    assert "lr 0.01: one more right (98 %), loss 0.676" in verdict.line.sub
    # two points more is more than chance: the more accurate run is best
    behind = Result("lr 0.1", loss=0.156, acc=0.99, test_acc=61 / 64, n_train=256, n_test=64)
    verdict = words.results([slow, behind])
    assert verdict.best == 0 and verdict.line.caption == "Best: lr 0.01"
    assert "one more" not in verdict.line.spoken
    # judged on the training points when a run has no held-out ones: one in 256 there
    verdict = words.results(
        [
            Result("a", loss=0.5, acc=200 / 256, n_train=256),
            Result("b", loss=0.2, acc=199 / 256, n_train=256),
            Result("c", loss=0.1, acc=198 / 256, n_train=256),
        ]
    )
    assert verdict.best == 1 and "a: one more right (78 %)" in verdict.line.sub
    assert "The weakest, c" in verdict.line.spoken


def test_runs_as_accurate_with_losses_as_close_are_a_tie() -> None:
    # the sandwich grid: three runs at 88 % of 400 training points, losses 0.280–0.323
    runs = [
        Result("ReLU · lr 0.1", 0.280, 354 / 400, n_train=400),
        Result("ReLU · lr 0.01", 0.400, 348 / 400, n_train=400),
        Result("ReLU · lr 0.001", 0.698, 188 / 400, n_train=400),
        Result("tanh · lr 0.1", 0.285, 354 / 400, n_train=400),
        Result("tanh · lr 0.01", 0.323, 353 / 400, n_train=400),
        Result("tanh · lr 0.001", 0.674, 228 / 400, n_train=400),
    ]
    verdict = words.results(runs)
    assert verdict.line.caption == "A three-way tie at 88 %"
    assert verdict.framed == (0, 3, 4) and verdict.best == 0
    assert verdict.line.sub == (
        "ReLU · lr 0.1, tanh · lr 0.1 and tanh · lr 0.01, with losses 0.280, 0.285 and 0.323"
    )
    assert "too close to call" in verdict.line.spoken and "Best" not in verdict.line.caption


def test_a_poor_best_is_said_to_be_poor() -> None:
    # the circles with 2 units: 76 % at best where the points' neighbours get them all
    def run(label: str, loss: float, test: float) -> Result:
        return Result(label, loss, 0.8, test, 320, 80, guess=0.5375, neighbours=1.0)

    runs = [
        run("lr 0.1 · ReLU", 0.497, 54 / 80),
        run("lr 0.1 · tanh", 0.394, 61 / 80),
        run("lr 0.01 · ReLU", 0.494, 56 / 80),
        run("lr 0.01 · tanh", 0.395, 61 / 80),
    ]
    verdict = words.results(runs)
    assert verdict.line.caption == "No run does well"
    assert verdict.line.sub == (
        "at best 76 % of the held-out points right; a nearest-neighbour vote gets 100 %"
    )
    assert verdict.framed == (1, 3)
    assert "Always guessing the most common class gets 54 %." in verdict.line.spoken
    # barely better than always guessing one class
    runs = [run("a", 0.69, 45 / 80), run("b", 0.68, 47 / 80)]
    verdict = words.results(runs)
    assert verdict.line.caption == "No run learned much"
    assert "always guessing one class gets 54 %" in verdict.line.sub
    # a good run is still the best, and noisy data do not make a run poor
    good = [run("a", 0.05, 79 / 80), run("b", 0.4, 60 / 80)]
    assert words.results(good).line.caption == "Best: a"
    noisy = [Result("a", 0.28, 0.885, n_train=400, guess=0.5, neighbours=0.88)]
    assert words.results(noisy).line.caption == "Best: a"


def test_the_answer_names_the_value_every_good_run_has() -> None:
    # the sweep "How wide must the layer be for the circles?": activation × hidden, 80 held out
    tests = {
        ("ReLU", "2"): 54,
        ("ReLU", "3"): 80,
        ("ReLU", "8,2"): 80,
        ("tanh", "2"): 66,
        ("tanh", "3"): 80,
        ("tanh", "8,2"): 80,
        ("sigmoid", "2"): 62,
        ("sigmoid", "3"): 80,
        ("sigmoid", "8,2"): 37,
    }
    runs = [Result(f"{a} · hidden {h}", 0.1, 0.9, k / 80, 320, 80) for (a, h), k in tests.items()]
    rows = words.Axis(
        "activation",
        tuple(
            (a, (3 * i, 3 * i + 1, 3 * i + 2)) for i, a in enumerate(("ReLU", "tanh", "sigmoid"))
        ),
    )
    cols = words.Axis(
        "hidden", tuple((f"hidden {h}", (j, j + 3, j + 6)) for j, h in enumerate(("2", "3", "8,2")))
    )
    told = words.answer(runs, [rows, cols], "How wide must the layer be for the circles?")
    assert told is not None and told.runs == (1, 4, 7)
    assert told.line.caption == "How wide must the layer be for the circles?"
    assert told.line.sub == (
        "every run with hidden 3 gets 100 % of the held-out points right; none with hidden 2 does"
    )
    assert told.line.spoken.endswith("none with hidden 2 does. With hidden 8,2, 2 of 3 do.")
    # no question: the option is named; a single row or column answers nothing
    plain = words.answer(runs, [cols])
    assert plain is not None and plain.line.caption == "What sets them apart: the hidden layers"
    assert words.answer(runs, [rows]) is None
    assert words.answer(runs[:3], []) is None


def test_the_intro_says_what_differs_and_what_the_grid_asks() -> None:
    line = words.intro(3, "spiral", ["hidden"], "width before depth")
    assert line.caption == "Width before depth"
    assert line.sub == "3 runs on the spiral that differ only in the hidden layers"
    assert line.spoken.endswith(" Width before depth.")  # a sentence of its own
    assert words.intro(2, "moons", []).sub == "2 runs on the moons with the same options"
    assert words.intro(4, "moons", ["seed", "batch_size"]).sub.endswith(
        "differ only in the seed and the batch size"
    )
    # a sweep's question is the caption, and said once, as a question
    asked = words.intro(9, "circles", ["hidden", "activation"], "How wide must it be?")
    assert asked.caption == "How wide must it be?" and asked.spoken.endswith("be?")
    # a data file is named by its file name, without "the"; no description: what differs
    fish = words.intro(3, "fish.csv", ["activation"], from_file=True)
    assert fish.caption == "3 trainings, side by side"
    assert fish.sub == "3 runs on fish.csv that differ only in the activation"
    assert (
        fish.spoken
        == "3 networks train on fish.csv at the same time; they differ only in the activation."
    )
    # a preset's shorthand is shown when it fits, never said; the stop rule is said
    rule = words.stop_rule(200, 0.263)
    preset = words.intro(
        6, "sandwich", ["activation", "lr"], "ReLU vs tanh × lr 0.1 / 0.01", stop=rule
    )
    assert preset.sub == "ReLU vs tanh × lr 0.1 / 0.01" and "×" not in preset.spoken
    assert preset.spoken.endswith(
        "Each run stops after 200 epochs, or as soon as its loss reaches 0.263."
    )
    clock = words.clock_start(200, 0.263)
    assert clock.sub.startswith("a run stops once its loss reaches 0.263")
    assert "as soon as its loss reaches 0.263" in clock.spoken
    assert words.fmt_loss(0.0) == "0" and words.fmt_loss(float("inf")) == "-"


def test_every_event_subcaption_is_written_like_every_other_subcaption() -> None:
    # lower case first (unless a name such as ReLU), no full stop, as the clock's and results'
    sentences = {
        words.DEAD: "Layer 1, unit 2 is a dead ReLU: it outputs 0 for every point, so it can no "
        "longer learn.",
        words.SATURATED: "Layer 5, unit 2 (tanh) is saturated on 91 % of the points: its slope "
        "is almost 0, so it barely learns.",
        words.COLLAPSED: words.collapse_sentence(1, "point"),
        words.NO_PROGRESS: "The loss barely moved in 40 epochs: the learning rate may be too "
        "small.",
        words.DIVERGED: "Training diverged at epoch 12: the loss became nan; try a lower "
        "learning rate.",
    }
    for kind, sentence in sentences.items():
        one = words.events([Event("A", kind, 12, sentence)])
        two = words.events([Event("A", kind, 12, sentence), Event("B", kind, 14, sentence)])
        for line in (one, two):
            assert not line.sub.endswith("."), line.sub
            assert line.sub[:1].islower() or line.sub.startswith(("A ", "A:")), line.sub
            assert len(line.sub) <= 88, line.sub
            assert line.spoken.endswith("."), line.spoken


def test_a_collapsed_layer_is_told_without_a_picture_of_it() -> None:
    # the comparison shows no hidden layer: no "onto a line", no "direction"
    for onto in ("point", "line"):
        said = words.collapse_sentence(1, onto)
        assert "line" not in said and "direction" not in said and "squash" not in said
    deep = words.events([Event("deep", words.COLLAPSED, 0, words.collapse_sentence(2, "line"))])
    assert deep.caption == "deep: a collapsed layer"
    assert deep.sub == (
        "from epoch 0, layer 3 keeps one number per point: later layers can't undo what it mixes"
    )
    assert deep.spoken.startswith("deep: a collapsed layer, from epoch 0 on. Layer 3 keeps")


def test_a_caption_listing_many_units_shows_what_they_mean_and_says_where() -> None:
    where = "Units 1 and 2 of layer 3, unit 1 of layer 4, unit 2 of layer 5 and 1 more (tanh)"
    sentence = f"{where} are saturated on at least 98 % of the points: their slopes are almost 0."
    line = words.events([words.Event("six 2-wide", words.SATURATED, 50, sentence, count=5)])
    assert line.caption == "six 2-wide: 5 saturated units"
    # readable at full size: what it means
    assert line.sub == "from epoch 50, a saturated unit's slope is almost 0, so it barely learns"
    assert where in line.spoken  # the voice names every unit
    changing = words.events([words.Event("deep", words.SATURATED, 50, sentence, count=0)])
    assert changing.caption == "deep: saturated units"  # their number changes: not counted
