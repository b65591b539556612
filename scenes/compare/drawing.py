"""Fast pieces for drawing many runs every frame: mesh tiles, changing numbers, badges.

A comparison redraws up to 12 meshes and 24 numbers on every frame of its clock. Manim's
own ways are too slow for that: an :class:`~manim.ImageMobject` is composited through a
full-frame PIL image (tens of milliseconds at 1080p, per image), and a new
:class:`~manim.Text` per number costs about 0.1 s. Here a :class:`MeshTile` is an
axis-aligned image that :class:`CompareCamera` scales into its own rectangle of the frame
only, and a :class:`GlyphText` shows any string of :data:`CHARSET` by reusing the glyphs of
one :class:`~manim.Text` built once per size (:class:`GlyphAtlas`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import cairo
import numpy as np
import numpy.typing as npt
from manim import ImageMobject, Mobject, VMobject
from manim.mobject.types.image_mobject import AbstractImageMobject
from PIL import Image

from scenes.core.theme import hex_to_rgb, theme
from scenes.draw import FastCamera
from scenes.mobjects.textcache import page_text

__all__ = [
    "CHARSET",
    "CompareCamera",
    "GlyphAtlas",
    "GlyphText",
    "MeshTile",
    "Visibility",
    "mesh_colours",
]

#: The characters a :class:`GlyphText` can show.
CHARSET = "0123456789.,:%-+ abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def mesh_colours(probs: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """Class probabilities (…, R, R, K) as RGB (…, R, R, 3) in [0, 1], row 0 at the top.

    The colour mixes the class colours by probability and is stronger where the network
    is confident, over the background: the same picture as the warp scene's regions
    (:func:`scenes.mobjects.separators.mesh_image`).
    """
    th = theme()
    p = np.asarray(probs, np.float64)
    k = p.shape[-1]
    palette = np.array([hex_to_rgb(th.class_color(c)) for c in range(k)])
    mix = p @ palette
    confidence = (p.max(axis=-1) - 1 / k) / (1 - 1 / k)
    alpha = 0.12 + 0.5 * confidence[..., None]
    rgb = np.asarray(hex_to_rgb(th.background)) * (1 - alpha) + mix * alpha
    return np.ascontiguousarray(np.flip(rgb, axis=-3), dtype=np.float32)


class MeshTile(ImageMobject):
    """A run's class-probability mesh and its points, in their rectangle: one snapshot's
    picture, or a blend of two, drawn straight into the frame by :class:`CompareCamera`.

    The pictures of every snapshot are kept at the mesh's resolution. The camera asks for
    the tile at the pixels it covers: the (at most two) snapshots shown are scaled to that
    size once, with the points drawn over them, and kept; each frame then costs a blend of
    two small images and a copy. The points never move, so they are part of the pictures
    (and the same in both, so a blend keeps them crisp). The tile's own ``pixel_array`` is a
    2 × 2 carrier of its opacity (what :class:`~scenes.mobjects.widgets.Fade` changes).

    Parameters
    ----------
    pictures : array (S, R, C, 3) of float
        Every snapshot's picture, in [0, 1], row 0 at the top (:func:`mesh_colours`).
    rect : tuple of float
        ``(x0, x1, y0, y1)`` in frame units.
    points : array (N, 2), optional
        The data points, in frame units.
    colours : array (N, 3) or (N, 4), optional
        Their RGB(A) colours in [0, 1].
    radius : float
        The points' radius in frame units; a darker rim of ``rim`` × radius is drawn inside.
    """

    def __init__(
        self,
        pictures: npt.ArrayLike,
        rect: tuple[float, float, float, float],
        points: npt.ArrayLike | None = None,
        colours: npt.ArrayLike | None = None,
        radius: float = 0.0,
        rim: float = 0.35,
    ) -> None:
        pics = np.asarray(pictures, np.float64)
        self.pictures = np.round(np.clip(pics, 0, 1) * 255).astype(np.uint8)
        super().__init__(np.full((2, 2, 4), 255, np.uint8), z_index=1)
        x0, x1, y0, y1 = rect
        self.rect = rect
        self.stretch_to_fit_width(x1 - x0)
        self.stretch_to_fit_height(y1 - y0)
        self.move_to(((x0 + x1) / 2, (y0 + y1) / 2, 0.0))
        self.dots = np.zeros((0, 2)) if points is None else np.asarray(points, np.float64)[:, :2]
        self.dot_colours = (
            np.ones((len(self.dots), 3))
            if colours is None
            else np.asarray(colours, np.float64)[:, :3]
        )
        self.radius, self.rim = float(radius), float(rim)
        self.state: tuple[int, int, float] = (0, 0, 0.0)
        self._scaled: dict[tuple[int, int, int], npt.NDArray[np.uint8]] = {}
        self._overlay: tuple[int, int, npt.NDArray[np.uint16], npt.NDArray[np.uint16]] | None = None

    def set_state(self, s0: int, s1: int, w: float) -> None:
        """Show snapshot ``s0`` blended with ``s1`` at weight ``w`` (0: ``s0`` alone)."""
        self.state = (s0, s1, min(max(float(w), 0.0), 1.0))

    def overlay(
        self, width: int, height: int
    ) -> tuple[npt.NDArray[np.uint16], npt.NDArray[np.uint16]]:
        """The points at ``width`` × ``height`` pixels, ready to lay over a picture:
        ``(colour, rest)``, premultiplied colour × 256 and 256 × (1 − alpha), so that
        ``(colour + picture · rest) >> 8`` is the picture with the points on it."""
        if self._overlay is not None and self._overlay[:2] == (width, height):
            return self._overlay[2], self._overlay[3]
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, width, height)
        ctx = cairo.Context(surface)
        x0, x1, y0, y1 = self.rect
        sx, sy = width / (x1 - x0), height / (y1 - y0)
        r = self.radius * sx
        for (x, y), (red, green, blue) in zip(self.dots, self.dot_colours, strict=True):
            cx, cy = (x - x0) * sx, (y1 - y) * sy
            ctx.arc(cx, cy, r, 0, 2 * math.pi)
            ctx.set_source_rgb(red * 0.45, green * 0.45, blue * 0.45)
            ctx.fill()
            ctx.arc(cx, cy, r * (1 - self.rim), 0, 2 * math.pi)
            ctx.set_source_rgb(red, green, blue)
            ctx.fill()
        surface.flush()
        stride = surface.get_stride()
        rows = np.frombuffer(surface.get_data(), np.uint8).reshape(height, stride)
        bgra = rows[:, : 4 * width].reshape(height, width, 4)  # Cairo's byte order, premultiplied
        colour = (bgra[..., [2, 1, 0]].astype(np.uint16) << 8).astype(np.uint16)
        alpha = bgra[..., 3:].astype(np.uint16)
        rest = (256 - alpha - (alpha >> 7)).astype(np.uint16)  # 256·(1 − a), 0 when opaque
        self._overlay = (width, height, colour, rest)
        return colour, rest

    def scaled(self, snapshot: int, width: int, height: int) -> npt.NDArray[np.uint8]:
        """Snapshot ``snapshot``'s picture scaled (bilinear) to ``width`` × ``height``, with
        the points over it, as opaque RGBA (height, width, 4)."""
        key = (snapshot, width, height)
        pic = self._scaled.get(key)
        if pic is None:
            if len(self._scaled) > 8:  # only the few around the clock's position are kept
                self._scaled.clear()
            image = Image.fromarray(self.pictures[snapshot], mode="RGB")
            rgb = np.asarray(image.resize((width, height), Image.Resampling.BILINEAR))
            if len(self.dots):
                colour, rest = self.overlay(width, height)
                rgb = ((colour + rgb.astype(np.uint16) * rest) >> 8).astype(np.uint8)
            pic = np.full((height, width, 4), 255, np.uint8)  # opaque RGBA: copied row by row
            pic[..., :3] = rgb
            self._scaled[key] = pic
        return pic

    def picture(self, width: int, height: int) -> npt.NDArray[np.uint8]:
        """What the tile shows now, at ``width`` × ``height`` pixels: opaque RGBA."""
        s0, s1, w = self.state
        a = self.scaled(s0, width, height)
        k = round(w * 256)
        if k == 0:
            return a
        b = self.scaled(s1, width, height)
        if k == 256:
            return b
        mixed = a.astype(np.uint16) * (256 - k) + b.astype(np.uint16) * k
        return (mixed >> 8).astype(np.uint8)


_PHASES = 4  # subpixel positions a glyph bitmap is drawn at, per axis


class _GlyphMasks:
    """Anti-aliased coverage bitmaps of one :class:`GlyphAtlas`'s glyphs at one pixel scale,
    drawn by Cairo from the glyphs' outlines on first use, per subpixel phase."""

    def __init__(self, atlas: GlyphAtlas, scale: float) -> None:
        self.atlas, self.scale = atlas, scale
        self.masks: dict[tuple[str, int, int], tuple[npt.NDArray[np.uint8], int, int]] = {}
        self.lines: dict[
            tuple[str, int, int, tuple[float, ...]], tuple[npt.NDArray[np.uint8], int, int]
        ] = {}

    def get(self, ch: str, qx: int, qy: int) -> tuple[npt.NDArray[np.uint8], int, int]:
        """``(coverage, dx, dy)``: the bitmap of ``ch`` whose pen is ``(qx, qy)`` quarters of
        a pixel right of and below the pixel corner it is stamped from, and where its top
        left corner goes from that pixel."""
        key = (ch, qx, qy)
        found = self.masks.get(key)
        if found is None:
            found = self.masks[key] = self._draw(ch, qx / _PHASES, qy / _PHASES)
        return found

    def line(
        self, key: str, chars: list[str], pens: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.uint8], int, int]:
        """The coverage of a whole line: ``chars`` with their pens at the pixel positions
        ``pens`` (N, 2), and where its top left corner goes. Kept by the text ``key`` and
        where its first pen falls in its pixel, so an unchanged number costs one lookup."""
        fx, fy = float(pens[0, 0]), float(pens[0, 1])
        x, y = math.floor(fx), math.floor(fy)
        qx, qy = round((fx - x) * _PHASES), round((fy - y) * _PHASES)
        widths = tuple(round(float(p) - fx, 3) for p in pens[:, 0])
        cache_key = (key, qx, qy, widths)
        found = self.lines.get(cache_key)
        if found is None:
            placed = []
            for ch, (gx, gy) in zip(chars, pens, strict=True):
                # the same pen offsets as when stamped alone from the first pen's pixel
                rx, ry = float(gx) - x, float(gy) - y
                ix, iy = math.floor(rx), math.floor(ry)
                mask, ox, oy = self.get(ch, round((rx - ix) * _PHASES), round((ry - iy) * _PHASES))
                placed.append((mask, ix + ox, iy + oy))
            left = min(px for _, px, _ in placed)
            top = min(py for _, _, py in placed)
            right = max(px + m.shape[1] for m, px, _ in placed)
            bottom = max(py + m.shape[0] for m, _, py in placed)
            cover = np.zeros((bottom - top, right - left), np.uint8)
            for mask, px, py in placed:
                part = cover[
                    py - top : py - top + mask.shape[0], px - left : px - left + mask.shape[1]
                ]
                np.maximum(part, mask, out=part)
            if len(self.lines) > 512:
                self.lines.clear()
            found = self.lines[cache_key] = (cover, left, top)
        cover, left, top = found
        return cover, x + left, y + top

    def _draw(self, ch: str, px: float, py: float) -> tuple[npt.NDArray[np.uint8], int, int]:
        a, s = self.atlas, self.scale
        g = a.glyph[ch]
        dx, dy = a.offset[ch]
        pts = g.points[:, :2] + np.array([dx - g.get_left()[0], dy - g.get_bottom()[1]])
        x = pts[:, 0] * s + px  # pixels from the pen's pixel corner, y down
        y = -pts[:, 1] * s + py
        ox, oy = math.floor(x.min()) - 1, math.floor(y.min()) - 1
        width, height = math.ceil(x.max()) - ox + 2, math.ceil(y.max()) - oy + 2
        surface = cairo.ImageSurface(cairo.FORMAT_A8, width, height)
        ctx = cairo.Context(surface)
        ctx.translate(-ox, -oy)
        end = None
        for k in range(0, len(pts) - 3, 4):  # cubic Béziers: anchor, handle, handle, anchor
            if end is None or abs(x[k] - end[0]) + abs(y[k] - end[1]) > 1e-6:
                if end is not None:
                    ctx.close_path()
                ctx.move_to(x[k], y[k])
            ctx.curve_to(x[k + 1], y[k + 1], x[k + 2], y[k + 2], x[k + 3], y[k + 3])
            end = (x[k + 3], y[k + 3])
        ctx.close_path()
        ctx.fill()
        surface.flush()
        stride = surface.get_stride()
        data = np.frombuffer(surface.get_data(), np.uint8).reshape(height, stride)
        return np.ascontiguousarray(data[:, :width]), ox, oy


