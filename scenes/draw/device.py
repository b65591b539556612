"""Cairo device (pixel) space: frame-to-pixel maps, clip rectangles, polyline clipping."""

from __future__ import annotations

import math

import cairo
import numpy as np
import numpy.typing as npt

from scenes.draw.base import ClipBox, FloatArray

__all__: list[str] = []  # package-internal helpers only


def _device_transform(ctx: cairo.Context[cairo.ImageSurface], xy: FloatArray) -> FloatArray:
    """Apply the context's user->device matrix to ``(..., 2)`` frame coordinates."""
    m = ctx.get_matrix()
    out = np.empty(xy.shape, dtype=np.float64)
    out[..., 0] = m.xx * xy[..., 0] + m.xy * xy[..., 1] + m.x0
    out[..., 1] = m.yx * xy[..., 0] + m.yy * xy[..., 1] + m.y0
    return out


def _device_scale(ctx: cairo.Context[cairo.ImageSurface]) -> float:
    m = ctx.get_matrix()
    return math.sqrt(abs(m.xx * m.yy - m.xy * m.yx))


def _device_rect(
    ctx: cairo.Context[cairo.ImageSurface], clip_box: ClipBox | None, width: int, height: int
) -> tuple[float, float, float, float]:
    """Visible device rectangle ``(x0, x1, y0, y1)``: the screen, cut by the clip box."""
    x0, x1, y0, y1 = 0.0, float(width), 0.0, float(height)
    if clip_box is not None:
        corners = np.array(
            [
                [clip_box[0], clip_box[2]],
                [clip_box[1], clip_box[2]],
                [clip_box[0], clip_box[3]],
                [clip_box[1], clip_box[3]],
            ]
        )
        dev = _device_transform(ctx, corners)
        # Round inwards so no pixel outside the box is touched.
        x0 = max(x0, float(math.ceil(dev[:, 0].min() - 1e-9)))
        x1 = min(x1, float(math.floor(dev[:, 0].max() + 1e-9)))
        y0 = max(y0, float(math.ceil(dev[:, 1].min() - 1e-9)))
        y1 = min(y1, float(math.floor(dev[:, 1].max() + 1e-9)))
    return x0, x1, y0, y1


def _apply_clip(
    ctx: cairo.Context[cairo.ImageSurface], rect: tuple[float, float, float, float]
) -> None:
    x0, x1, y0, y1 = rect
    ctx.new_path()  # a path left by the last drawing (Manim fills with fill_preserve) would join in
    ctx.rectangle(x0, y0, max(x1 - x0, 0.0), max(y1 - y0, 0.0))
    ctx.clip()


def _polyline_runs(
    dev: FloatArray, valid: npt.NDArray[np.bool_], rect: tuple[float, float, float, float]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Clip polyline segments to ``rect``; return emitted vertices and move-to flags.

    ``dev`` is ``(L, M, 2)`` in device space, ``valid`` marks finite samples. Segments are
    clipped with Liang–Barsky; a new sub-path starts at the first drawable segment of a line,
    after a gap, and wherever clipping cut the path.
    """
    n_lines, m = valid.shape
    a = dev[:, :-1].reshape(-1, 2)
    b = dev[:, 1:].reshape(-1, 2)
    seg_ok = (valid[:, :-1] & valid[:, 1:]).reshape(-1)
    d = b - a
    t0 = np.zeros(len(a))
    t1 = np.ones(len(a))
    x0, x1, y0, y1 = rect
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, lo, hi in ((0, x0, x1), (1, y0, y1)):
            p = d[:, axis]
            q_lo = a[:, axis] - lo
            q_hi = hi - a[:, axis]
            parallel = p == 0
            seg_ok &= ~(parallel & ((q_lo < 0) | (q_hi < 0)))
            r_lo = -q_lo / p
            r_hi = q_hi / p
            enter = np.where(p > 0, r_lo, r_hi)
            leave = np.where(p > 0, r_hi, r_lo)
            t0 = np.where(parallel, t0, np.maximum(t0, enter))
            t1 = np.where(parallel, t1, np.minimum(t1, leave))
    seg_ok &= t0 <= t1
    start = a + t0[:, None] * d
    end = a + t1[:, None] * d
    prev_ok = np.concatenate([[False], seg_ok[:-1]])
    prev_cut = np.concatenate([[True], t1[:-1] < 1.0])
    first = (np.arange(len(a)) % (m - 1)) == 0
    new_run = seg_ok & (first | ~prev_ok | prev_cut | (t0 > 0.0))
    verts = np.stack([start, end], axis=1)  # (S, 2, 2)
    keep = np.stack([new_run, seg_ok], axis=1)  # (S, 2)
    moves = np.broadcast_to(np.array([True, False]), keep.shape)
    return verts[keep], moves[keep]


def _stride_groups(
    dev: FloatArray,
    valid: npt.NDArray[np.bool_],
    tolerance: float,
    gappy: npt.NDArray[np.bool_] | None = None,
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """Group lines by a power-of-two sample stride that keeps them within ``tolerance`` px.

    Keeping every ``k``-th sample of a smooth curve moves it by about ``k² · c / 8`` where
    ``c`` is the largest second difference of its samples, so straight or gently curved
    lines need far fewer ``line_to`` calls. Lines with gaps (``gappy``, or any sample not
    ``valid``) keep every sample.

    Returns
    -------
    list of tuple
        ``(sample_indices, line_indices)`` pairs; sample indices always include both ends.
    """
    n_lines, m = valid.shape
    if m <= 2 or tolerance <= 0:
        return [(np.arange(m), np.arange(n_lines))]
    d2 = dev[:, 2:] - 2.0 * dev[:, 1:-1] + dev[:, :-2]
    with np.errstate(invalid="ignore"):
        curv = np.sqrt((d2 * d2).sum(axis=-1)).max(axis=1)
    curv[~valid.all(axis=1) | ~np.isfinite(curv)] = np.inf
    if gappy is not None:
        curv[gappy] = np.inf
    with np.errstate(divide="ignore"):
        ideal = np.sqrt(8.0 * tolerance / np.maximum(curv, 1e-12))
    max_exp = int(math.floor(math.log2(m - 1)))
    exps = np.clip(np.floor(np.log2(np.maximum(ideal, 1.0))), 0, max_exp).astype(np.int64)
    groups = []
    for e in np.unique(exps).tolist():
        k = 1 << int(e)
        idx = np.arange(0, m, k)
        if idx[-1] != m - 1:
            idx = np.append(idx, m - 1)
        groups.append((idx, np.flatnonzero(exps == e)))
    return groups
