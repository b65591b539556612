"""On-screen furniture shared by the scenes: captions, network diagram, formulas, legend."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
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
    smooth,
)
from manim import MathTypst as _MathTypst

from scenes.core.legend_plan import (
    LEGEND_DISC,
    LEGEND_DISC_BUFF,
    LEGEND_GAP,
    LEGEND_MIN_KEPT,
    LEGEND_ROW_GAP,
    LegendPlan,
    Span,
    plan_legend,
)
from scenes.core.theme import hex_to_rgb, theme
from scenes.core.view import Box
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


#: A formula's rules (fraction bars, the tops of roots: stroked, unfilled paths) are drawn
#: this wide per unit of font size (Manim stroke widths; 0.055 × 30 ≈ a glyph's stem)...
RULE_PER_SIZE = 0.055
#: ...and at least this wide: one pixel at 480p. Typst's own width came out about a tenth of
#: that, so "1/(1 + e^(-z))" lost its fraction bar on screen.
MIN_RULE = 1.8


def math(source: str, size: float = 30) -> VMobject:
    """Typst math (no LaTeX), coloured like body text, as one path (cached like :func:`text`).

    Its rules (fraction bars, the tops of roots) are drawn as thick as the glyphs' stems
    (:data:`RULE_PER_SIZE`, at least :data:`MIN_RULE`), so they stay visible at 480p.
    """
    color = theme().text
    rule = max(RULE_PER_SIZE * size, MIN_RULE)

    def build() -> VMobject:
        m = _MathTypst(source, font_size=size)
        m.set_color(color)
        for leaf in m.family_members_with_points():
            if leaf.get_fill_opacity() == 0 and leaf.get_stroke_width() > 0:
                leaf.set_stroke(color, width=max(leaf.get_stroke_width(), rule), opacity=1.0)
        return flatten(m)

    args = {"source": source, "size": size, "color": color, "rule": rule}
    return cached("math", args, build)


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

    #: Whether this fades out the caption on screen (:func:`closing`).
    closes_caption = False

    def __init__(
        self,
        mobject: Mobject,
        fade_in: bool = True,
        shift: np.ndarray | None = None,
        *,
        to: float = 0.0,
        **kwargs: Any,
    ) -> None:
        self.fade_in = fade_in
        #: A fade out ends at this share of the opacities (0: gone, and removed).
        self.to = to
        self.shift_by = np.zeros(3) if shift is None else np.asarray(shift, np.float64)
        kwargs.setdefault("run_time", 0.5)
        gone = not fade_in and to == 0.0
        super().__init__(mobject, introducer=fade_in, remover=gone, **kwargs)

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
        k = a if self.fade_in else 1.0 - a * (1.0 - self.to)
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
        if not self.fade_in and self.to == 0.0:  # restore, so it can be shown again later
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


def _dimmed(m: Mobject, level: float) -> None:
    """``m`` as :meth:`Captions.dim` leaves it (at once, no animation)."""
    fade = Fade(m, False, to=level)
    fade.begin()
    fade.finish()


def closing(fade: Fade) -> Fade:
    """Mark ``fade`` as the end of the caption on screen: a play with it is the last one
    whose frames show that caption (:class:`scenes.mobjects.planned.PlaysPlan`: a beat's
    head)."""
    fade.closes_caption = True
    return fade


#: In a hand-over (:func:`hand_over`), the share of the run time the old mobject takes to
#: fade out; the new one fades in over the rest.
HANDOVER = 0.4


def gone_early(t: float) -> float:
    """A hand-over's fade out: all of it in the first :data:`HANDOVER` of the time."""
    return float(smooth(min(t / HANDOVER, 1.0)))


def come_late(t: float) -> float:
    """A hand-over's fade in: none of it in the first :data:`HANDOVER` of the time."""
    return float(smooth(max(t - HANDOVER, 0.0) / (1.0 - HANDOVER)))


