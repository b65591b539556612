"""Numpy compositing of a cloud's disc sprites into Cairo's pixel array, in draw order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from scenes.draw.base import FloatArray
from scenes.draw.lanes import _U48, _div255, _from_words, _over, _to_words
from scenes.draw.sprites import _DiscTable, _Entries
from scenes.draw.workspace import _Workspace

__all__: list[str] = []  # package-internal helpers only


#: ``log(1 - a / 255)`` for every 8-bit alpha ``a`` (how much of what is below shows through).
_LOG_THROUGH = np.log(np.maximum(1.0 - np.arange(256) / 255.0, 1e-300))


class _Cloud:
    """One call's discs: positions, phases and colours, and the per-fragment helpers."""

    def __init__(
        self,
        work: _Workspace,
        table: _DiscTable,
        xs: npt.NDArray[np.intp],
        ys: npt.NDArray[np.intp],
        subs: npt.NDArray[np.intp],
        fill: FloatArray,
        rim: FloatArray,
        rect: tuple[int, int, int, int],
        n_pix: int,
        width: int,
    ) -> None:
        self.work, self.xs, self.ys, self.subs, self.rect = work, xs, ys, subs, rect
        self.n_pix = n_pix
        x0, x1, y0, y1 = rect
        size = table.size
        self.edge = np.flatnonzero((xs < x0) | (ys < y0) | (xs + size > x1) | (ys + size > y1))
        self.corner = ys * width + xs
        self.fill, self.rim, self.palette = work.colours(fill, rim if table.has_rim else None)
        self.point = np.arange(len(xs), dtype=np.intp)

    def pixels(self, name: str, part: _Entries) -> npt.NDArray[np.intp]:
        """``(N, count)`` pixel of every fragment; clipped ones go to the dummy ``n_pix``."""
        n = len(self.xs)
        pix: npt.NDArray[np.intp] = self.work.get(name, n * part.count, np.intp).reshape(
            n, part.count
        )
        np.take(part.offset, self.subs, axis=0, out=pix, mode="clip")
        pix += self.corner[:, None]
        if len(self.edge):
            x0, x1, y0, y1 = self.rect
            edge = self.edge
            fx = self.xs[edge, None] + part.dx[self.subs[edge]]
            fy = self.ys[edge, None] + part.dy[self.subs[edge]]
            rows = pix[edge]
            rows[(fx < x0) | (fx >= x1) | (fy < y0) | (fy >= y1)] = self.n_pix
            pix[edge] = rows
        np.minimum(pix, self.n_pix, out=pix)
        return pix

    def sprite(self, tag: str, part: _Entries, ids: npt.NDArray[np.intp], words: bool) -> Any:
        """Sprite pixels of fragments ``ids`` (flat index into the ``(N, count)`` grid).

        Premultiplied 16-bit lanes, or RGBA words if ``words``.
        """
        work, k, count = self.work, len(ids), part.count
        point = work.get(tag + "point", k, np.intp)
        np.floor_divide(ids, count, out=point)
        # Entry ``phase * count + i`` of fragment ``point * count + i``.
        shift = (self.subs - self.point) * count
        if self.palette is not None:
            lanes, packed = self.palette.sprites(part)
            shift += self.palette.index * len(part.w_fill)
            at = work.pick(tag + "at", shift, point)
            at += ids
            return work.pick(tag + ("words" if words else "lanes"), packed if words else lanes, at)
        entry = work.pick(tag + "entry", shift, point)
        entry += ids
        out = work.pick(tag + "lanes", self.fill, point)
        out *= work.pick(tag + "weight", part.w_fill, entry)
        if self.rim is not None:
            rim = work.pick(tag + "rim", self.rim, point)
            rim *= work.pick(tag + "weight", part.w_rim, entry)
            out += rim
        _div255(out, work.get(tag + "tmp", k, np.uint64))
        if not words:
            return out
        packed = work.get(tag + "words", k, np.uint32)
        _to_words(out, packed)
        return packed