@lru_cache(maxsize=16)
def _glyph_masks(atlas: GlyphAtlas, scale: float) -> _GlyphMasks:
    return _GlyphMasks(atlas, scale)


class CompareCamera(FastCamera):
    """:class:`~scenes.draw.FastCamera` that draws a :class:`MeshTile` into its own rectangle.

    Manim composites every image through a frame-sized PIL image (tens of milliseconds a
    picture at 1080p); a tile is written into the pixels it covers, blended by its opacity.
    """

    def display_multiple_image_mobjects(
        self, image_mobjects: Iterable[AbstractImageMobject], pixel_array: Any
    ) -> None:
        """Draw tiles here, hand other images to Manim."""
        others: list[AbstractImageMobject] = []
        for image in image_mobjects:
            if isinstance(image, MeshTile):
                self.draw_tile(image, pixel_array)
            else:
                others.append(image)
        if others:
            super().display_multiple_image_mobjects(others, pixel_array)

    def display_multiple_vectorized_mobjects(
        self, vmobjects: list[VMobject], pixel_array: Any
    ) -> None:
        """Draw :class:`GlyphText` lines from glyph bitmaps, other VMobjects as Manim does,
        in their order."""
        pending: list[VMobject] = []
        for vm in vmobjects:
            if isinstance(vm, GlyphText):
                placed = vm.placement()
                if placed is not None:
                    if pending:
                        super().display_multiple_vectorized_mobjects(pending, pixel_array)
                        pending = []
                    self.draw_text(vm, placed, pixel_array)
                    continue
            pending.append(vm)
        if pending:
            super().display_multiple_vectorized_mobjects(pending, pixel_array)

    def draw_text(
        self, text: GlyphText, placed: tuple[list[tuple[str, float]], float], pixel_array: Any
    ) -> None:
        """Stamp ``text``'s glyphs (anti-aliased bitmaps) at their pens, in its colour."""
        pens, baseline = placed
        rgba = text.get_fill_rgbas()[0]
        opacity = float(rgba[3])
        if not pens or opacity <= 0:
            return
        scale = self.pixel_width / self.frame_width
        masks = _glyph_masks(text.atlas, scale)
        xy = self.points_to_subpixel_coords(text, np.array([[x, baseline, 0.0] for _, x in pens]))
        colour = np.asarray(rgba[:3], np.float32) * 255
        line, x0, y0 = masks.line(text.text or "", [ch for ch, _ in pens], xy)
        h, w = pixel_array.shape[:2]
        x1, y1 = x0 + line.shape[1], y0 + line.shape[0]
        cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
        if cx1 <= cx0 or cy1 <= cy0:
            return
        surface = self.get_cairo_context(pixel_array).get_target()
        surface.flush()
        a = line[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0, None] * np.float32(opacity / 255)
        dst = pixel_array[cy0:cy1, cx0:cx1, :3]
        dst[...] = (dst + (colour - dst) * a + 0.5).astype(np.uint8)
        surface.mark_dirty()

    def draw_tile(self, tile: MeshTile, pixel_array: npt.NDArray[np.uint8]) -> None:
        """Write ``tile``'s picture into the pixels it covers (blended by its opacity)."""
        corners = self.points_to_pixel_coords(tile, tile.points)
        x0, y0 = np.floor(corners.min(axis=0) + 0.5).astype(int)
        x1, y1 = np.floor(corners.max(axis=0) + 0.5).astype(int)
        h, w = pixel_array.shape[:2]
        alpha = int(tile.pixel_array[0, 0, 3])
        if x1 <= x0 or y1 <= y0 or x1 <= 0 or y1 <= 0 or x0 >= w or y0 >= h or alpha == 0:
            return
        pic = tile.picture(x1 - x0, y1 - y0)
        cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
        part = pic[cy0 - y0 : cy1 - y0, cx0 - x0 : cx1 - x0]
        dst = pixel_array[cy0:cy1, cx0:cx1]
        if alpha == 255:
            dst[...] = part
        else:
            mixed = part.astype(np.uint16) * alpha + dst.astype(np.uint16) * (255 - alpha)
            dst[...] = ((mixed + 127) // 255).astype(np.uint8)
            dst[..., 3] = 255


class GlyphAtlas:
    """The glyphs of :data:`CHARSET` at one font size, with their advances.

    Measured on short :class:`~manim.Text` lines in which every character sits between two
    zeros, so each advance is the distance of the zeros around it minus a zero's, without
    kerning or ligatures. (Short, because Pango wraps a line wider than the canvas, whose
    width follows the frame's pixels: a long line would wrap at a space.) Use :func:`atlas`
    to share one per size.
    """

    CHUNK = 8  # characters measured per Text line

    def __init__(self, size: int) -> None:
        font = theme().font
        self.size = size
        self.advance: dict[str, float] = {}
        self.offset: dict[str, tuple[float, float]] = {}
        self.glyph: dict[str, VMobject] = {}
        chars = [c for c in CHARSET if c not in "0 "]
        chunks = [chars[i : i + self.CHUNK] for i in range(0, len(chars), self.CHUNK)]
        self.zero_advance = 0.0
        for n, chunk in enumerate(chunks):
            glyphs = list(
                page_text("00" + "".join(c + "0" for c in chunk), font=font, font_size=size)
            )
            zeros = [glyphs[0], glyphs[1], *glyphs[3::2]]
            centre = [float(z.get_center()[0]) for z in zeros]
            if n == 0:
                self.zero_advance = centre[1] - centre[0]
                self.advance["0"] = self.zero_advance
                self._keep("0", glyphs[0], centre[0] - self.zero_advance / 2, glyphs[0])
            for k, ch in enumerate(chunk):
                before, after = centre[k + 1], centre[k + 2]  # the zeros around ch
                self.advance[ch] = after - before - self.zero_advance
                self._keep(ch, glyphs[2 + 2 * k], before + self.zero_advance / 2, glyphs[0])
        pair = list(page_text("0 0", font=font, font_size=size))  # a space has no glyph
        self.advance[" "] = float(pair[-1].get_center()[0] - pair[0].get_center()[0])
        self.advance[" "] -= self.zero_advance

    def _keep(self, ch: str, glyph: VMobject, cell_left: float, zero: VMobject) -> None:
        """Keep ``glyph`` and where it sits in its cell (from its left edge, above the
        bottom of a zero on the same line: the baseline)."""
        self.glyph[ch] = glyph
        self.offset[ch] = (
            float(glyph.get_left()[0]) - cell_left,
            float(glyph.get_bottom()[1]) - float(zero.get_bottom()[1]),
        )

    def width(self, s: str) -> float:
        """The advance of ``s``: how wide it is when set with these glyphs."""
        return sum(self.advance.get(c, self.zero_advance) for c in s)


@lru_cache(maxsize=8)
def atlas(size: int) -> GlyphAtlas:
    """The shared :class:`GlyphAtlas` of ``size`` (built once, ~0.1 s)."""
    return GlyphAtlas(size)


class GlyphText(VMobject):
    """A line of text from :data:`CHARSET` that changes every frame at little cost.

    One :class:`~manim.VMobject` whose outline is the glyphs' outlines side by side:
    :meth:`set_text` joins the outlines of its characters at their pen positions (each
    computed once, then reused), so a new number costs a few array copies and the frame
    draws one path, not one mobject per glyph. Characters outside :data:`CHARSET` are
    drawn as spaces; an empty string hides the text.

    Parameters
    ----------
    text : str
        What to show first.
    size : int
        Font size.
    left, baseline : float
        Where the text starts and the line it sits on (frame units).
    color : str
        ``#RRGGBB``.
    """

    def __init__(
        self, text: str, size: int, left: float, baseline: float, color: str, **kwargs: Any
    ) -> None:
        super().__init__(fill_color=color, fill_opacity=1.0, stroke_width=0, **kwargs)
        self.atlas = atlas(size)
        self.anchor = (left, baseline)
        self.text: str | None = None
        self._cache: dict[tuple[str, int], npt.NDArray[np.float64]] = {}
        self.set_text(text)

    def _outline(self, ch: str, x: float) -> npt.NDArray[np.float64]:
        """The points of ``ch``'s glyph with its pen at ``x`` on the baseline."""
        key = (ch, round(x * 1e4))
        points = self._cache.get(key)
        if points is None:
            a = self.atlas
            g = a.glyph[ch]
            dx, dy = a.offset[ch]
            left, bottom = float(g.get_left()[0]), float(g.get_bottom()[1])
            points = g.points + np.array([x + dx - left, self.anchor[1] + dy - bottom, 0.0])
            self._cache[key] = points
        return points

    def set_text(self, s: str) -> None:
        """Show ``s`` (nothing is done when it is already shown)."""
        if s == self.text:
            return
        a = self.atlas
        x = self.anchor[0]
        parts = []
        for ch in s:
            if ch in a.glyph:
                parts.append(self._outline(ch, x))
            x += a.advance.get(ch, a.zero_advance)
        if parts:
            # a new array: moving the text (a fade does) must not move the cached outlines
            self.points = np.concatenate(parts)
        else:  # keep an outline where the text goes (so it stays drawn), but hide it
            self.points = self._outline("0", self.anchor[0]).copy()
        self.set_fill(opacity=1.0 if parts else 0.0, family=False)
        self.text = s
        self._pens = [(ch, px) for ch, px in self._pen_positions(s) if ch in a.glyph]
        self._frame = self._box()

    def _pen_positions(self, s: str) -> list[tuple[str, float]]:
        a, x, out = self.atlas, self.anchor[0], []
        for ch in s:
            out.append((ch, x))
            x += a.advance.get(ch, a.zero_advance)
        return out

    def _box(self) -> tuple[float, float, float]:
        """Left, bottom and width of the outline now."""
        p = self.points
        left, right = float(p[:, 0].min()), float(p[:, 0].max())
        return left, float(p[:, 1].min()), right - left

    def placement(self) -> tuple[list[tuple[str, float]], float] | None:
        """Where the glyphs are now: ``([(character, pen x)], baseline)``, following any
        move of the text since :meth:`set_text`; None if it was scaled or reshaped (then
        only its outline says where it is)."""
        left, bottom, width = self._box()
        left0, bottom0, width0 = self._frame
        if abs(width - width0) > 1e-6 * max(1.0, width0):
            return None
        dx, dy = left - left0, bottom - bottom0
        return [(ch, x + dx) for ch, x in self._pens], self.anchor[1] + dy

    @property
    def extent(self) -> tuple[float, float]:
        """``(left, right)`` of the text now shown, by its advances."""
        x = self.anchor[0]
        return x, x + self.atlas.width(self.text or "")


class Visibility:
    """Show or hide a group of mobjects in place, keeping their own opacities.

    Hidden mobjects stay in the scene (drawn fully transparent), so a badge can appear in
    the middle of an animation without being added to the scene then.
    """

    def __init__(self, mobject: Mobject) -> None:
        self.mobject = mobject
        self.saved: list[tuple[VMobject, Any, Any]] = [
            (m, m.get_fill_opacities().copy(), m.get_stroke_opacities().copy())
            for m in mobject.get_family()
            if isinstance(m, VMobject)
        ]
        self.shown = True

    def set(self, shown: bool) -> None:
        """Show (True) or hide (False)."""
        if shown == self.shown:
            return
        k = 1.0 if shown else 0.0
        for m, fill, stroke in self.saved:
            m.set_fill(opacity=fill * k, family=False)
            m.set_stroke(opacity=stroke * k, family=False)
        self.shown = shown