def hand_over(old: Mobject | None, new: Mobject | None, drift: float = 0.0) -> list[Animation]:
    """Replace ``old`` by ``new`` in place without their ever being seen together: the old
    one fades out first (rising ``drift`` as it goes), then the new one in (coming down
    ``drift`` into place); either may be None.

    >>> from manim import Dot
    >>> out, in_ = hand_over(Dot(), Dot())
    >>> [round(out.rate_func(t), 3) for t in (0.0, HANDOVER, 1.0)]
    [0.0, 1.0, 1.0]
    >>> [round(in_.rate_func(t), 3) for t in (0.0, HANDOVER, 1.0)]
    [0.0, 0.0, 1.0]
    """
    anims: list[Animation] = []
    if old is not None:
        anims.append(Fade(old, False, shift=drift * UP, rate_func=gone_early))
    if new is not None:
        anims.append(Fade(new, shift=drift * DOWN, rate_func=come_late))
    return anims


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
        #: The share of its opacity the pending caption is shown at (:meth:`dim`).
        self.pending_level = 1.0
        #: Set by the scene while it plays a section that is not rendered.
        self.skipping = False

    def _skipping(self) -> bool:
        return self.skipping

    def materialize(self) -> None:
        """Build and put up the caption noted while skipping (call when rendering resumes)."""
        if self.pending is not None:
            self.current = self.build(*self.pending)
            if self.pending_level != 1.0:
                _dimmed(self.current, self.pending_level)
            self.scene.add(self.current)
            self.pending = None
            self.pending_level = 1.0

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
        max_width = 2 * FRAME_HALF_WIDTH - 0.8
        for part in parts:  # a long subcaption shrinks alone: the caption keeps its size
            if part.width > max_width:
                part.scale_to_fit_width(max_width)
        group = VGroup(*parts).arrange(DOWN, buff=0.14)
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
            self.pending_level = 1.0
            return []
        self.materialize()
        new = self.build(caption, sub)
        if self.current is None:
            fades: list[Animation] = [Fade(new, True, shift=0.15 * DOWN)]
        else:  # handed over: the old caption is gone before the new one shows
            gone, come = hand_over(self.current, new, drift=0.15)
            assert isinstance(gone, Fade)
            fades = [come, closing(gone)]
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

    def dim(self, level: float, run_time: float = 0.4) -> list[Animation]:
        """Dim the caption on screen to ``level`` of its opacity, in ``run_time`` (from the
        start of the play it goes into): a moment told while the picture moves on. Its
        cue runs on; the next caption cross-fades from the dimmed one.

        While skipping nothing is returned: the caption (built or not) is left as the
        dimming leaves it, so drawing that resumes shows what a whole render shows.
        """
        if self._skipping():
            if self.current is not None:
                _dimmed(self.current, level)
            elif self.pending is not None:
                self.pending_level = level
            return []
        if self.current is None:
            return []
        return [Fade(self.current, False, to=level, run_time=run_time)]

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
            self.scene.play(closing(Fade(self.current, False)), run_time=run_time)
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


ELLIPSIS = "…"
#: Characters that reach below the baseline (about: fonts differ).
DESCENDERS = frozenset("gjpqyQ,;()[]{}|_@$µ")


def shortened(
    s: str,
    size: int,
    cap: float,
    color: str | None = None,
    kept: int = 1,
    whole: VMobject | None = None,
) -> tuple[VMobject, str]:
    """``s`` at ``size`` (``whole``, if given), or its longest start that with an ellipsis
    is at most ``cap`` wide (but at least ``kept`` characters); and the words it shows.
    Never shrunk: at 480p a name smaller than its neighbours is unreadable.

    >>> shortened("German Shepherd", 18, 1.2)[1]
    'Germa…'
    """
    label = text(s, size, color=color) if whole is None else whole
    least = max(kept, 1)
    if label.width <= cap + 1e-6 or len(s) <= least:
        return label, s
    tried: dict[int, tuple[VMobject, str]] = {}

    def cut(n: int) -> tuple[VMobject, str]:
        if n not in tried:
            words = s[:n].rstrip() + ELLIPSIS
            tried[n] = (text(words, size, color=color), words)
        return tried[n]

    def fits(n: int) -> bool:
        return cut(n)[0].width <= cap + 1e-6

    # Start where the width per character says, then step to the longest start that fits
    room = cap - _ellipsis_width(size)
    n = min(len(s) - 1, max(least, int(len(s) * room / label.width)))
    while n > least and not fits(n):
        n -= 1
    while n + 1 < len(s) and n + 1 not in tried and fits(n + 1):
        n += 1
    return cut(n)


