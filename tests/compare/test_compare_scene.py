"""The comparison scene: played exactly as planned, everything on screen, fast pieces right."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import manim
import numpy as np
import pytest
from manim import Scene

from scenes.compare.drawing import CompareCamera, GlyphText, MeshTile, atlas, mesh_colours
from scenes.compare.grid import GridSource
from scenes.compare.scene import Compare, number_text
from scenes.core.theme import hex_to_rgb, theme
from scenes.errors import RenderError
from scenes.narration.compare import fmt_loss
from scenes.render import RenderOptions, manim_config

SIZE = (256, 144)
FPS = 5


def small_config(folder: Path, **changes: Any) -> dict[str, Any]:
    opts = RenderOptions(resolution=SIZE, fps=FPS, fmt="png", progress=False, media_dir=folder)
    cfg = manim_config(opts, folder)
    cfg.update(changes)
    return cfg


@pytest.fixture(scope="module")
def played(story: GridSource, tmp_path_factory: pytest.TempPathFactory) -> tuple[Compare, Path]:
    """The story grid's comparison, rendered as a folder of small frames."""
    folder = tmp_path_factory.mktemp("compare")
    with manim.tempconfig(small_config(folder)):
        scene = Compare(grid=story.load(), durations={"results": 6.0})
        scene.render()
        frames = Path(scene.renderer.file_writer.image_sequence_directory)
    return scene, frames


def test_the_scene_plays_its_plan_frame_by_frame(played: tuple[Compare, Path]) -> None:
    scene, frames = played
    # each beat took what the plan says (the scene checks it) plus any lengthening
    assert [b for b, _, _ in scene.beat_times] == [b.id for b in scene.beats]
    for (_, start, end), beat in zip(scene.beat_times, scene.beats, strict=True):
        assert end - start == pytest.approx(beat.length, abs=0.5 / FPS)
    total = sum(round(b.length * FPS) for b in scene.beats)
    assert round(scene.renderer.time * FPS, 6) == total  # frames drawn, waits included
    assert any(frames.glob("*.png"))
    assert scene.beats[-1].hold == pytest.approx(6.0 - scene.beats[-1].min_duration)
    assert [c.text.split("\n")[0] for c in scene.cues] == [b.line.caption for b in scene.beats]


def test_at_the_end_every_run_shows_its_final_numbers_and_badges(
    played: tuple[Compare, Path],
) -> None:
    scene, _ = played
    board = scene.board
    assert board.counter.text == f"epoch {scene.plan.clock.last}"
    for cell, (loss, acc) in zip(scene.plan.cells, board.numbers, strict=True):
        assert loss.text == f"loss {fmt_loss(cell.result.loss)}"
        assert acc.text == number_text("acc", cell.result.acc)
        assert [vis.shown for _, _, vis in board.badges[cell.index]] == [True] * len(cell.badges)
    assert board.best_frame is not None


def test_nothing_is_drawn_off_screen(played: tuple[Compare, Path]) -> None:
    scene, _ = played
    hw, hh = manim.config.frame_width / 2, manim.config.frame_height / 2
    for mob in scene.get_mobject_family_members():
        if len(mob.points) == 0:
            continue
        pts = np.asarray(mob.points)[:, :2]
        pts = pts[np.isfinite(pts).all(axis=1)]
        assert np.all(np.abs(pts[:, 0]) <= hw + 1e-6), mob
        assert np.all(np.abs(pts[:, 1]) <= hh + 1e-6), mob


def test_options_that_mean_nothing_here_are_refused(story: GridSource) -> None:
    grid = story.load()
    for params, message in (
        ({"epoch": 3}, "--epoch shows one run"),
        ({"merge_bias": True}, "--merge-bias is for the warp scene"),
        ({"color_by": "position"}, "colours points by class only"),
        ({"sections": ["Layer 1"]}, "--section 'Layer 1' is not a section"),
        ({"durations": {"intro": 0.1}}, "needs at least"),
    ):
        with pytest.raises(RenderError, match=message):
            Compare.check_params(grid, params)
    Compare.check_params(grid, {"epoch": None, "merge_bias": False, "color_by": "class"})


