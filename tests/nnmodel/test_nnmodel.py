"""Training and export: the numbers every frame is drawn from."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from nnmodel import trajectory
from nnmodel.config import DataConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import make_dataset
from nnmodel.errors import ConfigError
from nnmodel.export import choose_snapshots, fix_orientation
from nnmodel.model import MLP
from nnmodel.pipeline import ensure_trajectory, load_data, train_to_file
from nnmodel.train import TrainResult, train
from tests.conftest import small_config

ROOT = Path(__file__).resolve().parents[2]

# --------------------------------------------------------------------------- references
# Independent of the exporter: torch's own modules, and coordinates built here.


def torch_model(
    traj: trajectory.Trajectory, weights: list[tuple[np.ndarray, np.ndarray]] | None = None
) -> MLP:
    """The trained network as torch runs it (float64), from the stored (or given) weights."""
    hidden = tuple(L.d_out for L in traj.hidden_layers)
    acts = tuple(L.activation for L in traj.hidden_layers)
    model = MLP(2, hidden, acts, traj.layers[-1].d_out).double()
    weights = traj.weights(-1) if weights is None else weights
    with torch.no_grad():
        for linear, (w, b) in zip(model.linears, weights, strict=True):
            assert isinstance(linear, torch.nn.Linear)
            linear.weight.copy_(torch.from_numpy(np.asarray(w, np.float64)))
            linear.bias.copy_(torch.from_numpy(np.asarray(b, np.float64)))
    return model


def torch_stages(model: MLP, x: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(affine, activation)]`` per layer, through the model's own torch modules.

    The output layer's activation is sigmoid (one logit) or softmax (K logits), as the loss
    applies it. The last affine stage is checked against ``model(x)`` itself.
    """
    inp = torch.from_numpy(np.asarray(x, np.float64))
    h, out = inp, []
    with torch.no_grad():
        for linear, act in zip(model.linears, model.acts, strict=False):
            z = linear(h)
            h = act(z)
            out.append((z.numpy(), h.numpy()))
        logits = model.linears[-1](h)
        np.testing.assert_array_equal(logits.numpy(), model(inp).numpy())
        probs = torch.sigmoid(logits) if logits.shape[-1] == 1 else torch.softmax(logits, dim=-1)
    out.append((logits.numpy(), probs.numpy()))
    return out


def torch_probabilities(model: MLP, x: np.ndarray) -> np.ndarray:
    """Class probabilities (…, K) of points ``x`` (…, 2): ``[1 − p, p]`` for one logit."""
    flat = np.asarray(x, np.float64).reshape(-1, 2)
    probs = torch_stages(model, flat)[-1][1]
    if probs.shape[-1] == 1:
        probs = np.concatenate([1 - probs, probs], axis=-1)
    return probs.reshape(*np.shape(x)[:-1], -1)


def grid_from_manifest(traj: trajectory.Trajectory) -> np.ndarray:
    """The documented input grid: vertical lines (left to right), then horizontal ones."""
    g = traj.manifest["grid"]
    x0, x1, y0, y1 = g["extent"]
    xs, ys = np.linspace(x0, x1, g["lines_per_axis"]), np.linspace(y0, y1, g["lines_per_axis"])
    along_y, along_x = np.linspace(y0, y1, g["samples"]), np.linspace(x0, x1, g["samples"])
    vertical = [[(x, y) for y in along_y] for x in xs]
    horizontal = [[(x, y) for x in along_x] for y in ys]
    return np.array(vertical + horizontal, np.float64)


def mesh_cell_centres(traj: trajectory.Trajectory, res: int) -> np.ndarray:
    """(res, res, 2) centres of the mesh cells over ``mesh_extent``; row 0 is the lowest y."""
    x0, x1, y0, y1 = traj.mesh_extent
    xs = x0 + (np.arange(res) + 0.5) * (x1 - x0) / res
    ys = y0 + (np.arange(res) + 0.5) * (y1 - y0) / res
    return np.array([[(x, y) for x in xs] for y in ys], np.float64)


