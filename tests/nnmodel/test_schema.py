"""The schema: every key once, the typed manifest, and dispatch on the schema version."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel import schema, trajectory, validation
from nnmodel.errors import TrajectoryError
from nnmodel.schema import TrajectoryInfo

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden.npz"


def _read(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return json.loads(arrays.pop(schema.MANIFEST).tobytes()), arrays


@pytest.fixture(params=["golden", "moons", "wide"])
def stored(request: pytest.FixtureRequest) -> Path:
    if request.param == "golden":
        return GOLDEN
    path: Path = request.getfixturevalue(f"{request.param}_traj")
    return path


def test_the_schema_names_every_array_of_a_file(stored: Path) -> None:
    traj = trajectory.load(stored)
    _, arrays = _read(stored)
    named = set(schema.REQUIRED_ARRAYS) - {schema.MANIFEST}
    for layer in traj.info.layers:
        named |= set(schema.layer_keys(layer.index, layer.projected))
        if traj.info.schema_version >= schema.GRADIENTS_SINCE:
            named |= set(schema.gradient_keys(layer.index))
    assert named == set(arrays)
    assert (traj.info.gradients is not None) == (traj.info.schema_version == 2)


def test_the_typed_manifest_is_the_manifest(stored: Path) -> None:
    traj = trajectory.load(stored)
    manifest, _ = _read(stored)
    info = traj.info
    assert info.to_json() == manifest  # every key and value, nothing lost or added
    assert validation.parse_manifest(info.to_json()) == info
    # golden.npz was written by schema version 1 and stays so; new files are version 2
    assert info.schema_version == (1 if stored == GOLDEN else schema.SCHEMA_VERSION)
    assert info.dataset.name == manifest["dataset"]["name"]
    assert info.class_names == tuple(traj.class_names) and info.n_classes == traj.n_classes
    assert list(info.snapshot_epochs) == [int(e) for e in traj.epochs]
    assert info.final.train_acc == manifest["final"]["train_acc"]
    assert info.metrics.train_acc[info.final.epochs_trained] == info.final.train_acc
    assert info.metrics.as_dict() == traj.metrics
    assert info.mesh.extent == traj.mesh_extent
    g = info.grid
    assert traj.input_grid.shape == (2 * g.lines_per_axis, g.samples, 2)
    assert info.layers == tuple(traj.layers) and info.output_layer.is_output
    assert info.hidden_layers == tuple(traj.hidden_layers)
    assert info.versions.nnwarp and info.versions.numpy and info.versions.python
    assert info.run_config().config_hash(info.dataset.sha256 or "") == info.config_hash
    if info.baseline is not None:
        w, b = info.baseline.arrays()
        assert w.shape == (len(info.baseline.b), 2) and b.shape == w.shape[:1]
    for layer in info.layers:
        assert layer.act.name == layer.activation
    with pytest.raises(AttributeError):
        info.seed = 3  # type: ignore[misc]


def test_writing_the_typed_manifest_gives_the_same_bytes(tmp_path: Path) -> None:
    """The format did not change: golden.npz, re-written from what loads, is byte-identical."""
    traj = trajectory.load(GOLDEN)
    _, arrays = _read(GOLDEN)
    out = trajectory.write(tmp_path / "again.npz", traj.info, arrays)
    assert out.read_bytes() == GOLDEN.read_bytes()


def test_a_trajectory_built_without_its_info_parses_the_manifest() -> None:
    manifest, arrays = _read(GOLDEN)
    traj = trajectory.Trajectory(GOLDEN, arrays, manifest)
    assert traj.info == trajectory.load(GOLDEN).info
    with pytest.raises(TrajectoryError, match="lacks 'layers'"):
        trajectory.Trajectory(GOLDEN, arrays, {k: v for k, v in manifest.items() if k != "layers"})


def _edited(tmp_path: Path, edit: Any) -> Path:
    manifest, arrays = _read(GOLDEN)
    edit(manifest)
    path = tmp_path / "edited.npz"
    path.unlink(missing_ok=True)
    return trajectory.write(path, manifest, arrays)


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda m: m["dataset"].update(n_points=7), "n_points'] is 7, but array inputs holds 120"),
        (lambda m: m["grid"].update(lines_per_axis=3), "array grid has shape (14, 100, 2)"),
        (lambda m: m["grid"].pop("samples"), "grid lacks 'samples'"),
        (lambda m: m["versions"].update(numpy=2), "versions['numpy'] is 2, expected a string"),
        (lambda m: m["final"].update(stopped_early="no"), 'stopped_early\'] is "no"'),
        (lambda m: m.update(unit_swaps=[{"snapshot": 0}]), "unit_swaps[0] lacks 'epoch'"),
        (lambda m: m.update(notes=3), "'notes' is 3, expected a string"),
        (lambda m: m["dataset"].update(source="web"), 'source\'] is "web"'),
    ],
)
def test_every_typed_entry_is_checked(tmp_path: Path, edit: Any, words: str) -> None:
    path = _edited(tmp_path, edit)
    with pytest.raises(TrajectoryError) as info:
        trajectory.load(path)
    message = str(info.value)
    assert words in message and str(path) in message and "\n" not in message


def test_optional_entries_may_be_absent(tmp_path: Path) -> None:
    def drop(m: dict[str, Any]) -> None:
        for key in ("unit_swaps", "notes", "baseline"):
            del m[key]
        del m["versions"]["torch"]
        del m["dataset"]["sha256"]

    info = trajectory.load(_edited(tmp_path, drop)).info
    assert info.unit_swaps == () and info.notes is None and info.baseline is None
    assert info.versions.torch is None and info.dataset.sha256 is None


def test_load_dispatches_on_the_schema_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert set(validation.READERS) == {1, 2} == set(schema.READABLE_VERSIONS)
    assert schema.SCHEMA_VERSION == 2
    path = _edited(tmp_path, lambda m: m.update(schema_version=3))
    with pytest.raises(TrajectoryError, match="schema 3, this nnwarp reads schema 1 or 2.*newer"):
        trajectory.load(path)
    seen: list[int] = []

    def read_v3(p: Path, manifest: dict[str, Any], arrays: dict[str, np.ndarray]) -> TrajectoryInfo:
        seen.append(manifest["schema_version"])
        return validation.read_v1(p, {**manifest, "schema_version": 1}, arrays)

    readers = {**validation.READERS, 3: read_v3}
    monkeypatch.setattr(validation, "READERS", readers)
    assert trajectory.load(path).info.schema_version == 1 and seen == [3]