def _composite_discs(
    pixels: npt.NDArray[np.uint8],
    table: _DiscTable,
    xs: npt.NDArray[np.intp],
    ys: npt.NDArray[np.intp],
    subs: npt.NDArray[np.intp],
    fill: FloatArray,
    rim: FloatArray,
    rect: tuple[float, float, float, float],
    work: _Workspace,
) -> None:
    """Composite disc sprites "over" ``pixels`` in array order, all at once with numpy.

    Parameters
    ----------
    pixels
        ``(H, W, 4)`` uint8 premultiplied RGBA, modified in place (Manim's pixel array, which
        Cairo sees as ARGB32: the bytes are R, G, B, A).
    table
        The sprite geometry (made for rows ``W`` pixels wide).
    xs, ys, subs
        Each sprite's top-left pixel and sub-pixel phase.
    fill, rim
        ``(N, 4)`` straight RGBA in ``[0, 1]``; the rim's alpha is ignored (the fill's is used).
    rect
        Integer device rectangle ``(x0, x1, y0, y1)``; pixels outside it are left alone.
    work
        Reusable arrays.

    Notes
    -----
    Every (disc, pixel) pair is a fragment; a per-pixel buffer of fragment numbers (keys)
    orders them. When every disc is opaque:

    1. The fully covered fragments write their disc's number into the key buffer in draw
       order (one scatter: the last disc wins), and each pixel's winner writes its colour.
       Nothing below it can show.
    2. A partly covered (antialiased) fragment is visible only if no later disc covers its
       pixel fully: one gather of the key buffer.
    3. The visible partial fragments are composited "over" the pixels from the bottom up:
       each round, a scatter in reverse order leaves every pixel's earliest remaining
       fragment on top, and those are blended in one vectorised step. Most pixels have one
       or two such fragments. Where points pile up (say 80 discs within a few pixels, as
       when an activation squeezes the data), a round would finish few of them; then all
       that remain go to :func:`_composite_stacks`, which handles any depth in one pass.

    Translucent discs skip step 1 (all their fragments are partial). The arithmetic is
    pixman's (premultiplied 8-bit channels, ``x / 255`` rounded, one "over" per fragment in
    draw order), so the result is Cairo's sequence of stamps to within a level or two (a
    few levels in deep stacks, which are rounded once instead of after every stamp).
    """
    height, width = pixels.shape[:2]
    n_pix = height * width
    words = pixels.reshape(n_pix, 4).view(np.uint32).reshape(n_pix)
    box = (int(rect[0]), int(rect[1]), int(rect[2]), int(rect[3]))
    cloud = _Cloud(work, table, xs, ys, subs, fill, rim, box, n_pix, width)
    n = len(xs)
    keys = work.ready_keys(n_pix, n + n * table.every.count)
    first = work.number(n)
    key = np.arange(first, first + n, dtype=np.int32)[:, None]

    part = table.every
    if table.opaque.count and bool((fill[:, 3] >= 1.0).all()):
        part = table.partial
        pix = cloud.pixels("opaque_pix", table.opaque)
        order = work.get("opaque_key", pix.size, np.int32).reshape(pix.shape)
        np.copyto(order, key)
        keys[pix] = order
        seen = work.get("opaque_seen", pix.size, np.int32).reshape(pix.shape)
        np.take(keys, pix, out=seen, mode="clip")
        _settle(keys, pix, order, seen, np.less)
        won = np.equal(seen, order, out=work.get("opaque_won", pix.size, bool).reshape(pix.shape))
        won &= pix < n_pix
        top = np.flatnonzero(won)
        words[work.pick("opaque_top", pix.reshape(-1), top)] = cloud.sprite(
            "opaque_", table.opaque, top, words=True
        )
    if part.count == 0:
        return

    pix = cloud.pixels("partial_pix", part)
    seen = work.get("partial_seen", pix.size, np.int32).reshape(pix.shape)
    np.take(keys, pix, out=seen, mode="clip")
    live = np.less(seen, key, out=work.get("partial_live", pix.size, bool).reshape(pix.shape))
    live &= pix < n_pix
    found = np.flatnonzero(live)
    if len(found) == 0:
        return
    # Latest fragment first, so that in a scatter the earliest one lands last.
    ids = work.get("peel_ids0", len(found), np.intp)
    np.copyto(ids, found[::-1])
    at = work.pick("peel_pix0", pix.reshape(-1), ids)
    last = work.number(len(ids)) + len(ids) - 1
    tag = work.get("peel_tag0", len(ids), np.int32)
    np.subtract(np.int32(last), work.ramp(len(ids)), out=tag)
    flip = 0
    while True:
        keys[at] = tag
        got = work.get("peel_seen", len(at), np.int32)
        np.take(keys, at, out=got, mode="clip")
        _settle(keys, at, tag, got, np.greater)
        won = np.equal(got, tag, out=work.get("peel_won", len(at), bool))
        n_won = int(np.count_nonzero(won))
        if 2 * n_won < len(at):  # deep stacks (points piled up): all of them at once
            _composite_stacks(work, cloud, part, words, at, ids)
            return
        if n_won < len(at):
            sel = np.flatnonzero(won)
            w_pix = work.pick("peel_wpix", at, sel)
            w_ids = work.pick("peel_wids", ids, sel)
        else:
            w_pix, w_ids = at, ids
        colour = cloud.sprite("partial_", part, w_ids, words=False)
        below = work.pick("peel_below", words, w_pix)
        dst = work.get("peel_dst", n_won, np.uint64)
        tmp = work.get("peel_tmp", n_won, np.uint64)
        _from_words(below, dst)
        _over(dst, colour, tmp, work.get("peel_tmp2", n_won, np.uint64))
        _to_words(dst, below)
        words[w_pix] = below
        if n_won == len(at):
            return
        rest = np.flatnonzero(np.logical_not(won, out=won))
        flip ^= 1
        at = work.pick(f"peel_pix{flip}", at, rest)
        ids = work.pick(f"peel_ids{flip}", ids, rest)
        tag = work.pick(f"peel_tag{flip}", tag, rest)


