"""What went wrong in a training and is first seen at its last epoch is named at the end of
its evolution, from the trajectory (what the health check sees earlier is told when it
starts: tests/evolution/test_evolution_problem_onsets.py)."""

from __future__ import annotations

from pathlib import Path

import manim

from nnmodel.health import diagnose
from scenes.evolution.plan import evolution_plan
from scenes.evolution.scene import Evolution
from scenes.render import pipeline as r
from tests.nnmodel.test_health import IDENTITY, Layer, make

#: Units 2 and 3 of the first layer are below zero on every point: dead ReLUs.
TWO_DEAD: list[Layer] = [([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]], [0.5, -1.0, -1.0])]
#: The same layer at epoch 0, every unit alive: the units die by the last epoch.
ALIVE: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [0.5, 1.5, 2.5])]


def test_dead_units_get_a_beat_naming_their_layer(tmp_path: Path) -> None:
    traj = make(tmp_path, TWO_DEAD, first=ALIVE)
    beats = evolution_plan(traj, fps=6)
    last = beats[-1]
    assert (last.id, last.section, last.kind) == ("problem-layer1", "What went wrong", "finding")
    assert last.line.caption == "Layer 1: 2 dead ReLUs"
    assert last.line.sub.startswith("they output 0 for every point")
    assert last.data["layer"] == 0 and last.data["tags"] == ("2 dead ReLUs",)
    # the voice says the trajectory's own sentences, unit by unit
    assert last.line.spoken == " ".join(f.text for f in diagnose(traj))
    assert beats[-2].id == "end"


def test_a_healthy_training_ends_at_its_last_epoch(tmp_path: Path) -> None:
    beats = evolution_plan(make(tmp_path, [IDENTITY]), fps=6)
    assert beats[-1].id == "end"
    assert all(b.section != "What went wrong" for b in beats)


def test_a_stalled_training_is_named_on_the_loss_chart(tmp_path: Path) -> None:
    traj = make(tmp_path, [IDENTITY], losses=(0.69, 0.689, 0.688))
    last = evolution_plan(traj, fps=6)[-1]
    assert last.id == "problem-run" and last.data["layer"] is None
    assert last.line.caption == "No progress"
    assert last.line.spoken.startswith("The loss barely moved in 2 epochs")


def test_a_layer_with_two_problems_names_both(tmp_path: Path) -> None:
    # tanh units with huge weights: saturated; and all points on a line (rank one)
    layers: list[Layer] = [([[40.0, 40.0], [80.0, 80.0], [-40.0, -40.0]], [10.0, 10.0, -10.0])]
    healthy: list[Layer] = [([[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]], [0.0, 0.0, 0.0])]
    traj = make(tmp_path, layers, "tanh", classes=3, first=healthy)
    last = evolution_plan(traj, fps=6)[-1]
    assert last.id == "problem-layer1"
    assert last.line.caption.startswith("Layer 1: ")
    assert "saturated" in last.line.caption and "collapsed" in last.line.caption


def test_the_scene_draws_the_finding(tmp_path: Path) -> None:
    """The last frame shows the tag (a render plays every beat, this one included)."""
    cfg = r.manim_config(
        r.RenderOptions(quality="l", resolution=(256, 144), fps=4, progress=False),
        tmp_path / "media",
    )
    with manim.tempconfig(cfg):
        scene = Evolution(trajectory=make(tmp_path, TWO_DEAD, first=ALIVE))
        scene.render()
        assert scene.beat_times[-1][0] == "problem-layer1"
        plates = [
            m
            for m in scene.mobjects
            if isinstance(m, manim.VGroup)
            and any(isinstance(p, manim.RoundedRectangle) for p in m.submobjects)
        ]
        assert len(plates) == 1  # the tag, on the first layer's picture
        box = scene.layout.panels[0]
        x, y = plates[0].get_center()[:2]
        assert box.xmin <= x <= box.xmax and box.ymin <= y <= box.ymax
