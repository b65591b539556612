"""On-screen furniture shared by the scenes: captions, network diagram, formulas, legend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Animation,
    Group,
    ImageMobject,
    Mobject,
    Scene,
    VGroup,
    VMobject,
)
from manim import MathTypst as _MathTypst

from scenes.core.theme import hex_to_rgb, theme
from scenes.draw import LineBundle, PointCloud
from scenes.mobjects.textcache import cached, flatten, page_text
from scenes.publish.subtitles import Cue

FRAME_HALF_WIDTH = 7.111
FRAME_HALF_HEIGHT = 4.0


def text(s: str, size: int, color: str | None = None, weight: str = "NORMAL") -> VMobject:
    """A line of text in the theme's font: its glyphs as one path (drawn and faded in one
    go), built once and then found in the cache (:mod:`scenes.mobjects.textcache`)."""
    t = theme()
    args = {"text": s, "font": t.font, "size": size, "color": color or t.text, "weight": weight}
    return cached(
        "text",
        args,
        lambda: flatten(
            page_text(s, font=t.font, font_size=size, color=color or t.text, weight=weight)
        ),
    )


def math(source: str, size: float = 30) -> VMobject:
    """Typst math (no LaTeX), coloured like body text, as one path (cached like :func:`text`)."""
    color = theme().text

    def build() -> VMobject:
        m = _MathTypst(source, font_size=size)
        m.set_color(color)
        return flatten(m)

    return cached("math", {"source": source, "size": size, "color": color}, build)


def fmt(x: float) -> str:
    """A compact number for on-screen matrices: 2 decimals, real minus sign."""
    v = float(x)
    s = f"{v:.2f}" if abs(v) < 100 else f"{v:.0f}"
    return "0.00" if s in ("-0.00",) else s


def typst_matrix(name: str, m: np.ndarray) -> str:
    """``W = mat(…)`` Typst source for a small matrix."""
    rows = "; ".join(", ".join(fmt(v) for v in row) for row in np.atleast_2d(m))
    return f"{name} = mat({rows})"


def typst_vector(name: str, v: np.ndarray) -> str:
    """``b = vec(…)`` Typst source for a small vector."""
    return f"{name} = vec({', '.join(fmt(x) for x in np.ravel(v))})"


class Fade(Animation):
    """Fade a mobject in or out by scaling its opacities in place.

    Unlike Manim's ``FadeIn``/``FadeOut`` it makes no copies, which for text (hundreds of
    glyph curves) is most of the cost of a caption change.
    """

    def __init__(
        self, mobject: Mobject, fade_in: bool = True, shift: np.ndarray | None = None, **kwargs: Any
    ) -> None:
        self.fade_in = fade_in
        self.shift_by = np.zeros(3) if shift is None else np.asarray(shift, np.float64)
        kwargs.setdefault("run_time", 0.5)
        super().__init__(mobject, introducer=fade_in, remover=not fade_in, **kwargs)

    def begin(self) -> None:
        self.saved: list[tuple[Mobject, Any]] = []
        for m in self.mobject.get_family():
            if isinstance(m, (PointCloud, LineBundle)):
                self.saved.append((m, m.rgbas[:, 3].copy()))
            elif isinstance(m, ImageMobject):
                self.saved.append((m, m.pixel_array[:, :, 3].copy()))
            elif isinstance(m, VMobject):
                self.saved.append(
                    (m, (m.get_fill_opacities().copy(), m.get_stroke_opacities().copy()))
                )
        self.moved = np.zeros(3)  # how far it is from where it was (no bounding box per frame)
        self.interpolate(0.0)

    def interpolate(self, alpha: float) -> None:
        a = float(self.rate_func(alpha))
        k = a if self.fade_in else 1.0 - a
        for m, saved in self.saved:
            if isinstance(m, (PointCloud, LineBundle)):
                m.rgbas[:, 3] = saved * k
            elif isinstance(m, ImageMobject):
                m.pixel_array[:, :, 3] = (saved * k).astype(m.pixel_array.dtype)
            else:
                fill, stroke = saved
                m.set_fill(opacity=fill * k, family=False)
                m.set_stroke(opacity=stroke * k, family=False)
        if self.shift_by.any():
            offset = -self.shift_by * (1 - a) if self.fade_in else self.shift_by * a
            self.mobject.shift(offset - self.moved)
            self.moved = offset

    def finish(self) -> None:
        self.interpolate(1.0)
        if not self.fade_in:  # restore, so the mobject can be shown again later
            for m, saved in self.saved:
                if isinstance(m, (PointCloud, LineBundle)):
                    m.rgbas[:, 3] = saved
                elif isinstance(m, ImageMobject):
                    m.pixel_array[:, :, 3] = saved
                else:
                    m.set_fill(opacity=saved[0], family=False)
                    m.set_stroke(opacity=saved[1], family=False)
            self.mobject.shift(-self.moved)
            self.moved = np.zeros(3)


class Captions:
    """A caption and a subcaption at the top of the frame, recorded as subtitle cues.

    While the scene skips (a section not rendered), captions are only noted, not built:
    text is the slowest thing Manim makes, and a skipped caption is never seen. The one
    still up when rendering resumes is built then (:meth:`materialize`), exactly where a
    whole render would have it.
    """

    def __init__(self, scene: Scene, top: float = FRAME_HALF_HEIGHT - 0.42) -> None:
        self.scene = scene
        self.top = top
        self.current: VGroup | None = None
        self.cues: list[Cue] = []
        self._open: tuple[float, str] | None = None
        #: The caption shown while skipping, not built yet.
        self.pending: tuple[str, str] | None = None
        #: Set by the scene while it plays a section that is not rendered.
        self.skipping = False

    def _skipping(self) -> bool:
        return self.skipping

    def materialize(self) -> None:
        """Build and put up the caption noted while skipping (call when rendering resumes)."""
        if self.pending is not None:
            self.current = self.build(*self.pending)
            self.scene.add(self.current)
            self.pending = None

    def _now(self) -> float:
        return float(self.scene.renderer.time)

    def _close(self) -> None:
        if self._open is not None:
            start, txt = self._open
            end = self._now()
            if end > start:
                self.cues.append(Cue(start, end, txt))
            self._open = None

    def build(self, caption: str, sub: str = "") -> VGroup:
        """The caption mobject (not yet shown)."""
        t = theme()
        head = text(caption, t.caption_size, weight="BOLD")
        parts = [head]
        if sub:
            parts.append(text(sub, t.subcaption_size, color=t.subtext))
        group = VGroup(*parts).arrange(DOWN, buff=0.14)
        max_width = 2 * FRAME_HALF_WIDTH - 0.8
        if group.width > max_width:
            group.scale_to_fit_width(max_width)
        group.move_to((0, self.top - group.height / 2, 0.0))
        return group

    def swap(self, caption: str, sub: str = "") -> list[Animation]:
        """Make ``caption`` the current one: the cross-fade to it (the new caption fading in,
        then the old one out, if any), for the caller to play with its own animations.

        While skipping nothing is built and nothing is returned: the caption is noted, and
        built by :meth:`materialize` if it is still up when drawing resumes. Every change of
        caption goes through here, so a render that starts anywhere in the plan has on
        screen exactly the caption a whole render has there.
        """
        self._close()
        self._open = (self._now(), caption + ("\n" + sub if sub else ""))
        if self._skipping():
            if self.current is not None:
                self.scene.remove(self.current)
                self.current = None
            self.pending = (caption, sub)
            return []
        self.materialize()
        new = self.build(caption, sub)
        fades: list[Animation] = [Fade(new, True, shift=0.15 * DOWN)]
        if self.current is not None:
            fades.append(Fade(self.current, False, shift=0.15 * UP))
        self.current = new
        return fades

    def show(
        self, caption: str, sub: str = "", run_time: float = 0.5, also: Sequence[Animation] = ()
    ) -> None:
        """Replace the current caption (plays a short cross-fade, with ``also`` if given)."""
        fades = self.swap(caption, sub)
        anims = [*fades[:1], *also, *fades[1:]]
        if anims:
            self.scene.play(*anims, run_time=run_time)
        else:
            self.scene.wait(run_time)

    def mark(self, cue: str) -> None:
        """Start a subtitle cue for text the scene shows itself (a title or end card)."""
        self._close()
        self._open = (self._now(), cue)

    def clear(self, run_time: float = 0.4) -> None:
        """Fade the caption out."""
        self._close()
        self.pending = None
        if self.current is not None and self._skipping():
            self.scene.remove(self.current)
            self.current = None
        if self.current is not None:
            self.scene.play(Fade(self.current, False), run_time=run_time)
            self.current = None

    def finish(self) -> list[Cue]:
        """Close the last cue and return all of them."""
        self._close()
        return self.cues


class NetworkDiagram:
    """A small node-and-edge picture of the MLP that can highlight one layer.

    Nodes are a :class:`PointCloud`, edges a :class:`LineBundle` (fast to draw). Layers wider
    than ``max_nodes`` show their first units and an ellipsis.
    """

    def __init__(
        self,
        widths: Sequence[int],
        box: tuple[float, float, float, float],
        max_nodes: int = 6,
    ) -> None:
        t = theme()
        x0, x1, y0, y1 = box
        self.widths = list(widths)
        n_layers = len(widths)
        xs = np.linspace(x0, x1, n_layers)
        self.node_xy: list[np.ndarray] = []
        self.ellipses: list[Mobject] = []
        spacing = min(0.5, (y1 - y0) / max(min(max(widths), max_nodes), 1))
        for x, w in zip(xs, widths, strict=True):
            shown = min(w, max_nodes)
            ys = (np.arange(shown) - (shown - 1) / 2) * spacing + (y0 + y1) / 2
            self.node_xy.append(np.column_stack([np.full(shown, x), ys]))
            if w > max_nodes:
                dots = text("⋮", 18, color=t.subtext).move_to((x, y0 - 0.05, 0.0))
                self.ellipses.append(dots)
        edges, self.edge_layer = [], []
        for i in range(n_layers - 1):
            for a in self.node_xy[i]:
                for b in self.node_xy[i + 1]:
                    edges.append([a, b])
                    self.edge_layer.append(i)
        self.edge_layer_arr = np.array(self.edge_layer)
        self.edges = LineBundle(np.array(edges), stroke_width=0.02)
        all_nodes = np.vstack(self.node_xy)
        self.node_layer = np.concatenate([np.full(len(p), i) for i, p in enumerate(self.node_xy)])
        self.nodes = PointCloud(all_nodes, radius=0.1, outline_width=0.025, outline_darken=0.5)
        self.highlight(None)

    def mobjects(self) -> list[Mobject]:
        """Everything to add to the scene."""
        return [self.edges, self.nodes, *self.ellipses]

    def highlight(self, layer: int | None, part: str = "edges") -> None:
        """Light up the edges into ``layer`` (a linear map) or its nodes (bias, activation).

        ``layer`` counts weight layers from 0 (the edges from the input to hidden layer 1).
        """
        t = theme()
        dim = np.array([*hex_to_rgb(t.grid), 0.35])
        lit = np.array([*hex_to_rgb(t.accent), 1.0])
        edge_rgbas = np.tile(dim, (len(self.edge_layer_arr), 1))
        node_rgb = np.array([*hex_to_rgb(t.subtext), 1.0])
        node_rgbas = np.tile(node_rgb, (len(self.node_layer), 1))
        if layer is not None:
            if part == "edges":
                edge_rgbas[self.edge_layer_arr == layer] = lit
            node_rgbas[self.node_layer == layer + 1] = lit if part != "edges" else node_rgb
        self.edges.set_colors(edge_rgbas)
        self.nodes.set_colors(node_rgbas)


def legend(
    class_names: Sequence[str], colors: Sequence[str], size: int = 20, title: str | None = None
) -> Group:
    """A row of coloured discs with class names, after an optional ``title`` (the label
    column's name)."""
    items: list[Mobject] = [] if title is None else [text(title, size, color=theme().subtext)]
    for name, color in zip(class_names, colors, strict=False):
        disc = PointCloud(np.zeros((1, 2)), colors=[color], radius=0.08)
        label = text(str(name), size)
        label.next_to(disc, RIGHT, buff=0.12)
        items.append(Group(disc, label))
    return Group(*items).arrange(RIGHT, buff=0.35)


__all__ = [
    "Captions",
    "NetworkDiagram",
    "legend",
    "math",
    "text",
    "typst_matrix",
    "typst_vector",
]