@lru_cache(maxsize=64)
def _cap_height(size: int) -> float:
    """How tall a capital H is at ``size`` (it stands on the baseline)."""
    return float(text("H", size).height)


@lru_cache(maxsize=64)
def _ellipsis_width(size: int) -> float:
    """How wide an ellipsis is at ``size``."""
    return float(text(ELLIPSIS, size).width)


@lru_cache(maxsize=256)
def _depth(c: str, size: int) -> float:
    """How far ``c`` reaches below the baseline at ``size`` (beside an H, taller than a
    ``g``, ``p``, ``q`` or ``y``)."""
    return float(text("H" + c, size).height) - _cap_height(size)


def _baseline(m: Mobject, words: str, size: int) -> float:
    """Where the text ``m`` (``words`` at ``size``) stands: Manim centres a text on its
    glyphs' bounding box, whose bottom is the baseline unless a glyph reaches below it
    (``g``, ``p``, ``q``, ``y`` measured, any other like a ``p``)."""
    low = {c if c in "gpqy" else "p" for c in DESCENDERS & set(words)}
    return float(m.get_bottom()[1]) + max((_depth(c, size) for c in low), default=0.0)


def drawn_box(m: Mobject) -> Box:
    """Where ``m`` is drawn: its bounding box with every disc's radius counted (Manim's
    counts only a :class:`PointCloud`'s centres)."""
    xs: list[float] = []
    ys: list[float] = []
    for part in m.get_family():
        if isinstance(part, PointCloud):
            pts = part.get_positions()
            if len(pts):
                xs += [float(pts[:, 0].min()) - part.radius, float(pts[:, 0].max()) + part.radius]
                ys += [float(pts[:, 1].min()) - part.radius, float(pts[:, 1].max()) + part.radius]
        elif isinstance(part, VMobject) and part.has_points():
            xs += [part.get_left()[0], part.get_right()[0]]
            ys += [part.get_bottom()[1], part.get_top()[1]]
    return Box(min(xs), max(xs), min(ys), max(ys))


def _lay_out(
    texts: Sequence[tuple[VMobject, str]],
    colors: Sequence[str],
    titled: bool,
    size: int,
    plan: LegendPlan,
    kept: int = LEGEND_MIN_KEPT,
) -> Group:
    """The legend of ``plan`` from its ``texts`` at ``size`` (the title first if
    ``titled``), its drawn box centred on the origin, the texts of a line standing on one
    baseline. A text is scaled to the plan's size (its outlines scale exactly)."""
    s, k = plan.size, plan.size / size
    shown: list[VMobject] = []
    looks = ([theme().subtext] if titled else []) + [None] * len(colors)
    for (whole, words), cap, color in zip(texts, plan.caps, looks, strict=True):
        limit = float("inf") if cap is None else cap
        m, seen = shortened(words, s, limit, color, kept, whole.copy().scale(k))
        shown.append(m.shift((0.0, -_baseline(m, seen, s), 0.0)))  # standing on y = 0
    head = shown.pop(0) if titled else None
    cells: list[Mobject] = []
    middle = _cap_height(s) / 2  # a disc is centred halfway up a capital
    for label, color in zip(shown, colors, strict=True):
        label.shift((LEGEND_DISC_BUFF * k - label.get_left()[0], 0.0, 0.0))
        disc = PointCloud([(0.0, middle)], colors=[color], radius=LEGEND_DISC * k)
        cells.append(Group(disc, label))
    entries = [head, *cells] if head is not None else cells
    lines: list[list[Mobject]] = [[head]] if head is not None and plan.title_line else []
    lines += [[entries[i] for i in row] for row in plan.rows]
    every = [m for line in lines for m in line]
    pitch = max(m.get_top()[1] for m in every) - min(m.get_bottom()[1] for m in every)
    pitch += LEGEND_ROW_GAP * k
    for n, line in enumerate(lines):  # every entry stands on y = 0 until it is placed
        boxes = [drawn_box(m) for m in line]
        x = -(sum(b.xmax - b.xmin for b in boxes) + LEGEND_GAP * k * (len(line) - 1)) / 2
        for entry, b in zip(line, boxes, strict=True):
            entry.shift((x - b.xmin, -n * pitch, 0.0))
            x += b.xmax - b.xmin + LEGEND_GAP * k
    group = Group(*([head] if head is not None else []), *cells)
    box = drawn_box(group)
    group.shift((-float(box.centre[0]), -float(box.centre[1]), 0.0))
    return group


