"""The default point passes gradient back and is no coin-flip; where a point's gradients are
zero all the same (one asked for, or no better one), the words say why."""

from __future__ import annotations

import numpy as np
import pytest

from nnmodel import activations
from nnmodel.trajectory import Trajectory, load
from scenes.anatomy.plan import anatomy_plan, gather
from scenes.narration.anatomy import num
from tests.anatomy.anatomy_helpers import train_net


@pytest.fixture(scope="module")
def nets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Trajectory]:
    folder = tmp_path_factory.mktemp("nets")
    return {name: load(train_net(name, folder)) for name in ("xor_relu", "deep_tanh")}


@pytest.mark.parametrize("name", ["xor_relu", "deep_tanh"])
def test_the_default_point_passes_gradient_and_is_clearly_right(
    nets: dict[str, Trajectory], name: str
) -> None:
    traj = nets[name]
    f = gather(traj)
    p = f.point
    for z, act in zip(p.z[:-1], f.acts, strict=True):  # some unit of every layer is alive
        slope = np.abs(activations.get(act).derivative(z))
        assert slope.max() >= 0.05, (name, z)
    assert f.right and f.margin >= 0.4  # p(true) ≥ 0.6: not a coin-flip
    assert num(p.probs[p.label]) not in ("0.50", "0.51", "0.52", "0.53", "0.54", "0.55")
    # the first layer's and the output layer's gradients show (not 0.00)
    assert num(np.abs(p.dW[0]).max()) != "0.00" and num(np.abs(p.dW[-1]).max()) != "0.00"
    beats = anatomy_plan(traj, f)
    assert "near the boundary" in beats[2].line.sub and "clearly right" in beats[2].line.sub
    for beat in beats:  # a gradient shown as 0.00 is never left unexplained
        if beat.id.startswith("backward"):
            assert "| 0.00" not in beat.line.sub and "| here 0.00" not in beat.line.sub, (
                beat.line.sub
            )


def zeroed_point(traj: Trajectory) -> int:
    """A training point of the XOR net whose two ReLU units are both zero."""
    f = gather(traj)
    z = f.pre[0]
    dead = np.flatnonzero((z <= 0).all(axis=1) & ~traj.test_mask)
    assert len(dead), "the XOR net zeroes both units somewhere"
    return int(dead[0])


def test_zero_gradients_are_explained_not_just_shown(nets: dict[str, Trajectory]) -> None:
    traj = nets["xor_relu"]
    k = zeroed_point(traj)
    beats = {b.id: b for b in anatomy_plan(traj, gather(traj, -1, k))}
    out = beats["backward.output"].line
    # dL/dW = δ × h is zero because h is: said, with relu′ = 0 stopping the gradient
    assert "h are all 0.00" in out.sub and "relu′(z) = 0" in out.sub, out.sub
    assert "zero" in out.narration and "flat" in out.narration, out.narration
    first = beats["backward.layer-1"].line
    assert first.sub.startswith("no error reaches layer 1"), first.sub
    assert "no error reaches it" in first.narration
    assert len(out.sub) <= 100 and len(first.sub) <= 100


def test_a_faded_gradient_is_said_to_be_small_not_zero() -> None:
    from scenes.narration.anatomy import backward

    line = backward(3, 7, "tanh", 0.0024, 0.012, arriving=0.004)
    assert line.sub.startswith("every |dL/dW| < 0.005; ") and "largest |δ| 0.01" in line.sub
    assert "tiny, though not zero" in line.narration


def test_a_point_of_a_saturated_layer_is_explained_too() -> None:
    from scenes.narration.anatomy import backward

    line = backward(2, 4, "tanh", 0.31, 0.0, flat_below=True)
    assert "tanh′(z) ≈ 0 at every unit of layer 2" in line.sub
    assert "the gradient stops" in line.sub and "almost zero" in line.narration