class TileScene(Scene):
    """A blue tile, and right of it a tile halfway from blue to red, at half opacity."""

    def construct(self) -> None:
        blue, red = hex_to_rgb(theme().class_color(0)), hex_to_rgb(theme().class_color(5))
        pictures = np.stack([np.tile(blue, (4, 4, 1)), np.tile(red, (4, 4, 1))])
        left = MeshTile(pictures, (-4.0, 0.0, -2.0, 2.0))
        right = MeshTile(pictures, (0.0, 4.0, -2.0, 2.0))
        right.set_state(0, 1, 0.5)
        right.pixel_array[..., 3] = 128  # what a fade halfway does
        self.add(left, right)


def test_a_mesh_tile_is_drawn_into_its_own_rectangle(tmp_path: Path) -> None:
    with manim.tempconfig(small_config(tmp_path, pixel_width=160, pixel_height=90)):
        scene = TileScene(camera_class=CompareCamera)
        scene.render()
        frame = np.asarray(scene.renderer.get_frame())[..., :3].astype(float)
    th = theme()
    blue = np.round(np.array(hex_to_rgb(th.class_color(0))) * 255)
    red = np.round(np.array(hex_to_rgb(th.class_color(5))) * 255)
    bg = np.round(np.array(hex_to_rgb(th.background)) * 255)

    def px(x: float, y: float) -> np.ndarray:  # frame units → pixel
        col = int((x + 64 / 9) / (128 / 9) * 160)
        row = int((4 - y) / 8 * 90)
        return frame[row, col]

    assert np.abs(px(-2, 1) - blue).max() <= 1
    halfway = (blue + red) / 2
    assert np.abs(px(2, 1) - (halfway * 128 / 255 + bg * 127 / 255)).max() <= 2
    for x, y in ((-5, 0), (5, 0), (0, 3), (-2, -3)):  # outside the tiles: background
        assert np.abs(px(x, y) - bg).max() <= 1


def test_glyph_text_sets_any_string_as_one_outline() -> None:
    a = atlas(18)
    line = GlyphText("loss 0.263", 18, -1.0, 0.5, "#FFFFFF")
    assert line.submobjects == [] and line.get_fill_opacity() == 1.0
    assert line.extent == pytest.approx((-1.0, -1.0 + a.width("loss 0.263")))
    # the outline is the glyphs', side by side: as wide as Manim's own text, on the baseline
    ink = line.get_right()[0] - line.get_left()[0]
    assert ink == pytest.approx(a.width("loss 0.263"), abs=0.05)
    assert line.get_bottom()[1] == pytest.approx(0.5 + a.offset["l"][1], abs=0.02)
    before = line.points.copy()
    line.set_text("loss 0.263")
    assert np.array_equal(line.points, before)
    line.set_text("acc 100 %")
    assert line.text == "acc 100 %" and not np.array_equal(line.points[:3], before[:3])
    line.shift((1.0, 0.0, 0.0))  # moving it does not move what is cached
    line.set_text("loss 0.263")
    assert np.array_equal(line.points, before)
    line.set_text("")
    assert line.get_fill_opacity() == 0.0 and len(line.points)
    # digits are all as wide (tabular), a space narrower than a digit
    assert len({round(a.advance[d], 6) for d in "0123456789"}) == 1
    assert 0 < a.advance[" "] < a.advance["0"]


def test_mesh_colours_are_the_class_colours_where_the_network_is_sure() -> None:
    th = theme()
    probs = np.zeros((2, 3, 2))
    probs[0, :, 0] = 1.0  # bottom row: sure of class 0
    probs[1, :, :] = 0.5  # top row: unsure
    rgb = mesh_colours(probs)
    assert rgb.shape == (2, 3, 3)
    bg, c0 = np.array(hex_to_rgb(th.background)), np.array(hex_to_rgb(th.class_color(0)))
    assert np.allclose(rgb[1, 0], bg * 0.38 + c0 * 0.62, atol=1e-6)  # row 0 is drawn at the bottom
    assert np.linalg.norm(rgb[0, 0] - bg) < np.linalg.norm(rgb[1, 0] - bg)


def test_the_last_frame_alone_shows_the_end(story: GridSource, tmp_path: Path) -> None:
    opts = RenderOptions(resolution=SIZE, fps=FPS, save_last_frame=True, progress=False)
    with manim.tempconfig(manim_config(opts, tmp_path)):
        scene = Compare(grid=story.load())
        scene.render()
        image = np.asarray(scene.renderer.get_frame())[..., :3]
    assert scene.board.counter.text == f"epoch {scene.plan.clock.last}"
    assert all(vis.shown for cell in scene.board.badges for _, _, vis in cell)
    assert scene.board.best_frame is not None
    bg = np.round(np.array(hex_to_rgb(theme().background)) * 255)
    assert np.mean(np.abs(image - bg).max(axis=-1) > 30) > 0.1  # the cells are drawn


