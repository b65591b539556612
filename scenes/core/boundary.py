"""The decision boundary as curves in the input plane, and where each layer carries them.

The warp ends with the output layer's straight line in the last hidden space, then rewinds
every layer back to the input plane. The boundary the network draws in the input plane is
the set of inputs that every layer carries onto that line, so the rewind can show the line
turning into the curve: :func:`boundary_curves` finds the curve (marching squares on the
network's own output, refined on it), :func:`carry` moves it through the forward pass stage
by stage, exactly as the points and the grid are moved (numpy only).

>>> from nnmodel.trajectory import load  # doctest: +SKIP
>>> traj = load("tests/data/golden.npz")  # doctest: +SKIP
>>> curves = boundary_curves(traj, -1)  # doctest: +SKIP
>>> [c.shape for c in carry(traj, -1, curves)][:2]  # doctest: +SKIP
[(1, 160, 2), (1, 160, 3)]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from nnmodel import schema as S
from nnmodel.trajectory import Trajectory, forward
from scenes.core.contours import contour_segments

__all__ = ["boundary_curves", "carry", "chain", "resample"]

Array = npt.NDArray[np.float64]

#: Samples per side of the input window where the network's output is evaluated.
RESOLUTION = 241
#: Samples per curve (every curve is resampled to this many, evenly along its length).
SAMPLES = 160
#: At most this many curves: the longest (tiny islands of a class are left to the regions).
MAX_CURVES = 12
#: A curve shorter than this share of the window's diagonal is an island too small to draw.
MIN_LENGTH = 0.02


def _margin(traj: Trajectory, snapshot: int, x: Array) -> list[Array]:
    """For each boundary to draw, a function of the inputs that is 0 on it: the logit with
    one output; with K classes, each class's logit minus the largest other."""
    acts = [L.activation for L in traj.hidden_layers]
    logits = np.asarray(forward(traj.weights(snapshot), [*acts, "linear"], x)[-1][0], np.float64)
    if logits.shape[-1] == 1:
        return [logits[..., 0]]
    out: list[Array] = []
    for c in range(logits.shape[-1]):
        others = np.delete(logits, c, axis=-1).max(axis=-1)
        out.append(logits[..., c] - others)
    return out


