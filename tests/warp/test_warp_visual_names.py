"""The axes are named: x₁, x₂ in the input plane, z₁ … after a layer's W·x + b, h₁ …
after its activation; legible at 480p, whole inside the plot, and clear of the points.

The warp is played through the scene's own beats (dry run, no pixels); after every move
the names on screen are measured with plain numpy against the points as drawn.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import manim
import numpy as np
import pytest

from nnmodel.trajectory import load
from scenes.core.view import Box
from scenes.mobjects.widgets import math
from scenes.warp import Warp
from scenes.warp.scene import NAME_SIZE
from scenes.warp.steps import PLOT, name_plan, name_spot

pytestmark = pytest.mark.usefixtures("own_media")

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
PX_480 = 480 / 8  # pixels a frame unit spans at 480p


def played_names(path: Path) -> list[tuple[str, list[Any], np.ndarray]]:
    """After every move (and the data beat): the names on screen, and the points drawn."""
    seen: list[tuple[str, list[Any], np.ndarray]] = []
    with manim.tempconfig({"dry_run": True, "pixel_width": 160, "pixel_height": 90}):
        scene = Warp(trajectory=load(path))
        move, data = scene.move, scene.beat_data

        def spy_move(*args: Any, **kwargs: Any) -> Any:
            played = move(*args, **kwargs)
            note("move", scene)
            return played

        def spy_data(beat: Any) -> None:
            data(beat)
            note("data", scene)

        def note(what: str, scene: Warp) -> None:
            shown = [m for m in scene.names if m in scene.mobjects]
            seen.append((what, shown, scene.rig_points()))

        scene.move = spy_move  # type: ignore[method-assign]
        scene.beat_data = spy_data  # type: ignore[method-assign]
        scene.construct()
    return seen


def test_every_space_names_its_axes_legibly_inside_the_plot_clear_of_the_points() -> None:
    """The golden network: 2 → 2 → 3 → 1. The axes had no names at all."""
    seen = played_names(GOLDEN)
    words = [[m.text for m in shown] for _, shown, _ in seen]
    # the input plane, layer 1 (2-D: W·x, + b, tanh), layer 2 (3-D), the rewind, landing
    assert words[0] == ["x_1", "x_2"]
    assert words[1:4] == [["z_1", "z_2"], ["z_1", "z_2"], ["h_1", "h_2"]]
    assert words[4:7] == [["z_1", "z_2", "z_3"]] * 2 + [["h_1", "h_2", "h_3"]]
    assert all(w == [] for w in words[7:-1]), "no names while the rewind runs"
    assert words[-1] == ["x_1", "x_2"]
    letter = math("h", NAME_SIZE)
    assert letter.height * PX_480 >= 14, "an h under 14 px at 480p"
    for what, shown, points in seen:
        for label in shown:
            left, right = float(label.get_left()[0]), float(label.get_right()[0])
            low, high = float(label.get_bottom()[1]), float(label.get_top()[1])
            box = Box(left, right, low, high)
            assert label.height * PX_480 >= 14, (
                f"{what}: {label.text} is {label.height * 60:.0f} px"
            )
            assert PLOT.xmin <= left and right <= PLOT.xmax, f"{what}: {label.text} cut off"
            assert PLOT.ymin <= low and high <= PLOT.ymax, f"{what}: {label.text} cut off"
            under = (
                (points[:, 0] >= box.xmin)
                & (points[:, 0] <= box.xmax)
                & (points[:, 1] >= box.ymin)
                & (points[:, 1] <= box.ymax)
            )
            assert under.mean() <= 0.01, f"{what}: {label.text} over {under.sum()} points"


def test_a_name_sits_whole_in_the_plot_beside_the_visible_end_of_its_axis() -> None:
    box = Box(-2.0, 2.0, -1.0, 1.0)
    size = (0.4, 0.3)
    # an axis far longer than the plot: its name by the plot's right edge, above the axis
    spot = name_spot(np.array([[-9.0, 0.0], [9.0, 0.0]]), size, box, 1, 0.0)
    assert spot is not None
    assert spot[0] + size[0] / 2 <= box.xmax and spot[1] - size[1] / 2 > 0.0
    # on the other side: below it
    below = name_spot(np.array([[-9.0, 0.0], [9.0, 0.0]]), size, box, -1, 0.0)
    assert below is not None and below[1] + size[1] / 2 < 0.0
    # a steep axis through a corner still gets its name inside
    corner = name_spot(np.array([[0.0, 0.0], [3.0, 3.0]]), size, box, 1, 0.0)
    assert corner is not None
    assert box.xmin <= corner[0] - size[0] / 2 and corner[0] + size[0] / 2 <= box.xmax
    assert box.ymin <= corner[1] - size[1] / 2 and corner[1] + size[1] / 2 <= box.ymax
    # nor one seen end-on, a stub shorter than twice its name
    assert name_spot(np.array([[0.0, 0.0], [0.5, 0.1]]), size, box, 1, 0.0) is None
    # an axis off the plot has no name on it
    assert name_spot(np.array([[-9.0, 5.0], [9.0, 5.0]]), size, box, 1, 0.0) is None


def test_a_name_moves_to_the_side_of_its_axis_the_points_leave_free() -> None:
    box = Box(-2.0, 2.0, -1.0, 1.0)
    axis = np.array([[[-9.0, 0.0], [9.0, 0.0]]])
    above = np.column_stack([np.linspace(0.5, 2.0, 50), np.full(50, 0.3)])  # above the end
    ((side, back),) = name_plan([(axis, above)], [(0.4, 0.3)], box)
    assert side == -1 and back == 0.0  # below the axis, at its end
    both = np.vstack([above, above * [1, -1]])  # both sides crowded near the end
    ((side, back),) = name_plan([(axis, both)], [(0.4, 0.3)], box)
    spot = name_spot(axis[0], (0.4, 0.3), box, side, back)
    assert spot is not None and spot[0] + 0.2 < 0.5  # moved back along the axis, clear


def clearance(spot: np.ndarray, size: tuple[float, float], points: np.ndarray) -> float:
    """How far the nearest of ``points`` (centres) is from a label's box (frame units)."""
    off = np.abs(points[:, :2] - spot[:2]) - np.array(size) / 2
    return float(np.max(off, axis=1).min())


