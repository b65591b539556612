"""What goes wrong is told when the health check first sees it, with its real cause, and the
data's own problems (unscaled inputs, a majority baseline) are said before they mislead.

A 6-layer ReLU net on the rings once showed 15 s of empty panels under "the loss has
barely moved", then, after the end, "Layer 1: the layer collapsed / after it the points
lie on a line", while every unit had been dead from epoch 0 and every weight had decayed to
0. Raw wine data reached 42 % ("up from 31 %"), exactly what always answering its largest
class scores, and the video never said its inputs' scales differ 395×.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import manim
import numpy as np

from nnmodel import trajectory
from nnmodel.config import ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import Dataset
from nnmodel.export import build
from nnmodel.trajectory import Trajectory
from scenes.core.theme import use_theme
from scenes.core.timeline import Beat
from scenes.evolution.plan import evolution_plan
from scenes.evolution.problems import problem_onsets
from scenes.evolution.scene import TAG_SIZES, Evolution
from scenes.mobjects.widgets import FRAME_HALF_HEIGHT
from scenes.render import pipeline as r
from tests.nnmodel.test_health import GRID, IDENTITY, Layer, make

#: Both ReLUs below zero on every point of the grid: dead.
DEAD: Layer = ([[0.0, 0.0], [0.0, 0.0]], [-1.0, -1.0])
#: Two of three ReLUs dead, one alive.
TWO_DEAD: Layer = ([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]], [0.5, -1.0, -1.0])
ALIVE: Layer = ([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.5, 1.5, 2.5])


def recorded(
    tmp_path: Path,
    by_epoch: Mapping[int, Sequence[Layer]],
    *,
    activation: str = "relu",
    x: np.ndarray = GRID,
    y: np.ndarray | None = None,
    names: Sequence[str] = ("a", "b"),
    loss: Sequence[float] | None = None,
    acc: Sequence[float] | None = None,
    name: str = "t",
) -> Trajectory:
    """A trajectory whose hidden layers are ``by_epoch[e]`` at each recorded epoch ``e``
    (every one kept as a snapshot), trained until the last, with these metrics."""
    last = max(by_epoch)
    widths = tuple(len(b) for _, b in by_epoch[last])
    labels = (x[:, 0] + x[:, 1] > 0).astype(np.int64) if y is None else y
    k = len(names)
    cfg = RunConfig(
        model=ModelConfig(hidden=widths, activation=(activation,)),
        train=TrainConfig(epochs=last),
        export=ExportConfig(
            snapshots=len(by_epoch), grid_lines=2, grid_samples=100, mesh_resolution=8
        ),
    )
    logits = 1 if k == 2 else k
    weights = {
        e: [
            *[(np.array(w, np.float32), np.array(b, np.float32)) for w, b in layers],
            (np.full((logits, widths[-1]), 0.5, np.float32), np.zeros(logits, np.float32)),
        ]
        for e, layers in by_epoch.items()
    }
    n = last + 1
    metrics: dict[str, list[float | None]] = {
        "train_loss": list(loss) if loss is not None else [0.69] * n,
        "train_acc": list(acc) if acc is not None else [0.5] * n,
        "test_loss": [None] * n,
        "test_acc": [None] * n,
    }
    data = Dataset(np.ascontiguousarray(x, np.float32), labels, tuple(names), "hand")
    info, arrays = build(cfg, data, weights, last, metrics, np.zeros(len(labels), bool))
    return trajectory.load(trajectory.write(tmp_path / f"{name}.npz", info, arrays))


def by_id(beats: Sequence[Beat]) -> dict[str, Beat]:
    return {b.id: b for b in beats}


def test_dead_units_seen_from_epoch_0_are_told_at_epoch_0(tmp_path: Path) -> None:
    beats = evolution_plan(make(tmp_path, [TWO_DEAD]), fps=6)
    ids = [b.id for b in beats]
    told = beats[ids.index("start") + 1]
    assert (told.id, told.kind, told.section) == ("problem-layer1-epoch-0", "finding", "Training")
    assert told.line.caption == "At epoch 0, layer 1: 2 dead ReLUs"
    assert told.data["epoch"] == 0 and told.data["layer"] == 0
    assert told.data["tags"] == ("2 dead ReLUs",)
    assert ids[ids.index("start") + 2] == "training"
    # not told again after the end
    assert all(b.section != "What went wrong" for b in beats)


def test_a_dead_layer_blocks_the_network_and_is_told_so(tmp_path: Path) -> None:
    """Layer 2's ReLUs are all dead from the start: every point gets one answer and layer 1
    gets no gradient. Said at epoch 0, as dead units, not as a collapse onto a line."""
    traj = make(tmp_path, [IDENTITY, DEAD])
    (onset,) = problem_onsets(traj)
    assert (onset.epoch, onset.layer, onset.blocks, onset.onto) == (0, 1, True, "point")
    told = by_id(evolution_plan(traj, fps=6))["problem-layer2-epoch-0"]
    assert told.line.caption == "At epoch 0, layer 2: all its ReLUs are dead"
    assert told.line.sub.startswith("they output 0 for every point")
    assert "no gradient to layer 1" in told.line.sub and "line" not in told.line.sub
    assert "same answer" in told.line.spoken
    assert told.data["tags"] == ("2 dead ReLUs",)


def test_a_problem_starting_mid_training_stops_the_training_there(tmp_path: Path) -> None:
    layers = {e: [ALIVE] if e < 60 else [TWO_DEAD] for e in range(0, 101, 10)}
    traj = recorded(tmp_path, layers, loss=[0.69 * 0.99**e for e in range(101)])
    assert [(p.epoch, p.layer) for p in problem_onsets(traj)] == [(60, 0)]
    beats = evolution_plan(traj, fps=15)
    told = by_id(beats)["problem-layer1-epoch-60"]
    assert told.kind == "onset" and told.data["epoch"] == 60 and told.data["frames"] > 0
    assert told.line.caption == "At epoch 60, layer 1: 2 dead ReLUs"
    runs = [b for b in beats if "frames" in b.data]
    assert [b.data["until"] for b in runs[:-1]] == [b.data["epoch"] for b in runs[1:]]
    assert any(b.data["until"] == 60 for b in runs)
    assert all(b.section != "What went wrong" for b in beats)


def test_a_problem_that_comes_and_goes_is_told_where_it_last_began(tmp_path: Path) -> None:
    dead_at = {20, 30, 70, 80, 90, 100}  # dead, alive again at 40–60, dead to the end
    layers = {e: [TWO_DEAD] if e in dead_at else [ALIVE] for e in range(0, 101, 10)}
    assert [p.epoch for p in problem_onsets(recorded(tmp_path, layers))] == [70]


def test_weights_shrunk_to_zero_are_named_as_such_not_as_a_line(tmp_path: Path) -> None:
    """With no gradient, weight decay pulls a layer's weights to 0: it then sends every
    point to one place. Neither "a line" nor a mere collapse."""
    small = 1e-6
    layers = {
        e: [([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0])]
        if e < 50
        else [([[small, 0.0], [0.0, small]], [0.0, 0.0])]
        for e in range(0, 101, 10)
    }
    traj = recorded(tmp_path, layers, activation="tanh")
    (onset,) = problem_onsets(traj)
    assert (onset.epoch, onset.onto, onset.vanished) == (50, "point", True)
    told = by_id(evolution_plan(traj, fps=15))["problem-layer1-epoch-50"]
    assert told.line.caption == "At epoch 50, layer 1: its weights have shrunk to 0"
    assert "weight decay" in told.line.sub and "line" not in told.line.sub
    assert told.data["tags"] == ("weights ≈ 0",)


def test_a_collapse_onto_one_place_at_the_end_is_not_called_a_line(tmp_path: Path) -> None:
    squash: Layer = ([[1e-7, 0.0], [0.0, 1e-7]], [0.3, -0.2])
    traj = make(tmp_path, [squash], "tanh", first=[IDENTITY])
    last = evolution_plan(traj, fps=6)[-1]
    assert last.id == "problem-layer1" and last.section == "What went wrong"
    assert "line" not in last.line.sub and "one place" in last.line.sub


def test_the_plane_s_words_about_unsure_regions_match_the_theme(tmp_path: Path) -> None:
    traj = make(tmp_path, [IDENTITY])
    dark = by_id(evolution_plan(traj, fps=6))["plane"].line
    assert "darker where it is unsure" in dark.sub and "pale" not in dark.sub
    light = tmp_path / "light.json"
    light.write_text(json.dumps({"background": "#FFFFFF", "text": "#111111"}))
    with use_theme(light):
        pale = by_id(evolution_plan(traj, fps=6))["plane"].line
    assert "paler where it is unsure" in pale.sub and "paler" in pale.spoken


def raw_wine_like(tmp_path: Path) -> Trajectory:
    """50 points in two columns 400× apart in spread, not standardised; the largest class
    is 42 % of them; accuracy rises from 31 % to 42 % at epoch 20 and stays there."""
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(13.0, 1.0, 50), rng.normal(750.0, 400.0, 50)])
    y = np.array([0] * 21 + [1] * 15 + [2] * 14, np.int64)
    small = [([[0.001, 0.0], [0.0, 0.001]], [0.0, 0.0])]
    acc = [0.31] * 20 + [0.42] * 981
    loss = [1.1 - 0.02 * min(e, 20) / 20 for e in range(1001)]
    return recorded(
        tmp_path,
        {0: small, 1000: small},
        activation="tanh",
        x=x,
        y=y,
        names=("a", "b", "c"),
        loss=loss,
        acc=acc,
    )


def test_unscaled_inputs_are_said_before_training(tmp_path: Path) -> None:
    beats = evolution_plan(raw_wine_like(tmp_path), fps=6)
    ids = [b.id for b in beats]
    data = by_id(beats)["data"]
    assert ids.index("data") < ids.index("start") and data.section == "Introduction"
    assert data.line.caption.startswith("Before training: the inputs' scales differ ")
    assert "standardise them" in data.line.sub and "'y'" in data.line.sub


def test_accuracy_no_better_than_the_largest_class_is_never_told_as_progress(
    tmp_path: Path,
) -> None:
    beats = evolution_plan(raw_wine_like(tmp_path), fps=6)
    check_ins = [b for b in beats if b.kind == "moment"]
    assert check_ins, "a check-in on the long flat stretch"
    for beat in [*check_ins, by_id(beats)["end"]]:
        words = f"{beat.line.caption} {beat.line.sub}"
        if "42 %" in words:
            assert "no better than always answering 'a'" in words, words
            assert "no better" in beat.line.spoken
    assert "up from 31 %" in check_ins[0].line.sub


def test_a_small_picture_s_tag_is_drawn_at_a_size_read_at_480p(tmp_path: Path) -> None:
    """Six layers make small pictures (about 1 unit): the tag keeps at least 16 points,
    broken over two lines, instead of shrinking to about 6 pixels."""
    traj = make(tmp_path, [IDENTITY] * 5 + [DEAD])
    cfg = r.manim_config(r.RenderOptions(quality="l", fps=4, progress=False), tmp_path / "m")
    with manim.tempconfig(cfg):
        scene = Evolution(trajectory=traj)
        scene.prepare()
        box = scene.layout.panels[5]
        assert box.xmax - box.xmin < 1.2
        for tags in (("collapsed layer",), ("2 dead ReLUs",), ("weights ≈ 0",)):
            tag = scene.problem_tag(tags, box, framed=True)
            words = tag[-1]  # frame, plate, words
            high = min(w.height for w in words) * manim.config.pixel_height
            glyph_px = high / (2 * FRAME_HALF_HEIGHT)
            assert glyph_px >= 9, f"{tags}: the tag's words are {glyph_px:.1f} px high"
            # on its picture, not over the charts below it
            assert tag[1].get_bottom()[1] >= box.ymin and tag[1].get_top()[1] <= box.ymax
        assert by_id(scene.beats)["problem-layer6-epoch-0"].data["tags"] == ("2 dead ReLUs",)
        assert min(TAG_SIZES) >= 16
