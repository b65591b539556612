"""The panel beside the diagram, frame by frame: its words never overlap nor outstay a caption."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from manim import Mobject, Square, SVGMobject, VMobject

from nnmodel.trajectory import load
from scenes.anatomy import numbers
from scenes.anatomy.layout import BOARD, INSET
from scenes.anatomy.plan import CAPTION
from scenes.anatomy.stage import NOTE_SIZE
from scenes.core.theme import hex_to_rgb, theme
from scenes.mobjects.textcache import Outlines
from scenes.mobjects.widgets import text
from scenes.render import pipeline as r
from tests.anatomy.anatomy_helpers import scene_for
from tests.render_helpers import small_render

SIZE = (64, 36)
FPS = 10
#: Below this opacity a text is not seen.
SEEN = 1e-3

#: One frame: ``(beat id, seconds into the beat, the panel's texts seen: id → box)``,
#: a box being ``(xmin, xmax, ymin, ymax)``.
Frame = tuple[str, float, dict[int, tuple[float, float, float, float]]]


def texts(m: Mobject) -> Iterator[Mobject]:
    """The texts (words or math) in ``m``'s family, each once (not its glyphs)."""
    if isinstance(m, Outlines | SVGMobject):
        yield m
        return
    for s in m.submobjects:
        yield from texts(s)


def opacity(m: Mobject) -> float:
    """How much of ``m`` is seen: its most opaque fill or stroke."""
    seen = 0.0
    for v in m.get_family():
        if isinstance(v, VMobject) and len(v.points):
            seen = max(seen, float(np.max(v.get_fill_opacities(), initial=0.0)))
            if v.get_stroke_width() > 0:
                seen = max(seen, float(np.max(v.get_stroke_opacities(), initial=0.0)))
    return seen


def panel_texts(scene: Any) -> dict[int, tuple[float, float, float, float]]:
    """The texts seen in the panel (the notes under the input plane and the board), with
    their boxes; the captions above and the diagram's names to the left are not in it."""
    out = {}
    for top in scene.mobjects:
        for t in texts(top):
            (x0, y0, _), (x1, y1, _) = t.get_corner([-1, -1, 0]), t.get_corner([1, 1, 0])
            inside = (x0 + x1) / 2 > BOARD.xmin and (y0 + y1) / 2 < INSET.ymin
            if inside and opacity(t) > SEEN:
                out[id(t)] = (float(x0), float(x1), float(y0), float(y1))
    return out


def overlap(a: tuple[float, ...], b: tuple[float, ...], slack: float = 0.01) -> bool:
    """Whether boxes ``a`` and ``b`` overlap by more than ``slack`` both ways.

    >>> overlap((0, 1, 0, 1), (0.5, 2, 0.5, 2)), overlap((0, 1, 0, 1), (1.0, 2, 0, 1))
    (True, False)
    """
    dx = min(a[1], b[1]) - max(a[0], b[0])
    dy = min(a[3], b[3]) - max(a[2], b[2])
    return dx > slack and dy > slack


@pytest.fixture(scope="module")
def frames(moons_traj: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Frame]:
    """Every frame of the backpropagation and the responses of a real render, as the panel
    shows it (recorded after each frame's animations are applied)."""
    sections = ["Backpropagation", "Neuron responses"]
    folder = tmp_path_factory.mktemp("panel")
    opts = small_render("anatomy", folder, SIZE, FPS, params={"sections": sections})
    seen: list[Frame] = []

    def watch(scene: Any) -> None:
        step = scene.update_to_time

        def update_to_time(t: float) -> None:
            step(t)
            if scene.skipping or scene.renderer.skip_animations:
                return  # a section not drawn
            start = scene.beat_times[-1][2] if scene.beat_times else 0.0
            now = float(scene.renderer.time) - start
            seen.append((scene.current_beat.id, now, panel_texts(scene)))

        scene.update_to_time = update_to_time

    r.render(moons_traj, opts, on_scene=watch)
    return seen