def final_train_acc(result: TrainResult) -> float:
    """The last epoch's training accuracy (one history entry per epoch, and the initial one)."""
    history = result.metrics["train_acc"]
    assert len(history) == result.epochs_trained + 1
    acc = history[-1]
    assert isinstance(acc, float) and 0.0 <= acc <= 1.0, acc
    return acc


# --------------------------------------------------------------------------- the file


def test_stages_equal_torch_forward_passes_of_the_exported_weights(moons_traj: Path) -> None:
    traj = trajectory.load(moons_traj)
    grid = grid_from_manifest(traj)
    x0, x1, y0, y1 = traj.manifest["grid"]["extent"]
    inputs = traj.inputs.astype(np.float64)
    assert x0 < inputs[:, 0].min() and inputs[:, 0].max() < x1
    assert y0 < inputs[:, 1].min() and inputs[:, 1].max() < y1
    for s in (0, traj.n_snapshots // 2, -1):
        model = torch_model(traj, traj.weights(s))
        expected = torch_stages(model, inputs)
        grid_expected = torch_stages(model, grid)
        stages = traj.stages(s)
        assert (stages[0].kind, stages[0].layer) == ("input", -1)
        np.testing.assert_array_equal(stages[0].points, traj.inputs)
        np.testing.assert_allclose(stages[0].grid, grid, atol=1e-6)
        assert len(stages) == 1 + 2 * len(expected)
        for i, ((z, h), (gz, gh)) in enumerate(zip(expected, grid_expected, strict=True)):
            aff, act = stages[1 + 2 * i], stages[2 + 2 * i]
            assert (aff.kind, act.kind, aff.layer, act.layer) == ("affine", "activation", i, i)
            np.testing.assert_allclose(aff.points, z, atol=1e-5)
            np.testing.assert_allclose(act.points, h, atol=1e-5)
            np.testing.assert_allclose(aff.grid, gz, atol=1e-5)
            np.testing.assert_allclose(act.grid, gh, atol=1e-5)


@pytest.mark.parametrize("which", ["moons_traj", "wide_traj"])
def test_the_mesh_is_torch_s_probabilities_at_the_cell_centres(
    which: str, request: pytest.FixtureRequest
) -> None:
    traj = trajectory.load(request.getfixturevalue(which))
    for s in (0, -1):
        mesh = traj.mesh(s)
        res = mesh.shape[0]
        assert mesh.shape == (res, res, traj.n_classes) and res >= 8
        expected = torch_probabilities(
            torch_model(traj, traj.weights(s)), mesh_cell_centres(traj, res)
        )
        # the picture is not symmetric, so flipped rows or columns would show
        assert not np.allclose(expected, expected[::-1], atol=1e-3)
        assert not np.allclose(expected, expected[:, ::-1], atol=1e-3)
        np.testing.assert_allclose(mesh, expected, atol=1e-5)


def test_separator_classifies_every_point_as_the_model_does(moons_traj: Path) -> None:
    traj = trajectory.load(moons_traj)
    for s in range(traj.n_snapshots):
        last_hidden = traj.stages(s)[-3]
        assert last_hidden.kind == "activation"
        sep = traj.separator(s)
        assert sep.exact
        np.testing.assert_array_equal(sep.classify(last_hidden.points), traj.predictions(s))


@pytest.fixture(scope="module")
def projected_traj(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A binary tanh net whose only hidden layer, 6 units wide, is shown through a projection."""
    cfg = small_config(model=ModelConfig(hidden=(6,)))
    return train_to_file(cfg, tmp_path_factory.mktemp("projected") / "projected.npz")


def test_a_projected_separator_is_the_output_layer_through_the_projection(
    projected_traj: Path,
) -> None:
    traj = trajectory.load(projected_traj)
    last = traj.layers[-2]
    assert last.projected and last.d_out == 6
    mean, comps, _ = traj.projection(last.index, "h")
    w, b = (a.astype(np.float64) for a in traj.weights(-1)[-1])
    sep = traj.separator(-1)
    assert not sep.exact
    # h ≈ mean + compsᵀ·p, so w·h + b ≈ (w·compsᵀ)·p + (b + w·mean)
    np.testing.assert_allclose(sep.w, w @ comps.T.astype(np.float64), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sep.b, b + w @ mean.astype(np.float64), rtol=1e-6, atol=1e-9)
    assert abs(float((w @ mean)[0])) > 1e-3  # the offset matters here
    # in the projected space it classifies (almost) every point as the network does
    projected = traj.stages(-1)[-3].points
    assert projected.shape == (len(traj.inputs), 3)
    logits = torch_stages(torch_model(traj), traj.inputs.astype(np.float64))[-1][0]
    real = (logits[:, 0] >= 0).astype(np.int64)
    assert 0.1 < real.mean() < 0.9
    assert np.mean(sep.classify(projected) == real) >= 0.95


def _with_constant_logit(src: Path, dst: Path, b: float) -> trajectory.Trajectory:
    """A copy of a binary trajectory whose output layer is ``0·h + b``: every logit is ``b``."""
    with np.load(src, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    manifest = json.loads(arrays.pop("manifest").tobytes())
    out = len(manifest["layers"]) - 1
    assert manifest["layers"][out]["out"] == 1
    arrays[f"W{out}"] = np.zeros_like(arrays[f"W{out}"])
    for key in (f"b{out}", f"z{out}", f"gz{out}"):
        arrays[key] = np.full_like(arrays[key], b)
    return trajectory.load(trajectory.write(dst, manifest, arrays))


@pytest.mark.parametrize("b", [0.0, -0.0, 1e-30, -1e-30])
def test_a_logit_of_exactly_zero_or_nearly_is_class_1_everywhere(
    moons_traj: Path, tmp_path: Path, b: float
) -> None:
    """As in the trainer's accuracy (logit ≥ 0 is class 1): predictions and separator agree."""
    traj = _with_constant_logit(moons_traj, tmp_path / "zero.npz", b)
    expected = 1 if b >= 0 else 0  # -0.0 >= 0 as well
    for s in (0, -1):
        np.testing.assert_array_equal(traj.stages(s)[-2].points, np.float32(b))
        predicted = traj.predictions(s)
        assert predicted.dtype == np.int64
        np.testing.assert_array_equal(predicted, expected)
        np.testing.assert_array_equal(
            traj.separator(s).classify(traj.stages(s)[-3].points), expected
        )
        np.testing.assert_allclose(traj.probabilities(s), 0.5, atol=1e-12)


def test_predictions_give_the_trainer_s_accuracy(moons_traj: Path) -> None:
    traj = trajectory.load(moons_traj)
    train_pts = ~traj.test_mask
    for s in range(traj.n_snapshots):
        epoch = int(traj.epochs[s])
        correct = traj.predictions(s) == traj.labels
        assert float(np.mean(correct[train_pts])) == pytest.approx(
            traj.metrics["train_acc"][epoch], abs=1e-6
        )
        assert float(np.mean(correct[traj.test_mask])) == pytest.approx(
            traj.metrics["test_acc"][epoch], abs=1e-6
        )


def test_the_seed_alone_sets_the_initial_weights() -> None:
    """Same data, same (empty) held-out split: the seed must still change the initial weights."""
    data = make_dataset("moons", samples=60, seed=0)

    def initial(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
        cfg = small_config(seed=seed, train=TrainConfig(epochs=1, test_fraction=0.0))
        result = train(cfg, data)
        assert not result.test_mask.any()
        return result.weights[0]

    first, again, other, third = initial(0), initial(0), initial(1), initial(2)
    for (w, b), (w2, b2) in zip(first, again, strict=True):
        np.testing.assert_array_equal(w, w2)
        np.testing.assert_array_equal(b, b2)
    for a, c in ((first, other), (first, third), (other, third)):
        for (w, _), (w2, _) in zip(a, c, strict=True):
            assert not np.allclose(w, w2), "two seeds gave the same initial layer"


def test_same_config_and_seed_give_the_same_bytes(tmp_path: Path) -> None:
    cfg = small_config()
    a = train_to_file(cfg, tmp_path / "a.npz")
    b = train_to_file(cfg, tmp_path / "b.npz")
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    c = train_to_file(small_config(seed=1), tmp_path / "c.npz")
    assert a.read_bytes() != c.read_bytes()


def test_square_hidden_layers_have_positive_determinant_and_the_same_function(
    moons_traj: Path,
) -> None:
    traj = trajectory.load(moons_traj)
    for s in range(traj.n_snapshots):
        for L, (w, _) in zip(traj.hidden_layers, traj.weights(s), strict=False):
            if L.d_in == L.d_out:
                assert np.linalg.det(w.astype(np.float64)) > 0
    # the unit swap itself leaves the function unchanged and makes det > 0
    rng = np.random.default_rng(3)
    ws = [
        (rng.normal(size=(2, 2)).astype(np.float32), rng.normal(size=2).astype(np.float32))
        for _ in range(3)
    ] + [(rng.normal(size=(1, 2)).astype(np.float32), np.zeros(1, np.float32))]
    ws[0][0][:] = [[1, 0], [0, -1]]
    fixed, swapped = fix_orientation(ws)
    assert 0 in swapped
    x = rng.normal(size=(50, 2))
    acts = ["tanh"] * 3 + ["linear"]
    before = trajectory.forward(ws, acts, x)[-1][0]
    after = trajectory.forward(fixed, acts, x)[-1][0]
    np.testing.assert_allclose(before, after, atol=1e-6)
    assert all(np.linalg.det(w) > 0 for w, _ in fixed[:3])


def test_a_one_unit_layer_after_another_is_left_as_it_is() -> None:
    """hidden 1,1 crashed training's export: a 1×1 W with a negative weight has no second
    unit to swap with (it mirrors the line, which a swap could not undo anyway)."""
    ws = [
        (np.array([[0.5, -1.0]], np.float32), np.zeros(1, np.float32)),
        (np.array([[-2.0]], np.float32), np.zeros(1, np.float32)),
        (np.array([[1.5]], np.float32), np.zeros(1, np.float32)),
    ]
    fixed, swapped = fix_orientation(ws)
    assert swapped == []
    assert all(np.array_equal(a, b) for (a, _), (b, _) in zip(ws, fixed, strict=True))


def test_the_recorded_unit_swaps_turn_the_trained_weights_into_the_stored_ones(
    moons_traj: Path,
) -> None:
    """Retrain: the manifest's swaps, applied to torch's weights, give exactly the file's."""
    traj = trajectory.load(moons_traj)
    cfg = small_config()
    data, _ = load_data(cfg)
    assert traj.manifest["config_hash"] == cfg.config_hash()
    raw = train(cfg, data).weights
    swaps = traj.manifest["unit_swaps"]
    assert isinstance(swaps, list) and swaps, "this 2-2-2-2 net needs swaps at some snapshot"
    for s, epoch in enumerate(int(e) for e in traj.epochs):
        ws = [(w.copy(), b.copy()) for w, b in raw[epoch]]
        for swap in (sw for sw in swaps if sw["snapshot"] == s):
            layer = swap["layer"]
            assert swap["epoch"] == epoch and swap["units"] == [0, 1]
            assert 0 <= layer < len(traj.hidden_layers), "output units are never swapped"
            assert np.linalg.det(ws[layer][0].astype(np.float64)) < 0, "a needless swap"
            for a in ws[layer]:
                a[[0, 1]] = a[[1, 0]]
            ws[layer + 1][0][:, [0, 1]] = ws[layer + 1][0][:, [1, 0]]
        stored = traj.weights(s)
        for (w, b), (sw, sb) in zip(ws, stored, strict=True):
            np.testing.assert_array_equal(w, sw)
            np.testing.assert_array_equal(b, sb)
        for L, (w, _) in zip(traj.hidden_layers, stored, strict=False):
            if L.d_in == L.d_out:
                assert np.linalg.det(w.astype(np.float64)) > 0
        x = traj.inputs.astype(np.float64)
        np.testing.assert_allclose(
            torch_stages(torch_model(traj, stored), x)[-1][0],
            torch_stages(torch_model(traj, raw[epoch]), x)[-1][0],
            atol=1e-9,
        )


def test_wide_layers_are_projected_once_and_others_stored_exactly(wide_traj: Path) -> None:
    traj = trajectory.load(wide_traj)
    wide, narrow = traj.layers[0], traj.layers[1]
    assert wide.projected and wide.d_out == 5 and wide.display_dim == 3
    assert wide.explained is not None and 0 < wide.explained[1] <= 1.0 + 1e-6
    assert not narrow.projected and narrow.display_dim == 3
    mean, comps, expl = traj.projection(0, "h")
    assert comps.shape == (3, 5) and expl.shape == (3,)
    # the stored projection is the same one for every snapshot
    for s in (0, -1):
        h = torch_stages(torch_model(traj, traj.weights(s)), traj.inputs)[0][1]
        np.testing.assert_allclose(traj.stages(s)[2].points, (h - mean) @ comps.T, atol=1e-4)
    assert traj.class_names == ["blue", "green", "red"]
    assert traj.layers[-1].activation == "softmax" and traj.layers[-1].d_out == 3
    with pytest.raises(trajectory.TrajectoryError):
        traj.projection(1)


@pytest.mark.parametrize(
    ("name", "hidden", "activation", "lr", "epochs"),
    [
        ("moons", (8, 8, 2), "tanh", 0.03, 300),
        ("circles", (8, 8, 2), "tanh", 0.03, 300),
        ("xor", (8, 8, 2), "tanh", 0.03, 300),
        ("spiral", (16, 16, 16, 2), "relu", 0.01, 1000),
    ],
)
def test_a_deep_enough_net_separates_what_a_line_cannot(
    name: str, hidden: tuple[int, ...], activation: str, lr: float, epochs: int
) -> None:
    cfg = RunConfig(
        data=DataConfig(name),
        model=ModelConfig(hidden=hidden, activation=(activation,)),
        train=TrainConfig(lr=lr, epochs=epochs, weight_decay=0.0),
    )
    data = make_dataset(name)
    deep = final_train_acc(train(cfg, data))
    line = final_train_acc(train(cfg, data, hidden=()))
    assert deep >= 0.98
    # The best line through the classic two moons is right ~88% of the time; elsewhere < 80%.
    assert line < (0.9 if name == "moons" else 0.8)
    assert deep - line > 0.08


def test_logistic_regression_succeeds_on_linear_data() -> None:
    cfg = RunConfig(
        data=DataConfig("linear"), model=ModelConfig(hidden=()), train=TrainConfig(epochs=200)
    )
    assert train(cfg, make_dataset("linear")).metrics["train_acc"][-1] >= 0.98


def test_target_loss_stops_early_and_is_recorded(tmp_path: Path) -> None:
    cfg = small_config(
        model=ModelConfig(hidden=(8, 2)), train=TrainConfig(epochs=2000, lr=0.05, target_loss=0.263)
    )
    traj = trajectory.load(train_to_file(cfg, tmp_path / "t.npz"))
    final = traj.manifest["final"]
    assert final["stopped_early"] and final["epochs_trained"] < 2000
    assert final["train_loss"] <= 0.263
    assert traj.epochs[-1] == final["epochs_trained"]
    assert len(traj.metrics["train_loss"]) == final["epochs_trained"] + 1


def test_a_diverging_run_stops_and_keeps_its_last_finite_epoch(tmp_path: Path) -> None:
    """No error: training stops, keeps what was finite and says where it diverged."""
    cfg = small_config(
        model=ModelConfig(hidden=(8,), activation=("linear",)),
        train=TrainConfig(optimizer="sgd", lr=1e6, epochs=50),
    )
    data, _ = load_data(cfg)
    result = train(cfg, data)
    assert result.diverged is not None and result.diverged.loss in ("nan", "inf")
    last = result.diverged.epoch - 1
    assert result.epochs_trained == last and max(result.weights) == last
    assert not result.stopped_early
    for weights in result.weights.values():
        assert all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in weights)
    for history in result.metrics.values():
        assert len(history) == last + 1 and all(np.isfinite(v) for v in history if v is not None)
    # the same weights as a run told to stop there: nothing after the last finite epoch leaks
    shorter = train(replace(cfg, train=replace(cfg.train, epochs=last)), data)
    for (w, b), (w2, b2) in zip(result.final_weights, shorter.final_weights, strict=True):
        np.testing.assert_array_equal(w, w2)
        np.testing.assert_array_equal(b, b2)
    traj = trajectory.load(train_to_file(cfg, tmp_path / "diverged.npz"))
    assert traj.info.final.diverged == result.diverged
    assert traj.info.final.epochs_trained == last and int(traj.epochs[-1]) == last


def test_snapshots_are_log_spaced_from_zero_to_the_last_epoch() -> None:
    epochs = choose_snapshots(range(1001), 1000, 60)
    assert epochs[0] == 0 and epochs[-1] == 1000
    assert len(epochs) == 60 and epochs == sorted(set(epochs))
    gaps = np.diff(epochs)
    assert gaps[-1] > 10 * gaps[0]  # dense early, sparse late


def test_cache_reuses_a_trajectory_and_retrain_forces_training(tmp_path: Path) -> None:
    cfg = small_config(train=TrainConfig(epochs=20))
    path, trained = ensure_trajectory(cfg, tmp_path)
    assert trained and path.parent == tmp_path and cfg.config_hash() in path.name
    again, trained_again = ensure_trajectory(cfg, tmp_path)
    assert again == path and not trained_again
    _, forced = ensure_trajectory(cfg, tmp_path, retrain=True)
    assert forced


def test_a_trajectory_cached_by_another_nnwarp_is_trained_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade may train or export differently (a better baseline, new numbers): its
    renders must not keep showing the old version's file."""
    from nnmodel import export, pipeline

    cfg = small_config(train=TrainConfig(epochs=20))
    path, _ = ensure_trajectory(cfg, tmp_path)
    for module in (pipeline, export):  # the upgrade
        monkeypatch.setattr(module, "__version__", "99.0")
    again, trained = ensure_trajectory(cfg, tmp_path)
    assert trained and again == path
    assert trajectory.load(path).info.versions.nnwarp == "99.0"
    assert not ensure_trajectory(cfg, tmp_path)[1]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"model": ModelConfig(activation=("swish",))}, "unknown activation 'swish'"),
        (
            {"model": ModelConfig(hidden=(2, 2), activation=("relu", "tanh", "elu"))},
            "one per hidden layer",
        ),
        ({"model": ModelConfig(hidden=(0,))}, "out of range"),
        ({"train": TrainConfig(lr=-1)}, "--lr must be a finite number > 0"),
        ({"train": TrainConfig(optimizer="lbfgs")}, "unknown optimizer"),
    ],
)
def test_invalid_configs_are_refused_in_plain_english(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        small_config(**changes)


def _run(code: str) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_importing_the_loader_and_scenes_does_not_import_torch() -> None:
    _run(
        "import sys, nnmodel.trajectory, nnmodel.datasets, scenes.render, scenes.core.geometry, "
        "scenes.warp, scenes.registry, scenes.core.view, scenes.cli, scenes.publish.subtitles\n"
        "assert 'torch' not in sys.modules, 'torch was imported'\n"
        # the check itself can fail: the trainer does import torch
        "import nnmodel.train\n"
        "assert 'torch' in sys.modules"
    )


def test_nnmodel_never_imports_manim_or_scenes() -> None:
    modules = ", ".join(
        f"nnmodel.{p.stem}" for p in sorted((ROOT / "nnmodel").glob("*.py")) if p.stem[0] != "_"
    )
    assert "nnmodel.trajectory" in modules and "nnmodel.train" in modules
    _run(
        f"import sys, nnmodel, {modules}\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & {'manim', 'scenes'})\n"
        "assert not bad, f'nnmodel imported {bad}'\n"
        # the check itself can fail: importing a scene module does import manim
        "import scenes.mobjects.widgets\n"
        "assert 'manim' in sys.modules"
    )


def test_rings_need_a_third_dimension() -> None:
    """The topology story: a disk inside a ring cannot be pulled apart in 2-D, but can in 3-D."""

    def accuracy(hidden: tuple[int, ...]) -> float:
        cfg = RunConfig(
            data=DataConfig("rings"),
            model=ModelConfig(hidden=hidden),
            train=TrainConfig(epochs=1000, weight_decay=0.0),
        )
        return final_train_acc(train(cfg, make_dataset("rings")))

    assert accuracy((3,)) >= 0.99
    assert accuracy((2, 2)) < 0.97
