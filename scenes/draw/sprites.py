"""Antialiased disc sprites: cached Cairo masks and stamps, and their pixel tables for numpy."""

from __future__ import annotations

import math
from collections.abc import Sequence

import cairo
import numpy as np
import numpy.typing as npt

from scenes.draw.base import FloatArray

__all__ = ["MAX_SPRITE_COLOURS", "SUBPIXEL_STEPS"]


#: Sub-pixel positions per axis for pre-rendered point sprites (position error <= 1/8 px).
SUBPIXEL_STEPS = 4
#: Above this many distinct colours per frame, outlined points use two masks, not sprites.
MAX_SPRITE_COLOURS = 48
_MAX_CACHE = 4096
#: Numpy compositing: padding offset (clipped to the dummy pixel).
_FAR = 1 << 40


def _colour_keys(rgbas: FloatArray) -> npt.NDArray[np.uint32]:
    q = np.clip(np.rint(rgbas * 255.0), 0, 255).astype(np.uint32)
    keys: npt.NDArray[np.uint32] = (
        (q[:, 0] << np.uint32(24))
        | (q[:, 1] << np.uint32(16))
        | (q[:, 2] << np.uint32(8))
        | q[:, 3]
    )
    return keys


def _key_to_rgba(key: int) -> tuple[float, float, float, float]:
    return (
        ((key >> 24) & 255) / 255.0,
        ((key >> 16) & 255) / 255.0,
        ((key >> 8) & 255) / 255.0,
        (key & 255) / 255.0,
    )


class _Sprites:
    """Cache of pre-rendered antialiased discs (A8 masks and ARGB sprites)."""

    def __init__(self) -> None:
        self.masks: dict[tuple[int, int, int, int], cairo.ImageSurface] = {}
        self.sprites: dict[tuple[int, int, int, int, int], cairo.ImageSurface] = {}
        self.tables: dict[tuple[int, int, int], _DiscTable] = {}

    @staticmethod
    def size_for(radius: float) -> int:
        return int(math.ceil(2.0 * radius + 3.0))

    def mask(self, size_q: int, outer_q: int, inner_q: int, sub: int) -> cairo.ImageSurface:
        """A8 mask of a disc of radius ``outer_q`` minus one of radius ``inner_q`` (if >= 0).

        Radii are in 1/8 px; the sprite is sized and centred for radius ``size_q`` so masks
        of different radii line up at the same paint position.
        """
        key = (size_q, outer_q, inner_q, sub)
        hit = self.masks.get(key)
        if hit is not None:
            return hit
        if len(self.masks) > _MAX_CACHE:
            self.masks.clear()
        size_r = size_q / 8.0
        size = self.size_for(size_r)
        surf = cairo.ImageSurface(cairo.FORMAT_A8, size, size)
        ctx = cairo.Context(surf)
        ctx.set_antialias(cairo.ANTIALIAS_BEST)
        cx = size_r + 1.0 + (sub // SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        cy = size_r + 1.0 + (sub % SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        ctx.arc(cx, cy, outer_q / 8.0, 0.0, 2.0 * math.pi)
        if inner_q >= 0:
            ctx.new_sub_path()
            ctx.arc_negative(cx, cy, inner_q / 8.0, 2.0 * math.pi, 0.0)
        ctx.fill()
        surf.flush()
        self.masks[key] = surf
        return surf

    def table(self, radius_q: int, inner_q: int, width: int) -> _DiscTable:
        """Coverage lists of all sub-pixel phases for numpy compositing (rows ``width`` px)."""
        key = (radius_q, inner_q, width)
        hit = self.tables.get(key)
        if hit is not None:
            return hit
        if len(self.tables) > 64:
            self.tables.clear()
        n_sub = SUBPIXEL_STEPS**2
        outer = [_mask_coverage(self.mask(radius_q, radius_q, -1, s)) for s in range(n_sub)]
        inner = None
        if inner_q >= 0:
            inner = [_mask_coverage(self.mask(radius_q, inner_q, -1, s)) for s in range(n_sub)]
        table = _DiscTable(outer, inner, width)
        self.tables[key] = table
        return table

    def sprite(
        self, radius_q: int, inner_q: int, fill_key: int, outline_key: int, sub: int
    ) -> cairo.ImageSurface:
        """ARGB sprite: outline-coloured disc with a fill-coloured inner disc on top."""
        key = (radius_q, inner_q, fill_key, outline_key, sub)
        hit = self.sprites.get(key)
        if hit is not None:
            return hit
        if len(self.sprites) > _MAX_CACHE:
            self.sprites.clear()
        radius = radius_q / 8.0
        size = self.size_for(radius)
        surf = cairo.ImageSurface(cairo.FORMAT_ARGB32, size, size)
        ctx = cairo.Context(surf)
        ctx.set_antialias(cairo.ANTIALIAS_BEST)
        cx = radius + 1.0 + (sub // SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        cy = radius + 1.0 + (sub % SUBPIXEL_STEPS + 0.5) / SUBPIXEL_STEPS
        r, g, b, a = _key_to_rgba(outline_key)
        ctx.set_source_rgba(b, g, r, a)  # Cairo's ARGB32 is BGRA in Manim's RGBA buffer.
        ctx.arc(cx, cy, radius, 0.0, 2.0 * math.pi)
        ctx.fill()
        r, g, b, a = _key_to_rgba(fill_key)
        ctx.set_operator(cairo.OPERATOR_SOURCE)
        ctx.set_source_rgba(b, g, r, a)
        ctx.arc(cx, cy, inner_q / 8.0, 0.0, 2.0 * math.pi)
        ctx.fill()
        surf.flush()
        self.sprites[key] = surf
        return surf


def _mask_coverage(surface: cairo.ImageSurface) -> FloatArray:
    """An A8 surface's coverage as a ``(height, width)`` float array in ``[0, 1]``."""
    surface.flush()
    width, height, stride = surface.get_width(), surface.get_height(), surface.get_stride()
    data = np.frombuffer(surface.get_data(), dtype=np.uint8).reshape(height, stride)
    return data[:, :width].astype(np.float64) / 255.0


class _Entries:
    """One class of a disc sprite's pixels (opaque or partly covered), for every phase.

    ``(phases, count)`` arrays: ``dx``/``dy`` from the sprite's top-left pixel, ``offset =
    dy * width + dx`` in a frame ``width`` pixels wide, and flat ``w_fill``/``w_rim`` weights
    (0..255, indexed by ``phase * count + entry``). Rows are padded with entries whose offset
    is :data:`_FAR`, which clipping sends to the dummy pixel.
    """

    def __init__(
        self,
        rows: Sequence[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], FloatArray, FloatArray]],
        width: int,
    ) -> None:
        self.count = count = max(len(r[0]) for r in rows)
        shape = (len(rows), count)
        self.dx = np.zeros(shape, dtype=np.intp)
        self.dy = np.zeros(shape, dtype=np.intp)
        self.offset = np.full(shape, _FAR, dtype=np.intp)
        w_fill = np.zeros(shape, dtype=np.uint64)
        w_rim = np.zeros(shape, dtype=np.uint64)
        for s, (dx, dy, wf, wr) in enumerate(rows):
            k = len(dx)
            self.dx[s, :k], self.dy[s, :k] = dx, dy
            self.offset[s, :k] = dy * width + dx
            w_fill[s, :k], w_rim[s, :k] = wf, wr
        self.w_fill = w_fill.reshape(-1)
        self.w_rim = w_rim.reshape(-1)


