"""The activation table: numpy as torch computes it, derivatives as autograd, one set of names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from nnmodel import activations, trajectory
from nnmodel.activations import ALL, BY_NAME, HIDDEN_NAMES, OUTPUT_NAMES, Activation
from nnmodel.config import ACTIVATIONS, ModelConfig, RunConfig
from nnmodel.errors import ConfigError, TrajectoryError
from nnmodel.model import MLP

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden.npz"

ELEMENTWISE = [a for a in ALL if a.elementwise]
#: Large values (overflow of exp, softplus's threshold), the kinks, and a dense middle.
SPECIAL = [-1e4, -1000.0, -100.0, -50.0, -20.5, -20.0, 19.99, 20.0, 20.000001, 20.5, 50.0]
SPECIAL += [100.0, 1000.0, 1e4, 0.0, -0.0, 1e-12, -1e-12, 1e-300, -1e-300]
GRID = np.concatenate([np.linspace(-30.0, 30.0, 2401), SPECIAL])
#: Points of the grid where the function or its derivative is not smooth, per activation.
KINKS = {"relu": [0.0], "leaky_relu": [0.0], "elu": [0.0], "softplus": [20.0]}


def _torch(act: Activation, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return act.torch_module()(torch.from_numpy(x)).numpy()


def _autograd(act: Activation, x: np.ndarray, grad: np.ndarray | None = None) -> np.ndarray:
    """d/dx of ``sum(grad · act(x))`` by torch's autograd (``grad`` defaults to ones)."""
    t = torch.from_numpy(x.copy()).requires_grad_(True)
    out = act.torch_module()(t)
    g = torch.ones_like(out) if grad is None else torch.from_numpy(grad)
    out.backward(g)
    assert t.grad is not None
    return t.grad.numpy()


def _away_from_kinks(name: str, x: np.ndarray, margin: float = 1e-3) -> np.ndarray:
    keep = np.ones(x.shape, bool)
    for k in KINKS.get(name, []):
        keep &= np.abs(x - k) > margin
    return x[keep]


def _softmax_inputs() -> list[np.ndarray]:
    rng = np.random.default_rng(0)
    rows = [rng.normal(size=k) * scale for k in (2, 3, 5) for scale in (0.1, 1.0, 10.0)]
    rows += [np.array([1000.0, -1000.0, 3.0]), np.array([0.0, 0.0]), np.array([800.0, 799.0])]
    return rows


# --------------------------------------------------------------------------- the functions


@pytest.mark.parametrize("act", ELEMENTWISE, ids=lambda a: a.name)
def test_each_numpy_function_equals_torch_s_module(act: Activation) -> None:
    got = act(GRID)
    assert got.shape == GRID.shape and np.all(np.isfinite(got))
    np.testing.assert_allclose(got, _torch(act, GRID), rtol=1e-12, atol=1e-15)
    # in float32, as the trainer runs, to float32 precision
    x32 = GRID.astype(np.float32)
    np.testing.assert_allclose(act(x32), _torch(act, x32), rtol=1e-6, atol=1e-7)


def test_softmax_equals_torch_s_module_along_the_last_axis() -> None:
    act = BY_NAME["softmax"]
    for z in _softmax_inputs():
        np.testing.assert_allclose(act(z), _torch(act, z), rtol=1e-12, atol=1e-15)
    batch = np.stack([np.linspace(-40, 40, 4), np.full(4, 1e3), np.arange(4.0)])
    np.testing.assert_allclose(act(batch), _torch(act, batch), rtol=1e-12, atol=1e-15)


def test_the_table_s_constants_are_torch_s_defaults() -> None:
    """The modules the model builds are torch's defaults, so training is as it always was."""
    assert torch.nn.LeakyReLU().negative_slope == activations.LEAKY_SLOPE
    assert torch.nn.ELU().alpha == activations.ELU_ALPHA
    soft = torch.nn.Softplus()
    assert (soft.beta, soft.threshold) == (
        activations.SOFTPLUS_BETA,
        activations.SOFTPLUS_THRESHOLD,
    )


# --------------------------------------------------------------------------- derivatives


