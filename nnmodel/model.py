"""The MLP: affine layers with a chosen activation after each hidden layer."""

from __future__ import annotations

import torch
from torch import nn

from nnmodel.activations import get as get_activation

__all__ = ["MLP"]


class MLP(nn.Module):
    """``in → hidden[0] → … → hidden[-1] → out`` with ``activations[i]`` after hidden layer i.

    The output layer has no activation here: the loss applies sigmoid (one logit, two
    classes) or softmax (K logits). The modules come from :mod:`nnmodel.activations`.

    >>> MLP(2, (2, 2), ("tanh", "tanh"), 1).linears[0].weight.shape
    torch.Size([2, 2])
    """

    def __init__(
        self, d_in: int, hidden: tuple[int, ...], activations: tuple[str, ...], d_out: int
    ) -> None:
        super().__init__()
        widths = (d_in, *hidden, d_out)
        self.linears = nn.ModuleList(
            nn.Linear(a, b) for a, b in zip(widths, widths[1:], strict=False)
        )
        self.acts = nn.ModuleList(_hidden_module(a) for a in activations)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for linear, act in zip(self.linears, self.acts, strict=False):
            x = act(linear(x))
        return self.linears[-1](x)  # type: ignore[no-any-return]


def _hidden_module(name: str) -> nn.Module:
    """The torch module of a hidden-layer activation (KeyError if unknown or output-only)."""
    act = get_activation(name)
    if not act.hidden:
        raise KeyError(f"{name!r} is an output activation, not one for hidden layers")
    return act.torch_module()
