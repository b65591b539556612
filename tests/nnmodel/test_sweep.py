"""Tests for nnmodel.sweep: grids of runs from lists, presets and files, trained in parallel."""

from __future__ import annotations

import dataclasses
import os
import zipfile
from pathlib import Path

import pytest

from nnmodel import presets, sweep, trajectory
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
from nnmodel.errors import ConfigError, OutputError
from nnmodel.export import EXPORT_REVISION
from nnmodel.sweep import Axis, Sweep, grid, parse_vary


def tiny(**changes: object) -> RunConfig:
    """A run that trains in a fraction of a second, with a small file."""
    parts: dict[str, object] = {
        "data": DataConfig("moons", samples=60),
        "model": ModelConfig(hidden=(2,)),
        "train": TrainConfig(epochs=15, lr=0.05),
        "export": ExportConfig(snapshots=4, grid_lines=3, grid_samples=100, mesh_resolution=8),
        "seed": 0,
    }
    parts.update(changes)
    return RunConfig(**parts)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- building


def test_a_grid_of_two_lists_is_rows_by_columns_of_full_configs() -> None:
    base = tiny()
    sw = grid(base, parse_vary("activation=relu,tanh"), parse_vary("lr=0.1,0.01,0.001"))
    assert sw.shape == (2, 3)
    assert sw.rows == ("ReLU", "tanh") and sw.columns == ("lr 0.1", "lr 0.01", "lr 0.001")
    for i, act in enumerate(("relu", "tanh")):
        for j, lr in enumerate((0.1, 0.01, 0.001)):
            cfg = sw.cells[i][j]
            # exactly the base with the two options changed
            assert cfg == dataclasses.replace(
                base,
                model=dataclasses.replace(base.model, activation=(act,)),
                train=dataclasses.replace(base.train, lr=lr),
            )
    assert sw.labels[1][2] == "tanh · lr 0.001"
    assert sw.varies == ("activation", "lr")


def test_one_list_is_one_row_and_lists_of_widths_parse() -> None:
    sw = grid(tiny(), columns=parse_vary("hidden=2,2;8,2"))
    assert sw.shape == (1, 2) and sw.rows == ("",)
    assert [c.model.hidden for c in sw.cells[0]] == [(2, 2), (8, 2)]
    assert sw.labels == (("hidden 2,2", "hidden 8,2"),)
    seeds = grid(tiny(), rows=parse_vary("seed=0 1 2 3 4"))
    assert seeds.shape == (5, 1) and [c[0].seed for c in seeds.cells] == [0, 1, 2, 3, 4]


