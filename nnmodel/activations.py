"""The activation table: every activation nnwarp knows, defined once (numpy only at import).

Each :class:`Activation` holds everything the trainer, the trajectory file and the scenes
need to know about one activation: its name, a one-line description (``nnwarp list``,
``--help``), the caption sentence and the Typst formula the scenes show, the numpy
function exactly as torch computes it, its derivative (for backprop scenes), and how to
build the torch module (torch is imported only inside :meth:`Activation.torch_module`).

The hidden-layer activations a user may choose are :data:`HIDDEN_NAMES`; the output layer
ends in sigmoid (one logit, two classes) or softmax (K logits), see
:func:`output_activation`. Softmax is output-only.

Example
-------
>>> from nnmodel import activations
>>> relu = activations.get("relu")
>>> relu(np.array([-1.0, 2.0])), relu.derivative(np.array([-1.0, 2.0]))
(array([0., 2.]), array([0., 1.]))
>>> activations.HIDDEN_NAMES
('tanh', 'relu', 'leaky_relu', 'sigmoid', 'elu', 'softplus', 'linear')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from torch import nn

__all__ = [
    "ALL",
    "BY_NAME",
    "HIDDEN_NAMES",
    "LEAKY_SLOPE",
    "OUTPUT_NAMES",
    "SOFTPLUS_BETA",
    "SOFTPLUS_THRESHOLD",
    "ELU_ALPHA",
    "Activation",
    "class_probabilities",
    "get",
    "output_activation",
]

FloatArray = npt.NDArray[np.floating[Any]]
ArrayFn = Callable[[FloatArray], FloatArray]

#: torch.nn.LeakyReLU's default ``negative_slope``.
LEAKY_SLOPE = 0.01
#: torch.nn.ELU's default ``alpha``.
ELU_ALPHA = 1.0
#: torch.nn.Softplus's defaults: ``log(1 + e^(βx)) / β``, and ``x`` itself where ``βx > 20``.
SOFTPLUS_BETA = 1.0
SOFTPLUS_THRESHOLD = 20.0


@dataclass(frozen=True)
class Activation:
    """One activation: what it is called, does, looks like, and how to compute it.

    ``function`` and ``derivative`` take float arrays of any shape. For an elementwise
    activation ``derivative(z)`` is ``f'(z)``, of ``z``'s shape; softmax (not elementwise,
    it acts along the last axis) gives the Jacobian ``∂h_i/∂z_j``, shaped ``(..., K, K)``.
    :meth:`backward` is the same for both: the gradient with respect to ``z`` from the
    gradient with respect to ``h`` (what backpropagation computes).
    """

    name: str
    #: One line for ``nnwarp list`` and ``--help``.
    description: str
    #: What it does to space, in a viewer's words (the caption of the activation step).
    story: str
    #: The formula, in Typst math.
    math: str
    function: ArrayFn
    derivative: ArrayFn
    #: ``torch.nn`` class and keyword arguments of the module that computes it.
    torch_class: str
    torch_kwargs: tuple[tuple[str, float | int], ...] = ()
    #: A user may choose it for hidden layers (``--activation``).
    hidden: bool = True
    #: The output layer may end in it (applied by the loss, not by the model).
    output: bool = False
    elementwise: bool = True

    @property
    def output_only(self) -> bool:
        """Only the output layer ends in it (softmax)."""
        return self.output and not self.hidden

    def __call__(self, z: FloatArray) -> FloatArray:
        """``function(z)``."""
        return self.function(z)

    def backward(self, z: FloatArray, grad: FloatArray) -> FloatArray:
        """The gradient with respect to ``z`` given the gradient ``grad`` w.r.t. ``h = f(z)``.

        >>> get("softmax").backward(np.zeros(2), np.array([1.0, 1.0]))
        array([0., 0.])
        """
        if self.elementwise:
            return np.asarray(grad) * self.derivative(z)
        s = _softmax(z)  # the only activation that is not elementwise
        g = np.asarray(grad)
        out: FloatArray = s * (g - np.sum(g * s, axis=-1, keepdims=True))
        return out

    def torch_module(self) -> nn.Module:
        """A new ``torch.nn`` module computing this activation (imports torch)."""
        from torch import nn

        module: nn.Module = getattr(nn, self.torch_class)(**dict(self.torch_kwargs))
        return module


# ----------------------------------------------------------------------------- numpy
# Each function is torch's formula, with torch's constants; each derivative is what
# torch's autograd gives, including at the kinks (relu'(0) = 0, leaky_relu'(0) = slope).


def _tanh(x: FloatArray) -> FloatArray:
    return np.tanh(x)


def _tanh_d(x: FloatArray) -> FloatArray:
    t = np.tanh(x)
    out: FloatArray = 1.0 - t * t
    return out


def _relu(x: FloatArray) -> FloatArray:
    return np.maximum(x, 0.0)


def _relu_d(x: FloatArray) -> FloatArray:
    return np.where(x > 0, 1.0, 0.0)


def _leaky_relu(x: FloatArray) -> FloatArray:
    return np.where(x > 0, x, LEAKY_SLOPE * x)


def _leaky_relu_d(x: FloatArray) -> FloatArray:
    return np.where(x > 0, 1.0, LEAKY_SLOPE)


def _sigmoid(x: FloatArray) -> FloatArray:
    # The same function as 1 / (1 + e^-x), but it never overflows.
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def _sigmoid_d(x: FloatArray) -> FloatArray:
    s = _sigmoid(x)
    out: FloatArray = s * (1.0 - s)
    return out


def _elu(x: FloatArray) -> FloatArray:
    return np.where(x > 0, x, ELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


def _elu_d(x: FloatArray) -> FloatArray:
    return np.where(x > 0, 1.0, ELU_ALPHA * np.exp(np.minimum(x, 0.0)))


def _softplus(x: FloatArray) -> FloatArray:
    bx = SOFTPLUS_BETA * x
    soft = np.log1p(np.exp(np.minimum(bx, SOFTPLUS_THRESHOLD))) / SOFTPLUS_BETA
    return np.where(bx > SOFTPLUS_THRESHOLD, x, soft)


def _softplus_d(x: FloatArray) -> FloatArray:
    bx = SOFTPLUS_BETA * x
    e = np.exp(np.minimum(bx, SOFTPLUS_THRESHOLD))
    return np.where(bx > SOFTPLUS_THRESHOLD, 1.0, e / (e + 1.0))


def _linear(x: FloatArray) -> FloatArray:
    return x


def _linear_d(x: FloatArray) -> FloatArray:
    return np.ones(np.shape(x))


def _softmax(x: FloatArray) -> FloatArray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    out: FloatArray = e / e.sum(axis=-1, keepdims=True)
    return out


def _softmax_d(x: FloatArray) -> FloatArray:
    """The Jacobian ``∂s_i/∂x_j = s_i (δ_ij − s_j)``, shaped ``(..., K, K)``."""
    s = _softmax(np.asarray(x))
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    out: FloatArray = s[..., :, None] * (eye - s[..., None, :])
    return out


# ----------------------------------------------------------------------------- the table

ALL: tuple[Activation, ...] = (
    Activation(
        "tanh",
        "squashes each coordinate into (-1, 1)",
        "squashes every coordinate into (−1, 1): the grid bends",
        "h = tanh(z)",
        _tanh,
        _tanh_d,
        "Tanh",
    ),
    Activation(
        "relu",
        "keeps positives, sends negatives to 0 (folds space)",
        "sets negative coordinates to 0: space folds onto the axes",
        "h = max(0, z)",
        _relu,
        _relu_d,
        "ReLU",
    ),
    Activation(
        "leaky_relu",
        "like relu, but negatives shrink by 100x instead of vanishing",
        "shrinks negative coordinates 100×: space nearly folds",
        "h = max(0.01 z, z)",
        _leaky_relu,
        _leaky_relu_d,
        "LeakyReLU",
        (("negative_slope", LEAKY_SLOPE),),
    ),
    Activation(
        "sigmoid",
        "squashes each coordinate into (0, 1)",
        "squashes every coordinate into (0, 1): the grid bends",
        "h = 1 / (1 + e^(-z))",
        _sigmoid,
        _sigmoid_d,
        "Sigmoid",
        output=True,
    ),
    Activation(
        "elu",
        "identity for positives, smooth saturation towards -1 for negatives",
        "keeps positives, smoothly saturates negatives towards −1",
        "h = cases(z & z > 0, e^z - 1 & z <= 0)",
        _elu,
        _elu_d,
        "ELU",
        (("alpha", ELU_ALPHA),),
    ),
    Activation(
        "softplus",
        "a smooth relu: log(1 + e^x)",
        "a smooth ReLU: negatives squeezed towards 0",
        "h = ln(1 + e^z)",
        _softplus,
        _softplus_d,
        "Softplus",
        (("beta", SOFTPLUS_BETA), ("threshold", SOFTPLUS_THRESHOLD)),
    ),
    Activation(
        "linear",
        "no nonlinearity (the layer is just an affine map)",
        "does nothing here: this layer is purely linear",
        "h = z",
        _linear,
        _linear_d,
        "Identity",
    ),
    Activation(
        "softmax",
        "output only: turns K logits into K class probabilities that sum to 1",
        "turns the scores into class probabilities that sum to 1",
        "h_i = e^(z_i) / (sum_j e^(z_j))",
        _softmax,
        _softmax_d,
        "Softmax",
        (("dim", -1),),
        hidden=False,
        output=True,
        elementwise=False,
    ),
)

BY_NAME: Mapping[str, Activation] = MappingProxyType({a.name: a for a in ALL})
if len(BY_NAME) != len(ALL):  # pragma: no cover - a mistake in the table above
    raise RuntimeError("two activations share a name")

#: The activations a user may choose for hidden layers, in the order ``nnwarp list`` shows.
HIDDEN_NAMES: tuple[str, ...] = tuple(a.name for a in ALL if a.hidden)
#: The activations an output layer may end in.
OUTPUT_NAMES: tuple[str, ...] = tuple(a.name for a in ALL if a.output)


def get(name: str) -> Activation:
    """The activation called ``name``; KeyError (naming the choices) if there is none."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown activation {name!r}; choose from {', '.join(BY_NAME)}") from None


def output_activation(n_classes: int) -> str:
    """What the output layer ends in: sigmoid of one logit (2 classes), or softmax of K."""
    return "sigmoid" if n_classes == 2 else "softmax"


def class_probabilities(logits: FloatArray) -> FloatArray:
    """Class probabilities ``(..., K)`` from output logits, as the loss computes them.

    One logit gives ``[1 − σ(z), σ(z)]``; K logits give ``softmax(z)``.

    >>> class_probabilities(np.array([[0.0]]))
    array([[0.5, 0.5]])
    """
    if logits.shape[-1] == 1:
        p1 = _sigmoid(logits[..., 0])
        return np.stack([1.0 - p1, p1], axis=-1)
    return _softmax(logits)