def _composite_stacks(
    work: _Workspace,
    cloud: _Cloud,
    part: _Entries,
    words: npt.NDArray[np.uint32],
    at: npt.NDArray[np.intp],
    ids: npt.NDArray[np.intp],
) -> None:
    """Composite fragments ``ids`` (at pixels ``at``) over ``words``, each pixel's in order.

    Sorted by (pixel, fragment number), fragment ``i`` of a pixel shows through those above
    it with weight ``prod_{j > i} (1 - a_j)``: a cumulative sum of ``log(1 - a)`` gives every
    weight at once, however deep the stacks. Rounded once (Cairo rounds after every stamp).
    """
    n = len(ids)
    bits = max(int(ids.max()).bit_length(), 1)
    order = work.pick("stack_sort", at, work.ramp(n))
    order <<= bits
    order |= ids
    order.sort()
    pix = work.get("stack_pix", n, np.intp)
    np.right_shift(order, bits, out=pix)
    order &= (1 << bits) - 1
    new = work.get("stack_new", n, bool)
    new[0] = True
    np.not_equal(pix[1:], pix[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    n_seg = len(starts)
    seg_pix = work.pick("stack_seg_pix", pix, starts)
    lanes = cloud.sprite("stack_", part, order, words=False)
    alpha = work.get("stack_alpha", n, np.uint64)
    np.right_shift(lanes, _U48, out=alpha)
    cum = work.pick("stack_cum", _LOG_THROUGH, alpha)
    np.cumsum(cum, out=cum)
    seg = work.get("stack_seg", n, np.intp)
    np.cumsum(new, out=seg)
    seg -= 1
    last = work.get("stack_last", n_seg, np.intp)
    last[:-1] = starts[1:]
    last[-1] = n
    last -= 1
    weight = work.pick("stack_weight", cum, work.pick("stack_last_of", last, seg))
    weight -= cum
    np.exp(weight, out=weight)
    through = work.pick("stack_through", cum, last)
    through[1:] -= cum[starts[1:] - 1]
    np.exp(through, out=through)
    below = work.pick("stack_below", words, seg_pix)
    below8 = below.view(np.uint8).reshape(n_seg, 4)
    chan16 = lanes.view(np.uint16).reshape(n, 4)
    value = work.get("stack_value", n, np.float64)
    total = work.get("stack_total", n_seg, np.float64)
    for c in range(4):
        np.multiply(chan16[:, c], weight, out=value)
        np.add.reduceat(value, starts, out=total)
        total += below8[:, c] * through
        total += 0.5
        np.minimum(total, 255.0, out=total)
        np.copyto(below8[:, c], total, casting="unsafe")
    words[seg_pix] = below


def _settle(
    buffer: npt.NDArray[np.int32],
    where: np.ndarray,
    values: np.ndarray,
    seen: np.ndarray,
    behind: Callable[..., Any],
) -> None:
    """After ``buffer[where] = values``, make sure each slot got the right one of its values.

    With repeated indices NumPy writes in order in practice (so the last value aimed at a
    slot lands), but does not promise it. ``behind(seen, values)`` marks values that should
    have won over what the slot holds; those are written again until none is left. ``seen``
    must hold ``buffer[where]`` and is kept up to date.
    """
    while True:
        late = behind(seen, values)
        if not late.any():
            return
        buffer[where[late]] = values[late]
        np.take(buffer, where, out=seen, mode="clip")