def chain(segments: npt.ArrayLike, tol: float = 1e-9) -> list[Array]:
    """Join line segments ``(L, 2, 2)`` that share ends into polylines (closed ones end
    where they start).

    >>> square = [[(0, 0), (1, 0)], [(1, 1), (1, 0)], [(1, 1), (0, 1)], [(3, 3), (4, 4)]]
    >>> [p.tolist() for p in chain(square)]
    [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], [[3.0, 3.0], [4.0, 4.0]]]
    """
    seg = np.asarray(segments, np.float64).reshape(-1, 2, 2)
    if not len(seg):
        return []
    scale = max(float(np.abs(seg).max()), 1.0) * tol
    keys = [tuple(k) for k in np.round(seg / scale).astype(np.int64).reshape(-1, 2).tolist()]
    at: dict[tuple[int, ...], list[int]] = {}
    for end, key in enumerate(keys):  # end 2i and 2i+1 are segment i's two ends
        at.setdefault(key, []).append(end)
    used = np.zeros(len(seg), bool)

    def walk(end: int) -> list[int]:
        """Ends visited going on from segment end//2's other end, until the chain stops."""
        path: list[int] = []
        while True:
            other = end ^ 1
            path.append(other)
            nxt = [e for e in at[keys[other]] if e != other and not used[e // 2]]
            if not nxt:
                return path
            end = nxt[0]
            used[end // 2] = True

    # Open chains first, from an end no other segment shares, so they are walked whole.
    order = sorted(range(2 * len(seg)), key=lambda e: (len(at[keys[e]]) != 1, e))
    lines: list[Array] = []
    for start in order:
        if used[start // 2]:
            continue
        used[start // 2] = True
        ends = [start, *walk(start)]
        lines.append(seg.reshape(-1, 2)[ends])
    return lines


def resample(line: npt.ArrayLike, n: int) -> Array:
    """``n`` points evenly spaced along a polyline (its ends kept).

    >>> resample([(0, 0), (1, 0), (1, 2)], 4).tolist()
    [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]
    """
    p = np.asarray(line, np.float64)
    step = np.linalg.norm(np.diff(p, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(step)])
    if s[-1] <= 0:
        return np.repeat(p[:1], n, axis=0)
    u = np.linspace(0.0, s[-1], n)
    return np.stack([np.interp(u, s, p[:, k]) for k in range(p.shape[1])], axis=1)


def _refine(traj: Trajectory, snapshot: int, which: int, a: Array, b: Array) -> Array:
    """Points on the zero curve of margin ``which`` between ``a`` and ``b`` (opposite signs),
    by a few steps of false position on the network itself."""
    fa, fb = (_margin(traj, snapshot, p)[which] for p in (a, b))
    for _ in range(4):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(np.where(fa != fb, fa / (fa - fb), 0.5), 0.0, 1.0)
        mid = a + t[:, None] * (b - a)
        fm = _margin(traj, snapshot, mid)[which]
        left = np.sign(fm) == np.sign(fa)
        a, fa = np.where(left[:, None], mid, a), np.where(left, fm, fa)
        b, fb = np.where(left[:, None], b, mid), np.where(left, fb, fm)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.clip(np.where(fa != fb, fa / (fa - fb), 0.5), 0.0, 1.0)
    out: Array = a + t[:, None] * (b - a)
    return out


def _on_the_curve(traj: Trajectory, snapshot: int, which: int, line: Array, cell: float) -> Array:
    """``line`` (marching squares' vertices, exact only where the output is linear across a
    cell) moved onto the zero curve of margin ``which``, each vertex along the polyline's
    normal within a cell of where it was."""
    if len(line) < 2:
        return line
    tangent = np.gradient(line, axis=0)
    norm = np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.where(norm > 0, tangent[:, ::-1] * [1.0, -1.0] / np.maximum(norm, 1e-300), 0.0)
    lo, hi = line - cell * normal, line + cell * normal
    flo, fhi = (_margin(traj, snapshot, p)[which] for p in (lo, hi))
    bracket = (np.sign(flo) != np.sign(fhi)) & (norm[:, 0] > 0)
    out = line.copy()
    if bracket.any():
        out[bracket] = _refine(traj, snapshot, which, lo[bracket], hi[bracket])
    return out


def boundary_curves(
    traj: Trajectory, snapshot: int, resolution: int = RESOLUTION, samples: int = SAMPLES
) -> Array:
    """The network's decision boundary over its input window, ``(B, samples, 2)``.

    The window is the probability mesh's (the decision regions' picture). The boundary is
    where the predicted class changes: with one output, where its logit is 0; with K, where
    two classes' logits tie at the top (each border found from both sides: drawn twice, in
    the same place). Each curve is resampled evenly along its length; curves shorter than
    :data:`MIN_LENGTH` of the window's diagonal are left out, and at most
    :data:`MAX_CURVES` (the longest) are kept. No boundary in the window: ``(0, samples, 2)``.
    """
    x0, x1, y0, y1 = traj.mesh_extent
    dx, dy = (x1 - x0) / resolution, (y1 - y0) / resolution
    xs = x0 + dx * (np.arange(resolution) + 0.5)
    ys = y0 + dy * (np.arange(resolution) + 0.5)
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    diagonal = float(np.hypot(x1 - x0, y1 - y0))
    curves: list[Array] = []
    for which, values in enumerate(_margin(traj, snapshot, grid)):
        for line in chain(contour_segments(values, (x0, x1, y0, y1))):
            line = _on_the_curve(traj, snapshot, which, line, np.hypot(dx, dy))
            length = float(np.linalg.norm(np.diff(line, axis=0), axis=1).sum())
            if length >= MIN_LENGTH * diagonal:
                curves.append(resample(line, samples))
    curves.sort(key=lambda c: -float(np.linalg.norm(np.diff(c, axis=0), axis=1).sum()))
    if not curves:
        return np.zeros((0, samples, 2))
    return np.stack(curves[:MAX_CURVES])


def carry(traj: Trajectory, snapshot: int, curves: npt.ArrayLike) -> list[Array]:
    """Where the forward pass puts ``curves`` (any ``(..., 2)`` inputs) at every stage, in
    the order and the coordinates of :meth:`Trajectory.stages`: the input, then after each
    layer's affine map and its activation (through the layer's display projection when it
    is shown projected)."""
    x = np.asarray(curves, np.float64)
    acts = [L.activation for L in traj.layers]
    out: list[Array] = [x]
    for L, (z, h) in zip(traj.layers, forward(traj.weights(snapshot), acts, x), strict=True):
        if L.projected:
            for which, value in ((S.AFFINE, z), (S.ACTIVATED, h)):
                mean, comps, _ = traj.projection(L.index, which)
                out.append((value - mean) @ np.asarray(comps, np.float64).T)
        else:
            out.extend([np.asarray(z, np.float64), np.asarray(h, np.float64)])
    return out