class Legend(Group):
    """A legend (see :func:`legend`) that knows what fitting its box cost it."""

    def __init__(self, *parts: Mobject, shortened: int = 0, shrunk: bool = False) -> None:
        super().__init__(*parts)
        #: How many of its texts end in an ellipsis.
        self.shortened = shortened
        #: Whether it was scaled down below its smallest size to fit.
        self.shrunk = shrunk

    @property
    def cramped(self) -> tuple[int, bool]:
        """What fitting cost it, for comparing two layouts (smaller is better)."""
        return self.shortened, self.shrunk


def legend(
    class_names: Sequence[str],
    colors: Sequence[str],
    size: int = 20,
    title: str | None = None,
    fit: tuple[float, float] | None = None,
    min_size: int = 16,
) -> Legend:
    """Coloured discs with class names, after an optional ``title`` (the label column's
    name), centred on the origin.

    Without ``fit`` (width, height), or if it fits its width, one row at ``size``.
    Otherwise laid out in that box as :func:`plan_legend` finds best: in rows, the title
    heading the first one or on a line of its own, at ``size`` or smaller but never below
    ``min_size``, a name too long for that shortened with an ellipsis. Only if even that
    cannot fit (far too many names for the box) is the legend scaled down to fit.
    Every disc lies left of its own name, clear of it.
    """
    names = [str(n) for n in class_names][: len(colors)]
    head = None if title is None else text(title, size, color=theme().subtext)
    labels = [text(name, size) for name in names]
    items: list[Mobject] = [] if head is None else [head]
    for label, color in zip(labels, colors, strict=False):
        disc = PointCloud(np.zeros((1, 2)), colors=[color], radius=LEGEND_DISC)
        label.next_to(disc, RIGHT, buff=LEGEND_DISC_BUFF)
        items.append(Group(disc, label))
    row = Legend(*items).arrange(RIGHT, buff=LEGEND_GAP)
    drawn = drawn_box(row)
    if fit is None or drawn.xmax - drawn.xmin <= fit[0] + 1e-9:
        return row
    ell = _ellipsis_width(size)

    def measure(m: Mobject, s: str, kept: int) -> Span:
        """Width of ``m`` (the text ``s``), and about how narrow it gets, shortened."""
        return m.width, min(m.width, m.width * kept / max(len(s), 1) + ell)

    texts = list(zip(labels, names, strict=True))
    if head is not None and title is not None:
        texts.insert(0, (head, title))
    # A line is as high as the tallest above the baseline and the deepest below it
    bases = [_baseline(m, words, size) for m, words in texts]
    height = max(m.get_top()[1] - b for (m, _), b in zip(texts, bases, strict=True))
    height += max(b - m.get_bottom()[1] for (m, _), b in zip(texts, bases, strict=True))
    plan = None
    for kept in (LEGEND_MIN_KEPT, 1):  # then shorter than usual, rather than scaled down
        plan = plan_legend(
            [measure(m, n, kept) for m, n in zip(labels, names, strict=True)],
            None if head is None or title is None else measure(head, title, kept),
            height,
            size,
            fit,
            min_size,
        )
        if plan is not None:
            break
    if plan is None:  # not even one line: the smallest layout, scaled down below
        plan = LegendPlan(min_size, False, (tuple(range(len(items))),), (None,) * len(items))
    laid = _lay_out(texts, colors[: len(names)], head is not None, size, plan, kept)
    box = drawn_box(laid)
    shrink = min(1.0, fit[0] / (box.xmax - box.xmin), fit[1] / (box.ymax - box.ymin))
    cut = sum(cap is not None for cap in plan.caps)
    group = Legend(*laid.submobjects, shortened=cut, shrunk=shrink < 1.0)
    if shrink < 1.0:
        group.scale(shrink, about_point=np.zeros(3))
        for part in group.get_family():
            if isinstance(part, PointCloud):
                part.set_radius(part.radius * shrink)
    return group


__all__ = [
    "ELLIPSIS",
    "Captions",
    "Legend",
    "LegendPlan",
    "NetworkDiagram",
    "drawn_box",
    "legend",
    "math",
    "plan_legend",
    "shortened",
    "text",
    "typst_matrix",
    "typst_vector",
]
