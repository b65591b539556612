"""Joining rendered parts by stream copy gives exactly the frames of one render of them all."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from scenes.errors import RenderError
from scenes.render import pipeline as r
from scenes.render.join import join_videos, video_seconds

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def part(tmp_path: Path, name: str, sections: list[str], size: tuple[int, int] = (96, 54)) -> Path:
    out = tmp_path / f"{name}.mp4"
    opts = r.RenderOptions(
        scene="warp", resolution=size, fps=3, output=out, progress=False,
        params={"sections": sections},
    )  # fmt: skip
    r.render(GOLDEN, opts)
    return out


def test_joined_sections_are_the_frames_of_one_render(tmp_path: Path) -> None:
    # Layer 2 of the golden network is 3-D: the join holds for a turning 3-D section too.
    a = part(tmp_path, "a", ["Layer 1"])
    b = part(tmp_path, "b", ["Layer 2"])
    both = part(tmp_path, "both", ["Layer 1", "Layer 2"])
    seconds = join_videos([a, b], tmp_path / "joined.mp4")
    assert seconds == pytest.approx(video_seconds(a) + video_seconds(b))
    assert seconds == pytest.approx(video_seconds(both))
    joined, serial = frames(tmp_path / "joined.mp4"), frames(both)
    assert len(joined) == len(serial)
    assert all(np.array_equal(x, y) for x, y in zip(joined, serial, strict=True))


def test_parts_encoded_differently_are_refused(tmp_path: Path) -> None:
    a = part(tmp_path, "a", ["Layer 1"])
    c = part(tmp_path, "c", ["Layer 2"], size=(128, 72))
    with pytest.raises(RenderError, match="encoded differently"):
        join_videos([a, c], tmp_path / "joined.mp4")


def test_a_part_cut_where_an_encoding_starts_gives_the_frames_after_it(tmp_path: Path) -> None:
    # A video made of two encodings (one per section) less the first one's frames is the
    # second, and joins after another part as the second would.
    a = part(tmp_path, "a", ["Layer 1"])
    b = part(tmp_path, "b", ["Layer 2"])
    both = part(tmp_path, "both", ["Layer 1", "Layer 2"])
    cut = len(frames(a))
    seconds = join_videos([a, (both, cut)], tmp_path / "joined.mp4")
    assert seconds == pytest.approx(video_seconds(both))
    joined, serial = frames(tmp_path / "joined.mp4"), frames(both)
    assert len(joined) == len(serial)
    assert all(np.array_equal(x, y) for x, y in zip(joined, serial, strict=True))
    alone = frames(b)
    tail = frames(tmp_path / "joined.mp4")[cut:]
    assert all(np.array_equal(x, y) for x, y in zip(tail, alone, strict=True))
    # Inside an encoding, later frames refer to earlier ones: no cut there.
    with pytest.raises(RenderError, match="cannot be cut after frame 1: no encoding starts"):
        join_videos([(both, 1)], tmp_path / "bad.mp4")