@pytest.mark.parametrize("act", ELEMENTWISE, ids=lambda a: a.name)
def test_each_derivative_equals_autograd(act: Activation) -> None:
    """Everywhere, the kinks included: there the table follows torch's convention."""
    got = act.derivative(GRID)
    assert got.shape == GRID.shape
    np.testing.assert_allclose(got, _autograd(act, GRID), rtol=0, atol=1e-6)
    np.testing.assert_allclose(got, _autograd(act, GRID), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("act", ELEMENTWISE, ids=lambda a: a.name)
def test_each_derivative_equals_a_finite_difference_away_from_kinks(act: Activation) -> None:
    x = _away_from_kinks(act.name, GRID)
    h = 1e-6 * np.maximum(1.0, np.abs(x))
    numeric = (act(x + h) - act(x - h)) / (2 * h)
    np.testing.assert_allclose(act.derivative(x), numeric, rtol=0, atol=1e-6)


def test_the_kinks_follow_torch() -> None:
    zero = np.zeros(1)
    assert BY_NAME["relu"].derivative(zero)[0] == 0.0
    assert BY_NAME["leaky_relu"].derivative(zero)[0] == activations.LEAKY_SLOPE
    assert BY_NAME["elu"].derivative(zero)[0] == 1.0
    assert BY_NAME["softplus"].derivative(np.array([25.0]))[0] == 1.0


def test_the_softmax_jacobian_equals_autograd_and_a_finite_difference() -> None:
    act = BY_NAME["softmax"]
    for z in _softmax_inputs():
        jac = act.derivative(z)
        assert jac.shape == (len(z), len(z))
        module = act.torch_module()
        expected = torch.autograd.functional.jacobian(module, torch.from_numpy(z)).numpy()
        np.testing.assert_allclose(jac, expected, rtol=0, atol=1e-6)
        numeric = np.empty_like(jac)
        for j in range(len(z)):
            e = np.zeros_like(z)
            e[j] = 1e-6
            numeric[:, j] = (act(z + e) - act(z - e)) / 2e-6
        np.testing.assert_allclose(jac, numeric, rtol=0, atol=1e-6)
    batch = np.stack(_softmax_inputs()[:3])
    np.testing.assert_allclose(act.derivative(batch), [act.derivative(z) for z in batch])


@pytest.mark.parametrize("act", ALL, ids=lambda a: a.name)
def test_backward_is_autograd_s_vector_jacobian_product(act: Activation) -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(size=(7, 3)) * 5
    grad = rng.normal(size=(7, 3))
    np.testing.assert_allclose(act.backward(z, grad), _autograd(act, z, grad), rtol=0, atol=1e-9)


def test_class_probabilities_are_the_output_activations() -> None:
    one = np.array([[-3.0], [0.0], [40.0]])
    p = activations.class_probabilities(one)
    np.testing.assert_allclose(p[:, 1], torch.sigmoid(torch.from_numpy(one[:, 0])).numpy())
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    k = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(activations.class_probabilities(k), BY_NAME["softmax"](k))
    assert activations.output_activation(2) == "sigmoid"
    assert activations.output_activation(5) == "softmax"
    assert {"sigmoid", "softmax"} == set(OUTPUT_NAMES)


# --------------------------------------------------------------------------- one set of names


def test_names_are_unique_and_complete() -> None:
    names = [a.name for a in ALL]
    assert len(names) == len(set(names)) == len(BY_NAME)
    assert list(BY_NAME) == names
    for a in ALL:
        assert a.description and "\n" not in a.description
        assert a.story and a.math.startswith("h")
        assert a.hidden or a.output
    assert [a.name for a in ALL if a.output_only] == ["softmax"]
    assert HIDDEN_NAMES == ("tanh", "relu", "leaky_relu", "sigmoid", "elu", "softplus", "linear")
    with pytest.raises(KeyError, match="swish"):
        activations.get("swish")


def test_config_accepts_exactly_the_hidden_activations() -> None:
    assert tuple(ACTIVATIONS) == HIDDEN_NAMES
    for name in HIDDEN_NAMES:
        RunConfig(model=ModelConfig(hidden=(2,), activation=(name,)))
    with pytest.raises(ConfigError, match="'softmax' is for output layers only; choose from tanh"):
        RunConfig(model=ModelConfig(hidden=(2,), activation=("softmax",)))
    with pytest.raises(ConfigError, match="unknown activation 'swish'"):
        RunConfig(model=ModelConfig(hidden=(2,), activation=("swish",)))


def test_the_model_builds_every_hidden_activation_from_the_table() -> None:
    model = MLP(2, (2,) * len(HIDDEN_NAMES), HIDDEN_NAMES, 1)
    for module, name in zip(model.acts, HIDDEN_NAMES, strict=True):
        assert type(module).__name__ == BY_NAME[name].torch_class
    with pytest.raises(KeyError, match="output activation"):
        MLP(2, (2,), ("softmax",), 1)


def test_the_loader_knows_every_activation() -> None:
    for a in ALL:
        np.testing.assert_array_equal(trajectory.activate(a.name, GRID[:5]), a(GRID[:5]))
    with pytest.raises(TrajectoryError, match="unknown activation 'swish'"):
        trajectory.activate("swish", GRID)


def test_a_file_with_an_unknown_activation_names_the_table(tmp_path: Path) -> None:
    with np.load(GOLDEN) as npz:
        arrays = {k: npz[k] for k in npz.files}
    manifest = json.loads(arrays.pop("manifest").tobytes())
    manifest["layers"][0]["activation"] = "swish"
    path = trajectory.write(tmp_path / "swish.npz", manifest, arrays)
    with pytest.raises(TrajectoryError, match=re.escape("one of " + ", ".join(BY_NAME))):
        trajectory.load(path)


def test_the_cli_lists_and_offers_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from scenes import cli, registry

    assert cli.ACTIVATION_HELP.split(";")[0].split(", ") == list(HIDDEN_NAMES)
    monkeypatch.setattr(registry, "names", lambda: [])  # the scenes are not under test
    result = CliRunner().invoke(cli.main, ["list"])
    assert result.exit_code == 0, result.output
    listed = result.output.split("activations:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == [a.name for a in ALL]
    for a in ALL:
        assert a.description in result.output
