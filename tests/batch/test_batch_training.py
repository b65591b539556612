"""A batch trains each network its jobs would train once, and gives every job its file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenes.batch.jobs import load_jobs
from scenes.batch.run import _place_trained
from scenes.cli.batch import batch
from tests.batch.training_fakes import install_fake_training

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # 2 → 2 → 3 → 1

#: Two renders of one small network (hidden layer of 3: Layer 1 lifts the plane to 3-D).
JOBS = """
[[job]]
scene = "warp"
hidden = "3"
epochs = 5
samples = 60
resolution = "96,54"
fps = 2
section = "Layer 1"
output = "a.mp4"

[[job]]
scene = "warp"
hidden = "3"
epochs = 5
samples = 60
color-by = "position"
resolution = "96,54"
fps = 2
section = "Layer 1"
output = "b.mp4"
"""


def test_one_network_is_trained_once_for_all_its_jobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainings = install_fake_training(monkeypatch)
    (tmp_path / "jobs.toml").write_text(JOBS)
    result = CliRunner().invoke(batch, [str(tmp_path / "jobs.toml")])
    assert result.exit_code == 0, result.output
    assert len(trainings) == 1
    assert trainings[0].parent == tmp_path / "media" / "trajectories"
    assert "training the network of 2 jobs (once)" in result.stderr
    for name in ("a", "b"):
        beats = json.loads((tmp_path / f"{name}.sections.json").read_text())["beats"]
        linear = next(b for b in beats if b["id"] == "layer-1.linear")
        assert "3-D" not in linear["subcaption"], "the job trained its own network"


def test_jobs_that_read_a_trajectory_or_differ_train_apart(tmp_path: Path) -> None:
    shutil.copy(GOLDEN, tmp_path / "t.npz")
    (tmp_path / "jobs.toml").write_text(
        JOBS
        + '\n[[job]]\nscene = "warp"\ntrajectory = "t.npz"\noutput = "c.mp4"\n'
        + '\n[[job]]\nscene = "evolution"\nhidden = "3"\nepochs = 5\nsamples = 60\n'
        + 'output = "d.mp4"\n'
    )
    a, b, c, d = load_jobs([tmp_path / "jobs.toml"])
    assert a.training is not None and a.training == b.training
    assert c.training is None  # it reads its network
    assert d.training is not None and d.training != a.training  # more snapshots, its clock's


def test_a_trained_file_reaches_a_job_linked_or_shipped(tmp_path: Path) -> None:
    cache = tmp_path / "job" / "media" / "trajectories"
    _place_trained("n.npz", str(GOLDEN), cache)
    assert (cache / "n.npz").read_bytes() == GOLDEN.read_bytes()
    _place_trained("m.npz", b"shipped", cache)
    assert (cache / "m.npz").read_bytes() == b"shipped"


STORY = """
scenes = ["explainer"]
[train]
hidden = [3]
epochs = 5
samples = 60
[voice]
engine = "none"
"""


def test_a_story_and_a_job_of_one_network_share_its_training(tmp_path: Path) -> None:
    (tmp_path / "lesson.toml").write_text(STORY)
    (tmp_path / "jobs.toml").write_text(JOBS)
    story, job, _ = load_jobs([tmp_path / "lesson.toml", tmp_path / "jobs.toml"])
    assert story.training is not None and story.training == job.training
    own_story = 'scenes = ["explainer"]\ntrajectory = "t.npz"\n[voice]\nengine = "none"\n'
    (tmp_path / "own.toml").write_text(own_story)
    shutil.copy(GOLDEN, tmp_path / "t.npz")
    (own,) = load_jobs([tmp_path / "own.toml"])
    assert own.training is None  # it reads its network
