"""Real data in real units: --columns, standardised inputs, and checks on the data itself."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from nnmodel import datacheck, trajectory
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.datasets import load_csv, make_dataset
from nnmodel.errors import DataError
from nnmodel.pipeline import prepare, train_to_file
from nnmodel.train import split_mask
from scenes.cli import main

WINE = Path(__file__).resolve().parents[2] / "examples" / "wine" / "wine.csv"
FAST = TrainConfig(epochs=150, lr=0.05)
SMALL = ExportConfig(snapshots=4, grid_lines=5, grid_samples=100, mesh_resolution=8)


def wine_config(**data: object) -> RunConfig:
    d = DataConfig(str(WINE), columns=("alcohol", "proline", "cultivar"))
    return RunConfig(
        data=replace(d, **data),  # type: ignore[arg-type]
        model=ModelConfig(hidden=(2, 2)),
        train=FAST,
        export=SMALL,
    )


def test_columns_by_name_and_by_position_read_the_same_data() -> None:
    by_name = load_csv(WINE, ("alcohol", "Proline", "cultivar"))
    by_position = load_csv(WINE, ("0", "12", "13"))
    assert np.array_equal(by_name.X, by_position.X)
    assert np.array_equal(by_name.y, by_position.y)
    assert by_name.feature_names == by_position.feature_names == ("alcohol", "proline")
    assert by_name.label_name == "cultivar" and by_name.class_names == ("1", "2", "3")
    assert by_name.X[0].tolist() == pytest.approx([14.23, 1065.0])


def test_standardisation_uses_the_training_points_only() -> None:
    cfg = wine_config()
    prep = prepare(cfg)
    assert prep.standardization is not None and prep.raw is not None
    train = ~split_mask(len(prep.raw.y), cfg.train.test_fraction, cfg.seed)
    x = prep.raw.X.astype(np.float64)
    assert prep.standardization.mean == pytest.approx(tuple(x[train].mean(axis=0)))
    assert prep.standardization.std == pytest.approx(tuple(x[train].std(axis=0)))
    z = prep.data.X[train].astype(np.float64)
    assert z.mean(axis=0) == pytest.approx([0, 0], abs=1e-6)
    assert z.std(axis=0) == pytest.approx([1, 1], abs=1e-6)


def test_stored_standardisation_reproduces_the_stages_from_the_raw_csv(tmp_path: Path) -> None:
    traj = trajectory.load(train_to_file(wine_config(), tmp_path / "w.npz"))
    scaling = traj.info.dataset.standardization
    assert scaling is not None
    assert traj.info.dataset.columns == ("alcohol", "proline")
    assert traj.info.dataset.label_column == "cultivar"
    raw = load_csv(WINE, ("alcohol", "proline", "cultivar"))
    inputs = scaling.apply(raw.X)
    np.testing.assert_allclose(inputs, traj.inputs, atol=1e-6)
    np.testing.assert_allclose(scaling.invert(traj.inputs), raw.X, rtol=1e-6)
    acts = [L.activation for L in traj.hidden_layers] + ["linear"]
    stages = trajectory.forward(traj.weights(-1), acts, inputs)
    stored = traj.stages(-1)
    for i, (z, h) in enumerate(stages[:-1]):
        np.testing.assert_allclose(stored[2 * i + 1].points, z, atol=1e-4)
        np.testing.assert_allclose(stored[2 * i + 2].points, h, atol=1e-4)


def test_built_in_datasets_are_not_standardised_and_keep_their_config() -> None:
    cfg = RunConfig()
    assert "columns" not in cfg.to_dict()["data"] and "standardize" not in cfg.to_dict()["data"]
    for name in ("moons", "xor", "spiral", "rings"):
        c = RunConfig(data=DataConfig(name))
        prep = prepare(c)
        assert prep.standardization is None
        assert np.array_equal(prep.data.X, make_dataset(name, seed=0).X)
    assert RunConfig.from_dict(wine_config().to_dict()) == wine_config()


def _scaled_moons(tmp_path: Path) -> tuple[Path, np.ndarray, np.ndarray]:
    ds = make_dataset("moons", samples=200, seed=3)
    x = ds.X.astype(np.float64) * np.array([1.0, 1000.0]) + np.array([0.0, 5000.0])
    path = tmp_path / "scaled.csv"
    rows = "".join(f"{float(a)!r},{float(b)!r},{c}\n" for (a, b), c in zip(x, ds.y, strict=True))
    path.write_text("width,mass,kind\n" + rows)
    return path, x, ds.y


def test_columns_1000x_apart_train_as_well_as_their_standardised_copy(tmp_path: Path) -> None:
    path, x, y = _scaled_moons(tmp_path)
    base = RunConfig(
        data=DataConfig(str(path), columns=("width", "mass", "kind")),
        model=ModelConfig(hidden=(8, 2)),
        train=TrainConfig(epochs=300, lr=0.05),
        export=SMALL,
    )
    scaled = trajectory.load(train_to_file(base, tmp_path / "a.npz"))
    # The same points standardised by hand (with the training split's mean and std),
    # given with --no-standardize: the network sees the same numbers.
    train = ~split_mask(len(y), base.train.test_fraction, base.seed)
    z = (x - x[train].mean(axis=0)) / x[train].std(axis=0)
    copy = tmp_path / "copy.csv"
    copy.write_text(
        "width,mass,kind\n"
        + "".join(f"{float(a)!r},{float(b)!r},{c}\n" for (a, b), c in zip(z, y, strict=True))
    )
    by_hand = replace(
        base, data=DataConfig(str(copy), columns=("width", "mass", "kind"), standardize=False)
    )
    standardised = trajectory.load(train_to_file(by_hand, tmp_path / "b.npz"))
    assert scaled.info.final.train_acc >= 0.95
    assert scaled.info.final.train_acc == pytest.approx(standardised.info.final.train_acc, abs=0.01)
    raw = replace(base, data=replace(base.data, standardize=False))
    unscaled = trajectory.load(train_to_file(raw, tmp_path / "c.npz"))
    assert unscaled.info.final.train_acc < scaled.info.final.train_acc - 0.05
    checks = datacheck.check_trajectory(unscaled).checks
    assert [c.kind for c in checks] == ["scales-differ"] and "--no-standardize" in checks[0].text


def test_a_constant_column_is_refused_before_training(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("a,b,k\n" + "".join(f"2.5,{i},{i % 2}\n" for i in range(10)))
    with pytest.raises(DataError, match=r"column 'a' has the same value \(2.5\)"):
        prepare(RunConfig(data=DataConfig(str(path), columns=("a", "b", "k"))))


def test_data_checks_name_scales_near_constants_and_imbalance() -> None:
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(13, 0.8, 100), rng.normal(750, 300, 100)])
    y = (np.arange(100) < 80).astype(int)
    report = datacheck.check_data(x, y, np.ones(100, bool), ("a", "b"), ("alcohol", "proline"))
    kinds = [c.kind for c in report.checks]
    assert kinds == ["scales-differ", "imbalance"]
    assert report.majority_class == "b" and report.majority_acc == 0.8
    assert report.no_better(0.81) and not report.no_better(0.9)
    assert "'b'" in (report.verdict(0.8) or "")
    x[:97, 0] = 13.0  # 97 % of rows share one value
    again = datacheck.check_data(x, y, np.ones(100, bool), ("a", "b"), ("alcohol", "proline"))
    assert "nearly-constant" in [c.kind for c in again.checks]
    balanced = datacheck.check_data(
        rng.normal(size=(40, 2)), np.arange(40) % 2, np.ones(40, bool), ("a", "b")
    )
    assert balanced.checks == () and balanced.majority_acc == 0.5


def test_inspect_json_reports_columns_standardisation_and_the_majority_baseline(
    tmp_path: Path,
) -> None:
    path = train_to_file(wine_config(), tmp_path / "w.npz")
    result = CliRunner().invoke(main, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)
    traj = trajectory.load(path)
    train = ~traj.test_mask
    counts = np.bincount(traj.labels[train])
    assert s["majority_class_accuracy"] == pytest.approx(counts.max() / train.sum())
    assert s["majority_class"] == traj.class_names[int(counts.argmax())]
    assert s["columns"] == ["alcohol", "proline"] and s["label_column"] == "cultivar"
    assert set(s["standardization"]) == {"alcohol", "proline"}
    assert [c["kind"] for c in s["data_checks"]] == ["scales-differ"]
    text = CliRunner().invoke(main, ["inspect", str(path)]).output
    assert "majority class" in text and "alcohol −" in text and "data check" in text


def test_inspect_names_what_went_wrong_with_unscaled_inputs(tmp_path: Path) -> None:
    """Raw proline values (hundreds) drive every tanh of the first layer flat."""
    path = train_to_file(wine_config(standardize=False), tmp_path / "raw.npz")
    result = CliRunner().invoke(main, ["inspect", str(path), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert {"saturated-unit"} <= {f["kind"] for f in findings}
    assert all(f["layer"] == 0 for f in findings if f["kind"] == "saturated-unit")
    text = CliRunner().invoke(main, ["inspect", str(path)]).output
    assert "finding: Layer 1, unit 1 (tanh) is saturated" in text
