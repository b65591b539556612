"""The anatomy scene's stage: its plan, its furniture, and the moves every beat uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from manim import (
    Animation,
    Camera,
    Create,
    Group,
    ImageMobject,
    ManimColor,
    Mobject,
    VGroup,
    config,
)

from nnmodel.trajectory import Trajectory
from scenes.anatomy import numbers, pictures
from scenes.anatomy.diagram import NetDiagram, edge_legend
from scenes.anatomy.fit import ELLIPSIS, shorten, width_of
from scenes.anatomy.layout import INSET, column_titles
from scenes.anatomy.names import true_unit
from scenes.anatomy.panels import NOTE_SIZE, Inset, table
from scenes.anatomy.plan import CAPTION, anatomy_plan, check_sample, gather
from scenes.anatomy.tables import Table
from scenes.core.theme import position_rgbas, theme
from scenes.core.timeline import Beat, check_sections, lengthen
from scenes.core.view import Box
from scenes.draw import FastScene
from scenes.mobjects.planned import PlaysPlan
from scenes.mobjects.widgets import Captions, Fade, hand_over, text
from scenes.narration import anatomy as words
from scenes.narration.anatomy import num, units_line

__all__ = [
    "BOARD_Z",
    "CAPTION_Z",
    "DIM",
    "INSET_RES",
    "NOTE_SIZE",
    "NOTE_WIDTH",
    "PLANE_Z",
    "Stage",
    "TopCaptions",
    "lift",
]

#: Grid cells a side for the input-plane inset.
INSET_RES = 240
#: Opacity of edges the story is not looking at.
DIM = 0.28
#: Drawing order (z_index) of the furniture around the diagram (which is drawn at 1-7, and
#: its highlight at 25). Manim redraws, on every frame of an animation, everything drawn
#: after the first thing that moves: the input plane, which rarely changes, is drawn first;
#: the board and the captions, which change every beat, last.
PLANE_Z, BOARD_Z, CAPTION_Z = 0.0, 20.0, 30.0
#: The notes' widest under the input plane (their size, NOTE_SIZE, legible at 480p, is the
#: board's notes').
NOTE_WIDTH = INSET.xmax - INSET.xmin + 0.3


M = TypeVar("M", bound=Mobject)


def lift(mobject: M, base: float) -> M:
    """Move a mobject and its family to drawing layer ``base``, keeping their order inside."""
    for m in mobject.get_family():
        m.z_index = base + 0.01 * m.z_index
    return mobject


class TopCaptions(Captions):
    """Captions drawn above everything (so changing them redraws nothing else)."""

    def build(self, caption: str, sub: str = "") -> VGroup:
        """The caption mobject, on the top drawing layer."""
        group = super().build(caption, sub)
        group.set_z_index(CAPTION_Z)
        return group


class Stage(PlaysPlan, FastScene):
    """What every anatomy beat stands on: the facts and the plan (computed before drawing),
    the diagram, the inset, the board, and cross-fades from one state of them to the next.

    Parameters
    ----------
    trajectory
        A loaded trajectory (:func:`nnmodel.trajectory.load`).
    epoch
        Show the network as it was at this epoch (default: the last snapshot).
    sample
        The index of the point to follow (default: the rule of
        :func:`scenes.anatomy.numbers.choose_sample`, a point near the decision boundary,
        clearly right, whose gradient flows back).
    merge_bias
        Accepted for the command line's sake: the anatomy always shows ``W·x + b`` at once.
    color_by
        ``"class"`` or ``"position"``: how the points of the inset and plots are coloured.
    durations
        Longer durations for some beats, by beat id.
    sections
        Render only these sections.
    """

    plan_file = "scenes/anatomy/plan.py"

    def __init__(
        self,
        trajectory: Trajectory,
        epoch: int | None = None,
        sample: int | None = None,
        merge_bias: bool = False,
        color_by: str = "class",
        durations: Mapping[str, float] | None = None,
        sections: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        del merge_bias  # one step W·x + b is all the anatomy shows
        self.traj = trajectory
        self.snapshot = -1 if epoch is None else trajectory.snapshot_for_epoch(epoch)
        self.color_by = color_by
        self.facts = gather(trajectory, self.snapshot, check_sample(trajectory, sample))
        plan = anatomy_plan(trajectory, self.facts, fps=float(config.frame_rate))
        #: The plan of beats, computed before anything is drawn (lengthened by ``durations``).
        self.beats = lengthen(plan, durations or {})
        check_sections(self.beats, sections)
        self.only_sections = None if sections is None else frozenset(sections)
        self.init_plan()
        #: Every number written on screen: ``(beat id, key, text)`` (tests compare them).
        self.shown: list[tuple[str, str, str]] = []
        #: The beat being played (None before the first): the progress bar names it.
        super().__init__(**kwargs)

    # ------------------------------------------------------------------ setup
    def prepare(self) -> None:
        """Build the diagram, the inset and the fixed furniture."""
        th = theme()
        camera = self.camera
        assert isinstance(camera, Camera), "nnwarp renders with Cairo"
        camera.background_color = ManimColor(th.background)
        f, traj = self.facts, self.traj
        out_act = traj.layers[-1].activation
        # the inputs as the network sees them: standardised, when the data was
        titles = column_titles(f.layout, f.acts, out_act, f.original is not None)
        self.diagram = NetDiagram(f.layout, titles, f.names, f.units)
        #: The largest |weight| or |bias|: drawn widest, tinted strongest.
        self.w_max = max(max(float(np.abs(w).max()), float(np.abs(b).max())) for w, b in f.weights)
        self.edges_now = [
            self.diagram.edges(i, w, self.w_max) for i, (w, _) in enumerate(f.weights)
        ]
        self.nodes_now = [self.diagram.neurons(c) for c in range(len(f.widths))]
        #: The output units' names beside them (the true class's marked from the output on).
        self.names = self.diagram.output_names()
        self.labels_now: dict[int, VGroup] = {}
        self.spot: Mobject | None = None
        self.board: Mobject | None = None
        self.captions = TopCaptions(self)
        self.legend = edge_legend()
        self.inset = Inset(traj.info.mesh.extent, INSET)
        if self.color_by == "position":
            self.colors = position_rgbas(traj.inputs)
        else:
            self.colors = th.class_rgbas(traj.labels)
        self.plane_now: ImageMobject | None = None
        self.plane_words: Mobject | None = None
        self.extent = traj.info.mesh.extent

    # ------------------------------------------------------------------ helpers
    def say(self, beat: Beat, *leaving: Animation) -> None:
        """Show the beat's caption (a short cross-fade), with ``leaving``: what of the beat
        before goes as its caption goes (:meth:`clear_board`, :meth:`clear_plane_words`),
        so the panel never shows the last beat's words under this one's caption."""
        self.captions.show(beat.line.caption, beat.line.sub, run_time=CAPTION, also=leaving)

    def clear_board(self) -> list[Animation]:
        """Fade out what the board shows (for :meth:`say`): the next board fades in alone."""
        return self.set_board(None)

    def clear_plane_words(self) -> list[Animation]:
        """Fade out the note under the input plane (for :meth:`say`)."""
        return self.set_plane_words(None)

    def set_plane_words(self, new: Mobject | None, hand: bool = False) -> list[Animation]:
        """Replace the note under the input plane (:meth:`plane_note`); ``hand``: hand it
        over (the old note gone before the new one appears) rather than cross-fade, where
        no caption change clears it first."""
        old = self.plane_words
        anims = hand_over(old, new) if hand else self.swap(old, new)
        self.plane_words = new
        return anims

    def record(self, key: str, value: float) -> str:
        """The on-screen text of ``value``, remembered with the beat and what it is."""
        s = num(value)
        self.shown.append((self.current_beat.id if self.current_beat else "", key, s))
        return s

    def swap(self, old: Mobject | None, new: Mobject | None) -> list[Animation]:
        """Cross-fade one mobject into another (either may be None)."""
        anims: list[Animation] = []
        if old is not None:
            anims.append(Fade(old, False))
        if new is not None:
            anims.append(Fade(new))
        return anims

    def set_board(self, new: Mobject | None) -> list[Animation]:
        """Replace what the board below the inset shows."""
        if new is not None:
            lift(new, BOARD_Z)
        anims = self.swap(self.board, new)
        self.board = new
        return anims

    def set_spot(self, column: int | None, to: int | None = None) -> list[Animation]:
        """Move the highlight to ``column`` (to ``to``; None: no highlight)."""
        new = None if column is None else self.diagram.spotlight(column, to)
        anims = self.swap(self.spot, new)
        self.spot = new
        return anims

    def set_labels(self, column: int, new: VGroup | None) -> list[Animation]:
        """Replace the labels under ``column``'s neurons (handed over: the old ones are
        gone before the new ones, in the same place, appear)."""
        anims = hand_over(self.labels_now.pop(column, None), new)
        if new is not None:
            self.labels_now[column] = new
        return anims

    def set_names(self, new: VGroup) -> list[Animation]:
        """Replace the output units' names."""
        anims = self.swap(self.names, new)
        self.names = new
        return anims

    def true_unit(self) -> int | None:
        """The output unit of the followed point's class (None: one logit, class 0)."""
        return true_unit(self.facts.widths[-1], self.facts.point.label)

    def set_nodes(self, column: int, new: VGroup) -> list[Animation]:
        """Replace ``column``'s neurons (a new fill)."""
        anims = self.swap(self.nodes_now[column], new)
        self.nodes_now[column] = new
        return anims

    def set_edges(self, layer: int, new: VGroup, grow: bool = False) -> list[Animation]:
        """Replace weight layer ``layer``'s edges; ``grow`` draws the new ones stroke by
        stroke in their own direction (forward or backward) instead of fading them in."""
        anims: list[Animation] = [Fade(self.edges_now[layer], False)]
        anims.append(Create(new, lag_ratio=0.0) if grow else Fade(new))
        self.edges_now[layer] = new
        return anims

    def set_plane(self, pixels: pictures.Pixels) -> list[Animation]:
        """Replace the inset's picture of the plane."""
        new = lift(self.inset.image(pixels), PLANE_Z)
        anims = self.swap(self.plane_now, new)
        self.plane_now = new
        return anims

    def weight_edges(self, layer: int, dim: float = 1.0) -> VGroup:
        """Weight layer ``layer``'s edges drawn by its weights."""
        return self.diagram.edges(layer, self.facts.weights[layer][0], self.w_max, dim=dim)

    def regions(self, weights: numbers.Weights) -> pictures.Pixels:
        """The inset's picture: decision regions of ``weights``, boundary in white."""
        classes = numbers.class_map(weights, self.facts.acts, self.extent, INSET_RES)
        return pictures.regions(classes, [(pictures.boundary(classes), theme().separator)])

    def only_class(self, weights: numbers.Weights, before: str = "") -> str:
        """The class ``weights`` give the whole inset, as the notes write it (cut short to
        fit a note line after ``before``), or "" when the inset shows a boundary."""
        classes = numbers.class_map(weights, self.facts.acts, self.extent, INSET_RES)
        if pictures.boundary(classes).any():
            return ""
        return self.class_words(int(classes.flat[0]), before)

    def class_words(self, k: int, before: str = "") -> str:
        """Class ``k`` as the notes write it (``class 1``, ``class 'outer'``), its name cut
        short so that it fits a note line after ``before``."""
        name = self.traj.class_names[k]
        if name.lstrip("-").isdigit():
            return words.class_name(name)
        room = NOTE_WIDTH - width_of(f"{before}class ''", NOTE_SIZE)
        said = words.class_name(shorten(name, NOTE_SIZE, room))
        while width_of(before + said, NOTE_SIZE) > NOTE_WIDTH and room > 0.3:
            room -= 0.05  # the pieces' widths do not quite add up (kerning)
            said = words.class_name(shorten(name, NOTE_SIZE, room))
        return said

    def moved(self, step: numbers.Step) -> tuple[pictures.Pixels, tuple[bool, bool], bool]:
        """Regions after a step, the boundary before it in grey and after it in yellow
        (drawn over the grey); whether each is in the plane, and whether the yellow covers
        the grey entirely (for :func:`scenes.narration.anatomy.step_note`)."""
        th = theme()
        acts, ext = self.facts.acts, self.extent
        before = pictures.boundary(numbers.class_map(step.before, acts, ext, INSET_RES))
        classes = numbers.class_map(step.after, acts, ext, INSET_RES)
        after = pictures.boundary(classes)
        picture = pictures.regions(classes, [(before, th.subtext), (after, th.accent)])
        seen = (bool(before.any()), bool(after.any()))
        return picture, seen, all(seen) and not (before & ~after).any()

    def label_texts(self, column: int, name: str, key: str, values: npt.ArrayLike) -> list[str]:
        """The labels under ``column``'s drawn units, ``name=value`` (``name`` tagged with
        the unit's number in a wide column), each value remembered as ``{key}{column}.{u}``
        (``values``: one per unit of the layer)."""
        d = self.diagram
        units = self.facts.layout.columns[column].units
        v = np.asarray(values, np.float64)
        return [
            f"{d.tag(column, u, name)}={self.record(f'{key}{column}.{u}', v[u])}" for u in units
        ]

    def show_table(self, t: Table, box: Box) -> VGroup:
        """A table of :mod:`scenes.anatomy.tables` drawn in ``box``, its numbers remembered
        with the beat (:attr:`shown`)."""
        beat = self.current_beat.id if self.current_beat else ""
        self.shown += [(beat, key, s) for key, s in t.shown]
        return table(t.head, t.rows, box, mark=t.mark, foot=t.foot)

    def plane_note(self, words: str) -> Mobject:
        """A note (up to 3 short lines, at :data:`NOTE_SIZE`) under the inset, above the
        board. The scene's notes fit at that size; anything wider would be shrunk to fit."""
        note = text(words, NOTE_SIZE, color=theme().subtext)
        if note.width > NOTE_WIDTH:
            note.scale_to_fit_width(NOTE_WIDTH)
        note.move_to((INSET.centre[0], self.inset.box.ymin - 0.08 - note.height / 2, 0.0))
        return lift(note, PLANE_Z)

    def units_fitted(self, original: Sequence[tuple[str, float]]) -> list[tuple[str, float]]:
        """The point's values in the data's units with its columns' names cut short (an
        ellipsis) as far as needed for :func:`scenes.narration.anatomy.units_line` to fit
        the plane's note at :data:`NOTE_SIZE`; if even 5 letters do not fit, no names."""

        def cut(limit: int) -> list[tuple[str, float]]:
            return [
                (c if len(c) <= limit else c[: limit - 1].rstrip() + ELLIPSIS, v)
                for c, v in original
            ]

        def fits(limit: int) -> bool:
            return width_of(units_line(cut(limit)), NOTE_SIZE) <= NOTE_WIDTH

        longest = max((len(c) for c, _ in original), default=0)
        if fits(longest):
            return list(original)
        lo, hi = 6, longest - 1  # the longest cut that fits, found by halving
        if not fits(lo):
            return [("", v) for _, v in original]
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if fits(mid) else (lo, mid - 1)
        return cut(lo)

    def hidden_max(self) -> float:
        """The largest |h| of the followed point over the hidden layers (neuron tints)."""
        values = [np.abs(a).max() for a in self.facts.point.a[:-1]]
        return float(max(values)) if values else 1.0

    def grad_max(self) -> tuple[float, float]:
        """The largest |dL/dW| and |δ| of the followed point, over every layer."""
        p = self.facts.point
        return (
            max(float(np.abs(d).max()) for d in p.dW),
            max(float(np.abs(d).max()) for d in p.dz),
        )

    def adopt(self, *mobjects: Mobject) -> Group:
        """Gather mobjects already on screen into one group (nothing visible changes), so a
        later beat can fade them out together."""
        self.remove(*mobjects)
        group = Group(*mobjects)
        self.add(group)
        return group
