"""What every frame of the evolution shows, between and at stored snapshots (numpy only).

A trajectory stores the network at a few dozen epochs; the video shows every moment in
between. :class:`Evolving` gives, for any share ``u`` of the training's screen time
(:class:`~scenes.evolution.timing.Clock`), the class-probability mesh, each hidden layer's
points and grid, and views that frame them. Between two snapshots every stored number
follows a monotone cubic (PCHIP, Fritsch–Carlson) through the snapshots, in screen time:
it passes exactly through every stored value, never overshoots its neighbours (a
probability stays in [0, 1]), and its speed has no kinks at the snapshots. At a
snapshot's moment the picture *is* the stored one.

Square hidden layers are stored with det W > 0, which the exporter gets by swapping two
units where needed, snapshot by snapshot (``info.unit_swaps``). Swapped in one snapshot and
not in the next, a layer's picture would flip across its diagonal between two frames; here
every snapshot is shown in the orientation of the last one (:func:`flips`), so the layers
move continuously and end exactly as the warp scene shows them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from nnmodel.schema import TrajectoryInfo
from nnmodel.trajectory import Trajectory
from scenes.core.contours import boundary_segments
from scenes.core.geometry import fit_scale
from scenes.core.view import Box, View, fit, pad3
from scenes.evolution.timing import Clock

__all__ = [
    "Evolving",
    "flips",
    "hermite",
    "locate",
]

Array = npt.NDArray[np.float64]

#: The deepest zoom of a layer's panel: its view always shows at least this share of the
#: layer's widest extent over the training, and at least this many data units.
ZOOM_FLOOR = 0.1


def locate(nodes: npt.ArrayLike, u: float) -> tuple[int, float]:
    """The interval ``s`` with ``nodes[s] ≤ u ≤ nodes[s + 1]`` and the share ``τ`` of it.

    ``u`` on a node gives that node with ``τ = 0`` (the last node: ``(len − 1, 0.0)``).

    >>> locate([0.0, 0.5, 1.0], 0.75), locate([0.0, 0.5, 1.0], 0.5), locate([0.0, 1.0], 1.0)
    ((1, 0.5), (1, 0.0), (1, 0.0))
    """
    x = np.asarray(nodes, np.float64)
    n = len(x)
    if u >= x[-1]:
        return n - 1, 0.0
    if u <= x[0]:
        return 0, 0.0
    s = int(np.searchsorted(x, u, side="right")) - 1
    span = x[s + 1] - x[s]
    return s, float((u - x[s]) / span) if span > 0 else 0.0


def _tangent(d0: Array | None, d1: Array | None, h0: float, h1: float) -> Array | float:
    """Fritsch–Butland tangent at a node from the slopes on its two sides (0 at an end)."""
    if d0 is None or d1 is None:
        return 0.0
    w1, w2 = 2 * h1 + h0, h1 + 2 * h0
    same = d0 * d1 > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        m = (w1 + w2) / (w1 / d0 + w2 / d1)
    out: Array = np.where(same, m, 0.0)
    return out


def hermite(nodes: npt.ArrayLike, value: Callable[[int], Array], s: int, tau: float) -> Array:
    """The monotone cubic (PCHIP) through ``value(i)`` at ``nodes[i]``, at ``τ`` of interval ``s``.

    Elementwise over arrays; ``value`` is called for the nodes ``s − 1 … s + 2`` it needs.
    The tangent is 0 at the first and last node (motion starts and ends at rest). Exactly
    ``value(s)`` at ``τ = 0``, and between its neighbours' values everywhere.

    >>> x = [0.0, 1.0, 2.0]
    >>> float(hermite(x, lambda i: np.array([0.0, 1.0, 1.0])[i], 0, 0.5)[()])
    0.5
    """
    x = np.asarray(nodes, np.float64)
    n = len(x)
    y1 = value(s)
    if tau == 0.0 or s >= n - 1:
        return np.asarray(y1, np.float64)
    y2 = value(s + 1)
    h = x[s + 1] - x[s]
    d = (y2 - y1) / h
    if s >= 1:
        h0 = x[s] - x[s - 1]
        m1 = _tangent((y1 - value(s - 1)) / h0, d, h0, h)
    else:
        m1 = 0.0
    if s + 2 <= n - 1:
        h2 = x[s + 2] - x[s + 1]
        m2 = _tangent(d, (value(s + 2) - y2) / h2, h, h2)
    else:
        m2 = 0.0
    t2, t3 = tau * tau, tau * tau * tau
    out: Array = (
        (2 * t3 - 3 * t2 + 1) * y1
        + (t3 - 2 * t2 + tau) * h * m1
        + (-2 * t3 + 3 * t2) * y2
        + (t3 - t2) * h * m2
    )
    return out


def flips(info: TrajectoryInfo, n_snapshots: int) -> set[tuple[int, int]]:
    """``(snapshot, layer)`` pairs whose units 0 and 1 must be swapped back to match the last
    snapshot's orientation (see the module's docstring).

    A unit swap in layer ``l`` swaps its units' coordinates only: layer ``l + 1`` takes its
    weights' columns swapped too, so its own coordinates are unchanged.
    """
    swapped = {(sw.snapshot, sw.layer) for sw in info.unit_swaps}
    last = n_snapshots - 1
    out = set()
    for layer in range(len(info.layers) - 1):
        reference = (last, layer) in swapped
        for s in range(n_snapshots):
            if ((s, layer) in swapped) != reference:
                out.add((s, layer))
    return out


def _swap01(a: Array) -> Array:
    out = a.copy()
    out[..., [0, 1]] = out[..., [1, 0]]
    return out


# --------------------------------------------------------------------------- the evolution


class Evolving:
    """A trajectory seen at any moment of its training (share ``u`` of the screen time).

    Parameters
    ----------
    traj
        The trajectory.
    clock
        Where its snapshots fall in screen time.
    cache
        How many snapshots' layer arrays to keep (a video walks through them in order).
    """

    def __init__(self, traj: Trajectory, clock: Clock, cache: int = 4) -> None:
        self.traj = traj
        self.clock = clock
        self.epochs = np.asarray(traj.epochs, np.float64)
        #: The snapshots' moments on the clock (shares of the screen time).
        self.nodes: Array = np.asarray(clock.fraction(self.epochs), np.float64)
        self.hidden = list(traj.hidden_layers)
        self.flipped = flips(traj.info, traj.n_snapshots)
        self._cache: OrderedDict[int, list[tuple[Array, Array]]] = OrderedDict()
        self._size = cache
        self._views: dict[tuple[int, Box], list[View]] = {}

    # -- stored snapshots
    def stored_layers(self, s: int) -> list[tuple[Array, Array]]:
        """Each hidden layer's points and grid after its activation at snapshot ``s``, padded
        to 3 coordinates and turned to the last snapshot's orientation."""
        if s in self._cache:
            self._cache.move_to_end(s)
            return self._cache[s]
        stages = self.traj.stages(s)
        out = []
        for layer in self.hidden:
            st = stages[2 * layer.index + 2]
            pts = np.asarray(st.points, np.float64)
            grid = np.asarray(st.grid, np.float64)
            if (s, layer.index) in self.flipped:
                pts, grid = _swap01(pts), _swap01(grid)
            out.append((pad3(pts), pad3(grid)))
        self._cache[s] = out
        if len(self._cache) > self._size:
            self._cache.popitem(last=False)
        return out

    def dims(self, index: int) -> int:
        """Coordinates drawn for hidden layer ``index`` (1, 2 or 3; 3 for projected ones)."""
        return self.hidden[index].display_dim

    # -- any moment
    def at(self, u: float) -> tuple[int, float]:
        """The snapshot interval and the share of it at moment ``u``."""
        return locate(self.nodes, u)

    def mesh(self, u: float) -> Array:
        """Class probabilities over the input mesh at moment ``u``, ``(R, R, K)``."""
        s, tau = self.at(u)
        out = hermite(self.nodes, lambda i: self.traj.mesh(i).astype(np.float64), s, tau)
        clipped: Array = np.clip(out, 0.0, 1.0)
        return clipped

    def boundary(self, u: float, mesh: Array | None = None) -> Array:
        """The decision boundary at moment ``u``, as segments in the input plane (from
        ``mesh``, :meth:`mesh` at ``u``, when the caller has it already)."""
        return boundary_segments(self.mesh(u) if mesh is None else mesh, self.traj.mesh_extent)

    def layer(self, index: int, u: float) -> tuple[Array, Array]:
        """Hidden layer ``index``'s points ``(N, 3)`` and grid ``(G, M, 3)`` at moment ``u``."""
        s, tau = self.at(u)
        pts = hermite(self.nodes, lambda i: self.stored_layers(i)[index][0], s, tau)
        grid = hermite(self.nodes, lambda i: self.stored_layers(i)[index][1], s, tau)
        return pts, grid

    def view(self, index: int, u: float, box: Box) -> View:
        """A flat view framing hidden layer ``index`` in ``box`` at moment ``u``.

        Each snapshot's view frames its points and its neighbours' (so the frame moves
        ahead of fast changes); between snapshots the view blends (centre linearly, scale
        geometrically). A 3-D layer is framed by its bounding sphere, so any camera angle
        fits; the scene tilts and turns it.
        """
        key = (index, box)
        if key not in self._views:
            self._views[key] = self._snapshot_views(index, box)
        views = self._views[key]
        s, tau = self.at(u)
        if tau == 0.0 or s >= len(views) - 1:
            return views[s]
        return views[s].interpolate(views[s + 1], tau)

    def _snapshot_views(self, index: int, box: Box) -> list[View]:
        three_d = self.dims(index) == 3
        n = self.traj.n_snapshots
        boxes = []
        clouds = []
        for s in range(n):
            pts = self.stored_layers(s)[index][0]
            finite = pts[np.isfinite(pts).all(axis=1)]
            lo = finite.min(axis=0) if len(finite) else np.zeros(3)
            hi = finite.max(axis=0) if len(finite) else np.zeros(3)
            boxes.append((lo, hi))
            clouds.append(finite if three_d else finite[:0])
        # A layer that collapses is shown collapsing, not magnified back to full size: a view
        # never zooms in beyond ZOOM_FLOOR of the layer's widest extent (nor below
        # ZOOM_FLOOR data units, a twentieth of tanh's range).
        widest = max(float(np.max(hi - lo)) for lo, hi in boxes)
        floor = max(ZOOM_FLOOR, ZOOM_FLOOR * widest) / 2
        views = []
        for s in range(n):
            near = boxes[max(0, s - 1) : s + 2]
            lo = np.min([b[0] for b in near], axis=0)
            hi = np.max([b[1] for b in near], axis=0)
            mid, half = (lo + hi) / 2, np.maximum((hi - lo) / 2, floor)
            lo, hi = mid - half, mid + half
            corners = np.array(np.meshgrid(*zip(lo, hi, strict=True))).reshape(3, -1).T
            if three_d:
                # The sphere round the box's middle that holds the points themselves (any
                # camera angle shows them all), not the one through their bounding box's
                # corners, up to √3 wider: a projected layer's cloud fills its panel. The
                # zoom floor's cube still counts.
                cube = mid + np.array(np.meshgrid(*[(-floor, floor)] * 3)).reshape(3, -1).T
                near_points = np.concatenate([*clouds[max(0, s - 1) : s + 2], cube])
                centre = mid
                scale = fit_scale(near_points, box.half_width, box.half_height, 0.86, center=mid)
            else:
                centre, scale = fit(corners, box, three_d=three_d, margin=0.86)
            views.append(View(box, centre, scale))
        return views


def turned(view: View, phi: float, theta: float) -> View:
    """``view`` tilted by ``phi`` and turned by ``theta`` (for a 3-D panel)."""
    return replace(view, phi=phi, theta=theta)
