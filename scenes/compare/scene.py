"""The comparison scene: several trainings side by side in a grid, on one clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    Animation,
    Camera,
    Create,
    FadeOut,
    Mobject,
    RoundedRectangle,
    VGroup,
    VMobject,
    config,
    linear,
    smooth,
    squish_rate_func,
)

from scenes.compare.clock import loss_curve, nice_ticks
from scenes.compare.drawing import (
    CompareCamera,
    GlyphText,
    MeshTile,
    Visibility,
    mesh_colours,
)
from scenes.compare.grid import Grid
from scenes.compare.layout import (
    BADGE_GAP,
    BADGE_PAD,
    BOTTOM,
    CLOCK_MARKER,
    DESCRIPTION_SIZE,
    DESCRIPTION_WIDTH,
    LEGEND_BOX,
    LEGEND_SIZE,
    LEGEND_WIDE,
    LINE_HEIGHT,
    TOP,
    ClockBar,
    Rect,
    legend_beside_clock,
    split_label,
)
from scenes.compare.plan import BadgePlan, ComparePlan, compare_plan
from scenes.core.theme import theme
from scenes.core.timeline import Beat, check_sections, lengthen
from scenes.core.view import Box, View
from scenes.draw import FastScene, LineBundle, PointCloud
from scenes.errors import RenderError
from scenes.mobjects.planned import PlaysPlan
from scenes.mobjects.widgets import Captions, Fade, Legend, drawn_box, legend, text
from scenes.narration.compare import fmt_loss
from scenes.narration.text import Line
from scenes.registry import scene

__all__ = ["Compare", "ClockRun", "number_text"]

#: Font size of the clock's tick labels.
TICK_SIZE = 16
#: The share of the cells' fade-in during which a description shown on its own fades out.
CARD_OUT = 0.4
#: Least distance between two labelled ticks of the clock's track (frame units): a track
#: shortened by the legend labels fewer epochs, as far apart.
TICK_GAP = 0.8


def number_text(kind: str, value: float) -> str:
    """What a cell's number line says: ``loss 0.263``, ``acc 88 %``; with held-out points,
    the training accuracy is ``train 88 %`` and the held-out one ``test 85 %``, so the
    switch from one to the other at the results is written on the line.

    >>> number_text("loss", 0.26271), number_text("acc", 0.885), number_text("loss", float("nan"))
    ('loss 0.263', 'acc 88 %', 'loss -')
    >>> number_text("train", 0.885), number_text("test", 0.85)
    ('train 88 %', 'test 85 %')
    """
    if kind in ("acc", "train", "test"):
        return f"{kind} {round(value * 100):d} %" if np.isfinite(value) else f"{kind} -"
    return f"loss {fmt_loss(value)}"


def _check(params: Mapping[str, Any]) -> None:
    """Refuse options that mean nothing for a comparison."""
    if params.get("epoch") is not None:
        raise RenderError(
            "--epoch shows one run at one epoch; the comparison plays every run from epoch 0 "
            "to its end: drop --epoch"
        )
    if params.get("merge_bias"):
        raise RenderError("--merge-bias is for the warp scene; drop it for compare")
    if params.get("color_by", "class") != "class":
        raise RenderError("the comparison colours points by class only; drop --color-by")


class Board:
    """Everything drawn for the runs, and how it looks at any clock frame."""

    def __init__(self, plan: ComparePlan, grid: Grid) -> None:
        th = theme()
        self.plan = plan
        #: How a cell's accuracy line is named while the clock runs: "train" when the
        #: results judge held-out points (the line then turns to "test"), else "acc".
        self.acc_kind = "train" if plan.held_out else "acc"
        lay = plan.layout
        size, small = lay.text_size, lay.badge_size
        self.static: list[Mobject] = []  # drawn once (z 0): labels, frames, ticks
        positions, colours = [], []
        tiles: list[tuple[np.ndarray, tuple[float, float, float, float]]] = []
        self.numbers: list[tuple[GlyphText, GlyphText]] = []
        self.badges: list[list[tuple[BadgePlan, VGroup, Visibility]]] = []
        self.times: list[np.ndarray] = []  # each run's snapshots on the clock
        lo, hi = np.log10(plan.loss_range[0]), np.log10(plan.loss_range[1])
        if hi - lo < 1e-6:
            lo, hi = lo - 0.5, hi + 0.5
        curves = []
        self.curve_u: list[np.ndarray] = []
        for cell, traj, part in zip(plan.cells, grid.trajs, lay.cells, strict=True):
            # label: one line, or two when it is long
            lines = split_label(cell.label, part.label.width, size)
            label = VGroup(*[text(t, size) for t in lines]).arrange(
                DOWN, buff=0.04, aligned_edge=np.array([-1.0, 0, 0])
            )
            if label.width > part.label.width:
                label.scale_to_fit_width(part.label.width)
            label.move_to((part.label.x0 + label.width / 2, part.label.centre[1], 0.0))
            self.static.append(label)
            # plot: mesh and points, fitted into the square
            x0, x1, y0, y1 = traj.mesh_extent
            scale = min(part.plot.width / (x1 - x0), part.plot.height / (y1 - y0))
            cx, cy = part.plot.centre
            rect = (
                cx - scale * (x1 - x0) / 2,
                cx + scale * (x1 - x0) / 2,
                cy - scale * (y1 - y0) / 2,
                cy + scale * (y1 - y0) / 2,
            )
            view = View(Box(*rect), np.array([(x0 + x1) / 2, (y0 + y1) / 2]), scale)
            rgb = mesh_colours(np.stack([traj.mesh(s) for s in range(traj.n_snapshots)]))
            tiles.append((rgb, rect))
            self.times.append(cell.track.snapshot_times(plan.clock))
            frame = RoundedRectangle(
                width=rect[1] - rect[0],
                height=rect[3] - rect[2],
                corner_radius=0.02,
                stroke_color=th.grid,
                stroke_width=1.5,
                stroke_opacity=0.6,
                fill_opacity=0,
            ).move_to(((rect[0] + rect[1]) / 2, (rect[2] + rect[3]) / 2, 0.0))
            self.static.append(frame)
            screen, _ = view.project(traj.inputs)
            positions.append(screen)
            colours.append(th.class_rgbas(traj.labels))
            # numbers
            line = part.numbers.height / 2
            base = part.numbers.y1 - line * 0.78
            loss = GlyphText("loss", size, part.numbers.x0, base, th.text, z_index=3)
            acc = GlyphText(
                self.acc_kind, size, part.numbers.x0, base - line, th.subtext, z_index=3
            )
            self.numbers.append((loss, acc))
            # curve
            if part.curve is not None:
                u, values = loss_curve(cell.track, plan.clock)
                c = part.curve
                ys = c.y0 + (np.log10(np.maximum(values, 1e-12)) - lo) / (hi - lo) * c.height
                xs = c.x0 + u * c.width
                curves.append(np.column_stack([xs, np.clip(ys, c.y0, c.y1)]))
                self.curve_u.append(u)
                axis = LineBundle(
                    np.array([[[c.x0, c.y1], [c.x0, c.y0], [c.x1, c.y0]]]),
                    th.grid,
                    stroke_width=0.012,
                )
                axis.rgbas[:, 3] = 0.7
                self.static.append(axis)
            # badges, hidden until the clock reaches them
            placed = []
            y = part.badges.y1
            for badge in cell.badges:
                group = self.badge(badge, small, part.badges, y)
                y = float(group.get_bottom()[1]) - BADGE_GAP
                vis = Visibility(group)
                vis.set(False)
                placed.append((badge, group, vis))
            self.badges.append(placed)
        # The points are drawn into their tile's pictures (they never move); the same size
        # in every cell: at least 1.2 pixels at 480p.
        most = max(len(p) for p in positions)
        width = lay.cells[0].plot.width
        radius = float(np.clip(0.012 * width * np.sqrt(400 / most), 0.02, 0.045))
        self.tiles = [
            MeshTile(rgb, rect, points, colour, radius)
            for (rgb, rect), points, colour in zip(tiles, positions, colours, strict=True)
        ]
        self.curve_full = np.array(curves) if curves else np.zeros((0, 2, 2))
        self.curves = LineBundle(
            self.curve_full.copy() if curves else None, th.accent, stroke_width=0.018, z_index=3
        )
        #: The clock's bar, shortened to make room for the class legend.
        self.bar: ClockBar = lay.clock
        #: What each class's colour is (None: the runs' classes differ).
        self.legend: Legend | None = None
        self.build_legend(grid)
        self.build_clock(size)
        self.best_frame: VMobject | None = None

    # ------------------------------------------------------------------ pieces
    @staticmethod
    def badge(badge: BadgePlan, size: int, where: Rect, top: float) -> VGroup:
        """A badge: its lines in a rounded box, its top at ``top``, left in ``where``."""
        th = theme()
        colour = th.warning if badge.warn else th.subtext
        step = LINE_HEIGHT * size
        block = VGroup(
            *[GlyphText(s, size, 0.0, -k * step, th.text) for k, s in enumerate(badge.lines)]
        )
        pad = BADGE_PAD
        room = where.width - 2 * pad
        if block.width > room:
            block.scale_to_fit_width(room)
        box = RoundedRectangle(
            width=block.width + 2 * pad,
            height=block.height + 2 * pad,
            corner_radius=0.06,
            stroke_color=colour,
            stroke_width=2,
            fill_color=th.background,
            fill_opacity=0.85,
        )
        group = VGroup(box, block)
        block.move_to(box.get_center())
        group.move_to((where.x0 + box.width / 2, top - box.height / 2, 0.0))
        group.set_z_index(3)
        return group

    def build_legend(self, grid: Grid) -> None:
        """What each class's colour is: in the layout's band above the clock if it has one,
        else right of the clock's track (which it shortens); none if the runs' classes
        differ (each cell's colours would mean something else)."""
        if grid.legend is None:
            return
        names, title = grid.legend
        colours = [theme().class_color(k) for k in range(len(names))]
        band = self.plan.layout.legend
        if band is not None:
            key = legend(names, colours, LEGEND_SIZE, title, fit=(band.width, band.height))
            box = drawn_box(key)
            x, y = band.centre
            key.shift((x - (box.xmin + box.xmax) / 2, y - (box.ymin + box.ymax) / 2, 0.0))
            self.static.append(key)
            self.legend = key
            return
        key = legend(names, colours, LEGEND_SIZE, title, fit=LEGEND_BOX)
        if key.cramped > (0, False):
            wide = legend(names, colours, LEGEND_SIZE, None, fit=(LEGEND_WIDE, LEGEND_BOX[1]))
            if wide.cramped < key.cramped:
                key = wide
        box = drawn_box(key)
        last = text(f"{self.plan.clock.last:,}", TICK_SIZE)  # the track's last tick label
        place = legend_beside_clock(box.xmax - box.xmin, box.ymax - box.ymin, last.width)
        if place.scale < 1.0:
            key.scale(place.scale)
            box = drawn_box(key)
        x, y = place.box.centre
        key.shift((x - (box.xmin + box.xmax) / 2, y - (box.ymin + box.ymax) / 2, 0.0))
        self.static.append(key)
        self.legend = key
        self.bar = place.clock

    def build_clock(self, size: int) -> None:
        """The shared clock's bar: a track with ticks, the progress and the epoch counter."""
        th = theme()
        bar = self.bar
        plan = self.plan
        track = LineBundle(
            np.array([[[bar.x0, bar.y], [bar.x1, bar.y]]]), th.grid, stroke_width=0.02
        )
        self.static.append(track)
        ticks = nice_ticks(plan.clock, TICK_GAP / (bar.x1 - bar.x0))
        marks = []
        for epoch in ticks:
            x = bar.x_at(float(plan.clock.at_epoch(epoch)))
            marks.append([[x, bar.y - 0.06], [x, bar.y + 0.06]])
            label = text(f"{epoch:,}", TICK_SIZE, color=th.subtext)
            label.move_to((x, bar.tick_y, 0.0))
            self.static.append(label)
        self.static.append(LineBundle(np.array(marks), th.grid, stroke_width=0.016))
        self.progress = LineBundle(
            np.array([[[bar.x0, bar.y], [bar.x0, bar.y]]]),
            th.accent,
            stroke_width=0.035,
            z_index=3,
        )
        self.marker = PointCloud(
            np.array([[bar.x0, bar.y]]), th.accent, radius=CLOCK_MARKER, z_index=3
        )
        self.counter = GlyphText("epoch 0", 20, bar.counter_x, bar.y - 0.08, th.text, z_index=3)

    def mobjects(self) -> list[Mobject]:
        """Everything the cells show from the start (not the hidden badges)."""
        loose: list[Mobject] = [*self.static, *self.tiles]
        for loss, acc in self.numbers:
            loose += [loss, acc]
        loose += [self.curves, self.progress, self.marker, self.counter]
        return loose

    def badge_groups(self) -> list[VGroup]:
        """Every badge (hidden or not)."""
        return [group for cell in self.badges for _, group, _ in cell]

    def moving(self) -> list[Mobject]:
        """What changes while the clock runs."""
        out: list[Mobject] = [*self.tiles, self.curves, self.progress, self.marker, self.counter]
        for loss, acc in self.numbers:
            out += [loss, acc]
        return out + self.badge_groups()

    # ------------------------------------------------------------------ state
    def show(self, frame: float) -> None:
        """Draw every cell as it is at clock frame ``frame`` (0 … clock_frames)."""
        plan = self.plan
        epoch = plan.epoch_at_frame(frame)
        for i, cell in enumerate(plan.cells):
            track = cell.track
            s0, s1, w = track.blend(plan.clock, epoch, self.times[i])
            self.tiles[i].set_state(s0, s1, w)
            loss, acc = self.numbers[i]
            loss.set_text(number_text("loss", track.loss_at(epoch)))
            acc.set_text(number_text(self.acc_kind, track.acc_at(epoch)))
            for badge, _, vis in self.badges[i]:
                vis.set(frame >= badge.frame)
        if len(self.curve_full):
            u_now = frame / plan.clock_frames
            lines = self.curve_full.copy()
            for k, u in enumerate(self.curve_u):
                lines[k, u > u_now + 1e-9] = np.nan
            self.curves.set_lines(lines)
        bar = self.bar
        x = bar.x_at(frame / plan.clock_frames)
        self.progress.set_lines(np.array([[[bar.x0, bar.y], [x, bar.y]]]))
        self.marker.set_positions(np.array([[x, bar.y]]))
        self.counter.set_text(f"epoch {int(np.floor(epoch + 1e-9)):,}")


class ClockRun(Animation):
    """Run the clock from clock frame ``start``, one clock frame per video frame, for
    ``frames`` video frames (the clock stops at ``end``)."""

    def __init__(self, board: Board, start: int, end: int, frames: int, fps: float) -> None:
        self.board, self.start, self.end, self.fps = board, start, end, fps
        group = Mobject()
        group.submobjects = board.moving()  # drawn every frame; not a copy
        super().__init__(group, run_time=(frames - 0.5) / fps, rate_func=linear)

    def begin(self) -> None:  # no copies: the board draws itself from the plan
        self.interpolate(0.0)

    def finish(self) -> None:
        self.board.show(self.end)

    def clean_up_from_scene(self, scene: Any) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        k = round(alpha * self.run_time * self.fps)
        self.board.show(min(self.start + k, self.end))


@scene(
    "compare",
    "several trainings side by side on one clock: meshes, losses, early stops, dead units",
    needs="trajectories",
)
class Compare(PlaysPlan, FastScene):
    """Several runs in a grid, trained on one clock, then the best one named.

    Parameters
    ----------
    grid
        The runs (:meth:`scenes.compare.grid.GridSource.load`).
    durations
        Longer durations for some beats, by beat id.
    sections
        Render only these sections ("Introduction", "Training", "Results").
    epoch, merge_bias, color_by
        Accepted for the command line's sake; anything but their defaults is refused.
    """

    plan_file = "scenes/compare/plan.py"

    def __init__(
        self,
        grid: Grid,
        durations: Mapping[str, float] | None = None,
        sections: Sequence[str] | None = None,
        epoch: int | None = None,
        merge_bias: bool = False,
        color_by: str = "class",
        **kwargs: Any,
    ) -> None:
        _check({"epoch": epoch, "merge_bias": merge_bias, "color_by": color_by})
        self.grid = grid
        self.init_plan()
        #: The plan, computed before anything is drawn.
        self.plan = compare_plan(grid, fps=float(config.frame_rate))
        self.beats = lengthen(self.plan.beats, durations or {})
        check_sections(self.beats, sections)
        self.only_sections = None if sections is None else frozenset(sections)
        kwargs.setdefault("camera_class", CompareCamera)
        super().__init__(**kwargs)

    @classmethod
    def check_params(cls, grid: Grid, params: Mapping[str, Any]) -> list[Beat]:
        """Refuse meaningless options, unknown sections or beats before any work; the
        plan's beats."""
        _check(params)
        beats = compare_plan(grid, fps=float(config.frame_rate)).beats
        check_sections(beats, params.get("sections"))
        try:
            lengthen(beats, params.get("durations") or {})
        except ValueError as exc:
            raise RenderError(str(exc)) from None
        return beats

    def prepare(self) -> None:
        """Build the board (every cell, the clock) and the captions."""
        camera = self.camera
        assert isinstance(camera, Camera), "nnwarp renders with Cairo"
        self.captions = Captions(self)
        self.board = Board(self.plan, self.grid)
        self.board.show(0)

    # ------------------------------------------------------------------ pieces
    def frames(self, n: int) -> float:
        """The run time of a play that draws exactly ``n`` frames."""
        return (n - 0.5) / float(config.frame_rate)

    def swap_caption(self, line: Line, *anims: Animation, frames: int) -> None:
        """Cross-fade to ``line``'s caption while ``anims`` play, in ``frames`` frames."""
        played = [*self.captions.swap(line.caption, line.sub), *anims]
        if played:
            self.play(*played, run_time=self.frames(frames))
        else:  # skipped, and nothing else moves
            self.wait(self.frames(frames))

    # ------------------------------------------------------------------ beats
    def beat_intro(self, beat: Beat) -> None:
        """The cells appear, each with its untrained network; a description too long for
        the captions is up first, on its own, until it has been read."""
        *head, fade, look = beat.data["pieces"]
        lines = beat.data.get("description") or ()
        card = self.description_card(lines) if lines and not self.skipping else None
        self.swap_caption(beat.line, *([Fade(card)] if card else []), frames=head[0])
        if len(head) > 1:  # the description is read
            self.wait((head[1] + 0.5) / float(config.frame_rate))
        # the badges fade in with their cells (those the clock has not reached stay hidden)
        shown = [*self.board.mobjects(), *self.board.badge_groups()]
        if card is None:
            self.play(*[Fade(m) for m in shown], run_time=self.frames(fade))
        else:  # the description goes before the cells come
            after = squish_rate_func(smooth, CARD_OUT, 1.0)
            self.play(
                Fade(card, False, rate_func=squish_rate_func(smooth, 0.0, CARD_OUT)),
                *[Fade(m, rate_func=after) for m in shown],
                run_time=self.frames(fade),
            )
        self.wait((look + 0.5) / float(config.frame_rate))

    def description_card(self, lines: Sequence[str]) -> VGroup:
        """A long description on its own (``lines``: wrapped by the plan), centred in the
        grid's room, as wide as a caption may be at most."""
        th = theme()
        card = VGroup(*[text(s, DESCRIPTION_SIZE) for s in lines]).arrange(DOWN, buff=0.16)
        if card.width > DESCRIPTION_WIDTH:  # (the plan's width is an estimate)
            card.scale_to_fit_width(DESCRIPTION_WIDTH)
        card.set_color(th.text)
        return card.move_to((0.0, (TOP + BOTTOM) / 2, 0.0))

    def beat_clock(self, beat: Beat) -> None:
        """The clock runs (from ``start`` to ``end``), the caption changing as it starts."""
        start, end = int(beat.data["start"]), int(beat.data["end"])
        caption = int(beat.data["caption"])
        total = round(beat.min_duration * float(config.frame_rate))
        fps = float(config.frame_rate)
        first = min(caption, total)
        self.swap_caption(beat.line, ClockRun(self.board, start, end, first, fps), frames=first)
        if total > first:
            self.play(ClockRun(self.board, min(start + first, end), end, total - first, fps))

    def frames_around(self, indices: Sequence[int]) -> list[VMobject]:
        """A rounded frame around each of these cells (not yet drawn)."""
        th = theme()
        pad = 0.07
        out: list[VMobject] = []
        for index in indices:
            box = self.plan.layout.cells[int(index)].box
            out.append(
                RoundedRectangle(
                    width=box.width + 2 * pad,
                    height=box.height + 2 * pad,
                    corner_radius=0.1,
                    stroke_color=th.accent,
                    stroke_width=4,
                    fill_opacity=0,
                ).move_to((*box.centre, 0.0))
            )
        return out

    def beat_results(self, beat: Beat) -> None:
        """Every run's final numbers stay up; the best one (or every run of a tie) is
        framed and named. Runs judged on held-out points show them now: each cell's
        accuracy line turns from "train" to "test", brighter, as the caption changes."""
        caption, highlight, read = beat.data["pieces"]
        th = theme()
        outlines = self.frames_around(beat.data["framed"])
        if beat.data.get("held_out"):  # the runs are judged on the held-out points
            for cell, (_, acc) in zip(self.plan.cells, self.board.numbers, strict=True):
                test = cell.result.test_acc
                acc.set_text(number_text("test", test if test is not None else float("nan")))
                acc.set_fill(th.text, family=False)
        self.swap_caption(beat.line, frames=caption)
        self.play(*[Create(f) for f in outlines], run_time=self.frames(highlight))
        self.board.best_frame = VGroup(*outlines)
        self.wait((read + 0.5) / float(config.frame_rate))

    def beat_summary(self, beat: Beat) -> None:
        """What the grid shows (the answer to its question): the frames move from the best
        run to every run the answer is about, as the caption changes."""
        caption, read = beat.data["pieces"]
        old = self.board.best_frame
        outlines = self.frames_around(beat.data["framed"])
        moves: list[Animation] = [Create(f) for f in outlines]
        if old is not None:  # each frame is in the scene on its own
            moves += [FadeOut(f) for f in old.submobjects]
        self.swap_caption(beat.line, *moves, frames=caption)
        self.board.best_frame = VGroup(*outlines)
        self.wait((read + 0.5) / float(config.frame_rate))
