"""The anatomy's first two sections: the network as drawn, and one point's forward pass."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Animation, Create, Group, GrowFromEdge, VGroup, VMobject

from scenes.anatomy.fit import shorten
from scenes.anatomy.layout import BOARD
from scenes.anatomy.panels import ActivationPlot, prob_bars
from scenes.anatomy.stage import BOARD_Z, DIM, NOTE_SIZE, PLANE_Z, Stage, lift
from scenes.anatomy.tables import forward_table
from scenes.core.theme import theme
from scenes.core.timeline import Beat
from scenes.mobjects.widgets import Fade, text
from scenes.narration import anatomy as words
from scenes.narration.anatomy import num

__all__ = ["ForwardBeats"]


class ForwardBeats(Stage):
    """The beats of "The network" and "Forward pass"."""

    # ------------------------------------------------------------------ The network
    def beat_diagram(self, beat: Beat) -> None:
        """The network drawn from its weights: neurons, edges, titles, "+k more"."""
        d = self.diagram
        self.say(beat)
        self.play(
            *[Fade(m) for m in (d.titles, d.more, d.input_names, self.names, *self.nodes_now)],
            *[Create(e, lag_ratio=0.0) for e in self.edges_now],
            run_time=1.5,
        )
        self.wait(1.0)

    def beat_weights(self, beat: Beat) -> None:
        """Colour and width are the weights; the biases appear under the neurons."""
        f = self.facts
        self.say(beat)
        anims: list[Animation] = [Fade(self.legend)]
        for i, (_, b) in enumerate(f.weights):
            column = i + 1
            texts = self.label_texts(column, "b", "b", b)
            anims += self.set_labels(column, self.diagram.labels(column, texts))
            anims += self.set_nodes(column, self.diagram.filled(column, b, self.w_max))
        self.play(*anims, run_time=0.8)
        self.wait(2.0)

    # ------------------------------------------------------------------ Forward pass
    def beat_sample(self, beat: Beat) -> None:
        """The followed point, ringed in the input plane; its two values enter the network."""
        f, traj = self.facts, self.traj
        self.say(beat)
        self.plane_frame = lift(self.inset.frame(), PLANE_Z)
        self.plane_points = lift(self.inset.points(traj.inputs, self.colors), PLANE_Z)
        self.ring = lift(self.inset.ring(f.point.x), PLANE_Z)
        note = self.plane_note(self.sample_note(beat.data["original"]))
        self.play(
            *self.set_plane(self.regions(f.weights)),
            *[Fade(m) for m in (self.plane_frame, self.plane_points, self.ring)],
            *self.set_plane_words(note),
            run_time=1.0,
        )
        anims: list[Animation] = []
        for c in range(1, len(f.widths)):  # the biases make way for the values
            anims += self.set_labels(c, None)
            anims += self.set_nodes(c, self.diagram.neurons(c))
        for i in range(len(f.weights)):
            anims += self.set_edges(i, self.weight_edges(i, DIM))
        x = f.point.x
        texts = [self.record(f"x.{u}", x[u]) for u in range(2)]
        anims += self.set_labels(0, self.diagram.labels(0, texts))
        anims += self.set_nodes(0, self.diagram.filled(0, x, float(np.abs(x).max())))
        anims += self.set_spot(0)
        if f.original is not None:  # the values the network sees, and the data's own
            anims += self.set_board(self.standardised_board())
        self.play(*anims, run_time=0.6)
        self.wait(1.2)

    def sample_note(self, original: list[tuple[str, float]]) -> str:
        """The words under the input plane while the point is followed: what the ringed
        point is (its class), the boundary (or that there is none), its data's values."""
        f = self.facts
        ringed = self.class_words(f.point.label, "ringed: our point, ")
        only = self.only_class(f.weights, "no boundary: all ")
        return words.plane_note(ringed, self.units_fitted(original), only)

    def standardised_board(self) -> VGroup:
        """The followed point's values in the data's units and standardised (as the network
        sees them), column by column, and how one becomes the other."""
        th = theme()
        f = self.facts
        assert f.original is not None
        width = BOARD.xmax - BOARD.xmin
        parts: list[VMobject] = [text(words.standardised_head(), NOTE_SIZE, color=th.subtext)]
        columns = self.traj.info.dataset.columns
        for u, (column, value) in enumerate(zip(columns, f.original, strict=True)):
            parts.append(text(shorten(column, NOTE_SIZE, width), NOTE_SIZE, color=th.subtext))
            raw = f"{value:.4g}".replace("-", "−")
            parts.append(text(f"{raw}  →  {self.record(f'x.{u}', f.point.x[u])}", 20))
        parts.append(text(words.standardised_note(), NOTE_SIZE, color=th.subtext))
        board = VGroup(*parts).arrange(DOWN, buff=0.1, aligned_edge=LEFT)
        for k in (1, 3, 5):  # a little air between the columns and before the note
            board[k:].shift(0.12 * DOWN)
        if board.width > width:
            board.scale_to_fit_width(width)
        return board.move_to((BOARD.xmin + board.width / 2, BOARD.ymax - board.height / 2, 0.0))

    def beat_forward(self, beat: Beat) -> None:
        """Hidden layer ``i``: the edges carry the values in; every z and h, as numbers."""
        f = self.facts
        i = int(beat.data["layer"])
        column = i + 1
        h = f.point.a[i]
        self.say(beat, *self.clear_board())
        self.play(
            *self.set_spot(column),
            *self.set_edges(i, self.weight_edges(i), grow=True),
            *self.set_board(self.show_table(forward_table(f, i), BOARD)),
            run_time=0.8,
        )
        texts = self.label_texts(column, "h", "h", h)
        self.play(
            *self.set_labels(column, self.diagram.labels(column, texts)),
            *self.set_nodes(column, self.diagram.filled(column, h, self.hidden_max())),
            run_time=0.7,
        )
        self.wait(1.6)

    def beat_activation(self, beat: Beat) -> None:
        """Every point's pre-activations of this layer slide onto the activation's curve."""
        f = self.facts
        i = int(beat.data["layer"])
        plot = ActivationPlot(f.acts[i], f.pre[i], self.colors, f.point.z[i], BOARD)
        self.say(beat, *self.clear_board())
        self.play(*self.set_board(Group(*plot.mobjects())), run_time=0.6)
        self.play(*plot.slides(), run_time=1.5)
        self.wait(1.4)

    def beat_output(self, beat: Beat) -> None:
        """The output layer's logits, and the class probabilities as bars."""
        f, traj = self.facts, self.traj
        last = len(f.weights) - 1
        column = last + 1
        logits = f.point.a[-1]
        out = f.layout.columns[column]
        self.say(beat, *self.clear_board())
        texts = self.label_texts(column, "z", "z", logits)
        # the bars: every class, or (too many to draw) the output units drawn, in their order
        rows = out.units if out.more else range(len(f.point.probs))
        probs = [num(p) for p in f.point.probs]
        for k in rows:
            self.record(f"p.{k}", f.point.probs[k])
        static, bars = prob_bars(
            traj.class_names, f.point.probs, f.point.label, probs, BOARD, list(rows)
        )
        self.record("loss", f.point.loss)
        loss = text(words.loss_equation(f.point.probs[f.point.label], f.point.loss), 20)
        loss.move_to((BOARD.centre[0], static.get_bottom()[1] - 0.4, 0.0))
        for part in (static, *bars, loss):
            lift(part, BOARD_Z)
        tint = float(np.abs(logits).max())
        self.play(
            *self.set_spot(column),
            *self.set_edges(last, self.weight_edges(last), grow=True),
            *self.set_labels(column, self.diagram.labels(column, texts)),
            *self.set_nodes(column, self.diagram.filled(column, logits, tint)),
            *self.set_names(self.diagram.output_names(self.true_unit())),
            Fade(static),
            run_time=0.8,
        )
        self.play(*[GrowFromEdge(b, LEFT) for b in bars], Fade(loss), run_time=1.0)
        self.board = self.adopt(static, *bars, loss)
        self.wait(1.6)