def test_a_preset_becomes_a_sweep_with_its_labels_and_seed() -> None:
    sw = sweep.from_preset("sandwich-grid", seed=3)
    preset = presets.get("sandwich-grid").with_seed(3)
    assert sw.cells == preset.cells and sw.labels == preset.labels
    assert sw.varies == ("activation", "lr")
    assert sweep.from_preset("spiral-depth").varies == ("hidden",)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: grid(tiny()), "this sweep has 1 run and a comparison needs at least 2"),
        (
            lambda: grid(tiny(), parse_vary("seed=0,1,2,3"), parse_vary("lr=0.1,0.2,0.3,0.4")),
            "this sweep has 16 runs (4 × 4), over the limit of 12",
        ),
        (
            lambda: grid(tiny(), parse_vary("seed=0,1,2,3"), parse_vary("lr=0.1,0.2")),
            "a grid of 4 rows × 2 columns does not fit one frame: at most 3 rows and 4 "
            "columns (swap rows and columns)",
        ),
        (
            lambda: grid(tiny(), columns=parse_vary(f"seed={','.join(map(str, range(13)))}")),
            "13 runs",
        ),
        (lambda: grid(tiny(), parse_vary("lr=0.1,0.2"), parse_vary("lr=0.3,0.4")), "both vary lr"),
        (lambda: parse_vary("lr=0.1,0.10"), "--vary lr: the value 0.1 is given twice"),
        (lambda: parse_vary("lr=0.1,fast"), "--vary lr: 'fast' is not a number"),
        (lambda: parse_vary("dataset=moons,spiral"), "dataset cannot vary in one grid"),
        (lambda: parse_vary("lr"), "is not OPTION=VALUES"),
        (lambda: parse_vary("lr="), "no values"),
        (lambda: parse_vary("learning_rate=0.1,0.2"), "unknown option 'learning_rate'"),
        (lambda: parse_vary("snapshots=1,2"), "--vary snapshots: 1 snapshot cannot show training"),
        (
            lambda: grid(tiny(), columns=parse_vary("hidden=2,2;0,2")),
            "--vary: run 'hidden 0,2': --hidden: width 0 is out of range",
        ),
    ],
)
def test_bad_sweeps_are_refused_in_one_line(make: object, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        make()  # type: ignore[operator]
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_an_empty_sweep_mixed_datasets_and_twin_cells_are_refused() -> None:
    with pytest.raises(ConfigError, match="this sweep has no runs"):
        Sweep("s", "", (), (), (), ())
    moons, spiral = tiny(), tiny(data=DataConfig("spiral", samples=60))
    with pytest.raises(ConfigError, match="mixes 'moons' and 'spiral'"):
        Sweep("s", "", ("",), ("a", "b"), ((moons, spiral),), (("a", "b"),))
    with pytest.raises(ConfigError, match="cells 'a' and 'b' are the same run"):
        Sweep("s", "", ("",), ("a", "b"), ((moons, moons),), (("a", "b"),))


def test_axis_values_keep_the_users_order_and_types() -> None:
    assert Axis.of("batch_size", ["full", 32]).values == (None, 32)
    assert Axis.of("target_loss", ["none", 0.263]).labels == ("no target", "target 0.263")
    # a logistic regression among networks: named, not "hidden " with nothing after it
    assert Axis.of("hidden", [[8, 2], 0]).labels == ("hidden 8,2", "no hidden layer")
    assert Axis.of("activation", ["relu", ["tanh", "relu"]]).values == (("relu",), ("tanh", "relu"))
    with pytest.raises(ConfigError, match="is not a whole number"):
        Axis.of("epochs", [True, 10])


# --------------------------------------------------------------------------- the file

GOOD = """
name = "act-vs-lr"
description = "ReLU or tanh, three learning rates"
[base]
dataset = "moons"
samples = 60
hidden = [2]
epochs = 15
snapshots = 4
seed = 1
[grid]
rows = { activation = ["relu", "tanh"] }
columns = { lr = [0.1, 0.01, 0.001] }
"""


def test_a_sweep_file_gives_the_same_grid_as_the_lists(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text(GOOD)
    sw = sweep.load(path)
    assert sw.name == "act-vs-lr" and sw.description == "ReLU or tanh, three learning rates"
    base = RunConfig(
        data=DataConfig("moons", samples=60),
        model=ModelConfig(hidden=(2,)),
        train=TrainConfig(epochs=15),
        export=ExportConfig(snapshots=4),
        seed=1,
    )
    same = grid(base, parse_vary("activation=relu,tanh"), parse_vary("lr=0.1,0.01,0.001"))
    assert sw.cells == same.cells and sw.labels == same.labels


ROWS = '{ activation = ["relu", "tanh"] }'
LRS = "[0.1, 0.01, 0.001]"
BAD_FILES = [
    ("[grid]\nrows = {lr = [0.1, 0.2]\n", "sweep.toml is not valid TOML"),
    (GOOD.replace("[base]", "[bsae]"), "key 'bsae': unknown key; did you mean 'base'?"),
    (
        GOOD.replace("samples = 60", "sample = 60"),
        "key 'base.sample': unknown option 'sample'; did you mean 'samples'?",
    ),
    (GOOD.replace("epochs = 15", 'epochs = "many"'), "key 'base.epochs': 'many' is not a whole"),
    (
        GOOD.replace("epochs = 15", "epochs = 0"),
        "key 'base.epochs': --epochs must be between 1 and 100000",
    ),
    (
        GOOD.replace("snapshots = 4", "snapshots = 1"),
        "key 'base.snapshots': 1 snapshot cannot show training over time",
    ),
    (
        GOOD.replace(LRS, "[0.1, 0.01, 0.001, 0.0001, 0.00001]"),
        "a grid of 2 rows × 5 columns does not fit",
    ),
    (GOOD.replace(LRS, "[]"), "key 'grid.columns.lr': no values"),
    (GOOD.replace(LRS, "0.1"), "key 'grid.columns.lr': must be a list of values"),
    (
        GOOD.replace(ROWS, '{ activation = ["relu"], lr = [0.1] }'),
        "key 'grid.rows': must be one option and its values",
    ),
    (GOOD.replace("columns = ", "cols = "), "key 'grid.cols': unknown key; [grid] has rows"),
    (GOOD.split("[grid]")[0], "key 'grid': missing"),
    (GOOD.replace(ROWS, '{ dataset = ["moons", "spiral"] }'), "dataset cannot vary in one grid"),
    (
        GOOD.replace(ROWS, "{ snapshots = [1, 4] }"),
        "key 'grid.rows.snapshots': 1 snapshot cannot show",
    ),
    (
        GOOD.replace(ROWS, '{ activation = ["relu", "softmax"] }'),
        "'softmax' is for output layers only",
    ),
    (
        GOOD.replace('name = "act-vs-lr"', 'name = "../up"'),
        "key 'name': '../up' cannot name a video folder",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_sweep_files_are_refused_naming_the_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        sweep.load(path)
    assert str(err.value).startswith("sweep.toml")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_mistakes_name_the_line_of_their_key(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    for text, start in [
        (GOOD.replace("epochs = 15", 'epochs = "many"'), "sweep.toml:8: key 'base.epochs': "),
        (GOOD.replace(LRS, "[]"), "sweep.toml:13: key 'grid.columns.lr': no values"),
        (GOOD.replace("[base]", "[bsae]"), "sweep.toml:4: key 'bsae': unknown key"),
        (
            GOOD.replace('dataset = "moons"', 'dataset = "bananas"'),
            "sweep.toml:5: key 'base.dataset': unknown dataset 'bananas'",
        ),
    ]:
        path.write_text(text)
        with pytest.raises(ConfigError) as err:
            sweep.load(path)
        assert str(err.value).startswith(start), str(err.value)


def three_classes(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [f"{i % 3 + (i % 5) / 10},{(i * 7) % 11 / 10},{'abc'[i % 3]}" for i in range(30)]
    path.write_text("x,y,label\n" + "\n".join(rows) + "\n")


def test_a_data_file_is_relative_to_the_sweep_file_s_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As in story and jobs files, whatever the current folder (QA: it was the current
    folder's, and the run crashed reading the file)."""
    three_classes(tmp_path / "data" / "Names.csv")
    (tmp_path / "sw").mkdir()
    path = tmp_path / "sw" / "e.toml"
    path.write_text(
        '[base]\ndataset = "../data/Names.csv"\nepochs = 5\n[grid]\nrows = { lr = [0.1, 0.01] }\n'
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd, given in [(tmp_path, Path("sw/e.toml")), (elsewhere, path)]:
        monkeypatch.chdir(cwd)
        sw = sweep.load(given)
        for _, cfg in sw.runs():
            assert Path(cfg.data.name).resolve() == (tmp_path / "data" / "Names.csv").resolve()
        assert sw.description == ""  # none given: the video says what differs
        paths = sweep.cache_paths(sw, tmp_path / "m")  # reads the data file's bytes
        assert [p.name.split("-")[0] for row in paths for p in row] == ["Names", "Names"]


def test_a_missing_data_file_is_one_line_naming_the_sweep_file_line_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_classes(tmp_path / "names.csv")  # beside the current folder, not the sweep file
    (tmp_path / "sw").mkdir()
    (tmp_path / "sw" / "e.toml").write_text(
        'name = "e"\n[base]\nepochs = 5\ndataset = "names.csv"\n'
        "[grid]\nrows = { lr = [0.1, 0.01] }\n"
    )
    (tmp_path / "sw" / "data.csv").mkdir()
    (tmp_path / "sw" / "f.toml").write_text(
        'base.dataset = "data.csv"\n[grid]\nrows = { lr = [0.1, 0.01] }\n'
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as err:
        sweep.load("sw/e.toml")
    assert str(err.value) == (
        "e.toml:4: key 'base.dataset': data file names.csv does not exist (looked for "
        f"{Path('sw/names.csv')}; paths are relative to the sweep file's folder, sw{os.sep})"
    )
    with pytest.raises(ConfigError, match=r"^f.toml:1: key 'base.dataset': data.csv is a folder"):
        sweep.load("sw/f.toml")


def test_a_missing_sweep_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="sweep file .*nope.toml does not exist"):
        sweep.load(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- training


def test_a_sweep_trains_its_configs_in_parallel_and_a_rerun_trains_nothing(tmp_path: Path) -> None:
    sw = grid(tiny(), parse_vary("activation=relu,tanh"), parse_vary("lr=0.1,0.01"))
    seen: list[tuple[str, bool]] = []
    first = sweep.train(sw, tmp_path, workers=2, on_cell=lambda lab, _, t: seen.append((lab, t)))
    assert first.n_trained == 4
    assert sweep.cache_paths(sw, tmp_path) == first.paths  # known before any training
    assert sorted(seen) == sorted((label, True) for label, _ in sw.runs())
    for (label, cfg), path in zip(sw.runs(), [p for row in first.paths for p in row], strict=True):
        traj = trajectory.load(path)  # each cell is exactly its own config, cached by its hash
        assert traj.info.config_hash == cfg.config_hash(), label
        assert dict(traj.info.config) == cfg.to_dict(), label
        assert path.name == f"moons-{cfg.config_hash()}-r{EXPORT_REVISION}.npz"
    stamps = {p: p.stat().st_mtime_ns for row in first.paths for p in row}
    seen.clear()
    again = sweep.train(sw, tmp_path, workers=2, on_cell=lambda lab, _, t: seen.append((lab, t)))
    assert again.n_trained == 0 and again.paths == first.paths
    assert all(not t for _, t in seen) and len(seen) == 4
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # not even rewritten


def test_only_missing_or_broken_cells_are_trained_and_foreign_files_are_kept(
    tmp_path: Path,
) -> None:
    sw = grid(tiny(), columns=parse_vary("seed=0,1,2"))
    done = sweep.train(sw, tmp_path, workers=1)
    a, b, c = done.paths[0]
    a.unlink()
    # b: nnwarp's file (its manifest says so) that no longer loads: an array is missing
    with zipfile.ZipFile(b) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "mesh.npy"}
    with zipfile.ZipFile(b, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    again = sweep.train(sw, tmp_path, workers=2)
    assert again.trained == ((True, True, False),)
    for path, cfg in zip(again.paths[0], sw.cells[0], strict=True):
        assert trajectory.load(path).info.config_hash == cfg.config_hash()
    c.write_bytes(b"somebody's file")  # not nnwarp's: refused before any training
    a.unlink()
    with pytest.raises(OutputError, match="already exists and was not written by nnwarp"):
        sweep.train(sw, tmp_path, workers=2)
    assert not a.exists() and c.read_bytes() == b"somebody's file"


def test_a_failing_cell_is_named_before_any_training(tmp_path: Path) -> None:
    bad = tiny(  # 1,000 meshes of 512 × 512: a 2 GB file, refused when its data is checked
        train=TrainConfig(epochs=2000),
        export=ExportConfig(snapshots=1000, mesh_resolution=512),
    )
    sw = Sweep("s", "", ("",), ("ok", "bad"), ((tiny(), bad),), (("ok", "bad"),))
    with pytest.raises(ConfigError, match="^run 'bad': this network's trajectory file would"):
        sweep.train(sw, tmp_path / "cache", workers=2)
    assert not (tmp_path / "cache").exists()  # nothing was trained


def test_the_limits_agree_with_the_scene_layout() -> None:
    from scenes.compare import layout

    assert (sweep.MAX_CELLS, sweep.MAX_ROWS, sweep.MAX_COLUMNS) == (
        layout.MAX_CELLS,
        layout.MAX_ROWS,
        layout.MAX_COLUMNS,
    )
