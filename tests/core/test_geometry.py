"""Tests for scenes.core.geometry: matrix paths, framing and separator clipping."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.core import geometry as g

RNG_SEED = 1234


def _random_det_positive(rng: np.random.Generator, dim: int) -> np.ndarray:
    while True:
        w = rng.normal(size=(dim, dim)) * rng.uniform(0.2, 3.0)
        if np.linalg.det(w) > 0.05:
            return w


# --------------------------------------------------------------------------- pad / polar


def test_pad_shapes_and_values() -> None:
    pts = np.arange(6.0).reshape(3, 2)
    out = g.pad(pts, 3)
    assert out.shape == (3, 3)
    np.testing.assert_array_equal(out[:, :2], pts)
    np.testing.assert_array_equal(out[:, 2], 0.0)
    lines = np.ones((4, 5, 2))
    assert g.pad(lines, 3).shape == (4, 5, 3)
    with pytest.raises(ValueError):
        g.pad(np.ones((2, 3)), 2)


@pytest.mark.parametrize("dim", [2, 3])
def test_polar_decomposition_properties(dim: int) -> None:
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(50):
        a = rng.normal(size=(dim, dim))
        r, s = g.polar_decomposition(a)
        np.testing.assert_allclose(r @ s, a, atol=1e-10)
        np.testing.assert_allclose(r @ r.T, np.eye(dim), atol=1e-10)
        assert np.linalg.det(r) == pytest.approx(1.0)
        np.testing.assert_allclose(s, s.T, atol=1e-12)
        eig = np.linalg.eigvalsh(s)
        if np.linalg.det(a) > 0:
            assert eig.min() > 0
        else:
            assert (eig < 0).sum() == 1


def test_polar_decomposition_singular_keeps_psd() -> None:
    # Rank-2 3x3 matrix whose orthogonal factor would be a reflection without the flip.
    a = np.zeros((3, 3))
    a[:2, :2] = [[1.0, 2.0], [-0.5, 0.3]]
    a[:, :2] = a[:, :2] @ np.array([[0.0, 1.0], [1.0, 0.0]])  # swap columns: det sign flips
    r, s = g.polar_decomposition(a)
    np.testing.assert_allclose(r @ s, a, atol=1e-10)
    assert np.linalg.det(r) == pytest.approx(1.0)
    assert np.linalg.eigvalsh(s).min() > -1e-10


# --------------------------------------------------------------------------- rotation power


def _random_rotation(rng: np.random.Generator, dim: int) -> np.ndarray:
    q, _ = np.linalg.qr(rng.normal(size=(dim, dim)))
    if np.linalg.det(q) < 0:
        q[:, 0] *= -1
    return q


@pytest.mark.parametrize("dim", [2, 3])
def test_rotation_power_composes(dim: int) -> None:
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(50):
        r = _random_rotation(rng, dim)
        a, b = rng.uniform(-0.5, 1.0, size=2)
        lhs = g.rotation_power(r, a) @ g.rotation_power(r, b)
        np.testing.assert_allclose(lhs, g.rotation_power(r, a + b), atol=1e-9)
        np.testing.assert_allclose(g.rotation_power(r, 1.0), r, atol=1e-9)
        np.testing.assert_allclose(g.rotation_power(r, 0.0), np.eye(dim), atol=1e-12)
        half = g.rotation_power(r, 0.5)
        np.testing.assert_allclose(half @ half, r, atol=1e-9)


@pytest.mark.parametrize("angle", [0.0, 1e-9, 1e-4, np.pi - 1e-7, np.pi])
def test_rotation_power_3d_edge_angles(angle: float) -> None:
    axis = np.array([1.0, -2.0, 0.5])
    axis /= np.linalg.norm(axis)
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    r = np.eye(3) + np.sin(angle) * k + (1 - np.cos(angle)) * k @ k
    half = g.rotation_power(r, 0.5)
    np.testing.assert_allclose(half @ half, r, atol=1e-7)
    np.testing.assert_allclose(half @ half.T, np.eye(3), atol=1e-10)
    np.testing.assert_allclose(g.rotation_power(r, 1.0), r, atol=1e-7)


# --------------------------------------------------------------------------- matrix paths


@pytest.mark.parametrize(("d_in", "d_out"), [(2, 2), (3, 3), (2, 3), (3, 2)])
def test_path_endpoints(d_in: int, d_out: int) -> None:
    rng = np.random.default_rng(RNG_SEED)
    w = rng.normal(size=(d_out, d_in))
    path = g.linear_path(w, d_in, d_out)
    dim = max(d_in, d_out, 2)
    assert path.dim == dim
    np.testing.assert_allclose(path(0.0), np.eye(dim), atol=1e-12)
    expected = np.zeros((dim, dim))
    expected[:d_out, :d_in] = w
    np.testing.assert_allclose(path(1.0), expected, atol=1e-12)
    # Continuity at both ends.
    np.testing.assert_allclose(path(1e-7), np.eye(dim), atol=1e-5)
    np.testing.assert_allclose(path(1 - 1e-7), expected, atol=1e-5)


@pytest.mark.parametrize("dim", [2, 3])
def test_polar_path_never_singular_for_positive_det(dim: int) -> None:
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(30):
        w = _random_det_positive(rng, dim)
        _, dets = g.path_determinants(w, num=201)
        assert np.all(dets > 0), dets.min()


@pytest.mark.parametrize(("d_in", "d_out"), [(2, 3), (3, 2)])
def test_padded_path_never_singular_before_one(d_in: int, d_out: int) -> None:
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(30):
        w = rng.normal(size=(d_out, d_in))
        ts, dets = g.path_determinants(w, d_in, d_out, num=201, t_max=0.999)
        assert np.all(dets > 0), (ts[np.argmin(dets)], dets.min())
        assert abs(np.linalg.det(g.linear_path(w, d_in, d_out)(1.0))) < 1e-12


def test_straight_path_collapses_where_polar_does_not() -> None:
    # Complex eigenvalues near -0.8: the straight path squeezes space almost to a point.
    w = -0.8 * np.eye(2) + np.array([[0.05, -0.02], [0.03, 0.01]])
    assert np.linalg.det(w) > 0
    assert g.path_min_abs_det(w, kind="straight", num=2001) < 1e-3
    assert g.path_min_abs_det(w, kind="polar") > 0.3

    # Real negative eigenvalues: det(M(t)) changes sign twice on the straight path.
    w = -0.8 * np.eye(2) + np.array([[0.05, 0.02], [0.03, -0.01]])
    _, dets = g.path_determinants(w, kind="straight", num=401)
    assert dets.min() < 0 < dets.max() and dets[-1] > 0
    assert g.path_min_abs_det(w, kind="straight") == 0.0
    assert g.path_min_abs_det(w, kind="polar") > 0.3

    # 3-D with two negative eigenvalues (det > 0): same story.
    w3 = np.diag([-0.8, -0.7, 1.2])
    assert g.path_min_abs_det(w3, kind="straight") == 0.0
    assert g.path_min_abs_det(w3, kind="polar") > 0.3


def test_apply_path_shapes_and_padding() -> None:
    w = np.array([[1.0, 2.0], [0.0, 1.0], [3.0, -1.0]])  # 2 -> 3
    path = g.linear_path(w)
    pts = np.array([[1.0, 1.0], [2.0, -1.0]])
    out = g.apply_path(pts, path(1.0))
    np.testing.assert_allclose(out, pts @ w.T)
    grid = np.ones((4, 7, 2))
    assert g.apply_path(grid, path(0.5)).shape == (4, 7, 3)
    np.testing.assert_allclose(g.apply_path(pts, path(0.0))[:, :2], pts)


# --------------------------------------------------------------------------- framing


def test_fit_scale_2d_fits_and_is_tight() -> None:
    rng = np.random.default_rng(RNG_SEED)
    pts = rng.normal(size=(500, 2)) * [5.0, 0.5] + [0.3, -0.2]
    hw, hh = 3.0, 2.0
    s = g.fit_scale(pts, hw, hh, margin=0.9)
    assert isinstance(s, float)
    scaled = s * pts
    assert np.all(np.abs(scaled[:, 0]) <= 0.9 * hw + 1e-9)
    assert np.all(np.abs(scaled[:, 1]) <= 0.9 * hh + 1e-9)
    # Uniform and tight: one axis touches the margin.
    touch_x = np.isclose(np.abs(scaled[:, 0]).max(), 0.9 * hw)
    touch_y = np.isclose(np.abs(scaled[:, 1]).max(), 0.9 * hh)
    assert touch_x or touch_y


def test_fit_scale_3d_uses_bounding_sphere() -> None:
    rng = np.random.default_rng(RNG_SEED)
    pts = rng.normal(size=(300, 3)) * [1.0, 2.0, 3.0]
    center = np.array([0.5, 0.0, -0.5])
    s = g.fit_scale(pts, 4.0, 3.0, margin=0.8, center=center)
    radius = np.linalg.norm(s * (pts - center), axis=1).max()
    assert radius == pytest.approx(0.8 * 3.0)


def test_fit_scale_ignores_non_finite_and_degenerate() -> None:
    pts = np.array([[1.0, 1.0], [np.nan, 0.0], [np.inf, 2.0], [-2.0, 0.5]])
    s = g.fit_scale(pts, 1.0, 1.0, margin=1.0)
    assert s == pytest.approx(0.5)
    assert np.isfinite(g.fit_scale(np.zeros((3, 2)), 1.0, 1.0))


def test_interpolate_scale_is_geometric() -> None:
    assert g.interpolate_scale(1.0, 4.0, 0.5) == pytest.approx(2.0)
    assert g.interpolate_scale(3.0, 7.0, 0.0) == pytest.approx(3.0)
    assert g.interpolate_scale(3.0, 7.0, 1.0) == pytest.approx(7.0)
    with pytest.raises(ValueError):
        g.interpolate_scale(0.0, 1.0, 0.5)


def test_robust_extent_quantile() -> None:
    pts = np.zeros((100, 2))
    pts[:, 0] = np.arange(100)
    ext = g.robust_extent(pts, quantile=0.9)
    assert 85 < ext[0] < 95
    assert g.robust_extent(pts)[0] == 99


# --------------------------------------------------------------------------- separators

BOX = (-2.0, 3.0, -1.5, 1.0)


def test_clip_line_to_box_endpoints_on_line_and_boundary() -> None:
    rng = np.random.default_rng(RNG_SEED)
    hits = 0
    for _ in range(300):
        w = rng.normal(size=2)
        b = rng.normal() * 2
        seg = g.clip_line_to_box(w, b, BOX)
        # Brute force: does the line pass through the box interior?
        xs, ys = np.meshgrid(np.linspace(BOX[0], BOX[1], 60), np.linspace(BOX[2], BOX[3], 60))
        vals = w[0] * xs + w[1] * ys + b
        crosses = vals.min() < -1e-6 and vals.max() > 1e-6
        if seg is None:
            assert not crosses
            continue
        hits += 1
        for p in seg:
            assert abs(w @ p + b) < 1e-9 * max(1.0, np.linalg.norm(w))
            on_x = np.isclose(p[0], BOX[0]) or np.isclose(p[0], BOX[1])
            on_y = np.isclose(p[1], BOX[2]) or np.isclose(p[1], BOX[3])
            assert on_x or on_y
            assert BOX[0] - 1e-9 <= p[0] <= BOX[1] + 1e-9
            assert BOX[2] - 1e-9 <= p[1] <= BOX[3] + 1e-9
    assert hits > 50
    assert g.clip_line_to_box([1.0, 0.0], -10.0, BOX) is None  # x = 10 misses
    assert g.clip_line_to_box([0.0, 0.0], 1.0, BOX) is None
    vertical = g.clip_line_to_box([1.0, 0.0], -1.0, BOX)  # x = 1
    assert vertical is not None
    np.testing.assert_allclose(sorted(vertical[:, 1]), [BOX[2], BOX[3]])


def test_clip_polygon_halfplane() -> None:
    square = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
    half = g.clip_polygon_halfplane(square, [1.0, 0.0], -0.25)  # keep x >= 0.25
    assert g.polygon_area(half) == pytest.approx(0.75)
    assert np.all(half[:, 0] >= 0.25 - 1e-12)
    tri = g.clip_polygon_halfplane(square, [-1.0, -1.0], 1.0)  # keep x + y <= 1
    assert g.polygon_area(tri) == pytest.approx(0.5)
    assert len(g.clip_polygon_halfplane(square, [1.0, 0.0], -5.0)) == 0
    assert len(g.clip_polygon_halfplane(square, [1.0, 0.0], 5.0)) == 4


def _classify(w: np.ndarray, b: np.ndarray, pts: np.ndarray) -> np.ndarray:
    logits = pts @ w.T + b
    if w.shape[0] == 1:
        return (logits[:, 0] >= 0).astype(int)
    return np.argmax(logits, axis=1)


def _point_in_convex(poly: np.ndarray, pts: np.ndarray) -> np.ndarray:
    if len(poly) < 3:
        return np.zeros(len(pts), dtype=bool)
    inside_pos = np.ones(len(pts), dtype=bool)
    inside_neg = np.ones(len(pts), dtype=bool)
    for i in range(len(poly)):
        a, b = poly[i], poly[(i + 1) % len(poly)]
        cross = (b[0] - a[0]) * (pts[:, 1] - a[1]) - (b[1] - a[1]) * (pts[:, 0] - a[0])
        inside_pos &= cross >= -1e-12
        inside_neg &= cross <= 1e-12
    return inside_pos | inside_neg


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_linear_regions_tile_box_and_classify(k: int) -> None:
    rng = np.random.default_rng(RNG_SEED + k)
    box_area = (BOX[1] - BOX[0]) * (BOX[3] - BOX[2])
    for _ in range(20):
        w = rng.normal(size=(k, 2))
        b = rng.normal(size=k) * 0.5
        regions = g.linear_regions(w, b, BOX)
        assert len(regions) == max(k, 2)
        total = sum(g.polygon_area(r) for r in regions)
        assert total == pytest.approx(box_area, rel=1e-9)
        pts = rng.uniform([BOX[0], BOX[2]], [BOX[1], BOX[3]], size=(400, 2))
        labels = _classify(w, b, pts)
        logits = pts @ w.T + b
        if k == 1:
            margin = np.abs(logits[:, 0])
        else:
            top2 = np.sort(logits, axis=1)[:, -2:]
            margin = top2[:, 1] - top2[:, 0]
        clear = margin > 1e-6  # skip points on a boundary
        for cls, poly in enumerate(regions):
            inside = _point_in_convex(poly, pts)
            np.testing.assert_array_equal(inside[clear], (labels == cls)[clear])


def test_linear_regions_single_logit_shapes() -> None:
    regions = g.linear_regions(np.array([1.0, 0.0]), 0.0, BOX)  # class 1 where x >= 0
    assert g.polygon_area(regions[1]) == pytest.approx(3.0 * 2.5)
    assert g.polygon_area(regions[0]) == pytest.approx(2.0 * 2.5)
    all_one = g.linear_regions(np.array([[1.0, 0.0]]), np.array([10.0]), BOX)
    assert len(all_one[0]) == 0
    assert g.polygon_area(all_one[1]) == pytest.approx(5.0 * 2.5)


BOX3 = (-1.0, 2.0, -1.5, 1.5, -0.5, 1.0)


def test_clip_plane_to_box() -> None:
    rng = np.random.default_rng(RNG_SEED)
    found = 0
    for _ in range(200):
        w = rng.normal(size=3)
        b = rng.normal()
        poly = g.clip_plane_to_box(w, b, BOX3)
        corners = np.array(np.meshgrid(*[BOX3[2 * i : 2 * i + 2] for i in range(3)])).reshape(3, -1)
        side = w @ corners + b
        crosses = side.min() < -1e-9 and side.max() > 1e-9
        if poly is None:
            assert not crosses
            continue
        assert crosses
        found += 1
        assert 3 <= len(poly) <= 6
        np.testing.assert_allclose(poly @ w + b, 0.0, atol=1e-9)
        lo = np.array(BOX3[0::2]) - 1e-9
        hi = np.array(BOX3[1::2]) + 1e-9
        assert np.all((poly >= lo) & (poly <= hi))
        # Ordered around the centroid: angles in the plane are monotone (cyclically).
        n = w / np.linalg.norm(w)
        e1 = np.cross(n, [1.0, 0.0, 0.0] if abs(n[0]) < 0.9 else [0.0, 1.0, 0.0])
        e1 /= np.linalg.norm(e1)
        e2 = np.cross(n, e1)
        rel = poly - poly.mean(axis=0)
        ang = np.unwrap(np.arctan2(rel @ e2, rel @ e1))
        steps = np.diff(np.append(ang, ang[0] + np.sign(ang[-1] - ang[0]) * 2 * np.pi))
        assert np.all(steps > 0) or np.all(steps < 0)
    assert found > 50
    assert g.clip_plane_to_box([0.0, 0.0, 1.0], -5.0, BOX3) is None
    square = g.clip_plane_to_box([0.0, 0.0, 1.0], 0.0, BOX3)  # z = 0
    assert square is not None and len(square) == 4
