"""The anatomy's numbers equal an independent numpy forward pass and nnmodel's gradients."""

from __future__ import annotations

import numpy as np
import pytest

from nnmodel import activations
from nnmodel.gradients import backward
from nnmodel.trajectory import Trajectory, load
from scenes.anatomy import numbers, pictures
from scenes.anatomy.plan import gather

NETS = ["moons_traj", "wide_traj", "wide8_traj", "one_layer_traj"]


def plain_forward(traj: Trajectory, snapshot: int, x: np.ndarray) -> list[np.ndarray]:
    """Each layer's (z, h) for points x, written out with nothing from scenes."""
    out = []
    h = np.asarray(x, np.float64)
    for (w, b), layer in zip(traj.weights(snapshot), traj.layers, strict=True):
        z = h @ np.asarray(w, np.float64).T + np.asarray(b, np.float64)
        h = z if layer.is_output else activations.get(layer.activation)(z)
        out.append((z, h))
    return out


@pytest.fixture(params=NETS)
def traj(request: pytest.FixtureRequest) -> Trajectory:
    return load(request.getfixturevalue(request.param))


def test_the_followed_point_s_numbers_are_a_plain_forward_pass(traj: Trajectory) -> None:
    for snapshot, sample in ((-1, None), (2, 5)):
        f = gather(traj, snapshot, sample)
        x = traj.inputs[f.index]
        np.testing.assert_array_equal(f.point.x, x.astype(np.float64))
        plain = plain_forward(traj, snapshot, x[None])
        for (z, h), fz, fa in zip(plain, f.point.z, f.point.a, strict=True):
            np.testing.assert_allclose(fz, z[0], rtol=0, atol=1e-12)
            np.testing.assert_allclose(fa, h[0], rtol=0, atol=1e-12)
        logits = plain_forward(traj, snapshot, x[None])[-1][1]
        probs = activations.class_probabilities(logits)[0]
        np.testing.assert_allclose(f.point.probs, probs, atol=1e-12)
        assert f.point.loss == pytest.approx(-np.log(probs[f.point.label]), abs=1e-9)


def test_every_point_s_pre_activations_are_a_plain_forward_pass(traj: Trajectory) -> None:
    f = gather(traj)
    plain = plain_forward(traj, -1, traj.inputs)
    assert len(f.pre) == len(traj.hidden_layers)
    for pre, (z, _) in zip(f.pre, plain, strict=False):
        np.testing.assert_allclose(pre, z, atol=1e-12)


def test_the_gradients_shown_are_nnmodel_s(traj: Trajectory) -> None:
    f = gather(traj)
    acts = [L.activation for L in traj.hidden_layers]
    label = int(traj.labels[f.index])
    ref = backward(traj.weights(-1), acts, traj.inputs[f.index][None], [label])
    for mine, theirs in zip(f.point.dz, ref.dz, strict=True):
        np.testing.assert_allclose(mine, theirs[0], atol=1e-12)
    for mine, theirs in zip(f.point.dW, ref.dW, strict=True):
        np.testing.assert_allclose(mine, theirs, atol=1e-12)
    # the output's δ is p − y, and each layer's δ is Wᵀδ times the activation's slope
    onehot = np.eye(len(f.point.probs))[label]
    expected = f.point.probs[1:] - label if len(f.point.dz[-1]) == 1 else f.point.probs - onehot
    np.testing.assert_allclose(f.point.dz[-1], expected, atol=1e-12)
    for layer in range(1, len(f.weights)):
        up, slope, delta = numbers.chain(f.weights, f.acts, f.point, layer)
        np.testing.assert_allclose(up, f.point.dz[layer] @ f.weights[layer][0], atol=1e-12)
        np.testing.assert_allclose(delta, f.point.dz[layer - 1], atol=1e-12)
        np.testing.assert_allclose(delta, up * slope, atol=1e-12)
    # the step's g is the mean gradient over the training points
    batch = backward(traj.weights(-1), acts, traj.inputs, traj.labels, train=~traj.test_mask)
    for mine, theirs in zip(f.batch_dW, batch.dW, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-7)


