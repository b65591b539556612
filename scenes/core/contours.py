"""Marching squares: the curves where a sampled field crosses a level (numpy only).

Shared by the evolution's moving decision boundary and the warp's boundary curves.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["boundary_segments", "contour_segments"]

Array = npt.NDArray[np.float64]


def contour_segments(
    values: npt.ArrayLike, extent: tuple[float, float, float, float], level: float = 0.0
) -> Array:
    """Marching squares: the curve ``values = level`` as line segments, ``(L, 2, 2)``.

    ``values`` is ``(R, C)`` sampled at the centres of an ``R × C`` mesh of cells over
    ``extent = (xmin, xmax, ymin, ymax)``, row 0 the lowest y (as the trajectory's mesh).
    Each square between four neighbouring samples holds 0, 1 or 2 segments, their ends
    linearly interpolated along its sides; a saddle is resolved by the square's mean.

    >>> f = np.add.outer(np.zeros(4), np.arange(4.0)) - 1.5  # f = x − 1.5 on a 4×4 mesh
    >>> seg = contour_segments(f, (0.0, 4.0, 0.0, 4.0))
    >>> len(seg), sorted({float(x) for x in seg[:, :, 0].ravel()})
    (3, [2.0])
    """
    f = np.asarray(values, np.float64) - level
    rows, cols = f.shape
    if rows < 2 or cols < 2:
        return np.zeros((0, 2, 2))
    x0, x1, y0, y1 = extent
    dx, dy = (x1 - x0) / cols, (y1 - y0) / rows
    xs = x0 + dx * (np.arange(cols) + 0.5)
    ys = y0 + dy * (np.arange(rows) + 0.5)
    a, b, c, d = f[:-1, :-1], f[:-1, 1:], f[1:, 1:], f[1:, :-1]  # corners 0..3, anticlockwise
    gx, gy = np.meshgrid(xs[:-1], ys[:-1])
    pos = [v >= 0 for v in (a, b, c, d)]

    def cross(
        fp: Array, fq: Array, p_pos: npt.NDArray[np.bool_], q_pos: npt.NDArray[np.bool_]
    ) -> tuple[npt.NDArray[np.bool_], Array]:
        hit = p_pos != q_pos
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.where(hit, fp / (fp - fq), np.nan)
        return hit, t

    h0, t0 = cross(a, b, pos[0], pos[1])  # bottom: (x + t·dx, y)
    h1, t1 = cross(b, c, pos[1], pos[2])  # right: (x + dx, y + t·dy)
    h2, t2 = cross(d, c, pos[3], pos[2])  # top: (x + t·dx, y + dy)
    h3, t3 = cross(a, d, pos[0], pos[3])  # left: (x, y + t·dy)
    points = np.stack(
        [
            np.stack([gx + t0 * dx, gy], axis=-1),
            np.stack([gx + dx, gy + t1 * dy], axis=-1),
            np.stack([gx + t2 * dx, gy + dy], axis=-1),
            np.stack([gx, gy + t3 * dy], axis=-1),
        ],
        axis=-2,
    )  # (R−1, C−1, 4 edges, 2)
    hits = np.stack([h0, h1, h2, h3], axis=-1)
    count = hits.sum(axis=-1)
    segments: list[Array] = []
    two = count == 2
    if two.any():
        first = np.argmax(hits, axis=-1)
        second = 3 - np.argmax(hits[..., ::-1], axis=-1)
        p = points[two]
        i, j = first[two], second[two]
        k = np.arange(len(p))
        segments.append(np.stack([p[k, i], p[k, j]], axis=1))
    four = count == 4
    if four.any():
        p = points[four]
        centre_pos = ((a + b + c + d) / 4)[four] >= 0
        corner0_pos = pos[0][four]
        # Cut off corners 1 and 3 when corners 0 and 2 connect through the middle.
        cut13 = centre_pos == corner0_pos
        pairs_13 = ((0, 1), (2, 3))
        pairs_02 = ((3, 0), (1, 2))
        for (e1, e2), (f1, f2) in zip(pairs_13, pairs_02, strict=True):
            first_end = np.where(cut13[:, None], p[:, e1], p[:, f1])
            second_end = np.where(cut13[:, None], p[:, e2], p[:, f2])
            segments.append(np.stack([first_end, second_end], axis=1))
    if not segments:
        return np.zeros((0, 2, 2))
    return np.concatenate(segments)


def boundary_segments(probs: npt.ArrayLike, extent: tuple[float, float, float, float]) -> Array:
    """The decision boundary of a class-probability mesh ``(R, R, K)``, as segments.

    Region ``k`` is where class ``k`` is the most probable; its border is the zero curve
    of ``p_k − max_{j≠k} p_j``. With two classes that is ``p_1 = 0.5``, drawn once.
    """
    p = np.asarray(probs, np.float64)
    k = p.shape[-1]
    classes = [1] if k == 2 else list(range(k))
    parts = []
    for c in classes:
        others = np.delete(p, c, axis=-1).max(axis=-1)
        parts.append(contour_segments(p[..., c] - others, extent))
    return np.concatenate(parts) if parts else np.zeros((0, 2, 2))
