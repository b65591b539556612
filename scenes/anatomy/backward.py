"""The anatomy's backpropagation: the error at the output, the gradient flowing back, the step."""

from __future__ import annotations

import numpy as np
from manim import DOWN, Animation, VGroup

from scenes.anatomy import numbers
from scenes.anatomy.fit import shorten
from scenes.anatomy.forward import ForwardBeats
from scenes.anatomy.layout import BOARD
from scenes.anatomy.panels import table
from scenes.anatomy.stage import NOTE_SIZE
from scenes.core.theme import theme
from scenes.core.timeline import Beat
from scenes.core.view import Box
from scenes.mobjects.widgets import math, text
from scenes.narration import anatomy as words
from scenes.narration.anatomy import num

__all__ = ["BackwardBeats"]


class BackwardBeats(ForwardBeats):
    """The beats of "Backpropagation"."""

    # ------------------------------------------------------------------ Backpropagation
    def beat_error(self, beat: Beat) -> None:
        """The output's δ = p − y: where the gradient starts; the weights step back."""
        f, traj = self.facts, self.traj
        column = len(f.widths) - 1
        p = f.point
        delta = p.dz[-1]
        _, dz_max = self.grad_max()
        self.say(beat, *self.clear_board())
        units = f.layout.columns[column].units
        ds = {u: self.record(f"delta{column}.{u}", delta[u]) for u in units}
        head = ["class", "p", "y", "δ = p − y"]

        def name(k: int) -> str:
            return shorten(traj.class_names[k], 20, 1.5)

        mark: int | None = None
        if len(delta) == 1:  # one logit: p is class 1's probability, y is 1 for class 1
            rows = [[name(1), num(p.probs[1]), str(p.label), ds[0]]]
        else:  # the classes drawn, in their order; the true one's row in the accent colour
            rows = [[name(k), num(p.probs[k]), str(int(k == p.label)), ds[k]] for k in units]
            mark = units.index(p.label)
            if len(units) < len(delta):
                rows.append(["…", f"+{len(delta) - len(units)} more", "", ""])
        anims: list[Animation] = []
        for i in range(len(f.weights)):  # the weights make way for the gradients
            anims += self.set_edges(i, self.diagram.structure(i))
        texts = [f"δ={ds[u]}" for u in units]
        labels = self.diagram.labels(column, texts, color=theme().accent)
        note = self.board_note()
        room = Box(BOARD.xmin, BOARD.xmax, note.get_top()[1] + 0.2, BOARD.ymax)
        self.play(
            *anims,
            *self.set_labels(column, labels),
            *self.set_nodes(column, self.diagram.filled(column, delta, dz_max)),
            *self.set_board(VGroup(table(head, rows, room, mark=mark), note)),
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
        upstream, slope, delta = numbers.chain(f.weights, f.acts, p, layer)
        units = f.layout.columns[layer].units
        name = f.acts[layer - 1].replace("_", " ")
        head = ["unit", "Wᵀδ", f"{name}′(z)", "δ"]
        rows = []
        for u in units:
            rows.append(
                [
                    str(u + 1),
                    self.record(f"up{layer}.{u}", upstream[u]),
                    self.record(f"slope{layer}.{u}", slope[u]),
                    self.record(f"delta{layer}.{u}", delta[u]),
                ]
            )
        if len(units) < len(delta):
            rows.append(["…", f"+{len(delta) - len(units)} more", "", ""])
        self.say(beat, *self.clear_board())
        self.play(
            *self.set_spot(layer, layer + 1),
            *self.set_edges(layer, edges, grow=True),
            *self.set_board(table(head, rows, BOARD)),
            run_time=1.0,
        )
        texts = [f"δ={rows[r][3]}" for r in range(len(units))]
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
        units = f.layout.columns[1].units
        head = ["unit", "dL/dw₁", "dL/dw₂", "dL/db"]
        rows = [
            [
                str(u + 1),
                self.record(f"dW0.{u}.0", p.dW[0][u, 0]),
                self.record(f"dW0.{u}.1", p.dW[0][u, 1]),
                self.record(f"db0.{u}", p.db[0][u]),
            ]
            for u in units
        ]
        if len(units) < len(p.db[0]):
            rows.append(["…", f"+{len(p.db[0]) - len(units)} more", "", ""])
        self.say(beat, *self.clear_board())
        self.play(
            *self.set_spot(0, 1),
            *self.set_edges(0, edges, grow=True),
            *self.set_board(table(head, rows, BOARD)),
            run_time=1.0,
        )
        self.wait(1.6)

    def beat_update(self, beat: Beat) -> None:
        """One plain gradient step with the mean gradient; the boundary moves by it."""
        f = self.facts
        th = theme()
        g_max = max(float(np.abs(g).max()) for g in f.batch_dW)
        formula = math(f"W <- W - {f.lr:g} dot g", 34)
        note = text(words.gradient_note(f.computed), 18, color=th.subtext)
        board = VGroup(formula, note).arrange(DOWN, buff=0.3)
        if board.width > BOARD.xmax - BOARD.xmin:
            board.scale_to_fit_width(BOARD.xmax - BOARD.xmin)
        board.move_to((BOARD.centre[0], BOARD.ymax - board.height / 2 - 0.2, 0.0))
        self.say(beat, *self.clear_board(), *self.clear_plane_words())
        anims: list[Animation] = []
        for i, g in enumerate(f.batch_dW):
            anims += self.set_edges(i, self.diagram.edges(i, g, g_max))
        for c in range(len(f.widths)):
            anims += self.set_labels(c, None)
            anims += self.set_nodes(c, self.diagram.neurons(c))
        self.play(*anims, *self.set_spot(None), *self.set_board(board), run_time=0.6)
        under = self.plane_note(words.step_note(f.step.changed, "before the step", "after"))
        self.play(*self.set_plane(self.moved(f.step)), *self.set_plane_words(under), run_time=1.5)
        self.wait(1.6)

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
        extra = f"g includes weight decay {wd:g}·W" if wd else "no weight decay"
        note = text(f"η = {f.lr:g}; {extra}", 18, color=th.subtext)
        board = VGroup(formula, note).arrange(DOWN, buff=0.3)
        if board.width > BOARD.xmax - BOARD.xmin:
            board.scale_to_fit_width(BOARD.xmax - BOARD.xmin)
        board.move_to((BOARD.centre[0], BOARD.ymax - board.height / 2 - 0.2, 0.0))
        ea, eb = int(traj.epochs[a]), int(traj.epochs[b])
        under = self.plane_note(words.step_note(step.changed, f"at epoch {ea}", f"at {eb}"))
        self.say(beat, *self.clear_board(), *self.clear_plane_words())
        self.play(
            *self.set_plane(self.moved(step)),
            *self.set_plane_words(under),
            *self.set_board(board),
            run_time=1.5,
        )
        self.wait(1.8)
