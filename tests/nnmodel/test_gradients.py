"""numpy backpropagation equals torch autograd for every activation and both losses."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from nnmodel.activations import HIDDEN_NAMES
from nnmodel.gradients import backward
from nnmodel.model import MLP


@pytest.mark.parametrize("classes", [2, 3])
@pytest.mark.parametrize("activation", HIDDEN_NAMES)
def test_numpy_gradients_equal_autograd(activation: str, classes: int) -> None:
    torch.manual_seed(1)
    hidden = (4, 3)
    outputs = 1 if classes == 2 else classes
    model = MLP(2, hidden, (activation,) * len(hidden), outputs).double()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(25, 2))
    y = rng.integers(0, classes, 25)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    out = model(xt)
    if outputs == 1:
        loss = nn.functional.binary_cross_entropy_with_logits(out[:, 0], yt.double())
    else:
        loss = nn.functional.cross_entropy(out, yt)
    loss.backward()
    linears = [m for m in model.linears if isinstance(m, nn.Linear)]
    weights = [(m.weight.detach().numpy(), m.bias.detach().numpy()) for m in linears]
    g = backward(weights, [activation] * len(hidden), x, y)
    assert g.loss == pytest.approx(loss.item(), abs=1e-12)
    for mine, lin in zip(g.dW, linears, strict=True):
        assert lin.weight.grad is not None
        np.testing.assert_allclose(mine, lin.weight.grad.numpy(), atol=1e-10)
    for mine, lin in zip(g.db, linears, strict=True):
        assert lin.bias.grad is not None
        np.testing.assert_allclose(mine, lin.bias.grad.numpy(), atol=1e-10)


def test_dz_is_each_points_share_of_the_mean_loss() -> None:
    """Point i's own gradient is N times its row of dz (the loss is a mean)."""
    w = [(np.array([[1.0, 2.0], [-1.0, 0.5]]), np.array([0.1, -0.2]))]
    w.append((np.array([[0.7, -1.3]]), np.array([0.05])))
    x = np.array([[0.3, -0.4], [1.0, 0.2], [-0.5, 0.9]])
    y = np.array([1, 0, 1])
    all_points = backward(w, ["tanh"], x, y)
    alone = backward(w, ["tanh"], x[1:2], y[1:2])
    np.testing.assert_allclose(3 * all_points.dz[0][1], alone.dz[0][0], atol=1e-12)
    np.testing.assert_allclose(all_points.losses[1], alone.loss, atol=1e-12)
