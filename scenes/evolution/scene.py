"""The evolution scene: one training watched from epoch 0 to the end."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RESAMPLING_ALGORITHMS,
    RIGHT,
    Animation,
    Camera,
    Circle,
    Group,
    ImageMobject,
    ManimColor,
    Mobject,
    RoundedRectangle,
    VGroup,
    VMobject,
    config,
    linear,
)
from PIL import Image

from nnmodel.trajectory import Trajectory
from scenes.core.theme import hex_to_rgb, position_rgbas, theme
from scenes.core.ticks import EdgeTicks, edge_ticks
from scenes.core.timeline import Beat, check_sections, lengthen
from scenes.core.view import Box, View, fit
from scenes.draw import FastScene, LineBundle, PointCloud
from scenes.errors import RenderError
from scenes.evolution.chart import ACCURACY, Chart, Series, format_loss, latest, loss_scale
from scenes.evolution.frames import Evolving, turned
from scenes.evolution.layout import (
    FRAME,
    LEGEND_MAX_HEIGHT,
    LEGEND_WIDTH,
    NAME_SIZE,
    Layout,
    axis_names,
    layout,
)
from scenes.evolution.pins import RADIUS, Rect, place_labels
from scenes.evolution.plan import (
    CAPTION,
    END_HOLD,
    FADE_IN,
    FINDING_HOLD,
    HOLD,
    READ,
    START_HOLD,
    evolution_plan,
    make_clock,
)
from scenes.evolution.timing import MAPPINGS, MAX_DURATION, MIN_DURATION, Clock
from scenes.mobjects import separators
from scenes.mobjects.axes import TICK
from scenes.mobjects.planned import PlaysPlan
from scenes.mobjects.rig import Rig
from scenes.mobjects.textcache import page_text
from scenes.mobjects.widgets import Captions, Fade, legend, shortened, text
from scenes.registry import scene
from scenes.warp.steps import THETA0, TILT, TURN_RATE, shows_units

__all__ = ["Evolution", "MonoText", "TrainingRun"]

#: Font sizes (Manim's default frame): all legible at 480p.
LABEL_SIZE = 20
TITLE_SIZE = 22
COUNTER_SIZE = 30

#: The sizes a problem's tag may take, largest first: the least is still read at 480p.
TAG_SIZES = (20, 18, 16)

#: A key moment's caption, once told, dims to this share of its opacity while training
#: runs on past its epoch (in this many seconds).
TOLD = 0.45
TOLD_FADE = 0.4


class MonoText:
    """A monospaced font's glyphs at one size and colour, rendered once.

    Creating a :class:`manim.Text` takes 20–100 ms, too slow for numbers redrawn every
    frame. A monospaced font puts every character in a cell of the same width, so a string
    is its characters' glyph outlines, each shifted to its cell (see :class:`Readout`).
    """

    CHARS = "0123456789.,%−-e+/"

    def __init__(self, size: int, color: str) -> None:
        th = theme()
        self.template = page_text(self.CHARS, font=th.mono_font, font_size=size, color=color)
        if len(self.template.submobjects) != len(self.CHARS):
            raise RenderError(f"the font {th.mono_font!r} does not draw every digit")
        pair = page_text("00", font=th.mono_font, font_size=size)
        self.advance = float(pair[1].get_center()[0] - pair[0].get_center()[0])
        #: Where the template's first cell starts, and its vertical centre.
        self.origin = np.array(
            [float(self.template[0].get_left()[0]), float(self.template.get_center()[1]), 0.0]
        )

    def outline(self, c: str, cell: int, left: float, y: float) -> np.ndarray:
        """The outline points of ``c`` in cell ``cell`` of a string whose first cell starts
        at ``left``, centred on ``y`` like every string of this font."""
        i = self.CHARS.index(c)
        shift = np.array([left + (cell - i) * self.advance, y, 0.0]) - self.origin
        out: np.ndarray = self.template[i].points + shift
        return out

    def width(self, n: int) -> float:
        """Width of ``n`` cells."""
        return n * self.advance


class Readout:
    """Up to ``cells`` characters of :class:`MonoText` at a fixed place, changed every frame.

    Each cell is one glyph mobject, in the scene from the start, whose outline is swapped
    (a play draws the mobjects it found at its start, so none may come or go). An empty
    cell has a degenerate outline: nothing is drawn.
    """

    def __init__(self, mono: MonoText, left: float, y: float, cells: int) -> None:
        self.mono, self.left, self.y = mono, left, y
        first = mono.template.submobjects[0]
        self.glyphs: list[VMobject] = [first.copy() for _ in range(cells)]
        self.group = VGroup(*self.glyphs)
        self.group.set_z_index(1)
        self.blank = np.repeat(np.array([[left, y, 0.0]]), 4, axis=0)
        self.outlines: dict[tuple[int, str], np.ndarray] = {}
        self.text: str | None = None
        self.set("")

    def set(self, s: str) -> None:
        """Show ``s`` (spaces are empty cells; characters beyond the cells are dropped)."""
        if s == self.text:
            return
        self.text = s
        for j, glyph in enumerate(self.glyphs):
            c = s[j] if j < len(s) else " "
            if c == " ":
                glyph.points = self.blank.copy()
                continue
            if (j, c) not in self.outlines:
                self.outlines[(j, c)] = self.mono.outline(c, j, self.left, self.y)
            glyph.points = self.outlines[(j, c)].copy()


def unit_scales(ticks: EdgeTicks, names: Sequence[str], plot: Box) -> Group:
    """The input plane's scales in the data's units, as :func:`scenes.mobjects.axes.unit_axes`
    draws them but with every label at least 20 points (legible at 480p), and the columns'
    names fitted to the sides of ``plot`` (:func:`scenes.evolution.layout.axis_names`)."""
    th = theme()
    x0, x1, y0, y1 = ticks.frame
    colour = th.subtext
    marks = [[(t.at, y0), (t.at, y0 - TICK)] for t in ticks.bottom]
    marks += [[(x0, t.at), (x0 - TICK, t.at)] for t in ticks.left]
    parts: list[Mobject] = []
    if marks:
        parts.append(LineBundle(np.array(marks), colors=colour, stroke_width=0.016))
    bottom = VGroup()
    for t in ticks.bottom:
        label = text(t.label, LABEL_SIZE, colour)
        label.next_to((t.at, y0 - TICK, 0), DOWN, buff=0.06)
        bottom.add(label)
    left = VGroup()
    for t in ticks.left:
        label = text(t.label, LABEL_SIZE, colour)
        label.next_to((x0 - TICK, t.at, 0), LEFT, buff=0.06)
        left.add(label)
    below = bottom.get_bottom()[1] if len(bottom) else y0 - TICK
    beside = left.get_left()[0] if len(left) else x0 - TICK
    whole = [text(name, NAME_SIZE) for name in names[:2]]
    places = axis_names(
        plot,
        ((whole[0].width, whole[0].height), (whole[1].width, whole[1].height)),
        float(below),
        float(beside),
    )
    drawn: list[VMobject] = []
    for name, full, place in zip(names[:2], whole, places, strict=True):
        label = full if place.size == NAME_SIZE else text(name, place.size)
        if place.cap is not None:
            label = shortened(name, place.size, place.cap, whole=label)[0]
        drawn.append(label)
    x_name, y_name = drawn[0], drawn[1].copy().rotate(math.pi / 2)
    x_name.move_to((*places[0].box.centre, 0.0))
    y_name.move_to((*places[1].box.centre, 0.0))
    return Group(*parts, bottom, left, x_name, y_name)


class TrainingRun(Animation):
    """The training from one epoch to another, one clock moment per frame.

    The run from ``start`` to ``end`` takes ``frames`` frames, frame ``k`` showing the
    moment ``k / frames`` of the way on the clock; this animation plays ``count`` of them
    from frame ``first``. Manim draws frame ``j`` of a play of ``(count − ½)/fps`` seconds
    at ``alpha = j / (count − ½)``, and the play's end (never drawn by it) shows frame
    ``first + count``: the next play's first frame, or ``end`` itself.
    """

    def __init__(
        self,
        scene: Evolution,
        start: float,
        end: float,
        frames: int,
        first: int = 0,
        count: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.scene, self.frames, self.first = scene, frames, first
        self.count = frames - first if count is None else count
        self.u0, self.u1 = scene.clock.fraction(start), scene.clock.fraction(end)
        kwargs.setdefault("rate_func", linear)
        kwargs.setdefault("run_time", (self.count - 0.5) / config.frame_rate)
        super().__init__(scene.moving, **kwargs)

    def begin(self) -> None:
        self.interpolate(0.0)

    def finish(self) -> None:
        self.interpolate(1.0)

    def clean_up_from_scene(self, scene: Any) -> None:
        pass

    def interpolate(self, alpha: float) -> None:
        k = self.first + (self.count if alpha >= 1.0 else alpha * (self.count - 0.5))
        u = self.u1 if k >= self.frames else self.u0 + (self.u1 - self.u0) * k / self.frames
        self.scene.show(u)


@scene(
    "evolution",
    "one training from epoch 0 to the end: the plane's answer, every hidden layer, loss and "
    "accuracy",
)
class Evolution(PlaysPlan, FastScene):
    """One training watched from epoch 0 to the end.

    Parameters
    ----------
    trajectory
        A loaded trajectory (:func:`nnmodel.trajectory.load`).
    time
        How epochs map to screen time: ``"log"`` (default) or ``"linear"``
        (:mod:`scenes.evolution.timing`).
    duration
        Seconds of screen time for the whole training (default 24; pauses come on top).
    color_by
        ``"class"`` or ``"position"`` (a 2-D colour map of the input plane, shows folding).
    durations
        Longer durations for some beats, by beat id.
    sections
        Render only these sections.
    epoch, merge_bias
        Warp options, refused by :meth:`check_params` (the CLI passes them to every scene).
    """

    plan_file = "scenes/evolution/plan.py"

    def __init__(
        self,
        trajectory: Trajectory,
        time: str = "log",
        duration: float | None = None,
        color_by: str = "class",
        durations: Mapping[str, float] | None = None,
        sections: Sequence[str] | None = None,
        epoch: int | None = None,
        merge_bias: bool = False,
        **kwargs: Any,
    ) -> None:
        self.traj = trajectory
        self.color_by = color_by
        self.clock: Clock = make_clock(trajectory, time, duration)
        self.init_plan()
        #: The plan of beats, computed before anything is drawn (lengthened by ``durations``).
        self.beats = lengthen(
            evolution_plan(
                trajectory, fps=float(config.frame_rate), mapping=time, duration=duration
            ),
            durations or {},
        )
        check_sections(self.beats, sections)
        self.only_sections = None if sections is None else frozenset(sections)
        #: ``(scene time, moment u, epoch)`` of every picture set, in order (for tests).
        self.shown: list[tuple[float, float, float]] = []
        super().__init__(**kwargs)

    @classmethod
    def check_params(cls, traj: Trajectory, params: Mapping[str, Any]) -> list[Beat]:
        """Refuse options this scene cannot use, before any work (the render calls this);
        the plan's beats."""
        if params.get("epoch") is not None:
            raise RenderError(
                "--epoch picks one moment for the warp; the evolution shows every epoch "
                "(drop --epoch)"
            )
        if params.get("merge_bias"):
            raise RenderError("--merge-bias is a warp option; the evolution has no W·x + b steps")
        mapping = params.get("time", "log")
        if mapping not in MAPPINGS:
            raise RenderError(
                f"unknown time mapping {mapping!r}; choose from {', '.join(MAPPINGS)}"
            )
        duration = params.get("duration")
        if duration is not None and not MIN_DURATION <= float(duration) <= MAX_DURATION:
            raise RenderError(
                f"--duration {float(duration):g}: the training takes between {MIN_DURATION:g} "
                f"and {MAX_DURATION:g} seconds of video"
            )
        if params.get("color_by", "class") not in ("class", "position"):
            raise RenderError("--color-by takes 'class' or 'position'")
        beats = evolution_plan(traj, fps=60.0, mapping=mapping, duration=duration)
        check_sections(beats, params.get("sections"))
        try:
            lengthen(beats, params.get("durations") or {})
        except ValueError as exc:
            raise RenderError(str(exc)) from None
        return beats

    # ------------------------------------------------------------------ setup
    def prepare(self) -> None:
        """Build everything, showing epoch 0 (nothing is in the scene yet)."""
        th = theme()
        traj = self.traj
        camera = self.camera
        assert isinstance(camera, Camera), "nnwarp renders with Cairo"
        camera.background_color = ManimColor(th.background)
        self.evolving = Evolving(traj, self.clock)
        self.units = shows_units(traj)
        self.key = self.class_key()  # first: a legend of several rows makes the plane smaller
        self.layout: Layout = layout(len(traj.hidden_layers), self.units, self.key.height)
        self.captions = Captions(self)
        n = len(traj.inputs)
        if self.color_by == "position":
            self.colors = position_rgbas(traj.inputs)
        else:
            self.colors = th.class_rgbas(traj.labels)
        self.radius = th.point_radius * float(np.clip(np.sqrt(400 / n), 0.45, 1.25))
        self.static: list[Mobject] = []
        self.build_plane()
        self.build_counter()
        self.build_panels()
        self.build_charts()
        self.place_pins()
        self.moving = Group(
            self.mesh,
            self.boundary,
            self.points,
            *[rig.group for rig in self.rigs],
            *self.chart_lines,
            self.cursors,
            self.markers,
            *[r.group for r in self.readouts],
        )
        self.show(0.0)

    def build_plane(self) -> None:
        """The input plane: the probability mesh, the decision boundary, the points."""
        th = theme()
        traj, lay = self.traj, self.layout
        x0, x1, y0, y1 = traj.mesh_extent
        corners = np.array([[x0, y0], [x1, y1]])
        centre, scale = fit(corners, lay.plane, three_d=False, margin=1.0)
        self.plane_view = View(lay.plane, centre, scale)
        self.mesh: ImageMobject = separators.mesh_image(
            traj.mesh(0), traj.mesh_extent, self.plane_view
        )
        self.mesh.set_z_index(1)
        # Drawn every frame: bilinearly enlarged to about two screen pixels a sample, then
        # drawn with nearest-neighbour resampling (Manim's bicubic one costs 0.3 s a frame
        # at 1080p).
        on_screen = (lay.plane.xmax - lay.plane.xmin) * config.pixel_width / config.frame_width
        self.mesh_factor = max(1, math.ceil(on_screen / self.mesh.pixel_array.shape[1] / 2))
        self.mesh.pixel_array = self.enlarged(self.mesh.pixel_array)
        self.mesh.set_resampling_algorithm(RESAMPLING_ALGORITHMS["nearest"])
        self.boundary = LineBundle(
            np.full((1, 2, 2), np.nan),
            colors=(*hex_to_rgb(th.separator), 0.95),
            stroke_width=0.03,
            clip_box=lay.plane.as_tuple(),
            z_index=2,
        )
        self.points = PointCloud(
            self.plane_view.to_screen3(traj.inputs),
            colors=self.colors,
            radius=self.radius * 0.9,
            outline_width=self.radius * 0.25,
            clip_box=lay.plane.as_tuple(),
            z_index=3,
        )
        if self.units:
            ticks = edge_ticks(
                self.plane_view, traj.info.grid.extent, traj.info.dataset.standardization
            )
            self.static.append(unit_scales(ticks, traj.info.dataset.columns, lay.plane))
        self.key.move_to((*lay.legend, 0.0))
        self.static.append(self.key)

    def class_key(self) -> Mobject:
        """The class legend under the plane (in rows, if one is too wide), or what the
        colours mean when they show the input position."""
        th = theme()
        names = self.traj.class_names
        if self.color_by == "position":
            key: Mobject = text("colour = position in the input plane", LABEL_SIZE, th.subtext)
        else:
            ds = self.traj.info.dataset
            title = ds.label_column if self.units and ds.label_column != "label" else None
            colours = [th.class_color(k) for k in range(len(names))]
            key = legend(names, colours, 22, title, fit=(LEGEND_WIDTH, LEGEND_MAX_HEIGHT))
        if key.width > LEGEND_WIDTH:
            key.scale_to_fit_width(LEGEND_WIDTH)
        return key

    def enlarged(self, pixels: np.ndarray) -> np.ndarray:
        """The mesh's pixels ``mesh_factor`` times larger each way, bilinearly."""
        h, w = pixels.shape[:2]
        size = (w * self.mesh_factor, h * self.mesh_factor)
        image = Image.fromarray(pixels).resize(size, Image.Resampling.BILINEAR)
        return np.asarray(image).copy()

    def build_counter(self) -> None:
        """``epoch  153 of 1,000`` above the plane: the number redrawn every frame."""
        th = theme()
        x, y = self.layout.counter
        label = text("epoch", 24, th.subtext)
        label.move_to((x + label.width / 2, y, 0.0))
        self.counter_mono = MonoText(COUNTER_SIZE, th.text)
        digits = len(f"{self.clock.last_epoch:,}")
        left = label.get_right()[0] + 0.2
        self.counter = Readout(self.counter_mono, left, y, digits)
        total = text(f"of {self.clock.last_epoch:,}", 24, th.subtext)
        total.move_to((left + self.counter_mono.width(digits) + 0.2 + total.width / 2, y, 0.0))
        self.counter_digits = digits
        self.static += [label, total]
        self.readouts = [self.counter]

    def build_panels(self) -> None:
        """One small picture per hidden layer: its points and its warped grid."""
        th = theme()
        self.rigs: list[Rig] = []
        n = len(self.traj.inputs)
        for index, (layer, box) in enumerate(
            zip(self.traj.hidden_layers, self.layout.panels, strict=True)
        ):
            side = box.xmax - box.xmin
            rig = Rig(self.colors, n, self.radius * float(np.clip(side / 3.2, 0.4, 0.7)), box)
            rig.grid.set_stroke_width(th.grid_stroke * 0.7)
            self.rigs.append(rig)
            corners = [
                [box.xmin, box.ymin],
                [box.xmax, box.ymin],
                [box.xmax, box.ymax],
                [box.xmin, box.ymax],
                [box.xmin, box.ymin],
            ]
            border = LineBundle(
                np.array([corners]),
                colors=(*hex_to_rgb(th.grid), 0.45),
                stroke_width=0.012,
            )
            label = self.panel_label(
                index + 1, layer.activation, layer.d_out, layer.projected, side
            )
            label.move_to((*self.layout.panel_labels[index], 0.0))
            self.static += [border, label]

    def panel_label(
        self, n: int, activation: str, units: int, projected: bool, width: float
    ) -> VMobject:
        """The longest label of a layer's panel that fits its width (never a smaller font)."""
        th = theme()
        if projected:  # a projection is always said, the activation only if it fits
            options = [
                f"layer {n} · {activation} · {units} units in 3-D",
                f"layer {n} · {units} units in 3-D",
                f"layer {n} · {units} → 3-D",
                f"{n} · {units} → 3-D",
            ]
        else:
            options = [f"layer {n} · {activation}", f"layer {n}", f"{n}"]
        label = text(options[-1], LABEL_SIZE, th.subtext)
        for option in options:
            candidate = text(option, LABEL_SIZE, th.subtext)
            if candidate.width <= width + 0.25:
                label = candidate
                break
        return label

    def build_charts(self) -> None:
        """Loss and accuracy, train and test: axes, ticks, the lines revealed as training
        runs, the cursor at the current epoch, and the values now."""
        th = theme()
        m = self.traj.info.metrics
        lay = self.layout
        self.charts = (
            Chart(lay.charts[0], self.clock, loss_scale(m.train_loss, m.test_loss)),
            Chart(lay.charts[1], self.clock, ACCURACY),
        )
        self.series = [
            (Series.of(m.train_loss, self.clock), Series.of(m.test_loss, self.clock)),
            (Series.of(m.train_acc, self.clock), Series.of(m.test_acc, self.clock)),
        ]
        self.raw = [(m.train_loss, m.test_loss), (m.train_acc, m.test_acc)]
        colours = [th.accent, th.subtext]
        self.chart_lines: list[LineBundle] = []
        axis_rgba = (*hex_to_rgb(th.axis), 0.9)
        grid_rgba = (*hex_to_rgb(th.grid), 0.3)
        self.value_mono = [MonoText(LABEL_SIZE, c) for c in colours]
        for c, (chart, title_at, name) in enumerate(
            zip(self.charts, lay.chart_titles, ("loss", "accuracy"), strict=True)
        ):
            b = chart.box
            self.static.append(LineBundle(chart.frame(), colors=axis_rgba, stroke_width=0.016))
            yt = chart.y_ticks()
            rules = np.array([[[b.xmin, t.at], [b.xmax, t.at]] for t in yt])
            if len(rules):
                self.static.append(LineBundle(rules, colors=grid_rgba, stroke_width=0.01))
            for t in yt:
                label = text(t.label, LABEL_SIZE, th.subtext)
                label.next_to((b.xmin, t.at, 0.0), LEFT, buff=0.1)
                self.static.append(label)
            for t in chart.x_ticks():
                mark = LineBundle(
                    np.array([[[t.at, b.ymin], [t.at, b.ymin - 0.07]]]),
                    colors=axis_rgba,
                    stroke_width=0.016,
                )
                label = text(t.label, LABEL_SIZE, th.subtext)
                label.move_to((t.at, b.ymin - 0.1 - label.height / 2 - 0.04, 0.0))
                self.static += [mark, label]
            title = text(name, TITLE_SIZE)
            title.move_to((title_at[0] + title.width / 2, title_at[1], 0.0))
            self.static.append(title)
            left = title.get_right()[0] + 0.3
            cells = 6 if name == "loss" else 5  # "4.1e−4", "100 %"
            for k in range(2):
                readout = Readout(self.value_mono[k], left, title_at[1], cells)
                left += self.value_mono[k].width(cells) + 0.3
                self.readouts.append(readout)
            n_samples = max(len(s) for s in self.series[c]) + 1
            bundle = LineBundle(
                np.full((2, n_samples, 2), np.nan),
                colors=[(*hex_to_rgb(col), 1.0) for col in colours],
                stroke_width=0.028,
                clip_box=(b.xmin - 0.01, b.xmax + 0.01, b.ymin - 0.01, b.ymax + 0.01),
                z_index=2,
            )
            self.chart_lines.append(bundle)
        self.cursors = LineBundle(
            np.full((2, 2, 2), np.nan),
            colors=(*hex_to_rgb(th.text), 0.5),
            stroke_width=0.014,
            z_index=1,
        )
        marker_colours = np.array([(*hex_to_rgb(c), 1.0) for c in colours * 2])
        self.markers = PointCloud(
            np.full((4, 2), np.nan),
            colors=marker_colours,
            radius=0.055,
            outline_width=0.015,
            z_index=3,
        )
        held_out = any(v is not None for v in (*m.test_loss, *m.test_acc))
        self.static.append(self.chart_legend(colours if held_out else colours[:1]))

    def chart_legend(self, colours: Sequence[str]) -> Mobject:
        """``— train   — test`` above the charts (no test without held-out points)."""
        parts: list[Mobject] = []
        for word, colour in zip(("train", "test"), colours, strict=False):
            swatch = LineBundle(
                np.array([[[0.0, 0.0], [0.35, 0.0]]]),
                colors=(*hex_to_rgb(colour), 1.0),
                stroke_width=0.04,
            )
            label = text(word, LABEL_SIZE, theme().subtext)
            parts.append(Group(swatch, label).arrange(RIGHT, buff=0.12))
        group = Group(*parts).arrange(RIGHT, buff=0.45)
        group.move_to((*self.layout.chart_legend, 0.0))
        return group

    # ------------------------------------------------------------------ one moment
    def show(self, u: float) -> None:
        """Set every moving part to moment ``u`` of the training (share of its screen time)."""
        ev, clock = self.evolving, self.clock
        epoch = clock.epoch(u)
        self.shown.append((float(self.renderer.time), u, epoch))
        probs = ev.mesh(u)
        self.mesh.pixel_array[...] = self.enlarged(separators.mesh_pixels(probs))
        segments = ev.boundary(u, probs)
        if len(segments) == 0:
            segments = np.full((1, 2, 2), np.nan)
        self.boundary.set_lines(self.plane_view.to_screen3(segments))
        theta = THETA0 + TURN_RATE * clock.duration * u
        for index, (rig, box) in enumerate(zip(self.rigs, self.layout.panels, strict=True)):
            pts, grid = ev.layer(index, u)
            view = ev.view(index, u, box)
            dims = ev.dims(index)
            if dims == 3:
                view = turned(view, TILT, theta)
            rig.draw(pts, grid, view, dims)
        cursors, markers = [], []
        for chart, series, bundle in zip(self.charts, self.series, self.chart_lines, strict=True):
            lines = np.full((2, bundle.samples_per_line, 2), np.nan)
            for k, s in enumerate(series):
                drawn = chart.revealed(s, epoch)
                lines[k, : len(drawn)] = drawn
                markers.append(chart.marker(s, epoch))
            bundle.set_lines(lines)
            cursors.append(chart.cursor(epoch))
        self.cursors.set_lines(np.array(cursors))
        self.markers.set_positions(np.array(markers))
        self.set_readouts(epoch)

    def set_readouts(self, epoch: float) -> None:
        """The epoch counter and the charts' values at ``epoch``."""
        whole = int(math.floor(epoch + 1e-6))
        self.counter.set(f"{whole:,}".rjust(self.counter_digits))
        (train_loss, test_loss), (train_acc, test_acc) = self.raw
        values = [
            (latest(train_loss, whole), "loss"),
            (latest(test_loss, whole), "loss"),
            (latest(train_acc, whole), "acc"),
            (latest(test_acc, whole), "acc"),
        ]
        for readout, (v, kind) in zip(self.readouts[1:], values, strict=True):
            if v is None:
                readout.set("")
            elif kind == "loss":
                readout.set(f"{v:.3f}" if v >= 0.001 else format_loss(v))
            else:
                readout.set(f"{v * 100:.0f} %")

    # ------------------------------------------------------------------ beats
    def say(self, beat: Beat) -> None:
        """Show the beat's caption (a short cross-fade), kept under the moving parts' redraw."""
        self.captions.show(beat.line.caption, beat.line.sub, run_time=CAPTION)

    def beat_intro(self, beat: Beat) -> None:
        """What we are about to watch; everything fades in at epoch 0."""
        self.say(beat)
        self.play(
            *[Fade(m) for m in self.static],
            *[Fade(m) for m in self.moving.submobjects],
            run_time=FADE_IN,
        )
        self.wait(1.2)

    def beat_explain(self, beat: Beat) -> None:
        """A caption about what is on screen, read while nothing moves."""
        self.say(beat)
        self.wait(READ)

    def beat_start(self, beat: Beat) -> None:
        """Epoch 0, read while nothing moves."""
        self.say(beat)
        self.wait(START_HOLD)

    def beat_run(self, beat: Beat) -> None:
        """Training starts; its caption cross-fades in over the first frames of the run."""
        start, end = float(beat.data["epoch"]), float(beat.data["until"])
        frames, swap = int(beat.data["frames"]), int(beat.data["swap"])
        fades = self.captions.swap(beat.line.caption, beat.line.sub)
        run_time = (swap - 0.5) / config.frame_rate
        self.play(
            *fades,
            TrainingRun(self, start, end, frames, 0, swap),
            run_time=run_time,
        )
        if frames > swap:
            self.play(TrainingRun(self, start, end, frames, swap))

    def beat_moment(self, beat: Beat) -> None:
        """A key moment's caption, with its events pinned on the charts where they happened
        (the pins stay), a pause (longer if its narration needs it), then the training runs
        on to the next one."""
        pins = [
            pin
            for k in range(len(beat.data.get("pins", ())))
            if (pin := self.pin(beat.id, k)) is not None
        ]
        self.captions.show(
            beat.line.caption, beat.line.sub, run_time=CAPTION, also=[Fade(p) for p in pins]
        )
        self.wait(HOLD)
        self.hold_here(beat)  # a voice tells the moment while the picture stands at it
        frames = int(beat.data["frames"])
        run = TrainingRun(self, float(beat.data["epoch"]), float(beat.data["until"]), frames)
        # told: the caption dims while the counter runs on past its epoch
        self.play(run, *self.captions.dim(TOLD, min(TOLD_FADE, run.run_time)))

    def place_pins(self) -> None:
        """Where every pin of the plan goes, before any is shown: its ring on the chart's
        training curve where the event happened, its label beside it, clear of every other
        ring and label (:func:`scenes.evolution.pins.place_labels`: the loss's labels
        above the falling curve, the accuracy's below the rising one, inside the chart, off
        its curves where a place near the ring is)."""
        #: ``(beat id, pin index) → (chart, ring centre, label box, label)``.
        self.pin_places: dict[tuple[str, int], tuple[int, tuple[float, float], Rect, str]] = {}
        for c, chart in enumerate(self.charts):
            keys, rings, sizes, labels = [], [], [], []
            for beat in self.beats:
                for k, (which, epoch, label) in enumerate(beat.data.get("pins", ())):
                    point = chart.marker(self.series[c][0], epoch)
                    if which != c or not np.isfinite(point).all():
                        continue
                    word = text(label, LABEL_SIZE)
                    keys.append((beat.id, k))
                    rings.append((float(point[0]), float(point[1])))
                    sizes.append((float(word.width), float(word.height)))
                    labels.append(label)
            b = chart.box
            curves = [chart.xy(s.epochs, s.values) for s in self.series[c]]
            boxes = place_labels(
                rings,
                sizes,
                up=c == 0,
                bounds=(b.xmin, b.xmax + 0.05, b.ymin, b.ymax + 0.15),
                lines=curves,
            )
            for key, at, box, label in zip(keys, rings, boxes, labels, strict=True):
                self.pin_places[key] = (c, at, box, label)

    def pin(self, beat_id: str, index: int) -> VGroup | None:
        """Pin ``index`` of beat ``beat_id``: a ring on its chart's training curve where the
        event happened, labelled, where :meth:`place_pins` put it (None: no curve there)."""
        place = self.pin_places.get((beat_id, index))
        if place is None:
            return None
        _, at, box, label = place
        th = theme()
        ring = Circle(radius=RADIUS, color=th.text, stroke_width=2.5)
        ring.move_to((*at, 0.0))
        word = text(label, LABEL_SIZE, th.text)
        word.move_to(((box[0] + box[1]) / 2, (box[2] + box[3]) / 2, 0.0))
        return VGroup(ring, word).set_z_index(4)

    def beat_end(self, beat: Beat) -> None:
        """The last epoch: the caption, and the picture held."""
        self.say(beat)
        self.wait(END_HOLD)

    def beat_finding(self, beat: Beat) -> None:
        """What went wrong in a layer (its picture framed and tagged) or in the run (the
        loss chart tagged); the tags stay to the end."""
        tag = self.beat_tag(beat)
        self.captions.show(beat.line.caption, beat.line.sub, run_time=CAPTION, also=[Fade(tag)])
        self.wait(FINDING_HOLD)

    def beat_onset(self, beat: Beat) -> None:
        """A problem the health check first sees at this epoch, told as a finding (its tag
        stays), then the training runs on to the next stop under its dimmed caption."""
        self.beat_finding(beat)
        self.hold_here(beat)
        frames = int(beat.data["frames"])
        run = TrainingRun(self, float(beat.data["epoch"]), float(beat.data["until"]), frames)
        self.play(run, *self.captions.dim(TOLD, min(TOLD_FADE, run.run_time)))

    def beat_tag(self, beat: Beat) -> VGroup:
        """The tag of a finding beat, on its layer's picture or the loss chart."""
        layer = beat.data["layer"]
        box = self.layout.charts[0] if layer is None else self.layout.panels[layer]
        return self.problem_tag(beat.data["tags"], box, framed=layer is not None)

    def problem_tag(self, tags: Sequence[str], box: Box, framed: bool) -> VGroup:
        """The problem's few words in a box on ``box`` (a layer's picture, or a chart), and,
        for a picture, a frame around it, in the theme's warning colour.

        The words keep a size read at 480p (:data:`TAG_SIZES`): a tag too wide for a small
        picture is drawn smaller down to the least size, then broken at a space into two
        lines; one still wider lets the plate reach past the picture's sides (inside the
        frame). Tags after the first are left out where they would cover more than half
        of the picture."""
        th = theme()
        room = (box.xmax - box.xmin) - 0.16
        tall = 0.5 * (box.ymax - box.ymin)
        size = TAG_SIZES[-1]
        groups = [[t] for t in tags]  # each tag's lines
        for s in TAG_SIZES:
            if max(_width(t, s) for t in tags) <= room + 1e-6:
                size = s
                break
        else:
            groups = []
            for tag in tags:
                lines = wrapped(tag, room, partial(_width, size=size))
                if len(lines) > 2:  # a long word: two lines at most, reaching past the sides
                    cut = len(tag.split()) // 2 or 1
                    lines = [" ".join(tag.split()[:cut]), " ".join(tag.split()[cut:])]
                groups.append([line for line in lines if line])
        words = VGroup()
        for n in range(len(groups), 0, -1):
            words = VGroup(*[text(line, size, th.text) for g in groups[:n] for line in g])
            words.arrange(DOWN, buff=0.06, aligned_edge=LEFT)
            if words.height + 0.14 <= tall or n == 1:
                break
        plate = RoundedRectangle(
            width=words.width + 0.16,
            height=words.height + 0.14,
            corner_radius=0.05,
            stroke_color=th.warning,
            stroke_width=2,
            fill_color=th.background,
            fill_opacity=0.92,
        )
        # at the top of a picture; in the middle of a chart (a flat loss runs along its top)
        y = box.ymax - plate.height / 2 - 0.06 if framed else (box.ymin + box.ymax) / 2
        half = plate.width / 2
        x = min(max((box.xmin + box.xmax) / 2, FRAME.xmin + half), FRAME.xmax - half)
        plate.move_to((x, y, 0.0))
        words.move_to(plate.get_center())
        parts: list[VMobject] = [plate, words]
        if framed:
            corners = [(box.xmin, box.ymin), (box.xmax, box.ymin), (box.xmax, box.ymax)]
            corners += [(box.xmin, box.ymax), (box.xmin, box.ymin)]
            frame = VMobject(stroke_color=th.warning, stroke_width=3)
            frame.set_points_as_corners([(cx, cy, 0.0) for cx, cy in corners])
            parts.insert(0, frame)
        return VGroup(*parts)


def _width(s: str, size: int) -> float:
    """The width of ``s`` in the theme's font at ``size``."""
    return float(text(s, size).width)


def wrapped(words: str, room: float, width: Callable[[str], float]) -> list[str]:
    """``words`` broken at spaces into the fewest lines each at most ``room`` wide
    (``width(s)`` measures a line); a word wider than ``room`` is a line of its own.

    >>> wrapped("2 dead ReLUs", 0.8, lambda s: 0.13 * len(s))
    ['2 dead', 'ReLUs']
    """
    lines: list[str] = []
    for word in words.split():
        if lines and width(f"{lines[-1]} {word}") <= room + 1e-6:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [words]
