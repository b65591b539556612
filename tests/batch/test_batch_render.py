"""A real batch on the local pool: tiny renders, one bad job, and a rerun that skips."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from scenes.batch.records import RECORDS_NAME
from scenes.cli.batch import batch
from scenes.render.outputs import is_ours

#: The smallest renders that still make every kind of file: a video with its side files
#: (subtitles, section times), a still, and a job the render refuses.
JOBS = """
[[job]]
scene = "evolution"
trajectory = "t.npz"
quality = "l"
resolution = "160,90"
fps = 5
output = "a.mp4"

[[job]]
scene = "warp"
trajectory = "t.npz"
save-last-frame = true
resolution = [160, 90]
output = "b.png"

[[job]]
scene = "warp"
trajectory = "t.npz"
sample = 3
output = "c.mp4"
"""
VIDEO_FILES = ["a.mp4", "a.sections.json", "a.srt", "a.vtt"]


@dataclass
class Run:
    folder: Path
    code: int
    stdout: str
    stderr: str


def invoke(path: Path, *args: str) -> Run:
    result = CliRunner().invoke(batch, [*args, str(path)])
    return Run(path.parent, result.exit_code, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory, one_layer_traj: Path) -> Run:
    folder = tmp_path_factory.mktemp("course")
    shutil.copy(one_layer_traj, folder / "t.npz")
    (folder / "jobs.toml").write_text(JOBS)
    return invoke(folder / "jobs.toml", "--workers", "2")


def test_the_good_jobs_render_and_the_bad_one_fails_with_its_reason(first: Run) -> None:
    for name in [*VIDEO_FILES, "b.png"]:
        assert is_ours(first.folder / name), name
    assert not (first.folder / "c.mp4").exists()
    assert (
        "failed: " + str(first.folder / "jobs.toml") + " #3 (c.mp4): --sample picks the point "
        "the anatomy follows, not an option of warp" in first.stderr
    )
    assert "Traceback" not in first.stderr
    assert "batch: 2 rendered, 1 failed of 3 jobs" in first.stderr
    assert first.stdout.split() == [str(first.folder / "a.mp4"), str(first.folder / "b.png")]
    assert first.code == 1  # the number of failed jobs


def test_nothing_but_the_results_is_left_beside_them(first: Run) -> None:
    names = sorted(p.name for p in first.folder.iterdir())
    assert names == sorted([*VIDEO_FILES, "b.png", "jobs.toml", "t.npz", RECORDS_NAME])


def test_a_rerun_skips_the_finished_jobs(first: Run) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in first.folder.iterdir()}
    again = invoke(first.folder / "jobs.toml", "--quiet")
    assert "0 rendered, 2 skipped (finished before, unchanged), 1 failed of 3 jobs" in again.stderr
    assert again.code == 1
    after = {p.name: p.stat().st_mtime_ns for p in first.folder.iterdir()}
    assert after == before  # not one file rewritten, not even the records
    assert again.stdout.split() == first.stdout.split()
