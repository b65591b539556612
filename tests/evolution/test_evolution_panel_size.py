"""A hidden layer seen in 3-D fills its picture, and one or two pictures get more room.

A 16-unit layer's cloud (spiral, four arms, ``--hidden 16,16``) was about 80 pixels across
at 480p: its panel was framed by the sphere through the corners of the cloud's bounding
box, up to √3 wider than the cloud itself, in a panel of 2.35 units.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from scenes.evolution.frames import Evolving, turned
from scenes.evolution.layout import layout
from scenes.evolution.plan import make_clock
from scenes.warp.steps import THETA0, TILT
from tests.evolution.test_evolution_problem_onsets import recorded

#: Points on a circle, lifted into 3-D by a layer of three linear units: a round cloud,
#: whose bounding box's corners lie √2 farther out than any point.
ANGLES = np.linspace(0.0, 2 * np.pi, 40, endpoint=False)
CIRCLE = np.column_stack([np.cos(ANGLES), np.sin(ANGLES)]).astype(np.float32)
LIFT = ([[1.0, 0.0], [0.0, 1.0], [0.3, 0.3]], [0.0, 0.0, 0.0])


def test_one_or_two_layers_get_larger_pictures() -> None:
    for n in (1, 2):
        for panel in layout(n).panels:
            assert panel.xmax - panel.xmin >= 2.6 - 1e-9


def test_a_3d_layer_is_framed_by_its_points_at_every_angle(tmp_path: Path) -> None:
    traj = recorded(tmp_path, {0: [LIFT], 10: [LIFT]}, activation="linear", x=CIRCLE)
    ev = Evolving(traj, make_clock(traj))
    assert ev.dims(0) == 3
    box = layout(1).panels[0]
    room = 0.86 * min(box.half_width, box.half_height)
    for s, view in enumerate(ev._snapshot_views(0, box)):
        points = ev.stored_layers(s)[0][0]
        reach = float(np.linalg.norm(points - view.centre, axis=1).max()) * view.scale
        assert reach >= 0.97 * room, f"snapshot {s}: the cloud reaches {reach / room:.2f}"
        for theta in np.linspace(THETA0, THETA0 + 2 * np.pi, 13):
            seen, _ = turned(view, TILT, float(theta)).project(points)
            assert box.contains(seen), f"snapshot {s}: a point leaves the panel at {theta:.2f}"
