"""The anatomy scene: the trained network's neurons, one point forward, its gradient back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from manim import Animation

from nnmodel import activations
from nnmodel.trajectory import Trajectory
from scenes.anatomy import numbers, pictures
from scenes.anatomy.backward import BackwardBeats
from scenes.anatomy.layout import BOARD
from scenes.anatomy.plan import END, anatomy_plan, check_sample, gather
from scenes.core.theme import theme
from scenes.core.timeline import Beat, check_sections, lengthen
from scenes.errors import RenderError
from scenes.mobjects.widgets import Fade, text
from scenes.narration import anatomy as words
from scenes.registry import scene

__all__ = ["Anatomy"]

#: Grid cells a side of each neuron's response picture.
RESPONSE_RES = 48


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
    def check_params(cls, traj: Trajectory, params: Mapping[str, Any]) -> None:
        """Refuse a bad sample, unknown sections or beats before any work."""
        sample = check_sample(traj, params.get("sample"))
        epoch = params.get("epoch")
        snapshot = -1 if epoch is None else traj.snapshot_for_epoch(int(epoch))
        beats = anatomy_plan(traj, gather(traj, snapshot, sample), fps=60.0)
        check_sections(beats, params.get("sections"))
        try:
            lengthen(beats, params.get("durations") or {})
        except ValueError as exc:
            raise RenderError(str(exc)) from None

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
        vmax = float(np.percentile(np.abs(at_data), 99)) or 1.0
        return [pictures.diverging(values[..., u], vmax) for u in units]

    def beat_responses(self, beat: Beat) -> None:
        """The inputs as pictures: x₁ and x₂ over the plane; the weights back on the edges."""
        f = self.facts
        self.grids = numbers.responses(f.weights, f.acts, self.extent, RESPONSE_RES)
        self.say(beat)
        anims: list[Animation] = []
        for i in range(len(f.weights)):
            anims += self.set_edges(i, self.weight_edges(i, 0.6))
        under = self.plane_note(words.regions_note())
        note = text(words.responses_note(), 18, color=theme().subtext)
        if note.width > BOARD.xmax - BOARD.xmin:
            note.scale_to_fit_width(BOARD.xmax - BOARD.xmin)
        note.move_to((BOARD.centre[0], BOARD.ymax - 0.2 - note.height / 2, 0.0))
        pics = self.diagram.heatmaps(0, self.response_pictures(0))
        self.play(
            *anims,
            *self.set_plane(self.regions(f.weights)),
            *self.swap(self.plane_words, under),
            *self.set_board(note),
            *self.set_spot(0),
            Fade(pics),
            run_time=1.0,
        )
        self.plane_words = under
        self.wait(1.0)

    def beat_responses_layer(self, beat: Beat) -> None:
        """One hidden layer's responses, beside (over) its neurons."""
        column = int(beat.data["layer"]) + 1
        pics = self.diagram.heatmaps(column, self.response_pictures(column))
        self.say(beat)
        self.play(*self.set_spot(column), Fade(pics), run_time=1.0)
        self.wait(1.2)

    def beat_responses_output(self, beat: Beat) -> None:
        """The output's response: the class probabilities over the plane."""
        column = len(self.facts.widths) - 1
        pics = self.diagram.heatmaps(column, self.response_pictures(column))
        self.say(beat)
        self.play(*self.set_spot(column), Fade(pics), run_time=1.0)
        self.wait(1.8)
        self.wait(END)
