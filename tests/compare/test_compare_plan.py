"""The comparison's plan: beats on one clock, badges when things happen, the best named."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest

from nnmodel import health
from nnmodel.health import Finding
from nnmodel.trajectory import load
from scenes.compare.grid import GridSource
from scenes.compare.plan import (
    CAPTION,
    CLOCK_SECONDS,
    MIN_SEGMENT,
    _axes,
    _clock_frame,
    _persistent,
    compare_plan,
    frames,
    group_events,
)
from scenes.errors import RenderError
from scenes.narration import compare as words
from tests.compare.compare_helpers import first_snapshot_only

FPS = 15


def test_the_beats_are_whole_frames_and_the_clock_is_played_once_end_to_end(
    story: GridSource,
) -> None:
    plan = compare_plan(story.load(), fps=FPS)
    kinds = [b.kind for b in plan.beats]
    assert kinds[0] == "intro" and kinds[-1] == "results" and set(kinds[1:-1]) == {"clock"}
    assert plan.framed == (plan.best,) and not plan.held_out
    assert [b.section for b in plan.beats][:2] == ["Introduction", "Training"]
    for beat in plan.beats:
        n = beat.min_duration * FPS
        assert n == pytest.approx(round(n)), beat.id  # whole frames
    clock = [b for b in plan.beats if b.kind == "clock"]
    assert plan.clock_frames == frames(CLOCK_SECONDS, FPS)
    position = 0
    for beat in clock:
        assert beat.data["start"] == min(position, plan.clock_frames)
        n = round(beat.min_duration * FPS)
        assert n >= frames(MIN_SEGMENT, FPS) and beat.data["caption"] == frames(CAPTION, FPS)
        position += n
        assert beat.data["end"] == min(position, plan.clock_frames)
    assert clock[-1].data["end"] == plan.clock_frames  # the clock reaches the last epoch


def test_badges_appear_when_the_clock_reaches_what_happened(story: GridSource) -> None:
    grid = story.load()
    plan = compare_plan(grid, fps=FPS)
    cells = {c.label: c for c in plan.cells}
    trajs = dict(zip(grid.flat_labels, grid.trajs, strict=True))
    # "stops" reached its target loss: frozen at its last epoch, with the badge from then
    stops = trajs["stops"]
    assert stops.info.final.stopped_early and cells["stops"].stopped_early
    (badge,) = cells["stops"].badges
    assert badge.kind == words.STOPPED and badge.epoch == stops.info.final.epochs_trained < 40
    assert badge.text.text == (
        f"stopped at epoch {badge.epoch}: loss {words.fmt_loss(stops.info.final.train_loss)} "
        "reached"
    )
    assert not badge.warn
    assert badge.frame == _clock_frame(plan.clock, badge.epoch, plan.clock_frames)
    assert plan.epoch_at_frame(badge.frame) >= badge.epoch > plan.epoch_at_frame(badge.frame - 1)
    # "dies": a dead unit from the snapshot where it died for good, as health.diagnose says
    dies = trajs["dies"]
    found = [[f.kind for f in health.diagnose(dies, s)] for s in range(dies.n_snapshots)]
    first = next(s for s in range(len(found)) if all("dead-unit" in k for k in found[s:]))
    (dead,) = cells["dies"].badges
    assert (dead.kind, dead.epoch, dead.warn) == ("dead-unit", int(dies.epochs[first]), True)
    assert dead.lines == ("dead ReLU",)
    # "recovers" lost a unit and got it back: no badge that would come and go
    rec = trajs["recovers"]
    assert any(health.diagnose(rec, s) for s in range(rec.n_snapshots))
    assert not health.diagnose(rec, -1) and cells["recovers"].badges == ()
    # "collapses": a dead unit from epoch 4, a second one later, then a collapsed layer: the
    # badge from the first (not counting: their number changes), the dead ones first
    col = trajs["collapses"]
    kinds = [(b.kind, b.count) for b in cells["collapses"].badges]
    assert kinds == [("dead-unit", 0), ("collapsed-layer", 1)]
    dead, collapsed = cells["collapses"].badges
    assert dead.lines == ("dead ReLUs",)
    first = next(s for s in range(col.n_snapshots) if health.diagnose(col, s))
    assert dead.epoch == int(col.epochs[first])
    # ...and the caption's sentence says what is true then, not at the end
    (then,) = health.diagnose(col, first)
    assert dead.sentence == then.text
    assert collapsed.sentence == words.collapse_sentence(0, "point")


def test_every_event_is_announced_once_never_before_it_happens(story: GridSource) -> None:
    grid = story.load()
    plan = compare_plan(grid, fps=FPS)
    badges = [(b.frame, c.label, b) for c in plan.cells for b in c.badges]
    announced: list[str] = []
    for beat in plan.beats[2:-1]:  # the event beats
        start = beat.data["start"]
        said = beat.line.caption + " " + beat.line.sub
        mine = [(f, label, b) for f, label, b in badges if label in said and f <= start]
        assert mine, beat.line
        announced += [label for _, label, _ in mine]
    assert sorted(set(announced)) == sorted({label for _, label, _ in badges})
    assert plan.beats[1].line == words.clock_start(40)


def test_the_results_name_the_best_run(story: GridSource) -> None:
    grid = story.load()
    plan = compare_plan(grid, fps=FPS)
    results = plan.beats[-1]
    accs = [t.info.final.train_acc for t in grid.trajs]
    best = plan.best
    assert results.data["best"] == best and accs[best] == max(accs)
    assert results.line.caption == f"Best: {grid.flat_labels[best]}"
    assert results.data["held_out"] is False  # no run held points out
    assert results.data["framed"] == (best,)
    # each run is measured against its own points: guessing one class, its neighbours' vote
    for cell in plan.cells:
        assert cell.result.guess == 0.5 and cell.result.neighbours is not None


def test_event_groups_respect_every_rule() -> None:
    rng = random.Random(7)
    for _ in range(300):
        n = rng.randint(1, 14)
        event_frames = sorted(rng.randint(0, 210) for _ in range(n))
        merge, minimum, most = rng.randint(0, 20), rng.randint(8, 40), rng.randint(1, 5)
        groups = group_events(event_frames, merge, minimum, most)
        assert 1 <= len(groups) <= most
        assert [k for _, members in groups for k in members] == list(range(n))
        previous = 0
        for start, members in groups:
            assert start >= max(event_frames[k] for k in members)  # after its events
            assert start >= previous + minimum  # and a readable while after the last caption
            previous = start


def test_a_grid_that_cannot_be_compared_is_refused_in_one_line(
    story: GridSource, moons_run: Path, tmp_path: Path
) -> None:
    paths = [p for row in story.paths for p in row]
    cases = [
        (GridSource.from_files(paths[:1]), "a comparison needs at least 2 runs, not 1"),
        (GridSource.from_files(paths[:1] * 13), "13 runs are more than one comparison shows"),
        (
            GridSource.from_files([paths[0], moons_run]),
            "a comparison shows runs on one dataset, but these use 'sandwich' (",
        ),
        (
            GridSource.from_files([paths[0], first_snapshot_only(paths[1], tmp_path / "one.npz")]),
            "one.npz (",
        ),
        (GridSource.from_files([paths[0], tmp_path / "missing.npz"]), "missing.npz does not exist"),
    ]
    for source, message in cases:
        with pytest.raises(Exception) as err:
            source.load()
        assert message in str(err.value)
        assert "\n" not in str(err.value)
    with pytest.raises(RenderError, match="has 1 snapshot: a comparison shows training over time"):
        cases[3][0].load()


def test_files_without_labels_are_named_by_what_differs(story: GridSource) -> None:
    paths = [p for row in story.paths for p in row]
    grid = GridSource.from_files(paths).load()
    assert grid.flat_labels == [
        "target 0.3 · seed 0",
        "target none · seed 5",
        "target none · seed 7",
        "target none · seed 3",
    ]
    assert grid.varies == ("target_loss", "seed")
    assert grid.shape == (1, 4)
    assert GridSource.from_files(paths).stem == GridSource.from_files(paths).stem
    assert GridSource.from_files(paths[::-1]).stem != GridSource.from_files(paths).stem
    one = load(paths[0])
    assert one.n_snapshots == 8 and np.all(np.diff(one.epochs) > 0)


def test_how_often_snapshots_were_taken_names_runs_only_when_nothing_else_differs(
    tmp_path: Path,
) -> None:
    from nnmodel.pipeline import train_to_file
    from tests.compare.compare_helpers import relu_run

    def run(seed: int, snapshots: int) -> Path:
        cfg = relu_run(seed)
        cfg = dataclasses.replace(cfg, export=dataclasses.replace(cfg.export, snapshots=snapshots))
        return train_to_file(cfg, tmp_path / f"s{seed}-{snapshots}.npz")

    differ = GridSource.from_files([run(0, 8), run(5, 6)]).load()
    assert differ.flat_labels == ["seed 0", "seed 5"] and differ.varies == ("seed",)
    same = GridSource.from_files([run(0, 8), run(0, 6)]).load()
    assert same.flat_labels == ["snapshots 8", "snapshots 6"] and same.varies == ("snapshots",)


def _collapse(layer: int, onto: str = "point") -> Finding:
    what = "sends every point to the same place" if onto == "point" else "squashes all the points"
    return Finding(health.COLLAPSED, f"Layer {layer + 1} {what}.", layer)


def _dead(layer: int, unit: int) -> Finding:
    return Finding(health.DEAD, f"Layer {layer + 1}, unit {unit + 1} is a dead ReLU.", layer, unit)


def test_a_finding_is_announced_from_the_first_snapshot_it_holds_in_any_layer() -> None:
    # the fish ReLU run: layer 2 collapsed (its two units dead) from snapshot 1; at snapshot
    # 40 layer 1 collapses too, and diagnose stops looking at layer 2: still collapsed
    early = [_dead(1, 0), _dead(1, 1), _collapse(1)]
    per_snapshot = [[], *[early] * 39, *[[_collapse(0), *early]] * 5, *[[_collapse(0)]] * 15]
    found = _persistent(per_snapshot, ["relu", "relu"])
    since, count, sentence = found[words.COLLAPSED]
    assert since == 1 and count == 1
    assert sentence == words.collapse_sentence(1, "point")  # what is true at snapshot 1
    assert words.DEAD not in found  # not at the last snapshot: no badge that comes and goes
    # the deep spiral run: a line in layer 3, then layer 2, then 3, and one snapshot where
    # the borderline measure misses it: collapsed from snapshot 0
    per_snapshot = [
        *[[_collapse(2, "line")]] * 10,
        *[[_collapse(1, "line")]] * 47,
        [],
        [_collapse(1, "line")],
    ]
    since, _, sentence = _persistent(per_snapshot)[words.COLLAPSED]
    assert since == 0 and sentence == words.collapse_sentence(2, "line")
    # a finding that holds only at the end is announced at the end
    assert _persistent([[], [], [_collapse(0)]])[words.COLLAPSED][0] == 2


def test_the_grid_s_rows_and_columns_are_its_axes(story: GridSource) -> None:
    paths = story.paths
    labels = (("ReLU · lr 0.1", "ReLU · lr 0.01"), ("tanh · lr 0.1", "tanh · lr 0.01"))
    grid = GridSource(paths, labels).load()
    rows, cols = _axes(grid)
    assert rows.groups == (("ReLU", (0, 1)), ("tanh", (2, 3)))
    assert cols.groups == (("lr 0.1", (0, 2)), ("lr 0.01", (1, 3)))
    # the options that differ down a column and along a row (here: the seeds, the target)
    assert rows.option in grid.varies and cols.option in grid.varies
    flat = GridSource.from_files([p for row in paths for p in row]).load()
    assert _axes(flat) == []  # a single row answers nothing by its axes


def test_a_description_too_long_for_the_captions_is_shown_on_its_own_first(
    story: GridSource,
) -> None:
    """The intro reads a long description before the cells appear (as many whole frames
    as it takes to read at the silent reading pace), and says it first; a short one is the
    caption, with no such piece."""
    from scenes.compare.layout import description_lines
    from scenes.core.timeline import READING_CPS

    long = (
        "two layers of 2 units are too narrow for the spiral, six are too deep and narrow, "
        "and layers of 8 and 2 units are wide enough: width before depth"
    )
    grid = dataclasses.replace(story, description=long).load()
    intro = compare_plan(grid, fps=FPS).beats[0]
    lines = description_lines("T" + long[1:])
    assert intro.data["description"] == lines and len(lines) == 2
    caption, reading, fade, look = intro.data["pieces"]
    assert reading == round(sum(map(len, lines)) / READING_CPS * FPS)
    assert intro.min_duration == pytest.approx((caption + reading + fade + look) / FPS)
    assert intro.line.caption == "4 trainings, side by side"  # the captions as without one
    assert intro.line.spoken.startswith("Two layers of 2 units are too narrow")
    short = compare_plan(dataclasses.replace(story, description="width first").load(), fps=FPS)
    assert short.beats[0].data["description"] == ()
    assert len(short.beats[0].data["pieces"]) == 3
    assert short.beats[0].line.caption == "Width first"
