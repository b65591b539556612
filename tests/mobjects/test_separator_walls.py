"""The output layer's boundary in a 3-D space: one plane for two classes, walls between
neighbouring classes for more."""

from __future__ import annotations

import numpy as np

from scenes.mobjects.separators import facets_3d


def clusters_along_x(k: int, n: int = 30) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``k`` clusters centred at x = 0, 2, 4, ... and a softmax layer whose regions are
    slabs across x in that order: points, W and b."""
    rng = np.random.default_rng(0)
    centres = np.array([[2.0 * c, 0.0, 0.0] for c in range(k)])
    points = np.concatenate([c + rng.normal(0, 0.3, size=(n, 3)) for c in centres])
    # score_c(x) = -(x - 2c)^2 up to terms common to every class: linear in x
    w = np.zeros((k, 3))
    w[:, 0] = 4.0 * np.arange(k)
    b = -4.0 * np.arange(k) ** 2
    return points, w, b


def test_two_classes_meet_in_one_plane_across_the_whole_box() -> None:
    points, w, b = clusters_along_x(2)
    (plane,) = facets_3d(w[1:] - w[:1], b[1:] - b[:1], points)
    poly = plane[0]
    assert np.allclose(poly[:, 0], 1.0)  # halfway between the clusters
    span = points.max(axis=0) - points.min(axis=0)
    assert np.ptp(poly[:, 1]) > span[1] and np.ptp(poly[:, 2]) > span[2]


def test_more_classes_get_walls_between_neighbours_only() -> None:
    """Four clusters in a row: three walls (0|1, 1|2, 2|3), none between classes that
    no point has as its two best, and each wall no bigger than its neighbours' points."""
    points, w, b = clusters_along_x(4)
    walls = [poly for poly, _ in facets_3d(w, b, points)]
    assert sorted(round(float(p[:, 0].mean()), 6) for p in walls) == [1.0, 3.0, 5.0]
    labels = np.repeat(np.arange(4), 30)
    pad = 0.08 * np.ptp(points, axis=0).max()
    for poly in walls:
        left = int(poly[0, 0] // 2)
        near = points[(labels == left) | (labels == left + 1)]
        assert np.all(poly.min(axis=0) >= near.min(axis=0) - pad - 1e-5)
        assert np.all(poly.max(axis=0) <= near.max(axis=0) + pad + 1e-5)


def test_every_wall_lies_where_its_two_classes_tie_and_beat_the_rest() -> None:
    rng = np.random.default_rng(1)
    points = rng.normal(size=(200, 3))
    w, b = rng.normal(size=(5, 3)), rng.normal(size=5)
    walls = facets_3d(w, b, points)
    assert walls
    for poly, _ in walls:
        for corner in poly:
            scores = w @ corner + b
            top = np.sort(scores)[::-1]
            assert top[0] - top[1] < 1e-6  # two classes tie here


def test_each_wall_is_tinted_by_the_two_classes_it_parts() -> None:
    from scenes.core.theme import hex_to_rgb, theme

    th = theme()
    points, w, b = clusters_along_x(4)
    for poly, colour in facets_3d(w, b, points):
        left = int(round(float(poly[:, 0].mean()) - 1) / 2)  # the wall at x = 2c + 1
        want = np.array(hex_to_rgb(th.class_color(left))) + hex_to_rgb(th.class_color(left + 1))
        assert np.allclose(hex_to_rgb(colour), want / 2, atol=1 / 255)
    points, w, b = clusters_along_x(2)
    ((_, colour),) = facets_3d(w[1:] - w[:1], b[1:] - b[:1], points)
    assert colour == th.separator  # one plane between two classes: the separator's colour
