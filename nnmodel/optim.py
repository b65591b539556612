"""Adam and SGD for the built-in trainer: torch.optim's arithmetic, step for step, without it.

Why not ``torch.optim``: its first use imports ``torch._dynamo`` (torch.compile's machinery,
about 2 s of CPU in every process that trains), which nnwarp never uses. These two classes
do exactly what ``torch.optim.Adam`` and ``torch.optim.SGD`` do on the CPU with their
defaults (the single-tensor path: coupled L2 weight decay, no amsgrad, no nesterov, no
dampening), in the same order of floating-point operations, so the weights are bitwise the
same; ``tests/nnmodel/test_optim.py`` holds them to that against torch.optim, and a file
recorded from a user's own ``torch.optim.Adam`` loop equals the built-in trainer's.

>>> import torch
>>> w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
>>> opt = Adam([w], lr=0.1)
>>> (w**2).sum().backward()
>>> opt.step()
>>> [round(v, 6) for v in w.tolist()]  # Adam's first step: lr against each gradient's sign
[0.9, -1.9]
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

__all__ = ["SGD", "Adam", "Optimizer"]


class Optimizer:
    """The parameters an optimiser updates, and ``zero_grad``."""

    def __init__(self, params: Iterable[torch.nn.Parameter], lr: float) -> None:
        self.params = list(params)
        self.lr = float(lr)

    def zero_grad(self) -> None:
        """Forget the gradients (``set_to_none=True``, as torch.optim does by default)."""
        for p in self.params:
            p.grad = None

    def step(self) -> None:
        """Update every parameter from its gradient."""
        raise NotImplementedError


class Adam(Optimizer):
    """``torch.optim.Adam(params, lr, weight_decay=...)``: betas (0.9, 0.999), eps 1e-8."""

    def __init__(
        self,
        params: Iterable[torch.nn.Parameter],
        lr: float,
        weight_decay: float = 0.0,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params, lr)
        self.weight_decay = float(weight_decay)
        self.beta1, self.beta2 = (float(b) for b in betas)
        self.eps = float(eps)
        self.steps = [torch.tensor(0.0) for _ in self.params]  # float32, as torch's "step"
        self.exp_avg = [
            torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params
        ]
        self.exp_avg_sq = [
            torch.zeros_like(p, memory_format=torch.preserve_format) for p in self.params
        ]

    @torch.no_grad()
    def step(self) -> None:
        """One Adam step (torch's ``_single_tensor_adam``, the operations in its order)."""
        beta1, beta2 = self.beta1, self.beta2
        for i, param in enumerate(self.params):
            if param.grad is None:
                continue
            grad = param.grad
            step_t = self.steps[i]
            step_t += 1
            if self.weight_decay != 0:
                grad = grad.add(param, alpha=self.weight_decay)
            exp_avg, exp_avg_sq = self.exp_avg[i], self.exp_avg_sq[i]
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            step = step_t.item()
            bias_correction1 = 1 - beta1**step
            bias_correction2 = 1 - beta2**step
            step_size = self.lr / bias_correction1
            bias_correction2_sqrt = bias_correction2**0.5
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(self.eps)
            param.addcdiv_(exp_avg, denom, value=-step_size)


class SGD(Optimizer):
    """``torch.optim.SGD(params, lr, momentum=..., weight_decay=...)`` (no dampening)."""

    def __init__(
        self,
        params: Iterable[torch.nn.Parameter],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = float(momentum)
        self.weight_decay = float(weight_decay)
        self.buffers: list[torch.Tensor | None] = [None for _ in self.params]

    @torch.no_grad()
    def step(self) -> None:
        """One SGD step (torch's ``_single_tensor_sgd``, the operations in its order)."""
        for i, param in enumerate(self.params):
            if param.grad is None:
                continue
            grad = param.grad
            if self.weight_decay != 0:
                grad = grad.add(param, alpha=self.weight_decay)
            if self.momentum != 0:
                buf = self.buffers[i]
                if buf is None:
                    buf = grad.detach().clone()
                    self.buffers[i] = buf
                else:
                    buf.mul_(self.momentum).add_(grad, alpha=1)
                grad = buf
            param.add_(grad, alpha=-self.lr)