class _DiscTable:
    """The pixels of an antialiased disc sprite, per sub-pixel phase, for numpy compositing.

    Made from the same Cairo masks the Cairo path stamps. The sprite is the rim disc with the
    fill disc drawn over it (Cairo's ``OPERATOR_SOURCE``), so with outer coverage ``co`` and
    inner coverage ``ci`` a pixel is ``fill * ci + rim * co * (1 - ci)``; both weights are
    stored in 1/255 steps. ``opaque`` holds the pixels whose weights add up to 255 (opaque
    for an opaque point), ``partial`` the others and ``every`` both.
    """

    def __init__(self, outer: list[FloatArray], inner: list[FloatArray] | None, width: int) -> None:
        self.size = outer[0].shape[0]
        self.has_rim = inner is not None
        opaque, partial, every = [], [], []
        for s, co in enumerate(outer):
            if inner is None:
                w_fill, w_rim = np.rint(co * 255.0), np.zeros_like(co)
            else:
                w_fill = np.rint(inner[s] * 255.0)
                w_rim = np.minimum(np.rint(co * (1.0 - inner[s]) * 255.0), 255.0 - w_fill)
            total = w_fill + w_rim
            dy, dx = np.nonzero(total > 0)
            wf, wr, full = w_fill[dy, dx], w_rim[dy, dx], total[dy, dx] >= 255
            opaque.append((dx[full], dy[full], wf[full], wr[full]))
            partial.append((dx[~full], dy[~full], wf[~full], wr[~full]))
            every.append((dx, dy, wf, wr))
        self.opaque = _Entries(opaque, width)
        self.partial = _Entries(partial, width)
        self.every = _Entries(every, width)
