"""The ``nnwarp`` command line, as a user types it (click's CliRunner)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from nnmodel import __version__
from scenes.cli import main


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version_and_list(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output
    result = runner.invoke(main, ["list"])
    assert result.exit_code == 0
    for word in ("explainer", "warp", "moons", "spiral", "rings", "sandwich", "tanh", "softplus"):
        assert word in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["render", "-q", "z"], "'z' is not one of 'l', 'm', 'h', 'p', 'k'"),
        (["render", "--format", "avi"], "'avi' is not one of 'mp4', 'webm', 'gif', 'mov', 'png'"),
        (["render", "-d", "bananas"], "neither a built-in dataset (moons, circles"),
        (["train", "-d", "bananas", "-o", "x.npz"], "neither a built-in dataset"),
        (["render", "-d", "missing.csv"], "data file missing.csv does not exist"),
    ],
)
def test_bad_choices_are_usage_errors_listing_the_valid_ones(
    runner: CliRunner, args: list[str], expected: str
) -> None:
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert expected in result.output


def test_an_unknown_scene_names_the_known_ones(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", "wrap"])
    assert result.exit_code == 2
    from scenes import registry

    known = ", ".join(registry.names())
    assert f"unknown scene 'wrap'; did you mean 'warp'? choose from {known}" in result.output
    assert "explainer" in known and "warp" in known


def test_odd_resolution_is_refused_before_rendering(
    runner: CliRunner, one_layer_traj: Path
) -> None:
    result = runner.invoke(main, ["render", "--trajectory", str(one_layer_traj), "-r", "853,480"])
    assert result.exit_code == 2
    assert "odd side" in result.output and "-r 854,480" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p, "does not exist"),
        (lambda p: (p.write_bytes(b"PK\x03\x04garbage"), p)[1], "not a readable trajectory"),
    ],
)
def test_bad_trajectory_is_one_clear_line(
    runner: CliRunner, tmp_path: Path, make: Callable[[Path], Path], expected: str
) -> None:
    path = make(tmp_path / "t.npz")
    for args in (["inspect", str(path)], ["render", "--trajectory", str(path)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2
        assert expected in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_bad_training_options_say_what_to_do(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["train", "--activation", "swish", "-o", str(tmp_path / "t.npz")])
    assert result.exit_code == 2 and "unknown activation 'swish'" in result.output
    result = runner.invoke(main, ["train", "--hidden", "8,x", "-o", str(tmp_path / "t.npz")])
    assert result.exit_code == 2 and "--hidden 8,8,2" in result.output


def test_train_then_inspect(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "moons.npz"
    args = [
        "train",
        "--samples",
        "80",
        "--hidden",
        "4,2",
        "--epochs",
        "60",
        "--snapshots",
        "5",
        "-q",
        "-o",
        str(out),
    ]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "train accuracy" in result.output and result.output.strip().endswith(str(out))
    result = runner.invoke(main, ["inspect", str(out), "--json"])
    assert result.exit_code == 0
    summary = json.loads(result.output)
    assert summary["n_points"] == 80 and summary["dataset"] == "moons"
    assert summary["layers"] == ["2→4 tanh (projected)", "4→2 tanh", "2→1 sigmoid"]
    assert summary["seed"] == 0 and len(summary["config_hash"]) == 16
    text = runner.invoke(main, ["inspect", str(out)]).output
    assert "schema_version" in text and "config_hash" in text


def test_train_reads_a_csv_with_string_labels(runner: CliRunner, tmp_path: Path) -> None:
    csv = tmp_path / "pts.csv"
    rows = ["x,y,label"] + [
        f"{i % 7 / 7:.3f},{i % 5 / 5:.3f},{'cat' if i % 2 else 'dog'}" for i in range(40)
    ]
    csv.write_text("\n".join(rows) + "\n")
    out = tmp_path / "t.npz"
    result = runner.invoke(main, ["train", "-d", str(csv), "--epochs", "5", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(runner.invoke(main, ["inspect", str(out), "--json"]).output)
    assert summary["classes"] == ["cat", "dog"]


def test_an_unexpected_error_is_one_line_and_its_traceback_is_saved(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from nnmodel import trajectory

    def broken(path: object) -> None:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(trajectory, "load", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    result = runner.invoke(main, ["inspect", "t.npz"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert "unexpected error (RuntimeError: a bug deep inside)" in lines[0]
    saved = list(tmp_path.glob("nnwarp-error-*.txt"))
    assert len(saved) == 1 and str(saved[0]) in lines[0]
    assert "raise RuntimeError" in saved[0].read_text()
    debug = runner.invoke(main, ["--debug", "inspect", "t.npz"])
    assert isinstance(debug.exception, RuntimeError)  # --debug lets the traceback through


def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    """`nnwarp inspect f.npz | head -1`: no error line, no traceback, exit 141 (SIGPIPE)."""
    import os
    import subprocess
    import sys

    golden = Path(__file__).parent / "data" / "golden.npz"
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "scenes.cli", "inspect", str(golden)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert done.returncode == 141
    assert done.stderr == ""


def test_evolution_options_belong_to_the_evolution(runner: CliRunner, tmp_path: Path) -> None:
    golden = Path(__file__).parent / "data" / "golden.npz"
    wrong = runner.invoke(main, ["render", "warp", "--trajectory", str(golden), "--time", "log"])
    assert wrong.exit_code != 0
    assert "--time is an option of the evolution scene" in wrong.output
    bad = runner.invoke(
        main, ["render", "evolution", "--trajectory", str(golden), "--duration", "1"]
    )
    assert bad.exit_code != 0 and "--duration" in bad.output and "600" in bad.output
    out = tmp_path / "evo.png"
    args = ["render", "evolution", "--trajectory", str(golden), "-s", "-r", "128,72"]
    ok = runner.invoke(main, [*args, "--time", "linear", "--duration", "8", "-o", str(out)])
    assert ok.exit_code == 0, ok.output
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_evolution_trains_enough_snapshots_to_run_smoothly() -> None:
    from scenes.cli.rendering import evolution_snapshots

    assert evolution_snapshots(1000, None, None) == 162  # 150, and room for the jumps
    assert evolution_snapshots(1000, "linear", None) == 300  # capped; frames between interpolate
    assert evolution_snapshots(0, None, None) >= 2  # bad counts are left to the config's message


def test_sample_is_the_anatomys_and_is_checked_before_work(
    runner: CliRunner, tmp_path: Path
) -> None:
    golden = Path(__file__).parent / "data" / "golden.npz"
    wrong = runner.invoke(main, ["render", "warp", "--trajectory", str(golden), "--sample", "3"])
    assert wrong.exit_code != 0 and "--sample picks the point the anatomy follows" in wrong.output
    out = tmp_path / "a.mp4"
    far = runner.invoke(
        main,
        ["render", "anatomy", "--trajectory", str(golden), "--sample", "99999", "-o", str(out)],
    )
    assert far.exit_code != 0 and "--sample 99999 is out of range" in far.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_quiet_training_still_notes_the_data_and_inspect_signs_the_shift(
    runner: CliRunner, tmp_path: Path
) -> None:
    """``train -q`` hid the data checks (a class of 10 % of the points, here); ``inspect``
    wrote a negative mean as ``x − -3.2``."""
    csv = tmp_path / "few.csv"
    rows = ["x,y,label"] + [
        f"{-3 - i % 7 / 7:.3f},{i % 5 / 5:.3f},{'rare' if i % 10 == 0 else 'common'}"
        for i in range(200)
    ]
    csv.write_text("\n".join(rows) + "\n")
    out = tmp_path / "t.npz"
    result = runner.invoke(main, ["train", "-d", str(csv), "--epochs", "5", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "note: " in result.output and "rare" in result.output
    text = runner.invoke(main, ["inspect", str(out)]).output
    assert "x + 3.4" in text and "− -" not in text


def test_an_output_that_is_a_folder_is_named_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    result = runner.invoke(main, ["render", "warp", "-ql", "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "is a folder; give a file name for the video" in result.output


def test_ctrl_c_while_the_command_line_loads_stops_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ``nnwarp`` script's first half second is imports: Ctrl-C there printed a
    ``KeyboardInterrupt`` traceback from inside one."""
    import importlib

    from scenes import entry

    def interrupted(name: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(importlib, "import_module", interrupted)
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130
    assert capsys.readouterr().err.strip() == "interrupted: no output was written or changed"


def test_quiet_prints_only_the_result(runner: CliRunner, tmp_path: Path) -> None:
    """--quiet: no progress and no notes about a cached network, only what was written."""
    args = ["render", "warp", "--samples", "40", "--epochs", "5", "-r", "64,36", "--fps", "2"]
    args += ["--voice", "none", "-j", "1", "--media-dir", str(tmp_path / "m")]
    first = runner.invoke(main, [*args, "-o", str(tmp_path / "a.mp4"), "--quiet"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(main, [*args, "-o", str(tmp_path / "b.mp4"), "--quiet"])
    assert again.exit_code == 0 and "using cached trajectory" not in again.output
    assert str(tmp_path / "b.mp4") in again.output
    told = runner.invoke(main, [*args, "-o", str(tmp_path / "c.mp4")])
    assert "using cached trajectory" in told.output  # without --quiet it is said


# ------------------------------------------------------------- environment variables


GOLDEN = Path(__file__).parent / "data" / "golden.npz"


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Error:")]


@pytest.mark.parametrize(
    ("var", "value", "takes"),
    [
        ("NNWARP_JOBS", "abc", "takes a whole number of processes, 1 or more"),
        ("NNWARP_JOBS", "0", "takes a whole number of processes, 1 or more"),
        ("NNWARP_CACHE", "maybe", "takes 1 to reuse sections rendered before or 0 not to"),
        ("NNWARP_VOICE", "robot", "takes a voice engine, hibari, espeak"),
    ],
)
def test_a_bad_environment_variable_is_named_with_the_values_it_takes(
    runner: CliRunner, tmp_path: Path, var: str, value: str, takes: str
) -> None:
    """`NNWARP_JOBS=abc nnwarp render -ql` blamed -j, which nobody typed."""
    args = ["render", "-ql", "--media-dir", str(tmp_path / "m")]
    result = runner.invoke(main, args, env={var: value})
    assert result.exit_code == 2, result.output
    (line,) = _error_lines(result.output)
    assert line.startswith(f"Error: the environment variable {var} is {value!r}: it sets "), line
    assert takes in line and "change it or unset it" in line
    assert "'-j'" not in line and "'--cache'" not in line
    assert len(result.output.strip().splitlines()) == 1  # no usage lines: nothing was typed
    assert not (tmp_path / "m").exists()  # refused before training


def test_a_typed_option_wins_over_a_bad_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import click

    from scenes.cli.rendering import render

    monkeypatch.setenv("NNWARP_JOBS", "abc")
    with render.make_context("render", ["-j", "2"]) as ctx:
        assert ctx.params["jobs"] == 2
    with pytest.raises(click.BadParameter) as typed:  # typed, the flag is to blame
        render.make_context("render", ["-j", "0"])
    assert typed.value.format_message() == (
        "Invalid value for '-j' / '--jobs': 0 processes cannot render anything; give 1 or "
        "more (1: no other process)"
    )


def test_a_voice_from_the_environment_is_a_default_not_a_demand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """NNWARP_VOICE=espeak set for MP4s does not refuse a GIF or a still (--voice typed
    still does: the user asked for a voice where there is no sound)."""
    import click

    from scenes.cli.rendering import render, voice_for

    monkeypatch.setenv("NNWARP_VOICE", "espeak")
    with render.make_context("render", []) as ctx:
        assert voice_for(ctx, ctx.params["voice_engine"], "gif", False) is None
        assert voice_for(ctx, ctx.params["voice_engine"], "png", True) is None
        config = voice_for(ctx, ctx.params["voice_engine"], "mp4", False)
        assert config is not None and config.engine == "espeak"
    with (
        render.make_context("render", ["--voice", "espeak"]) as ctx,
        pytest.raises(click.UsageError, match="a GIF has no sound"),
    ):
        voice_for(ctx, ctx.params["voice_engine"], "gif", False)


# ------------------------------------------------------------- exit statuses


def _user_files(tmp_path: Path) -> None:
    (tmp_path / "mine.mp4").write_bytes(b"the user's own video")
    (tmp_path / "clips.mp4").mkdir()
    (tmp_path / "notes.txt").write_text("the user's notes")
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "holiday.jpg").write_bytes(b"the user's photo")


@pytest.mark.parametrize(
    ("name", "extra", "words"),
    [
        ("an existing file nnwarp did not write", ["-o", "mine.mp4"], "not written by nnwarp"),
        ("a missing folder", ["-o", "out/x.mp4"], "the folder out does not exist"),
        ("a folder where a file goes", ["-o", "clips.mp4"], "is a folder"),
        ("a file where a folder goes", ["-o", "notes.txt/x.mp4"], "is a file, not a folder"),
        ("a course folder holding other files", ["--course", "course"], "did not write"),
        ("a folder that cannot hold files", ["-o", "x.mp4"], "cannot create files in the"),
        ("a suffix nnwarp does not write", ["-o", "x.avi"], "has the suffix .avi"),
        ("a broken input", ["--trajectory", "notes.txt"], "not a readable trajectory"),
    ],
)
def test_every_refusal_before_work_exits_2(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    extra: list[str],
    words: str,
) -> None:
    """click's convention, one status for all refusals: 2 (they exited 1 or 2 by kind)."""
    import errno
    from types import SimpleNamespace

    from nnmodel import fileio, pipeline
    from scenes.render import pipeline as r

    def started(*args: object, **kwargs: object) -> None:
        raise AssertionError("work started before the refusal")

    monkeypatch.setattr(pipeline, "train", started)
    monkeypatch.setattr(r, "work_dir", started)
    if name == "a folder that cannot hold files":  # a read-only mount, as root sees it

        def refused(*args: object, **kwargs: object) -> tuple[int, str]:
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(fileio, "tempfile", SimpleNamespace(mkstemp=refused))
    _user_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    trajectory = [] if "--trajectory" in extra else ["--trajectory", str(GOLDEN)]
    args = ["render", "warp", *trajectory, "-r", "64,36", "--fps", "2", "--voice", "none"]
    result = runner.invoke(main, [*args, *extra])
    assert result.exit_code == 2, result.output
    (line,) = _error_lines(result.output)
    assert words in line


def test_a_failure_during_the_work_exits_1(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nnmodel import pipeline
    from nnmodel.errors import TrainingError
    from scenes.errors import RenderError
    from scenes.render import pipeline as r

    def broken_encoder(*args: object, **kwargs: object) -> None:
        raise RenderError("the encoder broke")

    monkeypatch.setattr(r, "play", broken_encoder)
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-r", "64,36", "--fps", "2"]
    args += ["--voice", "none", "-j", "1", "--no-cache", "-o", str(tmp_path / "a.mp4")]
    result = runner.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert _error_lines(result.output) == ["Error: the encoder broke"]

    def diverged(*args: object, **kwargs: object) -> None:
        raise TrainingError("the loss diverged")

    monkeypatch.setattr(pipeline, "train", diverged)
    result = runner.invoke(main, ["train", "--samples", "40", "-o", str(tmp_path / "t.npz")])
    assert result.exit_code == 1, result.output
    assert _error_lines(result.output) == ["Error: the loss diverged"]
    # the same command refused before training, in the same process: 2 again
    result = runner.invoke(main, ["train", "--samples", "3", "-o", str(tmp_path / "t.npz")])
    assert result.exit_code == 2, result.output


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    "output", ["/proc/x.mp4", "/sys/nnwarp-no-such-folder/x.mp4", "/sys/x.mp4"]
)
def test_an_output_on_a_special_file_system_is_refused_before_work(
    runner: CliRunner, output: str
) -> None:
    """Root may write anywhere, by the permission bits: /proc failed as an 'unexpected
    error' after the render (and /sys/foo was told to `mkdir -p /sys/foo`)."""
    import os

    folder = "/proc" if output.startswith("/proc") else "/sys"
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-r", "64,36", "--fps", "2"]
    result = runner.invoke(main, [*args, "--voice", "none", "-o", output])
    assert result.exit_code == 2, result.output
    (line,) = _error_lines(result.output)
    assert "unexpected" not in line and "mkdir" not in line
    if os.geteuid() == 0:
        assert f"nnwarp cannot create files in the folder {folder} (" in line
        assert line.endswith("a read-only or special file system?); choose another folder")
    else:
        assert f"the folder {folder} is read-only for you" in line