def test_twelve_runs_keep_every_label_number_and_badge_inside_their_cells(
    story: GridSource, tmp_path: Path
) -> None:
    paths = [p for row in story.paths for p in row] * 3
    labels = [f"run {k} · ReLU, lr 0.1 · seed {k}" for k in range(12)]
    grid = GridSource.from_files(paths, labels).load()
    with manim.tempconfig(small_config(tmp_path, pixel_width=854, pixel_height=480)):
        scene = Compare(grid=grid)
        scene.prepare()
        board = scene.board
        board.show(scene.plan.clock_frames)  # the end: every badge shown
    lay = scene.plan.layout
    assert (lay.rows, lay.cols) == (3, 4) and lay.text_size >= 16
    cells = lay.cells
    for k, cell in enumerate(scene.plan.cells):
        box = cells[k].box
        loss, acc = board.numbers[k]
        parts = [board.tiles[k], loss, acc] + [group for _, group, _ in board.badges[k]]
        for mob in parts:
            left, right = mob.get_left()[0], mob.get_right()[0]
            bottom, top = mob.get_bottom()[1], mob.get_top()[1]
            assert box.x0 - 1e-6 <= left and right <= box.x1 + 1e-6, (k, mob)
            assert box.y0 - 1e-6 <= bottom and top <= box.y1 + 1e-6, (k, mob)
        assert [vis.shown for _, _, vis in board.badges[k]] == [True] * len(cell.badges)
    hw, hh = manim.config.frame_width / 2, manim.config.frame_height / 2
    for mob in board.static:
        assert -hw <= mob.get_left()[0] and mob.get_right()[0] <= hw, mob
        assert -hh <= mob.get_bottom()[1] and mob.get_top()[1] <= hh, mob


def _with_classes(grid: Any, *names: tuple[str, ...]) -> Any:
    """``grid`` with its runs' class names replaced (the first run's by the first, …)."""
    import dataclasses

    for traj, these in zip(grid.trajs, names, strict=False):
        info = traj.info
        traj.info = dataclasses.replace(
            info, dataset=dataclasses.replace(info.dataset, class_names=these)
        )
    return grid


DOGS = ("German Shepherd", "Labrador Retriever", "Golden Retriever", "French Bulldog") + (
    "Bernese Mountain Dog",
    "Cavalier King Charles",
    "Siberian Husky",
    "Australian Shepherd",
)


@pytest.mark.parametrize("names", [("outer", "middle"), ("Beagle", "Poodle", "Pug", "Boxer")])
def test_a_legend_says_what_each_colour_is_beside_the_clock(
    story: GridSource, names: tuple[str, ...]
) -> None:
    from scenes.compare.plan import compare_plan
    from scenes.compare.scene import Board
    from scenes.mobjects.widgets import drawn_box

    grid = _with_classes(story.load(), *[names] * 4)
    plan = compare_plan(grid, fps=FPS)
    board = Board(plan, grid)
    assert board.legend is not None and plan.layout.legend is None
    assert board.legend.cramped == (0, False)  # every name whole, at its size
    shown = drawn_box(board.legend)
    hw, hh = manim.config.frame_width / 2, manim.config.frame_height / 2
    assert -hw < shown.xmin and shown.xmax < hw and -hh < shown.ymin  # on screen
    assert shown.ymax < min(c.box.y0 for c in plan.layout.cells)  # under every cell
    bar = board.bar
    assert bar.x1 + 0.3 < shown.xmin  # the clock's track (and its last label) end before it
    assert bar.x1 - bar.x0 >= 4.6  # still long enough to read its ticks
    assert board.legend in board.mobjects()  # it fades in with the board
    if len(names) == 2:
        assert bar.x1 > 3.0  # a short legend takes little of the track


