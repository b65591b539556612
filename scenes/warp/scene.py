"""The warp scene: data and grid flow through every layer to the final linear separator."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
from manim import (
    DOWN,
    UP,
    Animation,
    Camera,
    Circle,
    Create,
    Group,
    ImageMobject,
    ManimColor,
    Mobject,
    VGroup,
    VMobject,
    config,
    linear,
    smooth,
)

from nnmodel import activations
from nnmodel.trajectory import Trajectory
from scenes.core.boundary import boundary_curves, carry
from scenes.core.theme import hex_to_rgb, position_rgbas, theme
from scenes.core.ticks import edge_ticks
from scenes.core.timeline import Beat, check_sections, lengthen
from scenes.core.view import View, pad3, step_views
from scenes.draw import FastScene
from scenes.errors import RenderError
from scenes.mobjects import separators
from scenes.mobjects.axes import unit_axes
from scenes.mobjects.planned import PlaysPlan
from scenes.mobjects.rig import Hold, PlayStep, Rig
from scenes.mobjects.triad import Triad, TriadFade
from scenes.mobjects.widgets import (
    Captions,
    Fade,
    NetworkDiagram,
    legend,
    math,
    text,
    typst_vector,
)
from scenes.registry import scene
from scenes.warp import steps
from scenes.warp.plan import (
    BOUNDARY,
    CAPTION,
    END,
    FORMULA,
    HAND_OVER,
    LAYER_END,
    MOVE,
    SEPARATOR_OUT,
    TURN,
    rewind_move,
    warp_plan,
)
from scenes.warp.steps import (
    PLOT,
    THETA0,
    Step,
    axes_on_screen,
    camera_end,
    held,
    input_view,
    shows_units,
    turn_end,
)

#: Where the side panel is drawn (frame units; the data is drawn in ``PLOT``).
PANEL_X = (3.05, 6.75)
#: The panel's formula slot (top, bottom), under the diagram's "2 → 3 → 1" line.
FORMULA_SLOT = (-0.1, -2.5)
#: The highest a legend too long for the room under the formula slot may reach...
LEGEND_TOP = -1.5
#: ...and, if its names would be shrunk below the panel's size there, this high (a
#: smaller formula, or none, rather than names no one can read).
LEGEND_HIGHEST = -0.5
#: The separator's opacity, as a share of its own, while the boundary comes up on it.
KEPT_DIM = 0.35
#: Pixels a frame unit spans in a 480p video (8 units high): the panel's words are judged
#: as they read in the smallest video nnwarp makes.
PX_480 = 480 / 8.0
#: The least height (480p pixels) of a capital letter or a digit in the side panel:
#: smaller, a note reads as a smudge. A formula is shrunk no further; a note is wrapped,
#: never shrunk (nor the metrics line, nor the legend's names).
PANEL_MIN_PX = 13.0
#: The font size of the panel's words: a capital 13.4 px high at 480p.
PANEL_SIZE = 22
#: The font size of the panel's formulas, before they are shrunk to fit.
FORMULA_SIZE = 40
#: The top of the architecture line ("2 → 3 → 2 → 1") when it takes more than one line
#: (one line stands centred at y = 0.2, as it always did).
ARCH_TOP = 0.42
#: Between the lines of a note (frame units).
LINE_GAP = 0.1
#: The axes' names' font size (Typst math): an italic h 16 px high at 480p.
NAME_SIZE = 36
#: The share of a move its space's names take to fade out at its start, and the next
#: space's to fade in at its end: they name the still picture, not the move.
NAME_FADE = 0.15
#: The moments of a move's end, as shares of its time, at which its names are placed.
NAME_MOMENTS = (1.0 - NAME_FADE, 1.0 - NAME_FADE / 2, 1.0)


@lru_cache(maxsize=32)
def glyph_px(kind: str, size: float) -> float:
    """How tall a capital H (``kind`` "text") or a digit 0 ("math") stands at ``size``,
    in 480p pixels."""
    m = text("H", int(size)) if kind == "text" else math("0", size)
    return float(m.height) * PX_480


def bracketed_words(s: str) -> list[str]:
    """The words of ``s``, a bracket and what it holds kept as one ("(W·h + b)").

    >>> bracketed_words("class = argmax (W·h + b) (projected)")
    ['class', '=', 'argmax', '(W·h + b)', '(projected)']
    """
    return re.findall(r"\S*\([^()]*\)\S*|\S+", s)


def paragraphs(note: str) -> list[str]:
    r"""A note wrapped for a narrower panel as its paragraphs: its lines joined again, a
    paragraph ending with a line that ends a sentence.

    >>> paragraphs("The network sees\neach column.\nIt is nearly\nconstant.")
    ['The network sees each column.', 'It is nearly constant.']
    """
    out: list[str] = []
    current: list[str] = []
    for line in note.splitlines():
        if line.strip():
            current.append(line.strip())
        if current and (not line.strip() or line.rstrip().endswith((".", "!", "?"))):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def greedy_lines(words: Sequence[str], fits: Callable[[str], bool], sep: str = " ") -> list[str]:
    """``words`` joined by ``sep`` into as few lines as ``fits`` allows, in order (a word
    too wide alone has a line of its own).

    >>> greedy_lines("a bb ccc dd e".split(), lambda line: len(line) <= 6)
    ['a bb', 'ccc dd', 'e']
    """
    lines: list[str] = []
    for word in words:
        if lines and fits(lines[-1] + sep + word):
            lines[-1] += sep + word
        else:
            lines.append(word)
    return lines


@lru_cache(maxsize=8)
def _char_width(size: int) -> float:
    """About how wide a character of running text is at ``size`` (frame units)."""
    sample = "the network sees each column, epoch 1000 · 0.25 → 3"
    return float(text(sample, size).width) / len(sample)


def wrapped(words: Sequence[str], size: int, width: float, sep: str = " ") -> list[str]:
    """``words`` broken into lines at most ``width`` wide at ``size`` (measured: a line too
    wide for its estimate tightens the estimate and breaks again)."""
    budget = width
    while True:
        chars = int(budget / _char_width(size))

        def fits(line: str, n: int = chars) -> bool:
            return len(line) <= n

        lines = greedy_lines(words, fits, sep)
        if all(text(line, size).width <= width + 1e-6 for line in lines) or budget < width / 3:
            return lines
        budget *= 0.9


def stacked(lines: Sequence[str], size: int, color: str | None = None) -> VGroup:
    """Lines of text, one under the other, centred."""
    return VGroup(*[text(line, size, color=color) for line in lines]).arrange(DOWN, buff=LINE_GAP)


def matrix_source(name: str, m: np.ndarray, decimals: int = 2) -> str:
    """``name = mat(…)`` Typst source with ``decimals`` decimals (none from 100 on).

    >>> matrix_source("W", np.array([[1.234, -0.04], [123.4, 0.5]]), 1)
    'W = mat(1.2, 0.0; 123, 0.5)'
    """

    def fmt(v: float) -> str:
        out = f"{v:.{decimals}f}" if abs(v) < 100 else f"{v:.0f}"
        return out[1:] if out.startswith("-") and float(out) == 0.0 else out

    rows = "; ".join(", ".join(fmt(float(v)) for v in row) for row in np.atleast_2d(m))
    return f"{name} = mat({rows})"


def separator_note(of: str, n_classes: int, exact: bool = True) -> str:
    """The separator's rule under the diagram: where the output layer's boundary lies.

    >>> separator_note("h", 2), separator_note("x", 3, exact=False)
    ('w·h + b = 0', 'class = argmax (W·x + b) (projected)')
    """
    rule = f"w·{of} + b = 0" if n_classes == 2 else f"class = argmax (W·{of} + b)"
    return rule + ("" if exact else " (projected)")


@scene(
    "warp",
    "points and grid through every layer (linear map, then nonlinearity) to the separator",
)
class Warp(PlaysPlan, FastScene):
    """Points and grid through every layer of a trained network, then the separator.

    Parameters
    ----------
    trajectory
        A loaded trajectory (:func:`nnmodel.trajectory.load`).
    epoch
        Show the network as it was at this epoch (default: the last snapshot).
    merge_bias
        Show ``W·x + b`` as one step instead of two.
    color_by
        ``"class"`` or ``"position"`` (a 2-D colour map of the input plane, shows folding).
    durations
        Longer durations for some beats, by beat id (a voice may need more time); later
        beats shift, nothing else changes.
    sections
        Render only these sections (the others are played without frames, so each
        section looks exactly as it does inside the whole video).
    """

    with_title = False

    plan_file = "scenes/warp/plan.py"

    def __init__(
        self,
        trajectory: Trajectory,
        epoch: int | None = None,
        merge_bias: bool = False,
        color_by: str = "class",
        durations: Mapping[str, float] | None = None,
        sections: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.traj = trajectory
        self.snapshot = -1 if epoch is None else trajectory.snapshot_for_epoch(epoch)
        self.merge_bias = merge_bias
        self.color_by = color_by
        self.init_plan()
        #: The plan of beats, computed before anything is drawn (lengthened by ``durations``).
        self.beats = lengthen(
            warp_plan(
                trajectory,
                self.snapshot,
                fps=float(config.frame_rate),
                merge_bias=merge_bias,
                with_title=self.with_title,
                color_by=color_by,
            ),
            durations or {},
        )
        check_sections(self.beats, sections)
        self.only_sections = None if sections is None else frozenset(sections)
        super().__init__(**kwargs)

    @classmethod
    def check_params(cls, traj: Trajectory, params: Mapping[str, Any]) -> list[Beat]:
        """Refuse unknown sections or beats before any work (the render calls this first);
        the plan's beats."""
        # (at the frame rate the scene will be drawn at, if set: the same plan, made once)
        beats = warp_plan(traj, fps=float(config.frame_rate), with_title=cls.with_title)
        check_sections(beats, params.get("sections"))
        try:
            lengthen(beats, params.get("durations") or {})
        except ValueError as exc:
            raise RenderError(str(exc)) from None
        return beats

    # ------------------------------------------------------------------ setup
    def prepare(self) -> None:
        """Load the snapshot's stages and build the fixed furniture."""
        th = theme()
        traj, s = self.traj, self.snapshot
        camera = self.camera
        assert isinstance(camera, Camera), "nnwarp renders with Cairo"
        camera.background_color = ManimColor(th.background)
        self.stages = traj.stages(s)
        self.weights = traj.weights(s)
        self.epoch = int(traj.epochs[s])
        n = len(traj.inputs)
        if self.color_by == "position":
            colors = position_rgbas(traj.inputs)
        else:
            colors = th.class_rgbas(traj.labels)
        radius = th.point_radius * float(np.clip(np.sqrt(400 / n), 0.45, 1.25))
        self.rig = Rig(colors, n, radius, PLOT)
        self.captions = Captions(self)
        self.theta = THETA0
        inputs = self.stages[0]
        self.input_view = input_view(inputs, shows_units(traj))
        self.units: VGroup | None = None
        if shows_units(traj):
            ticks = edge_ticks(
                self.input_view, traj.info.grid.extent, traj.info.dataset.standardization
            )
            self.units = unit_axes(ticks, traj.info.dataset.columns)
        #: The decision boundary at every stage (:func:`~scenes.core.boundary.carry`): the
        #: layers carry it along unseen; the rewind shows it coming back (None: no boundary
        #: in the input window, or no hidden layer to rewind).
        self.curve_stages: list[np.ndarray] | None = None
        if traj.hidden_layers:
            curves = boundary_curves(traj, s)
            if len(curves):
                self.curve_stages = carry(traj, s, curves)
        #: The separator's shapes kept on screen for the rewind to hand over.
        self.separator_kept: list[Mobject] = []
        self.current_points = pad3(inputs.points)
        self.current_grid = pad3(inputs.grid)
        self.current_dims = 2
        self.history: list[tuple[Step, int]] = []  # played moves, for the rewind
        #: What a beat shows to its very end: it goes as the next beat's caption comes.
        self.leaving: list[Mobject] = []
        #: The axes' names on screen, and where each sits (:func:`steps.name_plan`); none
        #: until the data beat shows them (the golden frames draw no text).
        self.names: list[VMobject] = []
        self.name_places: list[tuple[int, float]] = []
        self.names_on = False
        #: The axes' directions and names in a corner of the plot, for a 3-D space whose
        #: axes cross off screen (:meth:`place_triad`); None in other spaces.
        self.triad: Triad | None = None
        #: The names of the space the picture is in, before each move played (the rewind
        #: lands in these).
        self.names_before: list[tuple[str, ...]] = []
        self.space: tuple[str, ...] = self.input_names()
        self.build_panel()

    def build_panel(self) -> None:
        """Network diagram, formula slot, legend and metrics on the right."""
        th = theme()
        traj = self.traj
        widths = [2, *[L.d_out for L in traj.layers]]
        x0, x1 = PANEL_X
        self.diagram = NetworkDiagram(widths, (x0 + 0.15, x1 - 0.15, 0.75, 2.35))
        for dots in self.diagram.ellipses:  # (drawn at 18: as the panel's words)
            dots.scale(PANEL_SIZE / 18)
        # the widths, broken after an arrow into lines as wide as the panel (never shrunk)
        items = [f"{w} →" for w in widths[:-1]] + [str(widths[-1])]
        arch = wrapped(items, PANEL_SIZE, x1 - x0)
        self.arch_label = stacked(arch, PANEL_SIZE, th.subtext)
        if len(arch) == 1:
            self.arch_label.move_to(((x0 + x1) / 2, 0.2, 0.0))
        else:
            self.arch_label.move_to(((x0 + x1) / 2, ARCH_TOP, 0.0), aligned_edge=UP)
        acc = traj.info.metrics.train_acc[self.epoch]
        # the metrics in the bottom corner: one line if it fits the panel, else two
        parts = [f"epoch {self.epoch}"] + ([] if acc is None else [f"train acc. {acc * 100:.0f} %"])
        one = text(" · ".join(parts), PANEL_SIZE, color=th.subtext)
        self.metrics_label = one if one.width <= x1 - x0 else stacked(parts, PANEL_SIZE, th.subtext)
        self.metrics_label.move_to(((x0 + x1) / 2, -3.88, 0.0), aligned_edge=DOWN)
        names = traj.class_names
        # The legend, in rows if one is too wide: above the metrics line, below the formula
        # slot. It has the room under a formula's usual slot (centre -1.3, at most 2.4 high),
        # and takes more of the slot only if that keeps its names whole.
        top, bottom = FORMULA_SLOT[1] - 0.08, self.metrics_label.get_top()[1] + 0.07
        ds = traj.info.dataset
        title = ds.label_column if shows_units(traj) and ds.label_column != "label" else None
        colours = [th.class_color(k) for k in range(len(names))]
        size = PANEL_SIZE  # never smaller: a shorter name (with '…') rather than a smaller one
        classes = legend(names, colours, size, title, fit=(x1 - x0, top - bottom), min_size=size)
        for high in (LEGEND_TOP, LEGEND_HIGHEST):  # more room, if it keeps more names whole
            if classes.cramped == (0, False):
                break
            taller = legend(
                names, colours, size, title, fit=(x1 - x0, high - bottom), min_size=size
            )
            if (taller.shrunk, taller.shortened) < (classes.shrunk, classes.shortened):
                classes = taller
        #: The class colours' key, for the decision regions when the points are coloured by
        #: position (their own key is then the legend until the regions come).
        self.class_key: Mobject | None = None
        if self.color_by == "position":
            key = wrapped(bracketed_words("colour = position in the input plane"), size, x1 - x0)
            self.legend = Group(stacked(key, size, th.subtext))
            if classes.width > x1 - x0:
                classes.scale_to_fit_width(x1 - x0)
            y = bottom + 0.1 + classes.height / 2 if classes.height < 0.4 else (top + bottom) / 2
            self.class_key = classes.move_to(((x0 + x1) / 2, y, 0.0))
        else:
            self.legend = classes
        if self.legend.width > x1 - x0:
            self.legend.scale_to_fit_width(x1 - x0)
        # one row just above the metrics, more in the middle of their room, or, taller than
        # that room, just above the metrics with the formula slot shrunk to clear it
        self.formula_slot = (
            min(FORMULA_SLOT[0], self.arch_label.get_bottom()[1] - 0.12),
            FORMULA_SLOT[1],
        )
        if self.legend.height < 0.4:
            self.legend.move_to(((x0 + x1) / 2, bottom + 0.1 + self.legend.height / 2, 0.0))
        elif self.legend.height <= top - bottom:
            self.legend.move_to(((x0 + x1) / 2, (top + bottom) / 2, 0.0))
        else:
            self.legend.move_to(((x0 + x1) / 2, bottom, 0.0), aligned_edge=DOWN)
            self.formula_slot = (self.formula_slot[0], self.legend.get_top()[1] + 0.15)
        self.formula: Mobject | None = None

    def set_formula(
        self,
        sources: str | Sequence[str] | None,
        note: str | None = None,
        instead: str | None = None,
    ) -> list[Animation]:
        """Swap the formula in the panel, with an optional note under it.

        ``sources`` are Typst formulas, the best first: the first that stays legible
        (:data:`PANEL_MIN_PX`) shrunk to fit the room the note leaves is shown, else the
        note ``instead`` (if given) takes its place. A note is wrapped to the panel's width
        at :data:`PANEL_SIZE` (its paragraphs kept), and those of its paragraphs that do not
        fit the slot are left out.
        """
        anims: list[Animation] = []
        if self.formula is not None:
            anims.append(Fade(self.formula, False))
            self.formula = None
        group = self.formula_group(
            [sources] if isinstance(sources, str) else list(sources or ()), note, instead
        )
        if group is not None:
            anims.append(Fade(group))
            self.formula = group
        return anims

    def formula_group(
        self, sources: Sequence[str], note: str | None, instead: str | None
    ) -> VGroup | None:
        """The panel's formula and note (see :meth:`set_formula`), placed in its slot."""
        width = PANEL_X[1] - PANEL_X[0]
        high, low = self.formula_slot
        buff = 0.2
        words = self.note_block(note, high - low) if note else None
        room = high - low - (words.height + buff if words is not None else 0.0)
        shown: VMobject | None = None
        for source in sources:
            formula = math(source, FORMULA_SIZE)
            shrink = min(1.0, width / formula.width, room / formula.height)
            if glyph_px("math", FORMULA_SIZE) * shrink >= PANEL_MIN_PX - 1e-9:
                shown = formula.scale(shrink) if shrink < 1.0 else formula
                break
        if shown is None and instead:
            words = self.note_block("\n".join(filter(None, [instead, note])), high - low)
        parts = [m for m in (shown, words) if m is not None]
        if not parts:
            return None
        group = VGroup(*parts).arrange(DOWN, buff=buff)
        return group.move_to(((PANEL_X[0] + PANEL_X[1]) / 2, (high + low) / 2, 0.0))

    def note_block(self, note: str, height: float) -> VGroup | None:
        """``note`` at :data:`PANEL_SIZE`, wrapped to the panel's width, as many of its
        paragraphs as fit ``height`` (None: not even the first)."""
        width = PANEL_X[1] - PANEL_X[0]
        lines: list[str] = []
        block: VGroup | None = None
        for paragraph in paragraphs(note):
            more = lines + wrapped(bracketed_words(paragraph), PANEL_SIZE, width)
            candidate = stacked(more, PANEL_SIZE, theme().subtext)
            if candidate.height > height:
                break
            lines, block = more, candidate
        return block

    # ------------------------------------------------------------------ beats
    def say(self, beat: Beat) -> None:
        """Show the beat's caption (a short cross-fade), and fade out with the caption going
        what the beat before left up for it (:attr:`leaving`)."""
        gone = [Fade(m, False) for m in self.leaving]
        self.leaving = []
        self.captions.show(beat.line.caption, beat.line.sub, run_time=CAPTION, also=gone)

    def beat_title(self, beat: Beat) -> None:
        """Explainer only: what we are about to watch."""
        raise NotImplementedError("only the explainer has a title card")

    def beat_end(self, beat: Beat) -> None:
        """Explainer only: the summary."""
        raise NotImplementedError("only the explainer has an end card")

    def beat_data(self, beat: Beat) -> None:
        """The data in its input plane, over its grid."""
        self.rig.draw(self.current_points, self.current_grid, self.input_view, 2)
        self.say(beat)
        notes = beat.data.get("notes")
        self.names_on = True
        moment = (axes_on_screen(self.input_view, 2, self.current_points), self.rig_points())
        self.play(
            *self.name_fades(self.space, [moment], (0.0, 1.0)),
            *self.units_fade(True),
            *self.set_formula(None, str(notes) if notes else None),
            Fade(self.rig.grid),
            *([] if self.units is not None else [Fade(self.rig.axes)]),
            *[Fade(m) for m in self.diagram.mobjects()],
            Fade(self.arch_label),
            Fade(self.legend),
            Fade(self.metrics_label),
            run_time=0.8,
        )
        self.play(Fade(self.rig.points), run_time=1.0)
        self.wait(1.0)

    def beat_line_question(self, beat: Beat) -> None:
        """A logistic-regression line tries to separate the classes."""
        base = self.traj.info.baseline
        assert base is not None, "the plan has this beat only when there is a baseline"
        self.say(beat)
        clip = self.traj.info.grid.extent if self.units is not None else None
        self.baseline_shapes = separators.regions_2d(*base.arrays(), self.input_view, clip)
        shapes = self.baseline_shapes
        self.play(*[Fade(r) for r in shapes[1:]], Create(shapes[0]), run_time=1.5)

    def beat_line_verdict(self, beat: Beat) -> None:
        """...and how well it does: the data is linearly separable, or not. The line stays
        up as long as its caption: it goes with it, as the next beat's caption comes."""
        self.say(beat)
        self.wait(1.5)
        self.play(*[Hold(r) for r in self.baseline_shapes], run_time=0.6)
        self.leaving = list(self.baseline_shapes)

    def beat_one_unit(self, beat: Beat) -> None:
        """Why a 1-unit layer is drawn on a line."""
        self.say(beat)
        self.wait(1.0)

    def beat_step(self, beat: Beat) -> None:
        """One move of a hidden layer, announced by its caption, formula and diagram highlight."""
        index, j = int(beat.data["layer"]), int(beat.data["step"])
        layer = self.traj.layers[index]
        if j == 0:
            self.steps = self.layer_steps(index)
        kind, step, dims = self.steps[j]
        w, b = (np.asarray(a, np.float64) for a in self.weights[index])
        shape = f"{layer.d_out}×{layer.d_in}"
        small = max(w.shape) <= 3
        # a matrix with two decimals, else one (narrower: it shrinks less), else in words
        matrices = [matrix_source("W", w, d) for d in (2, 1)] if small else []
        weights = f"W: {shape} weights"
        if kind == "affine":
            self.diagram.highlight(index, "edges")
            note = f"b = ({', '.join(f'{v:.2f}' for v in b)})" if len(b) <= 3 else None
            formula = self.set_formula(matrices, note, instead=weights)
        elif kind == "linear":
            self.diagram.highlight(index, "edges")
            formula = self.set_formula(matrices, instead=weights)
        elif kind == "bias":
            self.diagram.highlight(index, "nodes")
            vec = typst_vector("b", b) if len(b) <= 3 else None
            formula = self.set_formula(vec, None, instead=f"b: {len(b)} values")
        elif kind == "morph":
            self.diagram.highlight(index, "edges")
            panel = "shown through a 3-D projection" if layer.projected else "a morph between views"
            formula = self.set_formula(None, panel)
        else:
            self.diagram.highlight(index, "nodes")
            formula = self.set_formula(activations.get(layer.activation).math)
        self.say(beat)
        first = index == 0 and j == 0
        self.play(*formula, *self.units_fade(False, first), run_time=FORMULA)
        stage = self.stages[2 * index + (2 if kind == "activation" else 1)]
        names = steps.space_names(stage, "h" if kind == "activation" else "z")
        self.move(step, dims, run_time=MOVE, names=names)
        if j == len(self.steps) - 1:
            self.wait(LAYER_END)

    def beat_separator(self, beat: Beat) -> None:
        """The output layer's boundary in the last hidden space: now a line does it."""
        traj, s = self.traj, self.snapshot
        sep = traj.separator(s)
        self.diagram.highlight(len(traj.layers) - 1, "edges")
        self.say(beat)
        self.play(
            # h: the last hidden layer's output (x, the input, for a network without one);
            # two classes meet where one score is 0, more where the two highest are equal
            *self.set_formula(
                None,
                separator_note("h" if traj.hidden_layers else "x", traj.n_classes, exact=sep.exact),
            ),
            run_time=FORMULA,
        )
        view = self.rig.view or self.input_view
        if not beat.data["three_d"]:
            w = np.zeros((sep.w.shape[0], 2))
            w[:, : sep.w.shape[1]] = sep.w
            shapes = self.regions_2d(w, sep.b, view)
            self.play(*[Fade(r) for r in shapes[1:]], Create(shapes[0]), run_time=1.5)
        else:
            shapes = self.separator_3d(sep.w, sep.b, view)
            self.play(*[Fade(r) for r in shapes], run_time=1.2)
            self.turn(TURN, shapes, sep.w, sep.b)
        self.separator_shapes = shapes

    def beat_separator_score(self, beat: Beat) -> None:
        """How many points land on their class's side."""
        self.say(beat)
        self.wait(1.5)
        self.hold_here(beat)  # the separator stays up while a voice still tells its score
        shapes: list[Mobject] = list(self.separator_shapes)
        if self.curve_stages is not None and shapes:
            # the separator stays (its line, in 2-D; its walls, in 3-D): the rewind hands it
            # over to the boundary it carries back
            flat = self.current_dims == 2
            self.separator_kept = shapes[:1] if flat else shapes
            shapes = shapes[1:] if flat else []
        self.play(*[Fade(r, False) for r in shapes], *self.set_formula(None), run_time=0.6)

    def beat_rewind(self, beat: Beat) -> None:
        """Rewind every move, back to the input plane, carrying the boundary: the straight
        separator of the last hidden space comes back as the curve the network draws."""
        self.say(beat)
        self.diagram.highlight(None)
        carried: list[Animation] = []
        if beat.data.get("boundary") and self.curve_stages is not None:
            rig = self.rig
            assert rig.view is not None
            last = self.curve_stages[2 * len(self.traj.hidden_layers)]
            rig.curves_on = True
            screen = rig.view.to_screen3(pad3(last))
            rig.boundary.set_lines(screen)
            # The boundary is the part of the separator where the data is: both seen
            # together (the separator dimmed; a ring where that part is too small to see),
            # then the separator leaves and the rewind carries the boundary back alone.
            kept = self.separator_kept
            spot = steps.spot_ring(screen)
            ring = [] if spot is None else [self.ring(*spot)]
            dim = [Fade(m, False, to=KEPT_DIM) for m in kept]
            self.play(Fade(rig.boundary), *dim, *[Fade(r) for r in ring], run_time=BOUNDARY)
            self.wait(HAND_OVER)
            gone = [Fade(m, False) for m in [*kept, *ring]]
            self.play(*gone, Hold(rig.boundary), run_time=SEPARATOR_OUT)
            self.separator_kept = []
            carried = [Hold(rig.boundary)]
        # Undoing a move lands in the space before it: 2-D for the first, else the previous one's.
        dims_before = [2, *[dims for _, dims in self.history]][: len(self.history)]
        undo = list(zip(reversed(self.history), reversed(dims_before), strict=True))
        for k, ((step, _), dims) in enumerate(undo):
            # landing in the input plane brings back its scales in the data's units, as it
            # had them at the start (so the regions come over the same picture)
            back = self.units_fade(True) if k == len(undo) - 1 else []
            # the names go as the rewind starts; the input plane's come back as it lands
            names = self.names_before[0] if k == len(undo) - 1 else ()
            self.move(
                step.reversed(),
                dims,
                rewind_move(len(undo)),
                linear,
                record=False,
                with_=[*back, *carried],
                hold=False,
                names=names,
            )

    def ring(self, centre: np.ndarray, radius: float) -> Circle:
        """A ring drawing the eye to a small thing at ``centre`` (frame units)."""
        return Circle(radius=radius, color=theme().accent, stroke_width=3).move_to(centre)

    def beat_regions(self, beat: Beat) -> None:
        """The network's decision regions over the input plane."""
        image = self.mesh_image(self.input_view)
        # a rim of the background colour keeps each point apart from its own class's region
        self.rig.points.outline_rgb = np.asarray(hex_to_rgb(theme().background), np.float64)
        self.say(beat)
        key: list[Animation] = []
        if self.class_key is not None:  # the regions' colours are the classes': their key
            key = [Fade(self.legend, False), Fade(self.class_key)]
        self.play(Fade(image), *self.units_fade(True), *key, run_time=1.2)
        self.wait(2.0)
        if not self.with_title:
            self.wait(END)

    def units_fade(self, show: bool, when: bool = True) -> list[Animation]:
        """Fade the scales in the data's units in or out: they belong to the input plane,
        where they stand in for the axes through the origin (which every other space has)."""
        if self.units is None or not when or (self.units in self.mobjects) == show:
            return []
        anims: list[Animation] = [Fade(self.units, show)]
        axes_shown = self.rig.axes in self.get_mobject_family_members()
        if axes_shown == show:
            anims.append(Fade(self.rig.axes, not show))
        return anims

    # ------------------------------------------------------------------ motion

    def move(
        self,
        step: Step,
        dims: int,
        run_time: float | None = None,
        rate: Callable[[float], float] = smooth,
        record: bool = True,
        with_: Sequence[Animation] = (),
        hold: bool = True,
        names: tuple[str, ...] | None = None,
    ) -> Step:
        """Play a step, framing it so nothing leaves the plot, turning the camera in 3-D
        (:func:`scenes.warp.steps.camera_end`), with the animations ``with_`` alongside.
        With ``hold`` the picture moves in a still frame (:func:`scenes.warp.steps.held`).
        ``names`` are the axes' names of the space it lands in (None: as they are); the
        names on screen fade out as it starts, those fade in as it ends.
        Returns the step as played (its pace and its camera path)."""
        start = self.rig.view or self.input_view
        duration = run_time or step.run_time
        played = held(start, step, dims, self.current_dims) if hold else step
        planned = camera_end(start, played, dims, self.current_dims, self.theta, duration)
        self.theta, end = planned.theta, planned.end
        step.start_view = played.start_view = start  # (the rewind undoes ``step``)
        step.end_view = played.end_view = end
        played.view = step_views(
            start,
            end,
            played.points,
            grid=played.grid,
            swerve=planned.swerve,
            via=played.via,
            phases=played.phases,
        )
        fades: list[Animation] = []
        if names is not None:
            drawn = max(dims, 2)
            moments = []
            for share in NAME_MOMENTS:
                t = float(rate(share))
                view, pts = played.view(t), played.points(t)
                moments.append((axes_on_screen(view, drawn, pts), view.project(pts)[0]))
            fades = self.name_fades(names, moments, (NAME_FADE, NAME_FADE))
        self.play(
            PlayStep(
                self.rig, played, max(dims, 2), rate_func=rate, run_time=run_time or step.run_time
            ),
            *with_,
            *fades,
            run_time=run_time or step.run_time,
        )
        self.place_names()
        if self.triad is not None:
            self.place_triad(self.triad)
        self.current_dims = max(dims, 2)
        if record:
            self.history.append((step, max(dims, 2)))
            self.names_before.append(self.space)
        if names is not None:
            self.space = names
        return played

    # ------------------------------------------------------------------ axes' names
    def input_names(self) -> tuple[str, ...]:
        """The input plane's axes' names: x₁, x₂ (none where scales in the data's units,
        with the columns' names, stand in for them)."""
        return () if shows_units(self.traj) else steps.space_names(self.stages[0], "x")

    def rig_points(self) -> np.ndarray:
        """The points as drawn now (screen)."""
        return np.asarray(self.rig.points.get_positions(), np.float64)

    def axis_name(self, name: str) -> VMobject:
        """One axis's name (Typst math), ringed in the background colour so it reads over
        the grid."""
        label = math(name, NAME_SIZE)
        label.set_stroke(theme().background, width=5, background=True)
        label.set_z_index(5)  # (every part: each is drawn by its own)
        return label

    def name_fades(
        self,
        names: tuple[str, ...],
        moments: Sequence[tuple[np.ndarray, np.ndarray]],
        shares: tuple[float, float],
    ) -> list[Animation]:
        """The names on screen fading out over the first ``shares[0]`` of a play, and
        ``names`` (placed by :func:`steps.name_plan` over ``moments``) fading in over its
        last ``shares[1]``; each follows its axis (:meth:`place_names`) every frame."""
        if not self.names_on:
            return []
        out, into = shares

        def gone(t: float) -> float:
            return float(smooth(min(t / out, 1.0))) if out > 0 else 1.0

        def come(t: float) -> float:
            return float(smooth(max(t - (1.0 - into), 0.0) / into))

        anims: list[Animation] = [Fade(m, False, rate_func=gone) for m in self.names]
        if self.triad is not None:  # (it too still turns with the camera as it goes)
            anims.append(TriadFade(self.triad, False, rate_func=gone))
        labels = [self.axis_name(n) for n in names]
        sizes = [(float(m.width), float(m.height)) for m in labels]
        self.name_places = steps.name_plan(moments, sizes, PLOT)
        self.names = labels
        for k, label in enumerate(labels):  # (a name fading out still follows its axis)
            label.add_updater(lambda m, k=k, at=self.name_places[k]: self.place_name(m, k, at))
        self.place_names()
        anims += [Fade(m, True, rate_func=come) for m in labels]
        self.triad = self.new_triad(names, moments, sizes)
        if self.triad is not None:
            anims.append(TriadFade(self.triad, True, rate_func=come))
        return anims

    def new_triad(
        self,
        names: tuple[str, ...],
        moments: Sequence[tuple[np.ndarray, np.ndarray]],
        sizes: Sequence[tuple[float, float]],
    ) -> Triad | None:
        """The triad of a 3-D space named ``names`` (None for any other), in the corner of
        the plot that its names (placed as :attr:`name_places` says) and its points leave
        freest over ``moments`` (:func:`steps.triad_corner`); it follows the camera every
        frame (:meth:`place_triad`), and shows only while the axes' crossing is off screen."""
        if len(names) != 3:
            return None
        triad = Triad(names)
        reach = steps.triad_reach(triad.sizes)
        taken = []
        for axes, _ in moments:
            spots = []
            for k, (at, size) in enumerate(zip(self.name_places, sizes, strict=True)):
                spot = steps.name_spot(axes[k], size, PLOT, *at) if k < len(axes) else None
                if spot is not None:
                    spots.append((spot, size))
            taken.append(spots)
        corner = steps.triad_corner([pts for _, pts in moments], reach, PLOT, taken)
        triad.anchor = steps.triad_anchor(corner, reach, PLOT)
        triad.add_updater(self.place_triad)
        self.place_triad(triad)
        return triad

    def place_triad(self, triad: Mobject) -> None:
        """Turn the triad as the camera sees the axes now, and show as much of it as the
        axes' crossing is off screen (:func:`steps.triad_level`)."""
        view = self.rig.view
        if not isinstance(triad, Triad) or view is None:
            return
        triad.shown = steps.triad_level(view, self.rig.dims, self.rig.reach)
        triad.place(*steps.triad_layout(view.phi, view.theta, triad.sizes))
        triad.refresh()

    def place_names(self) -> None:
        """Put each name by its axis, as the axes are drawn now."""
        for k, (label, at) in enumerate(zip(self.names, self.name_places, strict=True)):
            self.place_name(label, k, at)

    def place_name(self, label: Mobject, k: int, at: tuple[int, float]) -> None:
        """Put the name ``label`` by axis ``k`` as drawn now, where ``at`` says
        (:func:`steps.name_spot`); off screen with its axis."""
        axes = np.asarray(self.rig.axes.get_lines(), np.float64)
        size = (float(label.width), float(label.height))
        spot = steps.name_spot(axes[k], size, PLOT, *at) if k < len(axes) else None
        if spot is None:
            label.move_to((PLOT.xmax + 20.0, 0.0, 0.0))
        else:
            label.move_to((float(spot[0]), float(spot[1]), 0.0))
        # its ring fades with it (a fade changes only the fill and the stroke)
        parts = label.family_members_with_points()
        if parts:
            level = float(parts[0].get_fill_opacity())
            label.set_stroke(opacity=level, background=True)

    def turn(self, seconds: float, shapes: Sequence[Mobject], w: np.ndarray, b: np.ndarray) -> None:
        """Turn the 3-D camera slowly so depth reads (keeps the separator attached)."""
        view0 = self.rig.view
        assert view0 is not None
        pts, grid = self.current_points_grid()
        view1 = turn_end(view0, pts, grid, seconds)
        step = Step(lambda t: pts, lambda t: grid, view1, seconds)
        # each end frames the picture as it sees it: between them the camera zooms out
        # where a turned picture would not fit
        step.view = step_views(view0, view1, step.points, grid=step.grid)

        facets = separators.facets_3d(w, b, pts)  # (fixed: only the camera turns)

        def follow(_: Mobject) -> None:
            separators.place_separator_3d(shapes, facets, self.rig.view or view1)

        shapes[0].add_updater(follow)
        self.play(
            PlayStep(self.rig, step, 3, rate_func=linear, run_time=seconds),
            *[Hold(shape) for shape in shapes[1:]],  # moved by shapes[0]'s updater
        )
        shapes[0].remove_updater(follow)
        self.theta = view1.theta

    # ------------------------------------------------------------------ words
    # ------------------------------------------------------------------ pieces
    def layer_steps(self, index: int) -> list[tuple[str, Step, int]]:
        """The moves of one hidden layer (see :func:`scenes.warp.steps.layer_steps`)."""
        return steps.layer_steps(
            self.traj, self.stages, self.weights, index, self.merge_bias, self.curve_stages
        )

    def current_points_grid(self) -> tuple[np.ndarray, np.ndarray]:
        """The last stage reached (the last hidden activation)."""
        last = self.stages[-3] if self.traj.hidden_layers else self.stages[0]
        return pad3(last.points), pad3(last.grid)

    def regions_2d(self, w: np.ndarray, b: np.ndarray, view: View) -> list[VMobject]:
        """Boundary line(s), then shaded class regions, in a flat view."""
        return separators.regions_2d(w, b, view)

    def separator_3d(self, w: np.ndarray, b: np.ndarray, view: View) -> list[VMobject]:
        """Boundary facets in the last hidden space, seen through ``view``."""
        return separators.separator_3d(w, b, view, self.current_points_grid()[0])

    def mesh_image(self, view: View) -> ImageMobject:
        """The network's class probabilities over the input plane, as an image."""
        return separators.mesh_image(self.traj.mesh(self.snapshot), self.traj.mesh_extent, view)


