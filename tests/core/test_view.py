"""Framing and the warp's moves, checked without rendering a frame."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from scenes.core.view import Box, View, fit, pad3, rotation, step_views

BOX = Box(-6.0, 2.0, -3.5, 2.5)


def test_fit_uses_one_uniform_scale_and_keeps_points_inside() -> None:
    rng = np.random.default_rng(0)
    pts = rng.normal(size=(500, 2)) * [10.0, 0.5] + [3.0, -7.0]
    centre, scale = fit(pts, BOX, three_d=False)
    xy, _ = View(BOX, centre, scale).project(pts)
    assert BOX.contains(xy)
    # uniform: distances scale by the same factor in every direction
    d_data = np.linalg.norm(pts[1] - pts[0])
    assert np.linalg.norm(xy[1] - xy[0]) == pytest.approx(scale * d_data)


def test_a_3d_fit_holds_at_every_camera_angle() -> None:
    pts = np.random.default_rng(1).uniform(-1, 1, size=(300, 3)) * [5, 1, 2]
    centre, scale = fit(pts, BOX, three_d=True)
    for phi in np.linspace(0, np.pi / 2, 5):
        for theta in np.linspace(0, 2 * np.pi, 9):
            xy, _ = View(BOX, centre, scale, phi, theta).project(pts)
            assert BOX.contains(xy)


def test_rotation_is_orthonormal_and_flat_at_phi_zero() -> None:
    r = rotation(0.7, -1.1)
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-12)
    np.testing.assert_allclose(rotation(0.0, 0.0), np.eye(3))


def test_step_views_zoom_out_mid_step_so_nothing_leaves_the_plot() -> None:
    pts = np.column_stack([np.linspace(-1, 1, 50), np.zeros(50)])

    def rot(t: float) -> np.ndarray:  # a long thin shape turning by up to 90°
        a = np.pi / 2 * t
        return pts @ np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]).T

    start = View(BOX, *fit(rot(0), BOX, three_d=False))
    end = View(BOX, *fit(rot(1), BOX, three_d=False))
    views = step_views(start, end, rot)
    for t in np.linspace(0, 1, 41):
        xy, _ = views(float(t)).project(rot(float(t)))
        assert BOX.contains(xy), t
    assert views(0.0).scale == pytest.approx(start.scale)
    assert views(1.0).scale == pytest.approx(end.scale)


@pytest.fixture(scope="module")
def prepared(moons_traj: Path, wide_traj: Path):  # type: ignore[no-untyped-def]
    import manim

    from nnmodel.trajectory import load
    from scenes.warp import Warp

    scenes = []
    with manim.tempconfig({"dry_run": True, "pixel_width": 160, "pixel_height": 90}):
        for path, merge in ((moons_traj, False), (moons_traj, True), (wide_traj, False)):
            scene = Warp(trajectory=load(path), merge_bias=merge)
            scene.prepare()
            scenes.append(scene)
    return scenes


def test_every_move_starts_where_the_last_ended_and_lands_on_the_exported_stage(prepared) -> None:  # type: ignore[no-untyped-def]
    for scene in prepared:
        for layer in scene.traj.hidden_layers:
            i = layer.index
            before, act = scene.stages[2 * i], scene.stages[2 * i + 2]
            steps = scene.layer_steps(i)
            np.testing.assert_allclose(steps[0][1].points(0.0), pad3(before.points), atol=1e-9)
            for (_, a, _), (_, b, _) in zip(steps, steps[1:], strict=False):
                np.testing.assert_allclose(a.points(1.0), b.points(0.0), atol=1e-4)
                np.testing.assert_allclose(a.grid(1.0), b.grid(0.0), atol=1e-4)
            np.testing.assert_allclose(steps[-1][1].points(1.0), pad3(act.points), atol=1e-5)
            kinds = [k for k, _, _ in steps]
            if layer.projected or (i and scene.traj.layers[i - 1].projected):
                assert kinds == ["morph", "activation"]
            elif scene.merge_bias:
                assert kinds == ["affine", "activation"]
            else:
                assert kinds == ["linear", "bias", "activation"]


def test_the_linear_map_never_collapses_the_picture_mid_step(prepared) -> None:  # type: ignore[no-untyped-def]
    scene = prepared[0]
    for layer in scene.traj.hidden_layers:
        kind, step, _ = scene.layer_steps(layer.index)[0]
        assert kind == "linear"
        p0 = step.points(0.0)[:, :2]
        spread0 = np.linalg.svd(p0 - p0.mean(0), compute_uv=False)[-1]
        for t in np.linspace(0.05, 0.95, 19):
            p = step.points(float(t))[:, :2]
            # the smallest spread stays a healthy fraction of min(start, end): no flattening
            spread = np.linalg.svd(p - p.mean(0), compute_uv=False)[-1]
            p1 = step.points(1.0)[:, :2]
            spread1 = np.linalg.svd(p1 - p1.mean(0), compute_uv=False)[-1]
            assert spread > 0.2 * min(spread0, spread1), (layer.index, t)


def test_nearly_a_line_tells_a_collapsed_representation_from_a_spread_one() -> None:
    from scenes.warp import nearly_a_line

    rng = np.random.default_rng(2)
    t = rng.uniform(-1, 1, 200)
    assert nearly_a_line(np.column_stack([t, 2 * t + rng.normal(0, 0.01, 200)]))
    assert not nearly_a_line(rng.normal(size=(200, 2)))
    assert not nearly_a_line(np.zeros((200, 1)))
