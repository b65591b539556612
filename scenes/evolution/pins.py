"""Where the labels of the charts' pins go: beside their rings, never on another (numpy only).

A key moment pins its events on the loss or accuracy curve: a ring where it happened and a
short label ("÷2", "×25", "90 %") beside it. The pins stay to the end, so a chart gathers
several, and a ring can fall where an earlier label sits (a jump late in training, right
under the label of a drop told long before). :func:`place_labels` places every label of a
chart at once, knowing every ring: the first of a few places beside its ring, in order of
preference, that keeps clear of every ring and of every label placed before it, and stays
inside the chart (and off its curves, if a place near the ring is); when none does, the
same places stacked outward, row by row, until one is clear. Labels are rectangles
``(x from, x to, y from, y to)`` in frame units.

>>> rings = [(0.0, 0.0), (0.3, 0.25)]
>>> a, b = place_labels(rings, [(0.5, 0.2)] * 2, up=True, bounds=(-2.0, 2.0, -2.0, 2.0))
>>> [round(v, 2) for v in a]  # not above its ring: the second ring is there; below it
[0.16, 0.66, -0.4, -0.2]
>>> [round(v, 2) for v in b]  # above its ring, where it prefers
[0.42, 0.92, 0.39, 0.59]
>>> any(overlap(a, b) for a, b in [(a, b), (a, ring((0.3, 0.25))), (b, ring((0.0, 0.0)))])
False
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["MARGIN", "RADIUS", "Rect", "crosses", "overlap", "place_labels", "ring"]

#: ``(x from, x to, y from, y to)``.
Rect = tuple[float, float, float, float]
#: The rings' radius, frame units.
RADIUS = 0.1
#: Least free space between a label and another label or ring.
MARGIN = 0.03
#: Rows of stacked places tried, each way, before settling for a place outside the chart.
ROWS = 8
#: Rows of places near enough to their ring to read as its label when a curve is avoided.
NEAR_ROWS = 2


def ring(at: tuple[float, float], radius: float = RADIUS) -> Rect:
    """The box of the ring centred ``at``."""
    x, y = at
    return (x - radius, x + radius, y - radius, y + radius)


def overlap(a: Rect, b: Rect, margin: float = MARGIN) -> bool:
    """Whether two boxes come closer than ``margin``.

    >>> overlap((0, 1, 0, 1), (1.02, 2, 0, 1)), overlap((0, 1, 0, 1), (1.05, 2, 0, 1))
    (True, False)
    """
    return (
        a[0] < b[1] + margin
        and b[0] < a[1] + margin
        and a[2] < b[3] + margin
        and b[2] < a[3] + margin
    )


def _places(
    at: tuple[float, float], size: tuple[float, float], up: bool, row: int, radius: float
) -> list[Rect]:
    """The places beside the ring at ``at`` for a label of ``size``, in order of preference,
    ``row`` rows (a label's height and a margin each) further out: on the preferred side
    (above for ``up``) to the right, on the other side to the right, level to the right,
    then the same to the left (level ones only in row 0)."""
    x, y = at
    w, h = size
    side = 1.0 if up else -1.0
    near, far = (0.04, 0.1) if up else (0.1, 0.1)  # the gap on the preferred, the other side
    step = row * (h + MARGIN)
    out: list[Rect] = []
    for sign in (1.0, -1.0):  # right, then left
        inner = x + sign * (radius + 0.6 * near)
        inner_far = x + sign * (radius + 0.6 * far)
        for s, gap, edge in ((side, near, inner), (-side, far, inner_far)):
            base = y + s * (radius + gap + step)  # the label's edge nearest the ring
            lo, hi = (base, base + h) if s > 0 else (base - h, base)
            left, right = (edge, edge + w) if sign > 0 else (edge - w, edge)
            out.append((left, right, lo, hi))
        if row == 0:
            edge = x + sign * (radius + 0.1)
            left, right = (edge, edge + w) if sign > 0 else (edge - w, edge)
            out.append((left, right, y - h / 2, y + h / 2))
    return out


def crosses(box: Rect, line: npt.ArrayLike) -> bool:
    """Whether the polyline ``line`` (``(n, 2)`` points; NaN rows break it) passes through
    ``box`` (its segments clipped to the box, Liang–Barsky).

    >>> crosses((0, 1, 0, 1), [[-1, 0.5], [2, 0.5]]), crosses((0, 1, 0, 1), [[-1, 2], [2, 2]])
    (True, False)
    """
    pts = np.asarray(line, np.float64).reshape(-1, 2)
    if len(pts) < 2:
        return False
    p0, d = pts[:-1], np.diff(pts, axis=0)
    ok = np.isfinite(p0).all(axis=1) & np.isfinite(d).all(axis=1)
    p0, d = p0[ok], d[ok]
    enter, leave = np.zeros(len(p0)), np.ones(len(p0))
    inside = np.ones(len(p0), bool)
    x0, x1, y0, y1 = box
    for p, q in (
        (-d[:, 0], p0[:, 0] - x0),
        (d[:, 0], x1 - p0[:, 0]),
        (-d[:, 1], p0[:, 1] - y0),
        (d[:, 1], y1 - p0[:, 1]),
    ):
        parallel = p == 0
        inside &= ~(parallel & (q < 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            t = q / p
        enter = np.where(~parallel & (p < 0), np.maximum(enter, t), enter)
        leave = np.where(~parallel & (p > 0), np.minimum(leave, t), leave)
    return bool((inside & (enter <= leave)).any())


def place_labels(
    rings: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    *,
    up: bool,
    bounds: Rect,
    radius: float = RADIUS,
    lines: Sequence[npt.ArrayLike] = (),
) -> list[Rect]:
    """The boxes of the labels of pins at ``rings`` (their centres, in the order they are
    shown), of ``sizes`` (width, height), on a chart whose labels go above their ring when
    ``up`` (the loss, over its falling curve) or below (the accuracy, under its rising one).

    Each label takes the first place (:func:`_places`, row by row outward) clear of every
    ring and of the labels before it, inside ``bounds``, preferring one of the first
    :data:`NEAR_ROWS` rows that no polyline of ``lines`` (the chart's curves) crosses; if
    none of :data:`ROWS` rows has a clear place inside, the first place clear of them
    outside ``bounds``; and if even that is taken, the first clear place further out. No
    label ever comes within :data:`MARGIN` of another label or a ring (the guarantee this
    function is for); a curve it only avoids when it can.

    Raises
    ------
    ValueError
        If ``rings`` and ``sizes`` differ in length, or a size is not positive.
    """
    if len(rings) != len(sizes):
        raise ValueError(f"{len(rings)} rings but {len(sizes)} label sizes: give one of each")
    if any(not (w > 0 and h > 0) for w, h in sizes):
        raise ValueError(f"label sizes must be positive, got {list(sizes)}")
    obstacles = [ring(at, radius) for at in rings]

    def clear(box: Rect) -> bool:
        return not any(overlap(box, other) for other in obstacles)

    def inside(box: Rect) -> bool:
        x0, x1, y0, y1 = bounds
        return x0 <= box[0] and box[1] <= x1 and y0 <= box[2] and box[3] <= y1

    out: list[Rect] = []
    for at, size in zip(rings, sizes, strict=True):
        near = [b for row in range(NEAR_ROWS) for b in _places(at, size, up, row, radius)]
        chosen = next(
            (b for b in near if clear(b) and inside(b) and not any(crosses(b, c) for c in lines)),
            None,
        )
        fallback: Rect | None = None
        row = 0
        while chosen is None:
            for box in _places(at, size, up, row, radius):
                if clear(box):
                    if inside(box):
                        chosen = box
                        break
                    fallback = fallback or box
            row += 1
            if chosen is None and fallback is not None and row >= ROWS:
                chosen = fallback
        obstacles.append(chosen)
        out.append(chosen)
    return out