@scene("explainer", "the default explainer: title, the warp through every layer, end card")
class Explainer(Warp):
    """The default explainer: a title card, the warp, and an end card."""

    with_title = True

    def beat_title(self, beat: Beat) -> None:
        """What we are about to watch: the card, held as long as its words need."""
        th = theme()
        if self.skipping:  # not drawn: do not build its text
            self.captions.mark(beat.line.cue)
            self.wait(1.0 + 1.5 + 0.6)
            return
        title = text(beat.line.caption, th.title_size, weight="BOLD")
        sub = text(beat.line.sub, th.caption_size, color=th.subtext)
        card = VGroup(title, sub).arrange(DOWN, buff=0.35)
        if card.width > 12:
            card.scale_to_fit_width(12)
        self.captions.mark(beat.line.cue)
        self.play(Fade(card, True, shift=0.2 * UP), run_time=1.0)
        self.wait(1.5)
        self.hold_here(beat)  # the card stays up while a voice still reads it
        self.play(Fade(card, False), run_time=0.6)

    def beat_end(self, beat: Beat) -> None:
        """The summary: what the layers did together, and the network's numbers."""
        th = theme()
        self.captions.clear()
        if self.skipping:  # not drawn: do not build its text
            self.remove(*self.mobjects)
            self.captions.mark(f"{beat.line.caption} {beat.line.sub}")
            self.wait(0.8 + 1.0 + 2.5 + END)
            return
        self.play(*[Fade(m, False) for m in self.mobjects], run_time=0.8)
        lines = [
            text(beat.line.caption, th.caption_size),
            text(beat.line.sub, th.caption_size),
            text(str(beat.data["facts"]), th.subcaption_size, color=th.subtext),
        ]
        if beat.data.get("sign_off", True):  # (not before another scene of a story)
            lines.append(text("made with nnwarp", th.subcaption_size, color=th.accent))
        card = VGroup(*lines).arrange(DOWN, buff=0.3)
        self.captions.mark(f"{beat.line.caption} {beat.line.sub}")
        self.play(Fade(card, True, shift=0.2 * UP), run_time=1.0)
        self.wait(2.5)
        self.wait(END)


__all__ = ["Explainer", "Warp"]
