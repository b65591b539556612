"""Schema version 2: stored gradients, version-1 files still read, diverged runs recorded."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from click.testing import CliRunner
from torch import nn

from nnmodel import export, health, schema, trajectory
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.errors import TrajectoryError
from nnmodel.gradients import backward
from nnmodel.model import MLP
from nnmodel.pipeline import prepare, train_to_file
from nnmodel.trajectory import StoredGradients, Trajectory
from tests.conftest import small_config

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden.npz"
#: golden.npz is a schema-version-1 file: it must keep loading, and never change.
GOLDEN_SHA256 = "8c9df7a46958e2395f9ff3995825481d84914b911a3090838e46c8762f3694e7"

Arrays = dict[str, np.ndarray]


def _read(path: Path) -> tuple[dict[str, Any], Arrays]:
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return json.loads(arrays.pop(schema.MANIFEST).tobytes()), arrays


def _rewrite(src: Path, dst: Path, edit: Callable[[dict[str, Any], Arrays], None]) -> Path:
    manifest, arrays = _read(src)
    edit(manifest, arrays)
    dst.unlink(missing_ok=True)
    return trajectory.write(dst, manifest, arrays)


# --------------------------------------------------------------------------- references


def numpy_reference(traj: Trajectory, s: int) -> tuple[list[np.ndarray], ...]:
    """``(dW, db, dz)`` per layer by nnmodel.gradients at the stored weights (display dz)."""
    g = backward(
        traj.weights(s),
        [L.activation for L in traj.hidden_layers],
        traj.inputs,
        traj.labels,
        train=~traj.test_mask,
    )
    dz = []
    for layer, d in zip(traj.layers, g.dz, strict=True):
        if layer.projected:
            d = d @ traj.projection(layer.index, "z")[1].astype(np.float64).T
        dz.append(d)
    return list(g.dW), list(g.db), dz


def autograd_reference(traj: Trajectory, s: int) -> tuple[list[np.ndarray], ...]:
    """``(dW, db, dz)`` per layer from torch's own modules and autograd (float64).

    The weight gradients are of ``BCEWithLogitsLoss`` / ``CrossEntropyLoss`` (mean) on the
    training points alone; ``dz`` is of the per-point losses of every point summed and
    divided by the number of training points, read from each affine output's ``.grad``.
    """
    hidden = tuple(L.d_out for L in traj.hidden_layers)
    acts = tuple(L.activation for L in traj.hidden_layers)
    model = MLP(2, hidden, acts, traj.layers[-1].d_out).double()
    linears = [m for m in model.linears if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for linear, (w, b) in zip(linears, traj.weights(s), strict=True):
            linear.weight.copy_(torch.from_numpy(w.astype(np.float64)))
            linear.bias.copy_(torch.from_numpy(b.astype(np.float64)))
    x = torch.from_numpy(traj.inputs.astype(np.float64))
    y = torch.from_numpy(traj.labels)
    train = torch.from_numpy(~traj.test_mask)
    zs: list[torch.Tensor] = []
    h = x
    for i, linear in enumerate(linears):
        z = linear(h)
        z.retain_grad()
        zs.append(z)
        h = model.acts[i](z) if i < len(model.acts) else z
    binary = h.shape[1] == 1
    if binary:
        per_point = nn.functional.binary_cross_entropy_with_logits(
            h[:, 0], y.double(), reduction="none"
        )
        mean = nn.BCEWithLogitsLoss()(h[train][:, 0], y[train].double())
    else:
        per_point = nn.functional.cross_entropy(h, y, reduction="none")
        mean = nn.CrossEntropyLoss()(h[train], y[train])
    mean.backward(retain_graph=True)  # type: ignore[no-untyped-call]
    dw = [lin.weight.grad.numpy().copy() for lin in linears if lin.weight.grad is not None]
    db = [lin.bias.grad.numpy().copy() for lin in linears if lin.bias.grad is not None]
    for z in zs:
        z.grad = None
    (per_point.sum() / int(train.sum())).backward()  # type: ignore[no-untyped-call]
    dz = []
    for layer, z in zip(traj.layers, zs, strict=True):
        assert z.grad is not None
        d = z.grad.numpy()
        if layer.projected:
            d = d @ traj.projection(layer.index, "z")[1].astype(np.float64).T
        dz.append(d)
    return dw, db, dz


def assert_gradients_equal(
    got: StoredGradients, want: tuple[list[np.ndarray], ...], rtol: float = 1e-5
) -> None:
    for name, mine, theirs in zip(("dW", "db", "dz"), (got.dW, got.db, got.dz), want, strict=True):
        assert len(mine) == len(theirs)
        for layer, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            assert a.shape == b.shape, (name, layer)
            scale = float(np.abs(b).max()) or 1.0
            np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * scale, err_msg=f"{name}{layer}")


# --------------------------------------------------------------------------- stored gradients


@pytest.mark.parametrize("which", ["moons_traj", "wide_traj"])
def test_stored_gradients_are_numpy_s_and_autograd_s(
    which: str, request: pytest.FixtureRequest
) -> None:
    traj = trajectory.load(request.getfixturevalue(which))
    info = traj.info
    assert info.schema_version == 2 and traj.stores_gradients
    assert info.gradients == schema.GradientInfo("bce" if traj.n_classes == 2 else "ce")
    assert traj.test_mask.any() and not traj.test_mask.all()  # the convention is tested
    if which == "moons_traj":  # the swaps must be applied to the gradients as to the weights
        assert {sw.snapshot for sw in info.unit_swaps} & {0, traj.n_snapshots - 1}
    else:
        assert traj.layers[0].projected
    for s in range(traj.n_snapshots):
        stored = traj.gradients(s)
        assert not stored.computed and stored.loss == info.gradients.loss
        assert stored.n_train == int((~traj.test_mask).sum())
        for layer, d in zip(traj.layers, stored.dz, strict=True):
            assert d.shape == (len(traj.inputs), layer.display_dim)
        assert_gradients_equal(stored, numpy_reference(traj, s))
        assert_gradients_equal(stored, autograd_reference(traj, s))
    # the gradients move: the last snapshot's are not the first's
    assert not np.allclose(traj.gradients(0).dW[0], traj.gradients(-1).dW[0])


def test_a_held_out_point_s_dz_is_its_own_loss_scaled_like_a_training_point_s(
    moons_traj: Path,
) -> None:
    traj = trajectory.load(moons_traj)
    stored = traj.gradients(-1)
    acts = [L.activation for L in traj.hidden_layers]
    held = int(np.flatnonzero(traj.test_mask)[0])
    kept = int(np.flatnonzero(~traj.test_mask)[0])
    for i in (held, kept):
        alone = backward(traj.weights(-1), acts, traj.inputs[i : i + 1], traj.labels[i : i + 1])
        for layer in range(len(traj.layers)):
            want = alone.dz[layer][0]
            np.testing.assert_allclose(stored.own(layer)[i], want, rtol=1e-5, atol=1e-9)
            np.testing.assert_allclose(
                stored.dz[layer][i] * stored.n_train, want, rtol=1e-5, atol=1e-9
            )


def test_a_v2_file_round_trips_byte_identically(moons_traj: Path, tmp_path: Path) -> None:
    traj = trajectory.load(moons_traj)
    _, arrays = _read(moons_traj)
    assert {schema.weight_grad_key(0), schema.bias_grad_key(0), schema.affine_grad_key(0)} <= set(
        arrays
    )
    again = trajectory.write(tmp_path / "again.npz", traj.info, arrays)
    assert again.read_bytes() == moons_traj.read_bytes()
    assert trajectory.load(again).info == traj.info


def test_a_trajectory_built_without_its_info_parses_a_v2_manifest(moons_traj: Path) -> None:
    manifest, arrays = _read(moons_traj)
    traj = Trajectory(moons_traj, arrays, manifest)
    assert traj.info == trajectory.load(moons_traj).info and traj.info.gradients is not None
    with pytest.raises(TrajectoryError, match="schema_version is 7, expected 1 or 2"):
        Trajectory(moons_traj, arrays, {**manifest, "schema_version": 7})


# --------------------------------------------------------------------------- version 1


def test_the_v1_golden_file_loads_unchanged_and_computes_its_gradients() -> None:
    assert hashlib.sha256(GOLDEN.read_bytes()).hexdigest() == GOLDEN_SHA256
    traj = trajectory.load(GOLDEN)
    assert traj.info.schema_version == 1 and traj.info.gradients is None
    assert not traj.stores_gradients and traj.summary()["gradients"] == "computed from the weights"
    for s in (0, -1):
        computed = traj.gradients(s)
        assert computed.computed and computed.loss == "bce"
        assert computed.n_train == int((~traj.test_mask).sum())
        assert_gradients_equal(computed, autograd_reference(traj, s), rtol=1e-9)
    assert traj.gradients(-1) is traj.gradients(traj.n_snapshots - 1)  # computed once


def test_a_v1_file_with_a_projected_layer_computes_what_v2_stores(
    wide_traj: Path, tmp_path: Path
) -> None:
    def as_v1(manifest: dict[str, Any], arrays: Arrays) -> None:
        manifest["schema_version"] = 1
        del manifest["gradients"]
        for layer in range(len(manifest["layers"])):
            for key in schema.gradient_keys(layer):
                del arrays[key]

    v2 = trajectory.load(wide_traj)
    v1 = trajectory.load(_rewrite(wide_traj, tmp_path / "v1.npz", as_v1))
    assert v1.info.schema_version == 1 and v1.layers[0].projected
    for s in (0, -1):
        computed = v1.gradients(s)
        assert computed.computed and computed.dz[0].shape == (len(v1.inputs), 3)
        stored = v2.gradients(s)
        want = (list(stored.dW), list(stored.db), list(stored.dz))
        assert_gradients_equal(computed, want)


# --------------------------------------------------------------------------- refusals


def _drop(key: str) -> Callable[[dict[str, Any], Arrays], None]:
    def edit(manifest: dict[str, Any], arrays: Arrays) -> None:
        del arrays[key]

    return edit


def _manifest(
    change: Callable[[dict[str, Any]], object],
) -> Callable[[dict[str, Any], Arrays], None]:
    def edit(manifest: dict[str, Any], arrays: Arrays) -> None:
        change(manifest)

    return edit


def _reshape(key: str) -> Callable[[dict[str, Any], Arrays], None]:
    def edit(manifest: dict[str, Any], arrays: Arrays) -> None:
        arrays[key] = arrays[key][..., :-1]

    return edit


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (_drop("dz1"), ["lacks array(s) dz1 for layer 1", "nnwarp train -o FILE"]),
        (_drop("dW0"), ["lacks array(s) dW0 for layer 0"]),
        (_reshape("dW0"), ["array dW0 has shape (8, 2, 1), expected (8, 2, 2)"]),
        (_reshape("dz2"), ["array dz2 has shape (8, 120, 1), expected (8, 120, 2)"]),
        (_reshape("db4"), ["array db4 has shape (8, 0), expected (8, 1)"]),
        (_manifest(lambda m: m.pop("gradients")), ["manifest lacks gradients"]),
        (
            _manifest(lambda m: m["gradients"].update(loss="ce")),
            ['gradients[\'loss\'] is "ce", expected "bce"'],
        ),
        (_manifest(lambda m: m["gradients"].update(scale=1)), ["['scale'] is 1", "1/n_train"]),
        (
            _manifest(lambda m: m.update(schema_version=1)),
            ["has 'gradients' but its schema_version is 1"],
        ),
        (
            _manifest(lambda m: m["final"].update(diverged={"epoch": 3, "loss": "nan"})),
            ["final['diverged']['epoch'] is 3, expected 151"],
        ),
        (
            _manifest(lambda m: m["final"].update(diverged={"epoch": 151, "loss": "huge"})),
            ['final[\'diverged\'][\'loss\'] is "huge", expected "nan" or "inf"'],
        ),
    ],
)
def test_a_broken_v2_file_is_refused_in_one_line_naming_it(
    moons_traj: Path,
    tmp_path: Path,
    edit: Callable[[dict[str, Any], Arrays], None],
    words: list[str],
) -> None:
    path = _rewrite(moons_traj, tmp_path / "broken.npz", edit)
    with pytest.raises(TrajectoryError) as info:
        trajectory.load(path)
    message = str(info.value)
    assert str(path) in message and "\n" not in message
    for word in words:
        assert word in message, message


# --------------------------------------------------------------------------- divergence


def diverging_config() -> RunConfig:
    """A linear network and plain SGD with lr 1000 on the moons: the loss blows up in a few
    epochs (tanh would saturate instead, and its loss stay finite)."""
    return small_config(
        model=ModelConfig(hidden=(8, 2), activation=("linear",)),
        train=TrainConfig(optimizer="sgd", lr=1e3, epochs=50),
    )


@pytest.fixture(scope="module")
def diverged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_to_file(diverging_config(), tmp_path_factory.mktemp("div") / "diverged.npz")


def test_a_diverged_run_is_written_up_to_its_last_finite_epoch(diverged: Path) -> None:
    traj = trajectory.load(diverged)
    final = traj.info.final
    assert final.diverged is not None and final.diverged.loss in ("nan", "inf")
    epoch = final.diverged.epoch
    assert 1 <= epoch < 50 and final.epochs_trained == epoch - 1
    assert traj.info.snapshot_epochs[-1] == epoch - 1
    manifest, _ = _read(diverged)
    assert manifest["final"]["diverged"] == {"epoch": epoch, "loss": final.diverged.loss}
    for key, history in traj.info.metrics.as_dict().items():
        assert len(history) == epoch, key  # epochs 0 .. epoch - 1, all finite
        assert all(v is not None and np.isfinite(v) for v in history), key
    assert np.isfinite(final.train_loss)
    for s in range(traj.n_snapshots):
        assert all(np.isfinite(w).all() and np.isfinite(b).all() for w, b in traj.weights(s))
    # its gradients are stored like any run's, at the last finite weights too
    assert not traj.gradients(-1).computed
    assert_gradients_equal(traj.gradients(-1), numpy_reference(traj, -1))


def test_the_health_check_says_it_diverged_and_what_to_try(diverged: Path) -> None:
    traj = trajectory.load(diverged)
    findings = health.diagnose(traj)
    assert findings[0].kind == health.DIVERGED == "diverged"
    d = traj.info.final.diverged
    assert d is not None
    became = "NaN" if d.loss == "nan" else "infinite"
    assert findings[0].text == (
        f"Training diverged at epoch {d.epoch}: the loss became {became}; "
        "try a lower learning rate, e.g. --lr 0.1."
    )
    assert health.NO_PROGRESS not in [f.kind for f in findings]
    assert [f["kind"] for f in traj.summary()["findings"]][0] == "diverged"


def test_nnwarp_train_notes_the_divergence_and_succeeds(tmp_path: Path) -> None:
    from scenes.cli import main

    out = tmp_path / "d.npz"
    args = ["train", "--samples", "120", "--hidden", "8,2", "--activation", "linear"]
    args += ["--optimizer", "sgd", "--lr", "1000", "--epochs", "50", "--snapshots", "8"]
    result = CliRunner().invoke(main, [*args, "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note: Training")]
    assert len(notes) == 1 and "diverged at epoch" in notes[0] and "--lr 0.1." in notes[0]
    assert trajectory.load(out).info.final.diverged is not None


def test_a_run_that_never_diverges_has_no_divergence(moons_traj: Path) -> None:
    traj = trajectory.load(moons_traj)
    assert traj.info.final.diverged is None
    manifest, _ = _read(moons_traj)
    assert "diverged" not in manifest["final"]
    assert "diverged" not in [f.kind for f in health.diagnose(traj)]


# --------------------------------------------------------------------------- the size estimate


@pytest.mark.parametrize(
    "cfg",
    [
        RunConfig(
            data=DataConfig("moons", samples=400),
            model=ModelConfig(hidden=(2, 3, 2)),
            train=TrainConfig(epochs=300),
        ),
        RunConfig(
            data=DataConfig("spiral", samples=1500, arms=3),
            model=ModelConfig(hidden=(12, 3), activation=("relu",)),
            train=TrainConfig(epochs=120, test_fraction=0.0),
            export=ExportConfig(snapshots=40, mesh_resolution=48),
        ),
    ],
    ids=["exact-layers", "projected-no-test"],
)
def test_the_size_estimate_is_within_a_tenth_of_a_percent(cfg: RunConfig, tmp_path: Path) -> None:
    prep = prepare(cfg)
    estimate = export.estimate_bytes(cfg, len(prep.data.y), prep.data.n_classes)
    real = train_to_file(prep, tmp_path / "t.npz").stat().st_size
    assert real > 5 * 2**20  # large enough for 0.1 % to be a few kB
    assert abs(estimate - real) <= 0.001 * real, (estimate, real)


def test_a_run_that_diverges_at_once_keeps_its_initial_weights(tmp_path: Path) -> None:
    cfg = small_config(
        model=ModelConfig(hidden=(8,), activation=("linear",)),
        train=TrainConfig(optimizer="sgd", lr=1e38, epochs=20),
    )
    traj = trajectory.load(train_to_file(cfg, tmp_path / "at_once.npz"))
    assert traj.info.final.diverged == schema.Divergence(1, "nan")
    assert traj.info.snapshot_epochs == (0,) and traj.info.final.epochs_trained == 0
    assert traj.info.metrics.train_loss == (traj.info.final.train_loss,)
    assert health.diagnose(traj)[0].text.endswith("e.g. --lr 0.1.")


def test_autograd_in_chunks_of_points_equals_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trainer's gradients_at sums its chunks' shares: chunking changes nothing."""
    from nnmodel import train as trainer

    rng = np.random.default_rng(5)
    weights = [
        (rng.normal(size=(4, 2)).astype(np.float32), rng.normal(size=4).astype(np.float32)),
        (rng.normal(size=(3, 4)).astype(np.float32), rng.normal(size=3).astype(np.float32)),
    ]
    x, y = rng.normal(size=(23, 2)), rng.integers(0, 3, 23)
    held = np.zeros(23, bool)
    held[:10] = True  # the first two chunks of 5 hold no training point
    held[17] = True
    whole = trainer.gradients_at(weights, ["elu"], x, y, held)
    monkeypatch.setattr(trainer, "GRADIENT_CHUNK", 5)
    chunked = trainer.gradients_at(weights, ["elu"], x, y, held)
    reference = backward(weights, ["elu"], x, y, train=~held)
    for layer, (a, b) in enumerate(zip(whole, chunked, strict=True)):
        for mine, theirs, want in zip(
            a, b, (reference.dW, reference.db, reference.dz), strict=True
        ):
            np.testing.assert_allclose(theirs, mine, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(mine, want[layer], rtol=1e-12, atol=1e-15)
