"""The anatomy scene: the trained network's neurons, one point forward, its gradient back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from manim import DOWN, LEFT, RIGHT, Animation, Mobject, Square, VGroup

from nnmodel import activations
from nnmodel.trajectory import Trajectory
from scenes.anatomy import numbers, pictures
from scenes.anatomy.backward import BackwardBeats
from scenes.anatomy.fit import shorten
from scenes.anatomy.layout import BOARD, sign_colors
from scenes.anatomy.plan import END, anatomy_plan, check_sample, gather
from scenes.anatomy.stage import BOARD_Z, NOTE_SIZE, lift
from scenes.core.theme import theme
from scenes.core.timeline import Beat, check_sections, lengthen
from scenes.errors import RenderError
from scenes.mobjects.widgets import Fade, text
from scenes.narration import anatomy as words
from scenes.registry import scene

__all__ = ["Anatomy"]

#: Grid cells a side of each neuron's response picture (the plan's words measure the same).
RESPONSE_RES = numbers.RESPONSE_RES
#: Swatches a row in the output's key, and the widest a class's name beside one may be.
KEY_COLUMNS = 3
KEY_NAME = 1.1


@scene(
    "anatomy",
    "the trained network neuron by neuron: one point's numbers forward, its gradient back,"
    " each neuron's response",
)
class Anatomy(BackwardBeats):
    """The anatomy of a trained network, with the real numbers of one point: the diagram
    of its weights, the point's forward pass, the activations, the output, the gradient
    flowing back, one step, and every neuron's response over the input plane. Parameters
    are :class:`~scenes.anatomy.stage.Stage`'s; the plan is
    :func:`scenes.anatomy.plan.anatomy_plan`."""

    @classmethod
    def check_params(cls, traj: Trajectory, params: Mapping[str, Any]) -> list[Beat]:
        """Refuse a bad sample, unknown sections or beats before any work; the plan's beats."""
        sample = check_sample(traj, params.get("sample"))
        epoch = params.get("epoch")
        snapshot = -1 if epoch is None else traj.snapshot_for_epoch(int(epoch))
        beats = anatomy_plan(traj, gather(traj, snapshot, sample), fps=60.0)
        check_sections(beats, params.get("sections"))
        try:
            lengthen(beats, params.get("durations") or {})
        except ValueError as exc:
            raise RenderError(str(exc)) from None
        return beats

    # ------------------------------------------------------------------ Neuron responses
    def response_pictures(self, column: int) -> list[pictures.Pixels]:
        """Pictures of ``column``'s drawn neurons' responses over the input plane."""
        f, th = self.facts, theme()
        values = self.grids[column]
        units = f.layout.columns[column].units
        if column == len(f.widths) - 1:  # the output: class probabilities
            if values.shape[-1] == 2 and f.widths[-1] == 1:
                return [pictures.two_classes(values[..., 1], th.class_color(0), th.class_color(1))]
            return [pictures.probability(values[..., k], th.class_color(k)) for k in units]
        # full colour at what the data points give this layer (the 99th percentile of |h|,
        # beyond: clipped), so the far corners of the plane do not set the scale
        if column == 0:
            at_data = self.traj.inputs
        else:
            at_data = activations.get(f.acts[column - 1])(f.pre[column - 1])
        vmax = numbers.response_scale(at_data)
        return [pictures.diverging(values[..., u], vmax) for u in units]

    def responses_key(self) -> Mobject:
        """At the top of the board while the responses are shown: how the inputs' and
        hidden units' pictures are coloured, by sign, with a swatch of each sign colour
        (the output's key, in class colours, goes under it)."""
        th = theme()
        head, (above, below), scale = words.responses_note()
        items = VGroup()
        for color, said in zip(sign_colors(), (above, below), strict=True):
            swatch = Square(side_length=0.18, stroke_width=0, fill_opacity=1.0).set_fill(color)
            words_ = text(said, NOTE_SIZE, color=th.subtext)
            items.add(VGroup(swatch, words_).arrange(RIGHT, buff=0.1))
        items.arrange(RIGHT, buff=0.3)
        note = VGroup(
            text(head, NOTE_SIZE, color=th.subtext),
            items,
            text(scale, NOTE_SIZE, color=th.subtext),
        ).arrange(DOWN, buff=0.06, aligned_edge=LEFT)
        if note.width > BOARD.xmax - BOARD.xmin:
            note.scale_to_fit_width(BOARD.xmax - BOARD.xmin)
        return note.move_to((BOARD.centre[0], BOARD.ymax - 0.2 - note.height / 2, 0.0))

    def beat_responses(self, beat: Beat) -> None:
        """The inputs as pictures: x₁ and x₂ over the plane; the weights back on the edges."""
        f = self.facts
        self.grids = numbers.responses(f.weights, f.acts, self.extent, RESPONSE_RES)
        self.say(beat, *self.clear_board(), *self.clear_plane_words())
        anims: list[Animation] = []
        for i in range(len(f.weights)):
            anims += self.set_edges(i, self.weight_edges(i, 0.6))
        under = self.plane_note(words.regions_note(self.only_class(f.weights, "no boundary: all ")))
        note = self.responses_key()
        pics = self.diagram.heatmaps(0, self.response_pictures(0))
        self.play(
            *anims,
            *self.set_plane(self.regions(f.weights)),
            *self.set_plane_words(under),
            *self.set_board(note),
            *self.set_spot(0),
            Fade(pics),
            run_time=1.0,
        )
        self.wait(1.0)

    def beat_responses_layer(self, beat: Beat) -> None:
        """One hidden layer's responses, beside (over) its neurons."""
        column = int(beat.data["layer"]) + 1
        pics = self.diagram.heatmaps(column, self.response_pictures(column))
        self.say(beat)
        self.play(*self.set_spot(column), Fade(pics), run_time=1.0)
        self.wait(1.2)

    def output_key(self, top: float) -> VGroup:
        """The output row's key, its top at ``top`` on the board: a swatch of each class
        colour its pictures are tinted with (:func:`response_pictures`), and what it means."""
        f, th = self.facts, theme()
        one = f.widths[-1] == 1
        out = f.layout.columns[-1]
        classes = [0, 1] if one else list(out.units)
        # each class's name cut short to share a row with the others
        names = [shorten(self.traj.class_names[k], NOTE_SIZE, KEY_NAME) for k in classes]
        head, labels = words.output_key(names, one, 0 if one else out.more)
        items = VGroup()
        for r, label in enumerate(labels):
            c = classes[r] if r < len(classes) else None
            swatch = Square(side_length=0.2, stroke_width=0, fill_opacity=1.0)
            swatch.set_fill(th.class_color(c) if c is not None else th.background)
            if c is None:  # "+k more": no colour of its own
                swatch.set_stroke(th.grid, width=1, opacity=1.0)
            words_ = text(label, NOTE_SIZE, color=th.subtext)
            items.add(VGroup(swatch, words_).arrange(RIGHT, buff=0.1))
        width = BOARD.xmax - BOARD.xmin
        for cols in range(min(KEY_COLUMNS, len(items)), 0, -1):  # as many a row as fit
            items.arrange_in_grid(cols=cols, buff=(0.3, 0.12), cell_alignment=LEFT)
            if items.width <= width:
                break
        key = VGroup(text(head, NOTE_SIZE, color=th.subtext), items)
        key.arrange(DOWN, buff=0.12, aligned_edge=LEFT)
        if key.width > width:
            key.scale_to_fit_width(width)
        key.move_to((BOARD.centre[0], top - key.height / 2, 0.0))
        return lift(key, BOARD_Z)

    def beat_responses_output(self, beat: Beat) -> None:
        """The output's response: the class probabilities over the plane, and their key
        (class colours, not signs) under the board's note."""
        column = len(self.facts.widths) - 1
        pics = self.diagram.heatmaps(column, self.response_pictures(column))
        note = self.board
        assert note is not None, "the responses' note is on the board"
        key = self.output_key(note.get_bottom()[1] - 0.3)
        self.say(beat)
        self.play(*self.set_spot(column), Fade(pics), Fade(key), run_time=1.0)
        self.board = self.adopt(note, key)
        self.wait(1.8)
        self.wait(END)
