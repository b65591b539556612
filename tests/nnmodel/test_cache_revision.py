"""A cached trajectory is keyed by the exporter's revision: one an older exporter wrote
(other snapshots kept, other arrays) is trained again, never shown as if it were new."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnmodel import export, pipeline
from nnmodel.config import TrainConfig
from tests.conftest import small_config


def test_a_new_exporter_revision_trains_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = small_config(train=TrainConfig(epochs=20))
    path, trained = pipeline.ensure_trajectory(cfg, tmp_path)
    assert trained and path.name.endswith(f"-r{export.EXPORT_REVISION}.npz")
    again, trained = pipeline.ensure_trajectory(cfg, tmp_path)
    assert again == path and not trained  # the same exporter: reused
    monkeypatch.setattr(export, "EXPORT_REVISION", export.EXPORT_REVISION + 1)
    newer, trained = pipeline.ensure_trajectory(cfg, tmp_path)
    assert trained and newer != path and path.exists()  # the old file is left as it was
