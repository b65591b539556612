"""``--format png`` writes every frame of the video, and a render's stdout is its result."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from nnmodel import trajectory
from scenes.registry import spec
from scenes.render import pipeline as r
from tests.render_helpers import small_render

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
SIZE, FPS = (128, 72), 4


def _options(tmp_path: Path, fmt: str, out: Path | None, jobs: int = 1) -> r.RenderOptions:
    return small_render("warp", tmp_path, SIZE, FPS, fmt=fmt, output=out, jobs=jobs)


def _png_frames(folder: Path) -> list[np.ndarray]:
    names = sorted(p.name for p in folder.glob("*.png"))
    assert names == [f"{i:04d}.png" for i in range(len(names))]  # contiguous, Manim's names
    return [np.asarray(Image.open(folder / name).convert("RGB")) for name in names]


def _video_frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _gap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_png_folder_holds_the_mp4s_frames_one_for_one(tmp_path: Path, jobs: int) -> None:
    """Frames the picture holds still for were saved once: the folder came out shorter
    than the video (the warp: 193 of 221), and frame N of it was a later frame of the
    video. A PNG render never splits into processes (``-j 2`` renders it in one); its
    MP4 with ``-j 2`` is rendered side by side and joined: the same frames either way."""
    folder = tmp_path / "frames"
    r.render(GOLDEN, _options(tmp_path, "png", folder, jobs))
    pngs = _png_frames(folder)
    video = r.render(GOLDEN, _options(tmp_path, "mp4", tmp_path / "v.mp4", jobs)).output
    mp4 = _video_frames(video)
    assert len(pngs) == len(mp4)
    # MP4 is lossy: each frame is within a few levels of its PNG, and where the picture
    # moves from frame i - 1 to i, each of the two is nearer its own than the other.
    gaps = [_gap(png, frame) for png, frame in zip(pngs, mp4, strict=True)]
    assert max(gaps) < 4, max(gaps)
    moves = [i for i in range(1, len(pngs)) if _gap(pngs[i], pngs[i - 1]) > 1]
    assert len(moves) > 20
    for i in moves:
        crossed = (_gap(pngs[i], mp4[i - 1]), _gap(pngs[i - 1], mp4[i]))
        assert gaps[i] < crossed[0] and gaps[i - 1] < crossed[1], (i, gaps[i - 1 : i + 1], crossed)


def test_the_png_folder_is_exactly_the_lossless_video(tmp_path: Path) -> None:
    """Against the lossless video a GIF is made from (same frames as the MP4, RGB, qp 0):
    every PNG equals its frame exactly, so every frame held still is written in full."""
    kwargs = {"trajectory": trajectory.load(GOLDEN)}
    cls = spec("warp").cls
    _, folder, _, _ = r.play(cls, kwargs, _options(tmp_path, "png", None), tmp_path / "png")
    _, lossless, _, _ = r.play(cls, kwargs, _options(tmp_path, "gif", None), tmp_path / "gif")
    pngs, frames = _png_frames(folder), _video_frames(lossless)
    assert len(pngs) == len(frames)
    held = sum(np.array_equal(a, b) for a, b in zip(pngs, pngs[1:], strict=False))
    assert held > 10  # the render holds still, so this checks the repeated frames
    for i, (png, frame) in enumerate(zip(pngs, frames, strict=True)):
        np.testing.assert_array_equal(png, frame, err_msg=f"frame {i}")
    # copies, not hard links: a frame edited in place leaves the others as they were
    assert all(p.stat().st_nlink == 1 for p in folder.glob("*.png"))


def test_a_quiet_webm_render_prints_only_its_result_on_stdout(tmp_path: Path) -> None:
    """Manim's "Output format set as webm, this can be slower" warning reached stdout:
    its config set the format before the verbosity that silences it."""
    out = tmp_path / "clip.webm"
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-r", "96,54", "--fps", "2"]
    args += ["--quiet", "-j", "1", "--voice", "none", "-o", str(out)]
    args += ["--media-dir", str(tmp_path / "media")]
    done = subprocess.run(
        [sys.executable, "-c", "from scenes.entry import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [str(out)], done.stdout
    assert "slower than other formats" not in done.stderr  # not moved there either