def test_one_step_is_w_minus_lr_g_and_its_losses_are_measured(traj: Trajectory) -> None:
    f = gather(traj)
    st = f.step
    acts = [L.activation for L in traj.hidden_layers]
    train = ~traj.test_mask
    g = traj.gradients(-1)
    for (w0, b0), (w1, b1), dw, db in zip(st.before, st.after, g.dW, g.db, strict=True):
        np.testing.assert_allclose(w1, w0 - f.lr * np.asarray(dw, np.float64), atol=1e-12)
        np.testing.assert_allclose(b1, b0 - f.lr * np.asarray(db, np.float64), atol=1e-12)
    x, y = traj.inputs[train], traj.labels[train]
    assert st.loss_before == pytest.approx(backward(st.before, acts, x, y).loss)
    assert st.loss_after == pytest.approx(backward(st.after, acts, x, y).loss)
    assert f.lr == traj.info.config["train"]["lr"]
    assert f.computed == g.computed


def test_the_real_step_is_between_two_stored_snapshots(traj: Trajectory) -> None:
    last = traj.n_snapshots - 1
    for snapshot, pair in ((-1, (last - 1, last)), (0, (0, 1)), (3, (3, 4))):
        a, b, step = numbers.real_step(traj, snapshot)
        assert (a, b) == pair
        for (w, _), (sw, _) in zip(step.after, traj.weights(b), strict=True):
            np.testing.assert_array_equal(w, sw.astype(np.float64))
        ext = traj.info.mesh.extent
        acts = [L.activation for L in traj.hidden_layers]
        res = numbers.CHANGE_RESOLUTION
        before = numbers.class_map(step.before, acts, ext, res)
        after = numbers.class_map(step.after, acts, ext, res)
        assert step.changed == np.mean(before != after)


def test_the_responses_end_in_the_stored_mesh_of_class_probabilities(traj: Trajectory) -> None:
    f = gather(traj)
    res = traj.info.mesh.resolution
    grids = numbers.responses(f.weights, f.acts, traj.info.mesh.extent, res)
    assert len(grids) == len(f.widths)
    np.testing.assert_allclose(grids[-1], traj.mesh(-1), atol=2e-5)  # float32 in the file
    for grid, width in zip(grids[:-1], f.widths, strict=False):
        assert grid.shape == (res, res, width)
    # the first column is the plane itself, later ones the plain forward pass over it
    plain = plain_forward(traj, -1, grids[0].reshape(-1, 2))
    for grid, (_, h) in zip(grids[1:-1], plain, strict=False):
        np.testing.assert_allclose(grid.reshape(-1, grid.shape[-1]), h, atol=1e-12)


@pytest.mark.parametrize(
    ("name", "z", "share"),
    [
        ("tanh", [0.0, 1.0, 2.1, 2.3, -3.0], 0.4),  # |z| > 2.18
        ("sigmoid", [0.0, 4.0, 4.5, -5.0], 0.5),  # |z| > 4.36
        ("relu", [-1.0, 0.0, 0.5, 2.0], 0.5),  # z <= 0: zeroed
        ("leaky_relu", [-1.0, 1.0], 0.5),
        ("linear", [-9.0, 9.0], 0.0),
    ],
)
def test_the_flat_share_follows_the_five_percent_slope_rule(
    name: str, z: list[float], share: float
) -> None:
    assert numbers.flat_share(name, np.array(z)) == share


def test_pictures_map_values_to_the_sign_colours_and_regions_to_their_classes() -> None:
    px = pictures.diverging(np.array([[1.0, -1.0]]), 1.0)
    assert px.shape == (1, 2, 4) and px[0, 0, 2] > px[0, 0, 0]  # purple for positive
    assert px[0, 1, 0] > px[0, 1, 2]  # red for negative
    classes = np.array([[0, 0, 1], [0, 1, 1]])
    edge = pictures.boundary(classes, 0)
    assert edge.tolist() == [[False, True, True], [True, True, False]]
    img = pictures.regions(classes, [(edge, "#FFFFFF")])
    assert img[0, 0].tolist() == [255, 255, 255, 255]  # row 0 is the top: classes' last row
    assert img[1, 0].tolist() != [255, 255, 255, 255]  # (row 0, col 0) of the grid: not edge
