"""Where data lands on screen: a uniform-scale orthographic view with smooth framing (numpy only).

A :class:`View` maps data coordinates (2-D or 3-D) to screen coordinates inside a plot box:
rotate by the camera angles, scale uniformly (never per axis: that would distort angles),
and place the data centre at the box centre. :func:`step_views` frames a whole animated
step so that no point leaves the box at any moment, zooming smoothly; :func:`readability`
says how much of a shape a camera shows (0: edge-on), for choosing camera angles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from scenes.core.geometry import concave_majorant, fit_scale, interpolate_scale

__all__ = [
    "Array",
    "Box",
    "DEEP_ZOOM",
    "SPILL_SLACK",
    "View",
    "axis_lines",
    "ease",
    "CONTEXT_ZOOM",
    "fit",
    "frame_at",
    "held_framing",
    "pad3",
    "readabilities",
    "readability",
    "required_scale",
    "rotation",
    "shape_moments",
    "step_views",
]

Array = npt.NDArray[np.float64]

_TINY = float(np.finfo(np.float64).tiny)  # the smallest scale a view gets (never 0)
#: Zooms deeper than this (either way) move the view's centre at the zoom's pace
#: (:meth:`View.interpolate`).
DEEP_ZOOM = 8.0
_END_SAMPLES = 10.0 ** -np.arange(1.5, 6.01, 0.125)  # step_views: extra moments near the ends
_REFINE = 4  # step_views: rounds of looking between the moments where the zoom works
_FLAT = 0.03  # readability: a shape whose second spread is under this share of its first is a line
#: How much more of the grid (as a share of its points) a moment of a move may cut than
#: the end of the move that cuts most (:func:`step_views`).
SPILL_SLACK = 0.01
#: :func:`frame_at` zooms in on a picture at most this many times deeper than the framing
#: that shows it together with the origin (where the axes cross); a picture smaller than
#: that is shown ever nearer the origin, with it in view from ``CONTEXT_ZOOM ** 2`` on.
CONTEXT_ZOOM = 4.0


@dataclass(frozen=True)
class Box:
    """An axis-aligned screen rectangle ``[xmin, xmax] × [ymin, ymax]`` (frame units)."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float

    @property
    def centre(self) -> Array:
        """Centre point (x, y)."""
        return np.array([(self.xmin + self.xmax) / 2, (self.ymin + self.ymax) / 2])

    @property
    def half_width(self) -> float:
        """Half of the width."""
        return (self.xmax - self.xmin) / 2

    @property
    def half_height(self) -> float:
        """Half of the height."""
        return (self.ymax - self.ymin) / 2

    def as_tuple(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)``."""
        return (self.xmin, self.xmax, self.ymin, self.ymax)

    def contains(self, xy: npt.ArrayLike, tol: float = 1e-9) -> bool:
        """Whether every finite point of ``xy`` (…, 2) lies inside the box."""
        pts = np.asarray(xy, np.float64).reshape(-1, 2)
        pts = pts[np.isfinite(pts).all(axis=1)]
        return bool(
            np.all(pts[:, 0] >= self.xmin - tol)
            and np.all(pts[:, 0] <= self.xmax + tol)
            and np.all(pts[:, 1] >= self.ymin - tol)
            and np.all(pts[:, 1] <= self.ymax + tol)
        )


def pad3(points: npt.ArrayLike) -> Array:
    """Zero-pad (…, d ≤ 3) coordinates to (…, 3)."""
    p = np.asarray(points, np.float64)
    if p.shape[-1] == 3:
        return p
    out = np.zeros((*p.shape[:-1], 3))
    out[..., : p.shape[-1]] = p
    return out


def rotation(phi: float, theta: float) -> Array:
    """Camera rotation: turn by ``theta`` about z, then tilt by ``phi`` about x.

    ``phi = 0`` looks straight down the z axis (a flat 2-D view); as ``phi`` grows, the z
    axis rises on screen.
    """
    c, s = np.cos(theta), np.sin(theta)
    rz = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    c, s = np.cos(phi), np.sin(phi)
    rx = np.array([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])
    out: Array = rx.T @ rz
    return out


@dataclass(frozen=True)
class View:
    """Data → screen: ``screen = box.centre + scale · (R · (p − centre))[:2]``.

    ``depth`` (the third rotated coordinate) grows towards the viewer.
    """

    box: Box
    centre: Array
    scale: float
    phi: float = 0.0
    theta: float = 0.0

    def project(self, points: npt.ArrayLike) -> tuple[Array, Array]:
        """Screen coordinates (…, 2) and depth (…) of data points (…, d ≤ 3)."""
        p = pad3(points) - pad3(self.centre)
        q = p @ rotation(self.phi, self.theta).T
        screen = self.box.centre + self.scale * q[..., :2]
        return screen, q[..., 2]

    def to_screen3(self, points: npt.ArrayLike) -> Array:
        """Screen coordinates as (…, 3) with z = 0, ready for a Manim mobject."""
        xy, _ = self.project(points)
        out = np.zeros((*xy.shape[:-1], 3))
        out[..., :2] = xy
        return out

    def interpolate(self, other: View, t: float) -> View:
        """Blend towards ``other``: centre and angles linearly, scale geometrically."""
        return replace(
            self,
            centre=(1 - t) * pad3(self.centre) + t * pad3(other.centre),
            scale=interpolate_scale(self.scale, other.scale, t),
            phi=(1 - t) * self.phi + t * other.phi,
            theta=(1 - t) * self.theta + t * other.theta,
        )

    def glide(self, other: View, t: float) -> View:
        """:meth:`interpolate`, but over a deep zoom the centre moves at the zoom's pace.

        A centre moving linearly while the scale changes geometrically drifts off screen
        in a deep zoom: ``t`` of the way through a 10,000× zoom in, the scale is already
        huge and the centre still far from its target. So beyond :data:`DEEP_ZOOM` the
        centre moves by the share of the way its *screen* offset has gone (it reaches the
        target as the zoom does, the van Wijk–Nuij rule), blended in up to
        ``4 × DEEP_ZOOM``; shallower zooms are exactly :meth:`interpolate`. Exact at both
        ends.
        """
        view = self.interpolate(other, t)
        ratio = max(self.scale / other.scale, other.scale / self.scale)
        if not (ratio > DEEP_ZOOM and 0.0 < t < 1.0):
            return view
        paced = (1 / self.scale - 1 / view.scale) / (1 / self.scale - 1 / other.scale)
        weight = min(1.0, float(np.log(ratio / DEEP_ZOOM) / np.log(4.0)))
        share = (1 - weight) * t + weight * paced
        return replace(view, centre=(1 - share) * pad3(self.centre) + share * pad3(other.centre))


def _finite(points: npt.ArrayLike) -> Array:
    """The rows of ``points`` (padded to 3-D) with every coordinate finite: the array
    itself when all are (the usual case, checked in one pass: 40× faster than picking
    rows), never to be written to."""
    p = pad3(points).reshape(-1, 3)
    finite = np.isfinite(p)
    return p if finite.all() else p[finite.all(axis=1)]


def fit(
    points: npt.ArrayLike,
    box: Box,
    *,
    three_d: bool,
    margin: float = 0.88,
    max_scale: float = 1e4,
) -> tuple[Array, float]:
    """Centre and uniform scale that put every point inside ``box`` (with ``margin``).

    In 3-D the scale comes from the bounding sphere, so the fit holds for every camera angle.

    >>> c, s = fit(np.array([[0.0, 0.0], [2.0, 1.0]]), Box(-1, 1, -1, 1), three_d=False)
    >>> c.tolist(), round(s, 3)
    ([1.0, 0.5, 0.0], 0.88)
    """
    p = _finite(points)
    if len(p) == 0:
        return np.zeros(3), 1.0
    centre = (p.min(axis=0) + p.max(axis=0)) / 2
    dims = 3 if three_d else 2
    scale = fit_scale(
        p[:, :dims],
        box.half_width,
        box.half_height,
        margin,
        center=centre[:dims],
        max_scale=max_scale,
    )
    return centre, scale


def frame_at(
    points: npt.ArrayLike,
    box: Box,
    phi: float = 0.0,
    theta: float = 0.0,
    *,
    margin: float = 0.88,
    zoom: float = CONTEXT_ZOOM,
    max_scale: float = 1e4,
) -> tuple[Array, float]:
    """Centre and scale that frame ``points`` as a camera at ``(phi, theta)`` sees them.

    The picture as drawn at these angles is fitted (its bounding box on screen, not a
    sphere that would fit every angle: a thin segment seen at a slant fills the box
    instead of standing as a sliver in the middle of it), so a camera that turns away
    from these angles must frame again.

    A picture that is tiny beside its distance from the origin (a layer with weights of
    about 0, a saturated sigmoid: everything on one spot) is not blown up to fill the
    box, which would lose where it is and how small it is (the axes off screen, every
    grid line far apart): the zoom stops at ``zoom`` times the framing that shows the
    picture together with the origin, and beyond that comes back towards it, the origin
    in view once fitting the picture alone would zoom ``zoom ** 2`` times deeper. The
    centre is then the one nearest the centre of that framing that keeps every point
    in the box. Continuous in the points: a picture a little smaller is framed a little
    differently.

    >>> c, s = frame_at(np.array([[2.0, 0.0], [2.0, 1.0]]), Box(-1, 1, -1, 1))
    >>> c.tolist(), round(s, 2)
    ([2.0, 0.5, 0.0], 1.76)
    >>> c, s = frame_at(np.array([[5.0, 5.0], [5.0, 5.000001]]), Box(-1, 1, -1, 1))
    >>> [round(v, 3) for v in c.tolist()], round(s, 3)
    ([2.5, 2.5, 0.0], 0.352)
    """
    p = _finite(points)
    if len(p) == 0:
        return np.zeros(3), 1.0
    turn = rotation(phi, theta)
    q = p @ turn.T  # (screen x, screen y, depth), before centring
    low, high = q.min(axis=0), q.max(axis=0)
    half = np.array([box.half_width, box.half_height]) * margin

    def scale_for(lo: Array, hi: Array) -> float:
        extent = (hi - lo)[:2] / 2
        limits = [float(h / e) for h, e in zip(half, extent, strict=True) if e > 1e-300]
        return min([*limits, max_scale])

    alone = scale_for(low, high)
    with_origin = scale_for(np.minimum(low, 0.0), np.maximum(high, 0.0))
    centre = (low + high) / 2
    ratio = alone / with_origin
    scale = alone
    if ratio > zoom:
        share = min(1.0, float(np.log(ratio / zoom) / np.log(zoom)))
        scale = with_origin * zoom ** (1.0 - share)
        # as near the framing with the origin as every point still in the box allows
        target = (np.minimum(low, 0.0) + np.maximum(high, 0.0)) / 2
        room = half / scale
        centre[:2] = np.clip(target[:2], high[:2] - room, low[:2] + room)
    return np.asarray(turn.T @ centre, np.float64), float(scale)


def required_scale(view: View, points: npt.ArrayLike, margin: float = 0.96) -> float:
    """The largest scale at which ``view`` (with its centre and angles) keeps ``points`` inside."""
    return _required(view, _turned(view, points), margin)


def _turned(view: View, points: npt.ArrayLike) -> Array:
    """The finite ``points`` about ``view``'s centre, turned to the screen's axes (the
    scale not applied): what :meth:`View.project` computes first, kept to try many scales
    without turning the points again. Two rows, screen x and screen y (depth dropped)."""
    q = (_finite(points) - pad3(view.centre)) @ rotation(view.phi, view.theta).T
    return np.ascontiguousarray(q[:, :2].T)


def _required(view: View, q: Array, margin: float) -> float:
    """:func:`required_scale` of points already :func:`_turned`."""
    if q.shape[1] == 0:
        return view.scale
    limits = []
    for axis, half in ((0, view.box.half_width), (1, view.box.half_height)):
        extent = float(np.abs(q[axis]).max())
        if extent > 1e-12:
            limits.append(margin * half / extent)
    return min(limits) if limits else view.scale


def shape_moments(points: npt.ArrayLike) -> Array:
    """The spread of a shape: the 3 × 3 covariance of its finite points (zeros for fewer
    than two), what :func:`readability` compares views by."""
    p = _finite(points)
    if len(p) < 2:
        return np.zeros((3, 3))
    c = p - p.mean(axis=0)
    out: Array = c.T @ c / len(p)
    return out


def readability(view: View, moments: Array, flat: float = _FLAT) -> float:
    """How much of a shape's spread ``view`` shows, from 0 (edge-on) to 1 (all of it).

    ``moments`` is the shape's :func:`shape_moments`. Seen through a camera, the picture's
    widest spread can be no wider than the shape's widest, and its narrowest no wider than
    the shape's second widest (an orthographic projection never widens). The score is the
    smaller of the two shares the view keeps: a plane seen edge-on, a line seen end-on,
    score near 0 whatever their size on screen; the best view of any shape scores 1. A
    shape that is nearly a line (second spread under ``flat`` of the first) is judged by
    its length only: no view makes a line wider.
    """
    return float(readabilities(view.phi, np.array([view.theta]), moments, flat)[0])


def readabilities(phi: float, thetas: npt.ArrayLike, moments: Array, flat: float = _FLAT) -> Array:
    """:func:`readability` of one shape at tilt ``phi`` for each turntable angle of
    ``thetas`` (all at once)."""
    m = np.asarray(moments, np.float64)
    th = np.asarray(thetas, np.float64)
    lam = np.linalg.eigvalsh(m)[::-1]
    if not np.isfinite(lam).all() or lam[0] <= 0.0:
        return np.ones(th.shape)
    c, s = np.cos(th), np.sin(th)
    cp, sp = np.cos(phi), np.sin(phi)
    # the screen's two rows of rotation(phi, theta), one pair per angle
    r0 = np.stack([c, -s, np.zeros_like(th)], axis=-1)
    r1 = np.stack([cp * s, cp * c, np.full_like(th, sp)], axis=-1)
    a = np.einsum("ni,ij,nj->n", r0, m, r0)
    b = np.einsum("ni,ij,nj->n", r0, m, r1)
    d = np.einsum("ni,ij,nj->n", r1, m, r1)
    mid, half = (a + d) / 2, np.sqrt(((a - d) / 2) ** 2 + b**2)
    out = np.sqrt(np.maximum(mid + half, 0.0) / lam[0])
    if lam[1] >= flat**2 * lam[0]:
        out = np.minimum(out, np.sqrt(np.maximum(mid - half, 0.0) / lam[1]))
    result: Array = np.minimum(out, 1.0)
    return result


def step_views(
    start: View,
    end: View,
    positions: Callable[[float], Any],
    samples: int = 96,
    grid: Callable[[float], Any] | None = None,
    swerve: Array | None = None,
    via: View | None = None,
    phases: tuple[float, float] = (0.0, 0.0),
) -> Callable[[float], View]:
    """A smooth view path from ``start`` to ``end`` that keeps moving points on screen.

    ``positions(t)`` gives the data points at time ``t`` of the step, ``grid(t)`` (if
    given) the grid lines'. ``swerve`` (if given) is a turn (radians) added to the blended
    turntable angle, at evenly spaced times from 0 to 1 (linear between them; 0 at the
    start, and at the end already part of ``end``'s angle, so its last value is ignored
    and both ends stay exact). The path blends the two views (:meth:`View.glide`), then
    zooms out just enough that every sampled moment fits: the ``samples`` evenly spaced
    times strictly between 0 and 1, moments ever nearer either end, and, where the zoom
    is at work, moments between those. Every point fits the box; the grid (space, drawn
    clipped to the box) may spill out of it mid-step no further than it does at the end
    where it spills most, and no more of it (:data:`SPILL_SLACK` more at most), so the
    middle of a move never cuts its grid more than its ends.

    The zoom is one smooth swell, never a pumping: at each sample the shrink the moment
    needs (in log scale) is spread to its neighbours, the least concave profile above that
    is taken (out, then in, at most once) and its corners are rounded; both ends stay
    exact.

    ``via`` (if given) is a framing the camera holds in the middle of the move, so that the
    picture moves in a still frame instead of being followed: the centre and the scale
    glide from ``start`` to ``via`` over the first ``phases[0]`` of the move, hold, and
    glide on to ``end`` over the last ``phases[1]`` (the angles keep their own blend).
    """
    ts = np.linspace(0.0, 1.0, samples + 2)
    need = np.zeros(len(ts))  # how far (log scale) each moment must zoom out from the blend
    allow0 = allow1 = 1.0  # the share of the grid's reach that fits the box at each end
    if grid is not None:
        allow0 = min(1.0, required_scale(start, grid(0.0), 1.0) / start.scale)
        allow1 = min(1.0, required_scale(end, grid(1.0), 1.0) / end.scale)
    allow = max(min(allow0, allow1), _TINY)  # the grid may spill as far as at either end
    spilt = 1.0  # and as much of it as at either end
    if grid is not None:
        spilt = max(_outside(start, grid(0.0)), _outside(end, grid(1.0))) + SPILL_SLACK

    def blend(t: float) -> View:
        view = start.glide(end, t)
        if via is not None and 0.0 < t < 1.0:
            held = held_framing(start, via, end, phases, t)
            view = replace(view, centre=held.centre, scale=held.scale)
        if swerve is None or not 0.0 < t < 1.0:
            return view
        at = np.linspace(0.0, 1.0, len(swerve))
        extra = float(np.interp(t, at, swerve)) - t * float(swerve[-1])
        return replace(view, theta=view.theta + extra)

    def needed(t: float) -> float:
        """How far (log scale) the moment ``t`` must zoom out from the blend to fit."""
        blended = blend(t)
        fits = required_scale(blended, positions(t))
        if grid is not None:
            lines = _turned(blended, grid(t))  # (turned once: tried at many scales)
            fits = min(fits, _required(blended, lines, 1.0) / allow)
            fits = _kept(blended.box, min(fits, blended.scale), lines, spilt)
        if fits >= blended.scale:
            return 0.0
        return float(np.log(blended.scale) - np.log(max(fits, _TINY)))

    for i in range(1, len(ts) - 1):
        need[i] = needed(float(ts[i]))
    depth = _swell(ts, need)
    # Moments ever nearer either end: a picture zoomed in deep on a speck that then moves
    # away must zoom out within the first frames, which even samples would miss.
    near = _END_SAMPLES[ts[1] > _END_SAMPLES]
    edge = np.concatenate([[0.0], near[::-1], ts[1:-1], 1.0 - near, [1.0]])
    edge_need = np.concatenate([[0.0], [needed(float(t)) for t in near[::-1]], need[1:-1]])
    edge_need = np.concatenate([edge_need, [needed(float(t)) for t in 1.0 - near], [0.0]])
    if edge_need.max() > 0.0:
        depth = np.maximum(np.interp(edge, ts, depth), concave_majorant(edge, edge_need))
        ts = edge
        # where the zoom is at work, look between the moments too, a few times over: a
        # need that climbs fast can outgrow the straight line between two of them
        for _ in range(_REFINE):
            active = np.flatnonzero((depth[:-1] > 0.0) | (depth[1:] > 0.0))
            mids = (ts[active] + ts[active + 1]) / 2
            more = np.array([needed(float(t)) for t in mids])
            short = more > np.interp(mids, ts, depth) + 1e-12
            if not short.any():
                break
            order = np.argsort(np.concatenate([ts, mids[short]]), kind="stable")
            ts = np.concatenate([ts, mids[short]])[order]
            depth = np.concatenate([depth, more[short]])[order]
            depth = np.maximum(depth, concave_majorant(ts, depth))

    def view_at(t: float) -> View:
        blended = blend(t)
        if not 0.0 < t < 1.0:
            return blended  # exactly ``start`` and ``end``
        shrink = float(np.exp(-np.interp(t, ts, depth)))
        return replace(blended, scale=max(blended.scale * shrink, _TINY))

    return view_at


def _outside(view: View, points: npt.ArrayLike) -> float:
    """The share of the finite ``points`` that ``view`` draws outside its box."""
    return _out_at(view.box, view.scale, _turned(view, points))


def _out_at(box: Box, scale: float, q: Array) -> float:
    """:func:`_outside` at ``scale`` for points already :func:`_turned` (the same
    arithmetic as :meth:`View.project`, so the same answer to the last bit)."""
    if q.shape[1] == 0:
        return 0.0
    centre = box.centre
    x, y = centre[0] + scale * q[0], centre[1] + scale * q[1]
    out = (x < box.xmin) | (x > box.xmax)
    out |= (y < box.ymin) | (y > box.ymax)
    return float(np.count_nonzero(out) / len(out))


def _kept(box: Box, scale: float, q: Array, share: float, rounds: int = 24) -> float:
    """The largest scale, at most ``scale``, at which at most ``share`` of the points ``q``
    (already :func:`_turned`) fall outside ``box`` (fewer do as the scale shrinks towards
    the box's centre: a bisection in log scale)."""
    if _out_at(box, scale, q) <= share:
        return scale
    high, low = np.log(scale), np.log(scale) - np.log(1e6)
    for _ in range(rounds):
        mid = (high + low) / 2
        if _out_at(box, float(np.exp(mid)), q) <= share:
            low = mid
        else:
            high = mid
    return float(np.exp(low))


def held_framing(start: View, via: View, end: View, phases: tuple[float, float], t: float) -> View:
    """Where a camera that holds ``via`` is at time ``t`` of a move (see :func:`step_views`):
    gliding from ``start`` over the first ``phases[0]``, still on ``via``, gliding to ``end``
    over the last ``phases[1]``, each glide eased in and out.

    >>> a, b = View(Box(-1, 1, -1, 1), (0, 0), 1.0), View(Box(-1, 1, -1, 1), (1, 0), 0.5)
    >>> [float(held_framing(a, b, a, (0.25, 0.25), t).centre[0]) for t in (0, 0.125, 0.5, 1)]
    [0.0, 0.5, 1.0, 0.0]
    """
    first, last = phases
    if first > 0.0 and t < first:
        return start.glide(via, ease(t / first))
    if last > 0.0 and t > 1.0 - last:
        return via.glide(end, ease((t - (1.0 - last)) / last))
    return via


def ease(t: float) -> float:
    """Smoothstep: 0 → 1 with no speed at either end.

    >>> ease(0.0), ease(0.5), ease(1.0)
    (0.0, 0.5, 1.0)
    """
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def _swell(ts: Array, need: Array, reach: float = 0.08) -> Array:
    """A smooth, single-humped profile ``≥ need`` at every ``ts``, 0 at both ends.

    ``need`` (≥ 0, 0 at the ends) is first spread to the samples within ``reach``, then
    topped by its least concave majorant and averaged over ``± reach``: a concave function's
    average over a window is above the lower of its values at the window's ends, and each
    of those is above the need in the middle, so the rounding never cuts under a need
    (within ``reach`` of either end, where the window leaves the step, the need itself is
    kept where the rounding would be lower).
    """
    n = len(ts)
    if n < 3 or not need.any():
        return np.zeros(n)
    m = int(round(reach * (n - 1)))
    spread = need.copy()
    for k in range(1, m + 1):
        spread[k:] = np.maximum(spread[k:], need[:-k])
        spread[:-k] = np.maximum(spread[:-k], need[k:])
    spread[0] = spread[-1] = 0.0
    hull = concave_majorant(ts, spread)
    if m == 0:
        return hull
    before = hull[0] + (hull[1] - hull[0]) * np.arange(-m, 0)  # its first and last
    after = hull[-1] + (hull[-1] - hull[-2]) * np.arange(1, m + 1)  # slopes, carried on
    padded = np.concatenate([before, hull, after])
    kernel = np.ones(2 * m + 1) / (2 * m + 1)
    smooth = np.convolve(padded, kernel, mode="valid")
    out: Array = np.maximum(smooth, need)
    out[0] = out[-1] = 0.0
    return out


def axis_lines(view: View, dims: int, length: float | None = None) -> Array:
    """The coordinate axes through the data origin, (dims, 2, 3) in data coordinates.

    Each axis spans the visible range (about the box's half diagonal in data units).
    """
    reach = (
        length
        if length is not None
        else float(np.hypot(view.box.half_width, view.box.half_height) / view.scale * 1.5)
    )
    c = pad3(view.centre)
    lines = np.zeros((dims, 2, 3))
    for k in range(dims):
        lines[k, 0, k], lines[k, 1, k] = c[k] - reach, c[k] + reach
    return lines
