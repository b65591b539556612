"""Pure numpy geometry for the warp scenes: matrix paths, framing and separator clipping."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "Array",
    "LinearPath",
    "apply_path",
    "clip_line_to_box",
    "clip_plane_to_box",
    "clip_polygon_halfplane",
    "clip_polygon_halfspace",
    "concave_majorant",
    "fit_scale",
    "interpolate_scale",
    "linear_path",
    "linear_regions",
    "pad",
    "path_determinants",
    "path_min_abs_det",
    "polar_decomposition",
    "polygon_area",
    "procrustes_rotation",
    "robust_extent",
    "robust_radius",
    "rotation_power",
    "straight_path",
]

Array = npt.NDArray[np.float64]
"""A float64 numpy array (the only array type this module returns)."""

Box2 = tuple[float, float, float, float]
Box3 = tuple[float, float, float, float, float, float]

_EPS = 1e-12


def _as_float(a: npt.ArrayLike) -> Array:
    return np.asarray(a, dtype=np.float64)


# --------------------------------------------------------------------------- padding


def pad(points: npt.ArrayLike, dim: int) -> Array:
    """Zero-pad the last axis of an array of points to ``dim`` coordinates.

    Parameters
    ----------
    points
        Array of shape ``(..., d)`` with ``d <= dim``.
    dim
        Number of coordinates wanted on the last axis.

    Returns
    -------
    Array
        A new float array of shape ``(..., dim)``; the first ``d`` coordinates are copied and
        the rest are zero.

    Raises
    ------
    ValueError
        If ``d > dim``.
    """
    arr = _as_float(points)
    if arr.ndim == 0:
        raise ValueError("pad needs at least a 1-D array")
    d = arr.shape[-1]
    if d > dim:
        raise ValueError(f"cannot pad {d} coordinates down to {dim}")
    out = np.zeros((*arr.shape[:-1], dim), dtype=np.float64)
    out[..., :d] = arr
    return out


# --------------------------------------------------------------------------- rotations


def polar_decomposition(a: npt.ArrayLike) -> tuple[Array, Array]:
    """Polar decomposition ``A = R @ S`` with ``R`` a proper rotation.

    Uses the SVD ``A = U Σ Vᵀ``. If ``det(U Vᵀ) < 0`` the last column of ``U`` and the last
    (smallest) singular value change sign, so ``R = U Vᵀ`` always has determinant +1 and
    ``S = V Σ Vᵀ`` is symmetric. ``S`` has a negative eigenvalue only when ``det A < 0``; when
    ``A`` is singular the flipped singular value is zero and ``S`` stays positive semi-definite.

    Parameters
    ----------
    a
        Square matrix ``(D, D)``.

    Returns
    -------
    tuple of Array
        ``(R, S)`` with ``R`` orthogonal, ``det R = +1`` and ``S`` symmetric.
    """
    mat = _as_float(a)
    if mat.ndim != 2 or mat.shape[0] != mat.shape[1]:
        raise ValueError(f"polar_decomposition needs a square matrix, got shape {mat.shape}")
    u, s, vt = np.linalg.svd(mat)
    if np.linalg.det(u @ vt) < 0:
        u = u.copy()
        s = s.copy()
        u[:, -1] *= -1.0
        s[-1] *= -1.0
    r = u @ vt
    sym = (vt.T * s) @ vt
    sym = 0.5 * (sym + sym.T)
    return r, sym


def _rotation_2d(angle: float) -> Array:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, -s], [s, c]], dtype=np.float64)


def _axis_angle(r: Array) -> tuple[Array, float]:
    """Unit axis and angle in ``[0, π]`` of a 3×3 rotation (axis arbitrary when angle is 0)."""
    cos_theta = float(np.clip((np.trace(r) - 1.0) / 2.0, -1.0, 1.0))
    # v = sin(θ)·axis, from the antisymmetric part.
    v = 0.5 * np.array([r[2, 1] - r[1, 2], r[0, 2] - r[2, 0], r[1, 0] - r[0, 1]])
    sin_theta = float(np.linalg.norm(v))
    theta = float(np.arctan2(sin_theta, cos_theta))
    if theta < 1e-9:
        return np.array([0.0, 0.0, 1.0]), 0.0
    if cos_theta > -0.5:
        # sin θ is well conditioned here (θ < 120°).
        return v / sin_theta, theta
    # Near π: a aᵀ = ((R + Rᵀ)/2 − cos θ I) / (1 − cos θ), take its largest column.
    b = (0.5 * (r + r.T) - cos_theta * np.eye(3)) / (1.0 - cos_theta)
    j = int(np.argmax(np.diag(b)))
    axis = b[:, j] / np.sqrt(max(b[j, j], _EPS))
    if float(axis @ v) < 0:
        axis = -axis
    axis = axis / np.linalg.norm(axis)
    return axis, theta


def _rodrigues(axis: Array, angle: float) -> Array:
    k = np.array(
        [[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]], [-axis[1], axis[0], 0.0]],
        dtype=np.float64,
    )
    out: Array = np.eye(3) + np.sin(angle) * k + (1.0 - np.cos(angle)) * (k @ k)
    return out


def rotation_power(r: npt.ArrayLike, t: float) -> Array:
    """Fractional power ``R**t`` of a 2×2 or 3×3 rotation matrix.

    The rotation angle is scaled by ``t`` (the principal angle in ``[-π, π]`` for 2-D, about
    the same axis in 3-D via Rodrigues' formula). Angles near 0 and near π are handled
    without dividing by ``sin θ``.

    Parameters
    ----------
    r
        Rotation matrix of shape ``(2, 2)`` or ``(3, 3)``.
    t
        Exponent; ``t = 0`` gives the identity and ``t = 1`` gives ``R``.

    Returns
    -------
    Array
        The rotation ``R**t``.
    """
    mat = _as_float(r)
    if mat.shape == (2, 2):
        angle = float(np.arctan2(mat[1, 0], mat[0, 0]))
        return _rotation_2d(t * angle)
    if mat.shape == (3, 3):
        axis, theta = _axis_angle(mat)
        if theta == 0.0:
            return np.eye(3)
        return _rodrigues(axis, t * theta)
    raise ValueError(f"rotation_power supports 2x2 and 3x3 matrices, got {mat.shape}")


def procrustes_rotation(a: npt.ArrayLike, b: npt.ArrayLike) -> Array:
    """The proper rotation ``R`` (``det R = +1``) that best turns point set ``a`` onto ``b``.

    Minimises ``‖a R − b‖`` over rotations (orthogonal Procrustes, the Kabsch way: a
    reflection is never returned, since no continuous turn reaches one). The points are
    rows, taken as given: centre both sets first for a turn about their centres.

    Parameters
    ----------
    a, b
        Arrays ``(N, d)`` of the same shape; rows where either is not finite are ignored.

    Returns
    -------
    Array
        ``(d, d)``; the identity when either set has no spread.

    >>> a = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 0.0]])
    >>> np.round(procrustes_rotation(a, a @ np.array([[0.0, 1.0], [-1.0, 0.0]])), 6).tolist()
    [[0.0, 1.0], [-1.0, 0.0]]
    """
    pa, pb = _as_float(a), _as_float(b)
    if pa.shape != pb.shape or pa.ndim != 2:
        raise ValueError(
            f"procrustes_rotation needs two (N, d) arrays alike, got {pa.shape}, {pb.shape}"
        )
    keep = np.isfinite(pa).all(axis=1) & np.isfinite(pb).all(axis=1)
    pa, pb = pa[keep], pb[keep]
    d = pa.shape[1]
    cross = pa.T @ pb
    if not np.isfinite(cross).all() or float(np.abs(cross).max(initial=0.0)) <= _EPS:
        return np.eye(d)
    u, _, vt = np.linalg.svd(cross)
    flip = np.ones(d)
    if np.linalg.det(u @ vt) < 0:
        flip[-1] = -1.0
    out: Array = (u * flip) @ vt
    return out


# --------------------------------------------------------------------------- matrix paths


def _padded_square(w: npt.ArrayLike, d_in: int | None, d_out: int | None) -> tuple[Array, int]:
    mat = _as_float(w)
    if mat.ndim != 2:
        raise ValueError(f"weight matrix must be 2-D, got shape {mat.shape}")
    d_out = mat.shape[0] if d_out is None else d_out
    d_in = mat.shape[1] if d_in is None else d_in
    if mat.shape != (d_out, d_in):
        raise ValueError(f"weight shape {mat.shape} does not match (d_out, d_in)=({d_out}, {d_in})")
    dim = max(d_in, d_out, 2)
    full = np.zeros((dim, dim), dtype=np.float64)
    full[:d_out, :d_in] = mat
    return full, dim


@dataclass(frozen=True)
class LinearPath:
    """A continuous path of matrices from the identity to a (padded) weight matrix.

    ``M(t) = R**t @ ((1 − t) I + t S)`` where ``W_pad = R @ S`` is the polar decomposition of
    the weight padded with zeros to ``D × D``, ``D = max(d_in, d_out, 2)``. Rows act on column
    vectors (``y = W x``, PyTorch's ``nn.Linear`` convention); use :func:`apply_path` on row
    points.

    Attributes
    ----------
    target
        ``W`` padded to ``(D, D)``; ``M(1)`` equals it.
    rotation
        The rotation factor ``R`` (det +1).
    stretch
        The symmetric factor ``S``.
    d_in, d_out
        Original input and output dimensions.
    """

    target: Array
    rotation: Array
    stretch: Array
    d_in: int
    d_out: int
    dim: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dim", int(self.target.shape[0]))

    def __call__(self, t: float) -> Array:
        """Return ``M(t)``; exactly ``I`` at ``t = 0`` and the padded weight at ``t = 1``."""
        t = float(t)
        eye = np.eye(self.dim)
        if t <= 0.0:
            return eye
        if t >= 1.0:
            return self.target.copy()
        return rotation_power(self.rotation, t) @ ((1.0 - t) * eye + t * self.stretch)


def linear_path(w: npt.ArrayLike, d_in: int | None = None, d_out: int | None = None) -> LinearPath:
    """Build the polar (rotate-while-stretching) path from ``I`` to ``W``.

    Parameters
    ----------
    w
        Weight matrix of shape ``(d_out, d_in)``.
    d_in, d_out
        Dimensions; default to ``W``'s shape and are checked against it.

    Returns
    -------
    LinearPath
        Callable ``t ↦ M(t)`` of ``D × D`` matrices. For padded (non-square) maps it is never
        singular for ``t < 1``; for square ``W`` with positive-definite ``S`` (which includes
        every ``det W > 0``) it is never singular on ``[0, 1]``.
    """
    full, _ = _padded_square(w, d_in, d_out)
    mat = _as_float(w)
    rot, sym = polar_decomposition(full)
    return LinearPath(full, rot, sym, int(mat.shape[1]), int(mat.shape[0]))


def straight_path(
    w: npt.ArrayLike, d_in: int | None = None, d_out: int | None = None
) -> LinearPath:
    """The naive path ``M(t) = (1 − t) I + t W`` (for comparison; it can collapse).

    Parameters
    ----------
    w
        Weight matrix of shape ``(d_out, d_in)``.
    d_in, d_out
        Dimensions; default to ``W``'s shape.

    Returns
    -------
    LinearPath
        A path whose rotation factor is the identity and stretch factor is the padded ``W``.
    """
    full, dim = _padded_square(w, d_in, d_out)
    mat = _as_float(w)
    return LinearPath(full, np.eye(dim), full.copy(), int(mat.shape[1]), int(mat.shape[0]))


def apply_path(points: npt.ArrayLike, m: npt.ArrayLike) -> Array:
    """Map row points through a matrix: ``points @ M.T``.

    Parameters
    ----------
    points
        Array ``(N, d)`` or ``(L, K, d)``; zero-padded to ``D`` coordinates when ``d < D``.
    m
        Matrix ``(D, D)``, e.g. ``path(t)``.

    Returns
    -------
    Array
        Array of the same leading shape with ``D`` coordinates.
    """
    mat = _as_float(m)
    pts = _as_float(points)
    if pts.shape[-1] < mat.shape[1]:
        pts = pad(pts, mat.shape[1])
    result: Array = pts @ mat.T
    return result


def path_determinants(
    w: npt.ArrayLike,
    d_in: int | None = None,
    d_out: int | None = None,
    *,
    kind: Literal["polar", "straight"] = "polar",
    num: int = 513,
    t_max: float = 1.0,
) -> tuple[Array, Array]:
    """Sample ``det M(t)`` along a path.

    Parameters
    ----------
    w
        Weight matrix ``(d_out, d_in)``.
    d_in, d_out
        Dimensions; default to ``W``'s shape.
    kind
        ``"polar"`` for :func:`linear_path`, ``"straight"`` for :func:`straight_path`.
    num
        Number of samples on ``[0, t_max]``.
    t_max
        Last sampled time.

    Returns
    -------
    tuple of Array
        ``(ts, dets)``.
    """
    path = linear_path(w, d_in, d_out) if kind == "polar" else straight_path(w, d_in, d_out)
    ts = np.linspace(0.0, t_max, num)
    dets = np.array([np.linalg.det(path(float(t))) for t in ts], dtype=np.float64)
    return ts, dets


def path_min_abs_det(
    w: npt.ArrayLike,
    d_in: int | None = None,
    d_out: int | None = None,
    *,
    kind: Literal["polar", "straight"] = "polar",
    num: int = 513,
    t_max: float = 1.0,
) -> float:
    """Smallest ``|det M(t)|`` along a path, or 0 if the determinant changes sign.

    Parameters
    ----------
    w
        Weight matrix ``(d_out, d_in)``.
    d_in, d_out
        Dimensions; default to ``W``'s shape.
    kind
        ``"polar"`` or ``"straight"``.
    num
        Number of samples on ``[0, t_max]``.
    t_max
        Last sampled time.

    Returns
    -------
    float
        A value near 0 means the path flattens space somewhere (points collapse).
    """
    _, dets = path_determinants(w, d_in, d_out, kind=kind, num=num, t_max=t_max)
    if np.any(np.sign(dets[1:]) != np.sign(dets[:-1])):
        return 0.0
    return float(np.min(np.abs(dets)))


# --------------------------------------------------------------------------- framing


def _finite_rows(points: npt.ArrayLike) -> Array:
    pts = _as_float(points)
    pts = pts.reshape(-1, pts.shape[-1]) if pts.ndim != 2 else pts
    return pts[np.all(np.isfinite(pts), axis=1)]


def _center(center: npt.ArrayLike | None, dim: int) -> Array:
    if center is None:
        return np.zeros(dim)
    c = np.ravel(_as_float(center))[:dim]
    return pad(c, dim)


def robust_extent(
    points: npt.ArrayLike,
    quantile: float = 1.0,
    center: npt.ArrayLike | None = None,
) -> Array:
    """Per-axis half extent ``quantile(|p_i − c_i|)`` of the finite points.

    Parameters
    ----------
    points
        Array ``(..., d)``; non-finite rows are ignored.
    quantile
        1.0 for the maximum; e.g. 0.99 ignores the farthest 1 % on each axis.
    center
        Center ``c`` (default: origin).

    Returns
    -------
    Array
        Shape ``(d,)``; zeros when there are no finite points.
    """
    pts = _finite_rows(points)
    c = _center(center, pts.shape[1])
    if len(pts) == 0:
        return np.zeros(pts.shape[1])
    dev = np.abs(pts - c)
    if quantile >= 1.0:
        return np.asarray(dev.max(axis=0), dtype=np.float64)
    return np.asarray(np.quantile(dev, quantile, axis=0), dtype=np.float64)


def robust_radius(
    points: npt.ArrayLike,
    quantile: float = 1.0,
    center: npt.ArrayLike | None = None,
) -> float:
    """Radius of the ball around ``center`` holding the ``quantile`` share of finite points.

    Parameters
    ----------
    points
        Array ``(..., d)``; non-finite rows are ignored.
    quantile
        1.0 for the bounding-sphere radius.
    center
        Center (default: origin).

    Returns
    -------
    float
        The radius (0 without finite points).
    """
    pts = _finite_rows(points)
    if len(pts) == 0:
        return 0.0
    c = _center(center, pts.shape[1])
    dev = pts - c
    # Divide by the largest deviation before squaring: beyond ~1e154 the squares overflow.
    peak = float(np.abs(dev).max())
    dist = np.linalg.norm(dev / peak, axis=1) * peak if peak > 0 else np.zeros(len(dev))
    if quantile >= 1.0:
        return float(dist.max())
    return float(np.quantile(dist, quantile))


def fit_scale(
    points: npt.ArrayLike,
    half_width: float,
    half_height: float,
    margin: float = 0.9,
    *,
    center: npt.ArrayLike | None = None,
    quantile: float = 1.0,
    max_scale: float = 1e6,
) -> float:
    """One uniform scale ``s`` so that ``s · (p − center)`` fits in the box.

    2-D points are measured per axis (``s·|x| ≤ margin·half_width`` and
    ``s·|y| ≤ margin·half_height``); points with 3 or more coordinates by their bounding
    sphere around ``center`` so the fit holds for every camera angle.

    Parameters
    ----------
    points
        Array ``(..., 2)`` or ``(..., 3)``; non-finite rows are ignored.
    half_width, half_height
        Half sizes of the target box.
    margin
        Fraction of the box to use.
    center
        Center of the scaling (default: origin).
    quantile
        Below 1.0, let the farthest points fall outside (robust framing).
    max_scale
        Returned when all points sit on the center.

    Returns
    -------
    float
        The scale factor, positive and finite.
    """
    pts = _as_float(points)
    dim = pts.shape[-1]
    limits: list[float] = []
    if dim <= 2:
        ext = robust_extent(pts, quantile, center)
        for e, half in zip(ext, (half_width, half_height), strict=False):
            if e > _EPS:
                limits.append(margin * half / float(e))
    else:
        radius = robust_radius(pts, quantile, center)
        if radius > _EPS:
            limits.append(margin * min(half_width, half_height) / radius)
    if not limits:
        return float(max_scale)
    return float(min(min(limits), max_scale))


def concave_majorant(x: npt.ArrayLike, y: npt.ArrayLike) -> Array:
    """The least concave function above the points ``(x_i, y_i)``, at each ``x_i``.

    The upper hull of the points, read back at their own ``x`` (between two hull corners it
    is the straight line joining them). It is never below ``y`` and equals ``y`` at the
    corners, so in particular at the first and the last point.

    Parameters
    ----------
    x
        Strictly increasing abscissae ``(n,)``.
    y
        Finite values ``(n,)``.

    Returns
    -------
    Array
        ``(n,)``, ``≥ y``.

    >>> concave_majorant([0.0, 1.0, 2.0, 3.0], [0.0, 2.0, 1.0, 0.0]).tolist()
    [0.0, 2.0, 1.0, 0.0]
    >>> concave_majorant([0.0, 1.0, 2.0], [0.0, -1.0, 0.0]).tolist()
    [0.0, 0.0, 0.0]
    """
    xs, ys = _as_float(x).ravel(), _as_float(y).ravel()
    if xs.shape != ys.shape:
        raise ValueError(f"concave_majorant needs x and y alike, got {xs.shape} and {ys.shape}")
    if len(xs) > 1 and not np.all(np.diff(xs) > 0):
        raise ValueError("concave_majorant needs strictly increasing x")
    hull: list[int] = []
    for i in range(len(xs)):
        while len(hull) >= 2:
            j, k = hull[-2], hull[-1]
            # k is under the chord from j to i: not a corner of the upper hull
            if (ys[k] - ys[j]) * (xs[i] - xs[j]) <= (ys[i] - ys[j]) * (xs[k] - xs[j]):
                hull.pop()
            else:
                break
        hull.append(i)
    out: Array = np.maximum(np.interp(xs, xs[hull], ys[hull]), ys)
    return out


def interpolate_scale(s0: float, s1: float, t: float) -> float:
    """Geometric (log-space) interpolation between two positive scales.

    Parameters
    ----------
    s0, s1
        Positive scales at ``t = 0`` and ``t = 1``.
    t
        Interpolation parameter.

    Returns
    -------
    float
        ``s0 ** (1 − t) · s1 ** t``: exactly ``s0`` at ``t = 0`` and ``s1`` at ``t = 1``, and
        between the two for ``0 ≤ t ≤ 1``.
    """
    if s0 <= 0 or s1 <= 0:
        raise ValueError("interpolate_scale needs positive scales")
    if t == 0.0:
        return float(s0)
    if t == 1.0:
        return float(s1)
    with np.errstate(over="ignore"):
        out = float(np.exp((1.0 - t) * np.log(s0) + t * np.log(s1)))
    if 0.0 < t < 1.0:  # exp(log(s)) is off by rounding: never step outside [s0, s1]
        out = min(max(out, min(s0, s1)), max(s0, s1))
    return out


# --------------------------------------------------------------------------- separators


def clip_line_to_box(w: npt.ArrayLike, b: float, box: Sequence[float]) -> Array | None:
    """Clip the line ``w · x + b = 0`` to an axis-aligned box.

    Parameters
    ----------
    w
        Normal vector of length 2.
    b
        Offset.
    box
        ``(xmin, xmax, ymin, ymax)``.

    Returns
    -------
    Array or None
        ``(2, 2)`` array of the two endpoints on the box boundary, or ``None`` when the line
        misses the box (or ``w`` is zero).
    """
    normal = _as_float(w).ravel()
    if normal.shape != (2,):
        raise ValueError("clip_line_to_box needs a 2-vector w")
    nn = float(normal @ normal)
    if nn < _EPS**2 or not np.isfinite(nn) or not np.isfinite(b):
        return None
    p0 = -float(b) * normal / nn
    d = np.array([-normal[1], normal[0]]) / np.sqrt(nn)
    lo = np.array([box[0], box[2]], dtype=np.float64)
    hi = np.array([box[1], box[3]], dtype=np.float64)
    t0, t1 = -np.inf, np.inf
    for i in range(2):
        if abs(d[i]) < _EPS:
            if p0[i] < lo[i] - 1e-12 or p0[i] > hi[i] + 1e-12:
                return None
            continue
        a = (lo[i] - p0[i]) / d[i]
        c = (hi[i] - p0[i]) / d[i]
        t0 = max(t0, min(a, c))
        t1 = min(t1, max(a, c))
    if t0 > t1 + 1e-12:
        return None
    ends: Array = np.clip(np.stack([p0 + t0 * d, p0 + t1 * d]), lo, hi)
    return ends


def clip_polygon_halfspace(poly: npt.ArrayLike, a: npt.ArrayLike, c: float) -> Array:
    """Sutherland–Hodgman clip of a convex or simple polygon to ``a · x + c ≥ 0``.

    Works for polygons in any dimension (e.g. a planar polygon in 3-D).

    Parameters
    ----------
    poly
        Vertices ``(N, d)`` in order.
    a
        Half-space normal of length ``d``.
    c
        Offset.

    Returns
    -------
    Array
        Clipped vertices ``(K, d)``, in order; ``K = 0`` when nothing is kept.
    """
    pts = _as_float(poly)
    normal = _as_float(a).ravel()
    if len(pts) == 0:
        return pts.reshape(0, normal.shape[0])
    vals = pts @ normal + float(c)
    inside = vals >= 0
    if inside.all():
        return pts.copy()
    if not inside.any():
        return np.zeros((0, pts.shape[1]))
    out: list[Array] = []
    n = len(pts)
    for i in range(n):
        j = (i + 1) % n
        if inside[i]:
            out.append(pts[i])
        if inside[i] != inside[j]:
            s = vals[i] / (vals[i] - vals[j])
            out.append(pts[i] + s * (pts[j] - pts[i]))
    return np.array(out, dtype=np.float64).reshape(-1, pts.shape[1])


def clip_polygon_halfplane(poly: npt.ArrayLike, a: npt.ArrayLike, c: float) -> Array:
    """Sutherland–Hodgman clip of a 2-D polygon, keeping ``a · x + c ≥ 0``.

    Parameters
    ----------
    poly
        Vertices ``(N, 2)`` in order.
    a
        Normal of length 2.
    c
        Offset.

    Returns
    -------
    Array
        Clipped vertices ``(K, 2)``; ``K = 0`` when the half-plane misses the polygon.
    """
    return clip_polygon_halfspace(poly, a, c)


def polygon_area(poly: npt.ArrayLike) -> float:
    """Unsigned shoelace area of a 2-D polygon (0 for fewer than 3 vertices).

    Parameters
    ----------
    poly
        Vertices ``(N, 2)`` in order.

    Returns
    -------
    float
        The area.
    """
    pts = _as_float(poly)
    if len(pts) < 3:
        return 0.0
    x, y = pts[:, 0], pts[:, 1]
    return float(0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))


def _box_polygon(box: Sequence[float]) -> Array:
    x0, x1, y0, y1 = (float(v) for v in box[:4])
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64)


def linear_regions(wout: npt.ArrayLike, bout: npt.ArrayLike, box: Sequence[float]) -> list[Array]:
    """Decision regions of a linear read-out, clipped to a 2-D box.

    Parameters
    ----------
    wout
        Read-out weights: shape ``(2,)`` or ``(1, 2)`` for one logit (binary classifier), or
        ``(K, 2)`` for ``K ≥ 2`` logits.
    bout
        Biases: scalar / ``(1,)`` or ``(K,)``.
    box
        ``(xmin, xmax, ymin, ymax)``.

    Returns
    -------
    list of Array
        One convex polygon ``(n_k, 2)`` per class, possibly empty. For one logit, index 0 is
        ``w · x + b < 0`` and index 1 is ``w · x + b ≥ 0``; for ``K`` logits, region ``k`` is
        where logit ``k`` is the largest. The regions tile the box.
    """
    w = _as_float(wout)
    b = np.atleast_1d(_as_float(bout)).ravel()
    if w.ndim == 1:
        w = w.reshape(1, -1)
    if w.shape[1] != 2:
        raise ValueError(f"linear_regions needs weights with 2 columns, got {w.shape}")
    if len(b) != len(w):
        raise ValueError(f"{len(w)} logits but {len(b)} biases")
    square = _box_polygon(box)
    if len(w) == 1:
        return [
            clip_polygon_halfplane(square, -w[0], -float(b[0])),
            clip_polygon_halfplane(square, w[0], float(b[0])),
        ]
    regions: list[Array] = []
    for k in range(len(w)):
        poly = square
        for j in range(len(w)):
            if j == k or len(poly) == 0:
                continue
            poly = clip_polygon_halfplane(poly, w[k] - w[j], float(b[k] - b[j]))
        regions.append(poly)
    return regions


def clip_plane_to_box(w: npt.ArrayLike, b: float, box3: Sequence[float]) -> Array | None:
    """Intersect the plane ``w · x + b = 0`` with an axis-aligned 3-D box.

    Parameters
    ----------
    w
        Plane normal of length 3.
    b
        Offset.
    box3
        ``(xmin, xmax, ymin, ymax, zmin, zmax)``.

    Returns
    -------
    Array or None
        Convex polygon ``(K, 3)``, ``3 ≤ K ≤ 6``, ordered around its centroid; ``None`` when
        the plane misses the box (or only touches it).
    """
    normal = _as_float(w).ravel()
    if normal.shape != (3,):
        raise ValueError("clip_plane_to_box needs a 3-vector w")
    nn = float(np.linalg.norm(normal))
    if nn < _EPS or not np.isfinite(nn) or not np.isfinite(b):
        return None
    n = normal / nn
    off = float(b) / nn
    lo = np.array([box3[0], box3[2], box3[4]], dtype=np.float64)
    hi = np.array([box3[1], box3[3], box3[5]], dtype=np.float64)
    center = 0.5 * (lo + hi)
    # Project the box center onto the plane and span it with an orthonormal basis.
    p0 = center - (float(n @ center) + off) * n
    helper = np.eye(3)[int(np.argmin(np.abs(n)))]
    e1 = np.cross(n, helper)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(n, e1)
    size = float(np.linalg.norm(hi - lo)) + float(np.linalg.norm(p0 - center)) + 1.0
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float64) * size
    poly = p0 + corners[:, :1] * e1 + corners[:, 1:] * e2
    for axis in range(3):
        unit = np.eye(3)[axis]
        poly = clip_polygon_halfspace(poly, unit, -lo[axis])
        poly = clip_polygon_halfspace(poly, -unit, hi[axis])
        if len(poly) == 0:
            return None
    # Drop repeated vertices produced by clipping through a corner.
    keep = [0]
    for i in range(1, len(poly)):
        if np.linalg.norm(poly[i] - poly[keep[-1]]) > 1e-12:
            keep.append(i)
    poly = poly[keep]
    if len(poly) > 1 and np.linalg.norm(poly[0] - poly[-1]) <= 1e-12:
        poly = poly[:-1]
    if len(poly) < 3:
        return None
    uv = np.stack([(poly - p0) @ e1, (poly - p0) @ e2], axis=1)
    if polygon_area(uv) < 1e-15:
        return None
    result: Array = poly
    return result