@pytest.mark.parametrize("shape", [(2, 2), (1, 4), (2, 3)])
def test_long_class_names_get_a_band_of_their_own_and_stay_whole(
    story: GridSource, shape: tuple[int, int]
) -> None:
    from scenes.compare.plan import compare_plan
    from scenes.compare.scene import Board
    from scenes.mobjects.widgets import drawn_box

    paths = [p for row in story.paths for p in row] * 3
    n = shape[0] * shape[1]
    labels = [f"run {k}" for k in range(n)]
    rows = [paths[r * shape[1] : (r + 1) * shape[1]] for r in range(shape[0])]
    source = GridSource(
        tuple(tuple(r) for r in rows),
        tuple(tuple(labels[r * shape[1] : (r + 1) * shape[1]]) for r in range(shape[0])),
    )
    grid = _with_classes(source.load(), *[DOGS] * n)
    plan = compare_plan(grid, fps=FPS)
    board = Board(plan, grid)
    band = plan.layout.legend
    assert band is not None and board.legend is not None
    assert board.legend.shortened == 0 and not board.legend.shrunk  # "Labrador Retriever"
    shown = drawn_box(board.legend)
    assert band.x0 - 1e-6 <= shown.xmin and shown.xmax <= band.x1 + 1e-6
    assert band.y0 - 1e-6 <= shown.ymin and shown.ymax <= band.y1 + 1e-6
    assert shown.ymax < min(c.box.y0 for c in plan.layout.cells)  # under every cell
    assert shown.ymin > board.bar.y + 0.2  # above the clock's track and counter
    assert board.bar == plan.layout.clock  # which keeps its whole length
    assert plan.layout.text_size >= 16


def test_a_grid_too_full_for_a_legend_band_keeps_its_cells(story: GridSource) -> None:
    from scenes.compare.plan import compare_plan

    paths = [p for row in story.paths for p in row] * 3
    source = GridSource.from_files(paths, [f"run {k}" for k in range(12)])
    plain = compare_plan(source.load(), fps=FPS)
    dogs = compare_plan(_with_classes(source.load(), *[DOGS] * 12), fps=FPS)
    assert (dogs.layout.rows, dogs.layout.cols) == (3, 4)
    assert dogs.layout.legend is None  # the legend goes beside the clock, as it can
    assert dogs.layout.cells == plain.layout.cells  # no cell gives up room for badges


def test_no_legend_when_the_runs_classes_differ(story: GridSource) -> None:
    from scenes.compare.plan import compare_plan
    from scenes.compare.scene import Board

    grid = _with_classes(story.load(), ("a", "b"), ("b", "a"))
    board = Board(compare_plan(grid, fps=FPS), grid)
    assert board.legend is None and board.bar == board.plan.layout.clock


def _intro_frames(grid: Any, folder: Path) -> tuple[Compare, list[np.ndarray]]:
    """The introduction of ``grid``'s comparison, rendered small: its frames, grey."""
    from PIL import Image

    with manim.tempconfig(small_config(folder)):
        scene = Compare(grid=grid, sections=["Introduction"])
        scene.render()  # (the scene checks the intro took what the plan says)
        where = Path(scene.renderer.file_writer.image_sequence_directory)
    pngs = sorted(where.glob("*.png"))
    return scene, [np.asarray(Image.open(p).convert("L"), np.float64) for p in pngs]


def test_a_long_description_is_read_on_its_own_before_the_cells_appear(
    story: GridSource, tmp_path: Path
) -> None:
    """Up in the middle of the grid's room (and nothing else there) for its reading
    frames; gone before the cells have faded in, which then look exactly as without it."""
    import dataclasses

    long = (
        "two layers of 2 units are too narrow for the spiral, six are too deep and narrow, "
        "and layers of 8 and 2 units are wide enough: width before depth"
    )
    scene, frames = _intro_frames(dataclasses.replace(story, description=long).load(), tmp_path)
    _, plain = _intro_frames(dataclasses.replace(story, description="").load(), tmp_path / "0")
    caption, reading, fade, look = scene.beats[0].data["pieces"]
    assert len(frames) == caption + reading + fade + look
    assert len(plain) == caption + fade + look
    rows = SIZE[1]
    middle = slice(int(rows * 0.38), int(rows * 0.62))  # the card's two lines
    below = slice(int(rows * 0.7), rows)  # cells' numbers, the clock: nothing yet
    bg = float(np.median(frames[0]))
    for frame in frames[caption : caption + reading]:
        assert (frame[middle] > 128).sum() > 150  # its letters
        assert np.abs(frame[below] - bg).max() < 10
    # after it: the cells as a comparison without a description shows them
    assert np.abs(frames[-1] - plain[-1]).mean() < 0.5
    assert np.abs(frames[-1] - frames[caption + reading - 1]).mean() > 2  # (the cells came)
