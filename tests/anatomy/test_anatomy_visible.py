"""The notes and captions speak only of what the pictures show: no "boundary in white" over a
plane of one class, no grey and yellow lines that are not there, no "straight stripes" over
pictures of one flat colour (a network early in its training, ``--epoch 5``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nnmodel.trajectory import load
from scenes.anatomy import numbers
from scenes.anatomy.plan import anatomy_plan
from scenes.anatomy.scene import RESPONSE_RES
from scenes.narration import anatomy as words
from tests.anatomy.anatomy_helpers import scene_for, train_net

pytestmark = pytest.mark.usefixtures("own_media")

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sigmoid units on the circles after 5 epochs: one class everywhere, flat pictures."""
    return train_net("circles_early", tmp_path_factory.mktemp("early"))


def spread(pixels: np.ndarray) -> int:
    """How far apart the colours of a picture are: the largest channel range (0-255)."""
    rgb = pixels[..., :3].reshape(-1, 3).astype(int)
    return int((rgb.max(axis=0) - rgb.min(axis=0)).max())


def test_a_plane_of_one_class_is_said_to_have_no_boundary(early: Path) -> None:
    scene = scene_for(load(early))
    f = scene.facts
    classes = numbers.class_map(f.weights, f.acts, scene.extent, 240)
    assert len(np.unique(classes)) == 1  # the picture: one class, no line
    only = scene.only_class(f.weights)
    name = scene.traj.class_names[int(classes.flat[0])]
    assert only == f"class '{name}'"
    note = words.plane_note(scene.class_words(f.point.label), (), only)
    assert "boundary in white" not in note and f"no boundary: all class '{name}'" in note
    assert "boundary in white" not in words.regions_note(only)
    # the step and the real steps: neither boundary is drawn, and the note says so
    for step in (f.step, f.real[2]):
        picture, seen, covered = scene.moved(step)
        assert seen == (False, False) and not covered
        note = words.step_note(step.changed, "at epoch 5", "at 6", seen, covered)
        assert "grey" not in note and "yellow" not in note
        assert note.startswith("no boundary in the plane")


def test_a_trained_plane_has_its_boundary_said_and_drawn() -> None:
    scene = scene_for(load(GOLDEN))
    f = scene.facts
    assert scene.only_class(f.weights) == ""
    assert words.plane_note("class 1", (), "").splitlines()[1] == "boundary in white"
    picture, seen, covered = scene.moved(f.step)
    assert seen == (True, True) and covered  # one plain step barely moves it: yellow over grey
    assert "yellow, over it" in words.step_note(f.step.changed, "before", "after", seen, covered)


def test_stripes_are_promised_only_where_the_pictures_show_them(early: Path) -> None:
    traj = load(early)
    scene = scene_for(traj)
    f = scene.facts
    scene.grids = numbers.responses(f.weights, f.acts, scene.extent, RESPONSE_RES)
    pictures = scene.response_pictures(1)
    flat = [spread(px) < 80 for px in pictures]  # a faint shade at most
    assert all(flat), [spread(px) for px in pictures]
    line = {b.id: b for b in anatomy_plan(traj, f)}["responses.layer-1"].line
    assert "stripes" not in line.sub.replace("no clear stripes", "")
    assert "changes little" in line.sub and "faintly shaded" in line.narration
    # a trained network's pictures do show stripes, and are called so
    traj = load(GOLDEN)
    scene = scene_for(traj)
    f = scene.facts
    scene.grids = numbers.responses(f.weights, f.acts, scene.extent, RESPONSE_RES)
    assert all(spread(px) > 120 for px in scene.response_pictures(1))
    line = {b.id: b for b in anatomy_plan(traj, f)}["responses.layer-1"].line
    assert line.sub.endswith("straight stripes")
