"""Helpers of the comparison tests: the runs of the story grid, a one-snapshot file."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from nnmodel import schema as S
from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig


def relu_run(seed: int, target: float | None = None) -> RunConfig:
    """A 2-2-1 ReLU net on 80 sandwich points at lr 0.1: some seeds lose units for good."""
    return RunConfig(
        data=DataConfig("sandwich", samples=80, noise=0.5),
        model=ModelConfig(hidden=(2,), activation=("relu",)),
        train=TrainConfig(
            lr=0.1, epochs=40, weight_decay=0.0, test_fraction=0.0, target_loss=target
        ),
        export=ExportConfig(snapshots=8, grid_lines=3, grid_samples=100, mesh_resolution=8),
        seed=seed,
    )


#: Four runs whose stories are known (measured): "stops" reaches its target loss 0.3 before
#: epoch 40; "dies" loses a unit for good at its 4th snapshot; "recovers" loses one at its
#: 3rd and 4th snapshots and gets it back (no badge: it does not stay); "collapses" loses
#: both units at its 4th snapshot and its hidden layer collapses.
RUNS = {
    "stops": relu_run(0, 0.3),
    "dies": relu_run(5),
    "recovers": relu_run(7),
    "collapses": relu_run(3),
}


def first_snapshot_only(src: Path, dst: Path) -> Path:
    """A copy of the trajectory ``src`` that keeps only its first snapshot (as an old or
    hand-made file might)."""
    with zipfile.ZipFile(src) as zf:
        arrays = {
            name[: -len(".npy")]: np.load(io.BytesIO(zf.read(name)), allow_pickle=False)
            for name in zf.namelist()
        }
    manifest = json.loads(arrays[S.MANIFEST].tobytes().decode("utf-8"))
    layers = len(manifest[S.Key.LAYERS])
    per_snapshot = {S.EPOCHS, S.MESH}
    for i in range(layers):
        per_snapshot |= {S.weight_key(i), S.bias_key(i)}
        for which in (S.AFFINE, S.ACTIVATED):
            per_snapshot |= {S.points_key(i, which), S.grid_lines_key(i, which)}
        per_snapshot |= {f"dW{i}", f"db{i}", f"dz{i}"}
    for name in per_snapshot & set(arrays):
        arrays[name] = arrays[name][:1]
    manifest[S.Key.SNAPSHOT_EPOCHS] = manifest[S.Key.SNAPSHOT_EPOCHS][:1]
    manifest[S.Key.UNIT_SWAPS] = [
        s for s in manifest.get(S.Key.UNIT_SWAPS, []) if not s["snapshot"]
    ]
    blob = json.dumps(manifest, sort_keys=True).encode("utf-8")
    arrays[S.MANIFEST] = np.frombuffer(blob, dtype=np.uint8)
    np.savez(dst, **arrays)
    return dst
