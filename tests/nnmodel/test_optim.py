"""The built-in trainer's Adam and SGD equal torch.optim's, bit for bit, without torch._dynamo."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import torch

from nnmodel import optim
from nnmodel.model import MLP


def _run(make_ours: bool, kind: str, weight_decay: float, momentum: float) -> list[torch.Tensor]:
    torch.manual_seed(3)
    model = MLP(2, (5, 3), ("tanh", "relu"), 3)
    x = torch.randn(64, 2)
    y = torch.randint(0, 3, (64,))
    params = list(model.parameters())
    opt: optim.Optimizer | torch.optim.Optimizer
    if kind == "adam":
        opt = (optim.Adam if make_ours else torch.optim.Adam)(
            params, lr=0.05, weight_decay=weight_decay
        )
    else:
        opt = (optim.SGD if make_ours else torch.optim.SGD)(
            params, lr=0.1, momentum=momentum, weight_decay=weight_decay
        )
    for step in range(300):
        idx = slice(None) if step % 2 else slice(0, 32)  # full and half batches
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x[idx]), y[idx]).backward()
        opt.step()
    return [p.detach().clone() for p in params]


@pytest.mark.parametrize(
    ("kind", "weight_decay", "momentum"),
    [("adam", 0.0, 0.0), ("adam", 1e-3, 0.0), ("sgd", 0.0, 0.0), ("sgd", 1e-3, 0.9)],
)
def test_same_weights_as_torch_optim(kind: str, weight_decay: float, momentum: float) -> None:
    ours = _run(True, kind, weight_decay, momentum)
    theirs = _run(False, kind, weight_decay, momentum)
    for a, b in zip(ours, theirs, strict=True):
        assert torch.equal(a, b)


def test_training_does_not_import_dynamo(tmp_path: Path) -> None:
    """What the copy is for: a training process never pays for torch.compile's import."""
    code = (
        "import sys\n"
        "from nnmodel import pipeline\n"
        "from nnmodel.config import RunConfig, TrainConfig\n"
        "import dataclasses\n"
        "cfg = RunConfig()\n"
        "cfg = dataclasses.replace(cfg, train=dataclasses.replace(cfg.train, epochs=3))\n"
        "pipeline.train_to_file(pipeline.prepare(cfg), sys.argv[1])\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "t.npz")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip().splitlines()[-1] == "False"