def test_a_name_clears_the_points_not_just_their_centres() -> None:
    """The default explainer's z₂ (layer 1's lifted plane) sat against the edge of the
    cloud: its axis, seen short in 3-D, ends among the points, and the spot beside that
    end counted as clear with the points' centres 0.15 from the name, a point's radius and
    the name's ring leaving a 5 px gap at 480p. A name now keeps a point's radius, its ring
    and a gap clear, and may sit past the end of an axis that ends inside the plot; of
    the spots that cover nothing, it takes the clearest."""
    box = Box(-4.0, 4.0, -3.0, 3.0)
    size = (0.3, 0.26)
    axis = np.array([[[0.0, -2.0], [0.0, 0.0]]])  # ends inside the box, up
    xs, ys = np.meshgrid(np.linspace(-2.0, 2.0, 41), np.linspace(-2.0, 0.6, 27))
    cloud = np.column_stack([xs.ravel(), ys.ravel()])
    # the points leave a gap by the axis's end, just wider than a point's centre needs
    left = cloud[(cloud[:, 0] <= -0.5) & (cloud[:, 1] <= 0.3)]
    right = cloud[(cloud[:, 0] >= 0.15) & (cloud[:, 1] <= -0.15)]
    points = np.vstack([left, right])
    ((side, back),) = name_plan([(axis, points)], [size], box)
    spot = name_spot(axis[0], size, box, side, back)
    assert spot is not None
    assert clearance(spot, size, points) >= 0.2, (side, back, clearance(spot, size, points))
    assert spot[1] > 0.0  # by the end of its axis, past it
    # an axis that runs off the plot: a name is never pushed back onto its own axis; of
    # the two sides, both clear, the one further from the points
    across = np.array([[[-9.0, 0.0], [9.0, 0.0]]])
    above = np.column_stack([np.linspace(-3.9, 3.9, 79), np.full(79, 0.55)])
    ((side, back),) = name_plan([(across, above)], [size], box)
    assert (side, back) == (-1, 0.0)  # below the axis, by its end
