"""Output safety: marks, atomic placement, SIGTERM and SIGKILL mid-render, litter cleaned."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nnmodel import fileio
from nnmodel.errors import OutputError
from scenes.render import outputs
from scenes.render import pipeline as r
from scenes.render.outputs import is_ours

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def _age(path: Path, seconds: float = 3600) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_clean_stale_removes_only_dead_temporaries_of_ours(tmp_path: Path) -> None:
    dead_part = tmp_path / ".clip.mp4.abc123.nnwarp-part"
    dead_part.write_bytes(b"half")
    dead_work = tmp_path / ".nnwarp-work-dead"
    dead_work.mkdir()
    (dead_work / ".lock").touch()
    (dead_work / "frame.png").write_bytes(b"x")
    live_work = tmp_path / ".nnwarp-work-live"
    live_work.mkdir()
    live_fd = os.open(live_work / ".lock", os.O_CREAT | os.O_RDWR)
    fcntl.flock(live_fd, fcntl.LOCK_EX)
    young_part = tmp_path / ".new.npz.x.nnwarp-part"
    young_part.write_bytes(b"just created")
    users = [tmp_path / ".hidden.nnwarp-part.bak", tmp_path / ".render-old", tmp_path / "a.part"]
    users[0].write_text("not ours: wrong suffix")
    users[1].mkdir()
    users[2].write_text("not ours")
    no_lock = tmp_path / ".nnwarp-work-nolock"  # without a lock file it is not ours to judge
    no_lock.mkdir()
    for p in [dead_part, dead_work, dead_work / ".lock", live_work, no_lock, *users]:
        _age(p)
    try:
        removed = fileio.clean_stale(tmp_path)
    finally:
        os.close(live_fd)
    assert sorted(p.name for p in removed) == sorted([dead_part.name, dead_work.name])
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([live_work.name, young_part.name, no_lock.name, *(u.name for u in users)])


def test_atomic_file_leaves_nothing_on_failure_and_refuses_a_file_that_appeared(
    tmp_path: Path,
) -> None:
    dst = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), fileio.atomic_file(dst) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []
    with (
        pytest.raises(OutputError, match="appeared"),
        fileio.atomic_file(dst, still_ours=lambda p: False) as tmp,
    ):
        tmp.write_text("new")
        dst.write_text("the user's, written meanwhile")
    assert dst.read_text() == "the user's, written meanwhile"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_every_format_is_recognised_as_ours_and_other_files_are_not(tmp_path: Path) -> None:
    for fmt in ("mp4", "webm", "gif", "mov"):
        out = tmp_path / f"a.{fmt}"
        r.render(
            GOLDEN,
            r.RenderOptions(
                scene="warp", resolution=(64, 36), fps=1, fmt=fmt, output=out, progress=False
            ),
        )
        assert outputs.is_ours(out), fmt
        foreign = tmp_path / f"b.{fmt}"
        foreign.write_bytes(out.read_bytes()[:64])  # a look-alike without the mark
        assert not outputs.is_ours(foreign), fmt
    assert outputs.is_ours(tmp_path / "a.srt") and outputs.is_ours(tmp_path / "a.vtt")
    still = tmp_path / "s.png"
    r.render(
        GOLDEN,
        r.RenderOptions(
            scene="warp",
            resolution=(64, 36),
            save_last_frame=True,
            fmt="png",
            output=still,
            progress=False,
        ),
    )
    assert outputs.is_ours(still)
    from PIL import Image

    Image.new("RGB", (4, 4)).save(tmp_path / "mine.png")
    assert not outputs.is_ours(tmp_path / "mine.png")
    # hand-edited subtitles are the user's now
    vtt = tmp_path / "a.vtt"
    vtt.write_text(vtt.read_text().replace("The data", "My data"))
    assert not outputs.is_ours(vtt)
    # ...and the refusal says it may be nnwarp's file, edited, not only someone else's
    again = r.RenderOptions(scene="warp", resolution=(64, 36), output=tmp_path / "a.mp4")
    with pytest.raises(OutputError, match=r"a\.vtt already exists .*\(or was edited since\)"):
        r.check_outputs(again, "a", "Warp")


def test_a_frame_folder_is_replaced_only_while_it_holds_only_our_frames(tmp_path: Path) -> None:
    folder = tmp_path / "frames"
    opts = r.RenderOptions(
        scene="warp", resolution=(64, 36), fps=1, fmt="png", output=folder, progress=False
    )
    r.render(GOLDEN, opts)
    frames = sorted(p.name for p in folder.iterdir())
    assert outputs.FRAMES_MARKER in frames and "0000.png" in frames
    r.render(GOLDEN, opts)  # ours: replaced
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(OutputError, match="did not write"):
        r.render(GOLDEN, opts)
    assert (folder / "notes.txt").read_text() == "mine"


def _render_cmd(out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scenes.cli",
        "render",
        "warp",
        "--trajectory",
        str(GOLDEN),
        "-r",
        "320,180",
        "--fps",
        "15",
        "-o",
        str(out),
    ]


def _wait_for_work(folder: Path, proc: subprocess.Popen[bytes], timeout: float = 120) -> Path:
    """Wait until the render's working folder holds a partial movie (drawing has begun)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for work in folder.glob(".nnwarp-work-*"):
            if any(work.rglob("*.mp4")):
                return work
        assert proc.poll() is None, "the render ended before it could be interrupted"
        time.sleep(0.1)
    raise AssertionError("the render never started drawing")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_keep_the_previous_video_and_leave_no_litter(
    tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "clip.mp4"
    r.render(
        GOLDEN,
        r.RenderOptions(scene="warp", resolution=(64, 36), fps=1, output=out, progress=False),
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    proc = subprocess.Popen(_render_cmd(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _wait_for_work(tmp_path, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code, err
    assert b"Traceback" not in err and b"interrupted" in err
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_litter_of_a_killed_render_is_removed_by_the_next_one(tmp_path: Path) -> None:
    out = tmp_path / "clip.mp4"
    proc = subprocess.Popen(_render_cmd(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    work = _wait_for_work(tmp_path, proc)
    proc.send_signal(signal.SIGKILL)  # no chance to clean up
    proc.communicate(timeout=60)
    assert work.exists() and not out.exists()
    for p in [work, *work.rglob("*")]:
        _age(p)  # as if the kill happened a while ago
    r.render(
        GOLDEN,
        r.RenderOptions(scene="warp", resolution=(64, 36), fps=1, output=out, progress=False),
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "clip.mp4",
        "clip.sections.json",
        "clip.srt",
        "clip.vtt",
    ]


# ----------------------------------------------------------------------------- writability


@pytest.fixture
def read_only_mount(monkeypatch: pytest.MonkeyPatch) -> None:
    """Creating a file fails as on a file system mounted read-only, though the permission
    bits allow it (as root finds /proc and /sys)."""
    import errno
    import tempfile
    from types import SimpleNamespace

    def refused(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(
        fileio, "tempfile", SimpleNamespace(mkstemp=refused, mkdtemp=tempfile.mkdtemp)
    )


def test_a_folder_that_cannot_hold_files_is_refused_though_its_bits_allow_it(
    tmp_path: Path, read_only_mount: None
) -> None:
    frames = tmp_path / "frames"
    frames.mkdir()
    media = tmp_path / "media" / "v" / "a.mp4"  # nnwarp's to create: its nearest folder
    checks: dict[str, Callable[[], None]] = {
        "the folder {tmp}": lambda: fileio.check_file_target(tmp_path / "a.mp4", "-o", is_ours),
        "the folder {tmp} ": lambda: fileio.check_file_target(media, "-m", is_ours, create=True),
        "-o {tmp}/frames: nnwarp cannot create files in it": lambda: fileio.check_dir_target(
            frames, "-o", outputs.FRAMES_MARKER, outputs.is_frame_name, "frames"
        ),
    }
    for words, check in checks.items():
        with pytest.raises(OutputError) as refused:
            check()
        assert words.format(tmp=tmp_path).strip() in str(refused.value)
        assert "(Read-only file system: a read-only or special file system?)" in str(refused.value)


def test_a_missing_folder_under_one_that_cannot_hold_files_is_not_sent_to_mkdir(
    tmp_path: Path, read_only_mount: None
) -> None:
    with pytest.raises(OutputError) as refused:
        fileio.check_file_target(tmp_path / "out" / "a.mp4", "-o", outputs.is_ours)
    assert str(refused.value) == (
        f"-o {tmp_path / 'out' / 'a.mp4'}: the folder {tmp_path / 'out'} does not exist, and "
        f"nnwarp cannot create files in the folder {tmp_path} (Read-only file system: a "
        "read-only or special file system?); choose another folder"
    )


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_proc_is_refused_and_the_probe_leaves_nothing_behind(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="/proc"):
        fileio.check_file_target(Path("/proc/x.mp4"), "-o", outputs.is_ours)
    (tmp_path / "mine.txt").write_text("the user's")
    before = sorted(os.listdir(tmp_path))
    fileio.check_file_target(tmp_path / "a.mp4", "-o", outputs.is_ours)
    assert sorted(os.listdir(tmp_path)) == before


def test_work_begins_in_a_work_folder_and_not_in_a_scratch_folder(tmp_path: Path) -> None:
    """What tells a command's refusal (exit 2) from its failure (exit 1)."""
    outside = fileio.work_begun()
    with fileio.command_phase():
        assert not fileio.work_begun()
        with fileio.work_dir(tmp_path, begins_work=False):
            pass
        assert not fileio.work_begun()
        # a command inside another (--watch runs renders): its own phase
        with fileio.command_phase(), fileio.work_dir(tmp_path):
            assert fileio.work_begun()
        assert not fileio.work_begun()
        fileio.begin_work()
        assert fileio.work_begun()
    assert fileio.work_begun() == outside
