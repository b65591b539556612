"""The loader refuses every kind of bad trajectory file with a clear message."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from nnmodel import trajectory
from nnmodel.errors import TrajectoryError


def _rewrite(
    src: Path, dst: Path, *, drop: str | None = None, manifest_edit: dict | None = None
) -> Path:
    with np.load(src) as npz:
        arrays = {k: npz[k] for k in npz.files}
    manifest = json.loads(arrays.pop("manifest").tobytes())
    if manifest_edit:
        manifest.update(manifest_edit)
    if drop:
        arrays.pop(drop)
    return trajectory.write(dst, manifest, arrays)


def test_a_good_file_loads_with_the_documented_api(moons_traj: Path) -> None:
    traj = trajectory.load(moons_traj)
    assert traj.inputs.shape == (120, 2) and traj.labels.shape == (120,)
    ws = traj.weights(-1)
    assert [w.shape for w, _ in ws] == [(2, 2)] * 4 + [(1, 2)]
    kinds = [(s.kind, s.layer) for s in traj.stages(-1)]
    assert kinds[0] == ("input", -1) and kinds[1:3] == [("affine", 0), ("activation", 0)]
    grid = traj.stages(0)[0].grid
    assert grid.ndim == 3 and grid.shape[1] >= 100 and grid.shape[2] == 2
    assert traj.mesh(-1).shape == (16, 16, 2)
    np.testing.assert_allclose(traj.mesh(-1).sum(axis=-1), 1.0, atol=1e-5)
    with pytest.raises(IndexError):
        traj.weights(traj.n_snapshots)
    s = traj.summary()
    for key in (
        "schema_version",
        "dataset",
        "classes",
        "n_points",
        "layers",
        "snapshot_epochs",
        "train_accuracy",
        "test_accuracy",
        "train_loss",
        "test_loss",
        "seed",
        "config_hash",
    ):
        assert key in s
    with np.load(moons_traj, allow_pickle=False) as npz:  # no pickles anywhere
        assert "manifest" in npz.files and "W0" in npz.files
        for key in npz.files:  # reading an object (pickled) array here would raise
            assert npz[key].dtype.kind in "biuf", f"{key} has dtype {npz[key].dtype}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TrajectoryError, match="does not exist"):
        trajectory.load(tmp_path / "nope.npz")


def test_truncated_file(moons_traj: Path, tmp_path: Path) -> None:
    bad = tmp_path / "cut.npz"
    bad.write_bytes(moons_traj.read_bytes()[: moons_traj.stat().st_size // 2])
    with pytest.raises(TrajectoryError, match="truncated or corrupt"):
        trajectory.load(bad)


def test_not_a_trajectory(tmp_path: Path) -> None:
    plain = tmp_path / "plain.npz"
    np.savez(plain, X=np.zeros((3, 2)))
    with pytest.raises(TrajectoryError, match="no manifest"):
        trajectory.load(plain)
    text = tmp_path / "text.npz"
    text.write_text("hello")
    with pytest.raises(TrajectoryError, match="not a readable"):
        trajectory.load(text)


@pytest.mark.parametrize(("version", "word"), [(99, "newer"), (0, "older")])
def test_other_schema_versions(moons_traj: Path, tmp_path: Path, version: int, word: str) -> None:
    path = _rewrite(moons_traj, tmp_path / "v.npz", manifest_edit={"schema_version": version})
    with pytest.raises(TrajectoryError, match=f"schema {version}.*{word}"):
        trajectory.load(path)


def test_missing_array_or_manifest_key(moons_traj: Path, tmp_path: Path) -> None:
    with pytest.raises(TrajectoryError, match="gz2"):
        trajectory.load(_rewrite(moons_traj, tmp_path / "a.npz", drop="gz2"))
    path = _rewrite(moons_traj, tmp_path / "b.npz")
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(np.lib.format.read_array(zf.open("manifest.npy")).tobytes())
    del manifest["layers"]
    with np.load(path) as npz:
        arrays = {k: npz[k] for k in npz.files if k != "manifest"}
    trajectory.write(path, manifest, arrays)
    with pytest.raises(TrajectoryError, match="lacks layers"):
        trajectory.load(path)


def test_write_is_atomic_and_never_leaves_a_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "t.npz"
    out.write_bytes(b"previous good file")
    with pytest.raises(TrajectoryError):
        trajectory.write(out, {"format": "x"}, {"bad": np.array([object()], dtype=object)})
    assert out.read_bytes() == b"previous good file"
    assert [p.name for p in tmp_path.iterdir()] == ["t.npz"]


def test_snapshot_for_epoch_picks_the_nearest(moons_traj: Path) -> None:
    traj = trajectory.load(moons_traj)
    epochs = [int(e) for e in traj.epochs]
    for i, e in enumerate(epochs):
        assert traj.snapshot_for_epoch(e) == i
    assert traj.snapshot_for_epoch(10**6) == len(epochs) - 1
    assert traj.snapshot_for_epoch(-5) == 0
    a, b = epochs[-2], epochs[-1]
    assert traj.snapshot_for_epoch(b - (b - a) // 4) == len(epochs) - 1


def test_written_files_have_ordinary_permissions(moons_traj: Path) -> None:
    import os

    umask = os.umask(0)
    os.umask(umask)
    assert moons_traj.stat().st_mode & 0o777 == 0o666 & ~umask
