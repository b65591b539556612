"""--watch: one render, then one more after each change of a watched file, errors survived."""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.testing import CliRunner

from scenes.cli import main
from scenes.cli.watch import watch

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def test_a_saved_file_renders_again_and_an_error_does_not_stop_the_watch(tmp_path: Path) -> None:
    story = tmp_path / "s.toml"
    story.write_text("one")
    runs: list[str] = []
    polls = {"n": 0}

    def run() -> None:
        runs.append(story.read_text())
        if story.read_text() == "broken":
            raise click.ClickException("s.toml:1: something is wrong")

    def sleep(_: float) -> None:  # the user saves between polls
        polls["n"] += 1
        if polls["n"] == 2:
            story.write_text("broken")
            os.utime(story, ns=(1, 1))
        elif polls["n"] == 6:
            story.write_text("fixed")
            os.utime(story, ns=(2, 2))

    assert watch(lambda: [story], run, rounds=3, sleep=sleep) == 3
    assert runs == ["one", "broken", "fixed"]


def test_nothing_changes_nothing_renders(tmp_path: Path) -> None:
    f = tmp_path / "t.npz"
    f.write_text("x")
    runs: list[int] = []
    calls = {"n": 0}

    def sleep(_: float) -> None:
        calls["n"] += 1
        if calls["n"] > 20:
            raise KeyboardInterrupt  # Ctrl-C ends the watch quietly

    assert watch(lambda: [f], lambda: runs.append(1), sleep=sleep) == 1
    assert runs == [1]


def test_watch_needs_a_file_to_watch(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["render", "warp", "--watch", "-o", str(tmp_path / "x.mp4")])
    assert res.exit_code != 0 and "this render reads none" in res.output
