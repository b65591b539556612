"""--watch: one render, then one more after each change of a watched file, errors survived."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

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


def test_a_watched_story_keeps_the_options_typed(tmp_path: Path, monkeypatch: Any) -> None:
    """Every render of a watch takes the command line's options, not only the first."""
    import scenes.cli.watch as watching
    import scenes.render.story as stories

    story = tmp_path / "s.toml"
    story.write_text('scenes = ["warp"]\n[train]\nepochs = 5\n', encoding="utf-8")
    seen: list[tuple[Path, Path | None, bool, int]] = []

    def fake_render(s, trajectory, opts):  # type: ignore[no-untyped-def]
        seen.append((opts.media_dir, opts.output, opts.progress, opts.jobs))
        raise click.ClickException("stop here")

    def twice(files, run, **_: object) -> int:  # type: ignore[no-untyped-def]
        for _round in range(2):
            with contextlib.suppress(click.ClickException):
                run()
        return 2

    monkeypatch.setattr(stories, "render_story", fake_render)
    monkeypatch.setattr(watching, "watch", twice)
    media, out = tmp_path / "m", tmp_path / "o.mp4"
    args = ["render", str(story), "--watch", "--media-dir", str(media), "-o", str(out)]
    result = CliRunner().invoke(main, [*args, "--quiet", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert seen == [(media, out, False, 1)] * 2


def test_a_story_saved_with_a_mistake_does_not_end_the_watch(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """The story's own error (not a click one) is printed, and the watch waits for a fix."""
    import scenes.cli.watch as watching

    story = tmp_path / "s.toml"
    story.write_text("scenes = [\n", encoding="utf-8")  # saved half-typed
    real = watching.watch
    polls = {"n": 0}

    def sleep(_: float) -> None:
        polls["n"] += 1
        if polls["n"] == 2:  # saved again, still wrong
            story.write_text('scenes = ["warp"]\n[[beat]]\nid = "dat"\n', encoding="utf-8")
            os.utime(story, ns=(1, 1))

    def two_rounds(files, run, **_: object) -> int:  # type: ignore[no-untyped-def]
        return real(files, run, rounds=2, sleep=sleep)

    monkeypatch.setattr(watching, "watch", two_rounds)
    args = ["render", str(story), "--watch", "--media-dir", str(tmp_path / "m")]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "o.mp4"), "--quiet"])
    assert result.exit_code == 0, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 2 and "s.toml" in errors[0] and "s.toml" in errors[1]
    assert "watching s.toml" in result.output