def test_the_panel_s_words_never_overlap(frames: list[Frame]) -> None:
    """At no frame do two texts of the panel cover each other (an old table or note
    fading out under the new one, say)."""
    beats = {b for b, _, _ in frames}
    assert {"error", "backward.output", "update", "real-step", "responses.output"} <= beats
    for beat, t, boxes in frames:
        found = list(boxes.values())
        for i, a in enumerate(found):
            for b in found[i + 1 :]:
                assert not overlap(a, b), (beat, round(t, 3), a, b)


def test_the_panel_changes_with_its_caption(frames: list[Frame]) -> None:
    """What a beat takes off the panel is gone once its caption has come in: none of the
    texts of the beat before, that this beat does not keep, is seen after the caption's
    cross-fade."""
    ends: dict[str, set[int]] = {}
    order: list[str] = []
    for beat, _, boxes in frames:
        if beat not in ends:
            order.append(beat)
        ends[beat] = set(boxes)  # the last frame's texts
    changed = 0
    for before, beat in zip(order, order[1:], strict=False):
        leaving = ends[before] - ends[beat]
        changed += bool(leaving)
        for b, t, boxes in frames:
            if b == beat and t > CAPTION + 1e-6:
                assert not leaving & set(boxes), (beat, round(t, 3))
    assert changed >= 4  # the tables, the step's board and notes, the responses' note


@pytest.mark.parametrize("fixture", ["moons_traj", "wide_traj", "dogs_traj"])
def test_the_output_s_key_shows_the_colours_its_pictures_are_tinted_with(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    """One logit (moons) or one picture per class (3 classes): each swatch of the key has
    the colour the output's picture takes where that class wins, and the key is on the
    board."""
    traj = load(request.getfixturevalue(fixture))
    scene = scene_for(traj)
    f = scene.facts
    last = len(f.widths) - 1
    scene.grids = numbers.responses(f.weights, f.acts, scene.extent, 16)
    pics = scene.response_pictures(last)
    note = scene.responses_key()
    key = scene.output_key(note.get_bottom()[1] - 0.3)
    assert BOARD.xmin - 1e-6 <= key.get_left()[0] and key.get_right()[0] <= BOARD.xmax + 1e-6
    assert BOARD.ymin <= key.get_bottom()[1] and key.get_top()[1] < note.get_bottom()[1]
    for t in texts(key):  # at the notes' size, not shrunk to fit
        assert isinstance(t, Outlines)
        assert t.height == pytest.approx(text(t.text, NOTE_SIZE).height), t.text
    swatches = [m for m in key.get_family() if isinstance(m, Square)]
    probs = scene.grids[last]
    if f.widths[-1] == 1:  # one picture: class 0's colour where it wins, then class 1's
        wins = [(probs[..., 1] < 0.5, 0), (probs[..., 1] > 0.5, 1)]
        pictures_of = [pics[0], pics[0]]
    else:  # a picture per class drawn, where its class is likeliest
        units = f.layout.columns[last].units
        wins = [(probs.argmax(-1) == k, k) for k in units]
        pictures_of = list(pics)
    assert len(swatches) >= len(wins)
    bg = np.array(hex_to_rgb(theme().background))
    for swatch, (where, k), px in zip(swatches, wins, pictures_of, strict=False):
        colour = np.array(hex_to_rgb(theme().class_color(k)))
        assert np.allclose(swatch.get_fill_color().to_rgb(), colour, atol=0.01), k
        assert where.any(), k
        # the picture's cell where class k wins most surely is tinted towards k's colour
        strength = probs[..., k] if f.widths[-1] > 1 else np.abs(probs[..., 1] - 0.5)
        r, c = np.unravel_index(np.argmax(np.where(where, strength, -1)), where.shape)
        rgb = np.flipud(px)[r, c, :3] / 255.0  # the picture's row 0 is its top
        tint = (rgb - bg) / (colour - bg + 1e-9)
        sure = np.abs(colour - bg) > 0.1
        assert np.all(tint[sure] > 0.5), (k, rgb, colour)
