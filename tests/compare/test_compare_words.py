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
    assert words.events([dead]).sub == "Units 1 and 2 of layer 1 are dead ReLUs."
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
    assert both.sub == "C and D: the loss barely moved in 40 epochs."
    odd = words.events([Event("C", "exploded-gradients", 5)])
    assert odd.caption == "C: exploded gradients" and odd.sub == "from epoch 5 on"
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
        Result("C", loss=0.04, acc=0.97, test_acc=0.95),
    ]
    line, best = words.results(runs)
    assert best == 2  # B and C tie on held-out accuracy: the lower loss wins
    assert line.caption == "Best: C"
    assert line.sub == "95 % of the held-out (test) points right, loss 0.040; the weakest, A: 90 %"
    runs[0] = Result("A", loss=0.01, acc=1.00)  # one run without held-out points
    line, best = words.results(runs)
    assert best == 0 and "training points" in line.sub
    _, first = words.results([Result("X", 0.3, 0.9), Result("Y", 0.3, 0.9)])
    assert first == 0  # a full tie goes to the earlier run


def test_one_point_more_does_not_make_a_barely_trained_run_the_best() -> None:
    # 64 held-out points: 63 right at loss 0.676 (barely trained) vs 62 right at loss 0.156
    slow = Result("lr 0.01", loss=0.676, acc=0.98, test_acc=63 / 64, n_train=256, n_test=64)
    fast = Result("lr 0.1", loss=0.156, acc=0.99, test_acc=62 / 64, n_train=256, n_test=64)
    line, best = words.results([slow, fast])
    assert best == 1 and line.caption == "Best: lr 0.1"
    assert "lr 0.01: 1 point more, loss 0.676" in line.sub and len(line.sub) <= 88
    assert "One point more goes to lr 0.01" in line.spoken
    # two points more is more than chance: the more accurate run is best, as before
    behind = Result("lr 0.1", loss=0.156, acc=0.99, test_acc=61 / 64, n_train=256, n_test=64)
    line, best = words.results([slow, behind])
    assert best == 0 and line.caption == "Best: lr 0.01" and "point more" not in line.spoken
    # judged on the training points when a run has no held-out ones: one in 256 there
    line, best = words.results(
        [
            Result("a", loss=0.5, acc=200 / 256, n_train=256),
            Result("b", loss=0.2, acc=199 / 256, n_train=256),
            Result("c", loss=0.1, acc=198 / 256, n_train=256),
        ]
    )
    assert best == 1 and "a: 1 point more" in line.sub and "The weakest, c" in line.spoken


def test_the_intro_says_what_differs() -> None:
    line = words.intro(3, "spiral", ["hidden"], "width before depth")
    assert line.caption == "3 trainings, side by side"
    assert line.sub == "the spiral, 3 runs that differ only in the hidden layers"
    assert line.spoken.endswith(" Width before depth.")  # a sentence of its own
    assert words.intro(2, "moons", []).sub == "the moons, 2 runs with the same options"
    assert words.intro(4, "moons", ["seed", "batch_size"]).sub.endswith(
        "differ only in the seed and the batch size"
    )
    assert words.fmt_loss(0.0) == "0" and words.fmt_loss(float("inf")) == "-"


def test_a_caption_listing_many_units_shows_what_they_mean_and_says_where() -> None:
    where = "Units 1 and 2 of layer 3, unit 1 of layer 4, unit 2 of layer 5 and 1 more (tanh)"
    sentence = f"{where} are saturated on at least 98 % of the points: their slopes are almost 0."
    line = words.events([words.Event("six 2-wide", words.SATURATED, 50, sentence, count=5)])
    assert line.caption == "six 2-wide: 5 saturated units"
    assert line.sub == "Their slopes are almost 0."  # readable at full size
    assert where in line.spoken  # the voice names every unit
    collapse = "Layer 2 squashes all the points onto a line: only one direction is left to tell."
    line = words.events([words.Event("deep", words.COLLAPSED, 3000, collapse)])
    assert line.sub == collapse  # which layer is the news: kept
