"""The anatomy's backpropagation: the error at the output, the gradient flowing back, the step."""

from __future__ import annotations

import numpy as np
from manim import DOWN, Animation, VGroup, VMobject

from scenes.anatomy import numbers, pictures
from scenes.anatomy.fit import shorten
from scenes.anatomy.forward import ForwardBeats
from scenes.anatomy.layout import BOARD
from scenes.anatomy.stage import BOARD_Z, INSET_RES, NOTE_SIZE, lift
from scenes.anatomy.tables import backward_table, error_table, input_table
from scenes.core.theme import theme
from scenes.core.timeline import Beat
from scenes.core.view import Box
from scenes.mobjects.widgets import hand_over, math, text
from scenes.narration import anatomy as words

__all__ = ["BackwardBeats"]


class BackwardBeats(ForwardBeats):
    """The beats of "Backpropagation"."""

    # ------------------------------------------------------------------ Backpropagation
    def beat_error(self, beat: Beat) -> None:
        """The output's δ = p − y: where the gradient starts; the weights step back."""
        f, traj = self.facts, self.traj
        column = len(f.widths) - 1
        delta = f.point.dz[-1]
        _, dz_max = self.grad_max()
        self.say(beat, *self.clear_board())
        names = [shorten(n, 20, 1.5) for n in traj.class_names]
        t = error_table(f, names)
        anims: list[Animation] = []
        for i in range(len(f.weights)):  # the weights make way for the gradients
            anims += self.set_edges(i, self.diagram.structure(i))
        texts = self.label_texts(column, "δ", "delta", delta)
        labels = self.diagram.labels(column, texts, color=theme().accent)
        note = self.board_note()
        room = Box(BOARD.xmin, BOARD.xmax, note.get_top()[1] + 0.2, BOARD.ymax)
        self.play(
            *anims,
            *self.set_labels(column, labels),
            *self.set_nodes(column, self.diagram.filled(column, delta, dz_max)),
            *self.set_board(VGroup(self.show_table(t, room), note)),
            run_time=0.7,
        )
        self.wait(1.4)

    def board_note(self) -> VGroup:
        """At the foot of the error's board: whose gradient, and that it is computed."""
        note = text(words.point_gradient_note(), NOTE_SIZE, color=theme().subtext)
        if note.width > BOARD.xmax - BOARD.xmin:
            note.scale_to_fit_width(BOARD.xmax - BOARD.xmin)
        return VGroup(note.move_to((BOARD.centre[0], BOARD.ymin + 0.1 + note.height / 2, 0.0)))

    def beat_backward(self, beat: Beat) -> None:
        """Weight layer ``l``: each edge's dL/dW drawn backwards, then the δ of the layer
        below (Wᵀδ times the activation's slope), as numbers."""
        f = self.facts
        layer = int(beat.data["layer"])
        p = f.point
        dw_max, dz_max = self.grad_max()
        edges = self.diagram.edges(layer, p.dW[layer], dw_max, backward=True)
        delta = p.dz[layer - 1]
        self.say(beat, *self.clear_board())
        self.play(
            *self.set_spot(layer, layer + 1),
            *self.set_edges(layer, edges, grow=True),
            *self.set_board(self.show_table(backward_table(f, layer), BOARD)),
            run_time=1.0,
        )
        texts = self.label_texts(layer, "δ", "delta", delta)
        labels = self.diagram.labels(layer, texts, color=theme().accent)
        self.play(
            *self.set_labels(layer, labels),
            *self.set_nodes(layer, self.diagram.filled(layer, delta, dz_max)),
            run_time=0.6,
        )
        self.wait(1.4)

    def beat_backward_input(self, beat: Beat) -> None:
        """The first layer's dL/dW, drawn backwards: the inputs need no δ."""
        f = self.facts
        p = f.point
        dw_max, _ = self.grad_max()
        edges = self.diagram.edges(0, p.dW[0], dw_max, backward=True)
        self.say(beat, *self.clear_board())
        self.play(
            *self.set_spot(0, 1),
            *self.set_edges(0, edges, grow=True),
            *self.set_board(self.show_table(input_table(f), BOARD)),
            run_time=1.0,
        )
        self.wait(1.6)

    def beat_update(self, beat: Beat) -> None:
        """One plain gradient step with the mean gradient, and the boundary's move by it;
        then many such steps (:func:`scenes.anatomy.numbers.descent`) from the snapshot
        shown or, where its gradient is nearly 0, from where it was largest: the move one
        step is too small to show. Both gradients are drawn on one scale, so a gradient
        nearly 0 is drawn thin."""
        f = self.facts
        dsc = f.descent
        start = int(beat.data["start"])
        g_max = self.step_scale()
        formula = self.step_formula()
        note = self.board_text(words.gradient_note(f.computed, f.epoch, f.lr, f.g_max))
        board = formula_board(formula, note)
        self.say(beat, *self.clear_board(), *self.clear_plane_words())
        anims: list[Animation] = []
        for i, g in enumerate(f.batch_dW):
            anims += self.set_edges(i, self.diagram.edges(i, g, g_max))
        for c in range(len(f.widths)):
            anims += self.set_labels(c, None)
            anims += self.set_nodes(c, self.diagram.neurons(c))
        self.play(*anims, *self.set_spot(None), *self.set_board(board), run_time=0.6)
        picture, seen, covered = self.moved(f.step)
        says = words.step_note(f.step.changed, "before the step", "after", seen, covered)
        self.play(
            *self.set_plane(picture), *self.set_plane_words(self.plane_note(says)), run_time=1.5
        )
        self.wait(1.6)
        self.hold_here(beat)  # a voice tells the one step while it is on screen
        # the steps: their start's gradient on the edges, its boundary, then where they end;
        # the formula stays, its note is handed over (the two never seen together)
        steps = self.board_text(words.descent_note(dsc.steps, start, f.lr, dsc.g_max))
        formula_board(self.step_formula(), steps)  # where the note goes under the formula
        lift(steps, BOARD_Z)
        anims = hand_over(note, steps)
        for i, g in enumerate(dsc.dW):
            anims += self.set_edges(i, self.diagram.edges(i, g, g_max))
        classes = numbers.class_map(dsc.step.before, f.acts, self.extent, INSET_RES)
        line = pictures.boundary(classes)
        before = pictures.regions(classes, [(line, theme().subtext)])
        says = words.start_note(f"at epoch {start}", bool(line.any()))
        self.play(
            *anims,
            *self.set_plane(before),
            *self.set_plane_words(self.plane_note(says), hand=True),
            run_time=1.0,
        )
        self.board = self.adopt(formula, steps)
        picture, seen, covered = self.moved(dsc.step)
        after = f"after {dsc.steps:,} step{'s' if dsc.steps != 1 else ''}"
        says = words.step_note(dsc.step.changed, f"at epoch {start}", after, seen, covered)
        under = self.plane_note(says)
        self.play(*self.set_plane(picture), *self.set_plane_words(under, hand=True), run_time=1.5)
        self.wait(1.6)

    def step_scale(self) -> float:
        """The ``|g|`` drawn widest while the steps are shown: the largest of the snapshot
        shown and of the steps' start, so the two gradients compare."""
        f = self.facts
        return max(float(np.abs(g).max()) for g in (*f.batch_dW, *f.descent.dW))

    def step_formula(self) -> VMobject:
        """``W ← W − lr·g``, as the board writes it."""
        return math(f"W <- W - {self.facts.lr:g} dot g", 34)

    def board_text(self, note: str) -> VMobject:
        """A note on the board at the notes' size (its lines fit the board; anything wider
        would be shrunk to fit)."""
        made = text(note, NOTE_SIZE, color=theme().subtext)
        if made.width > BOARD.xmax - BOARD.xmin:
            made.scale_to_fit_width(BOARD.xmax - BOARD.xmin)
        return made

    def beat_real_step(self, beat: Beat) -> None:
        """The optimiser's real steps between two stored snapshots, and the boundary's move."""
        f, traj = self.facts, self.traj
        th = theme()
        a, b, step = f.real
        wd = traj.info.config.get("train", {}).get("weight_decay", 0.0)
        if f.optimizer == "adam":
            rule = "m <- beta_1 m + (1 - beta_1) g \\ v <- beta_2 v + (1 - beta_2) g^2 \\ "
            rule += "W <- W - eta hat(m) / (sqrt(hat(v)) + epsilon)"
        else:
            rule = "v <- mu v + g \\ W <- W - eta v"
        formula = math(rule, 28)
        says = f"η = {f.lr:g}\nweight decay {wd:g}:\ng includes {wd:g}·W"
        note = text(says if wd else f"η = {f.lr:g}; no weight decay", NOTE_SIZE, color=th.subtext)
        board = formula_board(formula, note)
        ea, eb = int(traj.epochs[a]), int(traj.epochs[b])
        picture, seen, covered = self.moved(step)
        says = words.step_note(step.changed, f"at epoch {ea}", f"at {eb}", seen, covered)
        under = self.plane_note(says)
        self.say(beat, *self.clear_board(), *self.clear_plane_words())
        anims: list[Animation] = []  # the edges back to g at the snapshot shown
        for i, g in enumerate(f.batch_dW):
            anims += self.set_edges(i, self.diagram.edges(i, g, self.step_scale()))
        self.play(
            *anims,
            *self.set_plane(picture),
            *self.set_plane_words(under),
            *self.set_board(board),
            run_time=1.5,
        )
        self.wait(1.8)


def formula_board(formula: VMobject, note: VMobject) -> VGroup:
    """A formula over a note, at the top of the board: the formula shrunk to the board's
    width if need be, the note at its own size (its lines fit the board)."""
    width = BOARD.xmax - BOARD.xmin
    if formula.width > width:
        formula.scale_to_fit_width(width)
    board = VGroup(formula, note).arrange(DOWN, buff=0.3)
    return board.move_to((BOARD.centre[0], BOARD.ymax - board.height / 2 - 0.2, 0.0))
