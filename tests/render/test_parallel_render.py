"""-j N: sections rendered in N processes decode to the frames of a one-process render."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from click.testing import CliRunner

from scenes.cli import main
from scenes.render import pipeline as r
from scenes.voice import VoiceConfig
from tests.voice.voice_fakes import install_fake

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"  # layer 2 is 3-D: it turns


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def test_two_processes_make_the_same_video_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install_fake(monkeypatch)
    one = r.RenderOptions(
        scene="warp", resolution=(96, 54), fps=3, output=tmp_path / "one.mp4", progress=False,
        voice=VoiceConfig(engine="fake"), media_dir=tmp_path / "media",
    )  # fmt: skip
    two = replace(one, output=tmp_path / "two.mp4", jobs=2)
    r.render(GOLDEN, one)
    spoken = len(fake.calls)
    result = r.render(GOLDEN, two)
    assert len(fake.calls) == spoken  # the parent speaks, from the cache; workers are silent
    a, b = frames(tmp_path / "one.mp4"), frames(tmp_path / "two.mp4")
    assert len(a) == len(b)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    doc_a = json.loads((tmp_path / "one.sections.json").read_text())
    doc_b = json.loads(result.timeline.read_text())
    assert [s["name"] for s in doc_a["sections"]] == [s["name"] for s in doc_b["sections"]]
    for x, y in zip(doc_a["beats"], doc_b["beats"], strict=True):
        assert x["id"] == y["id"] and y["start"] == pytest.approx(x["start"], abs=1 / 3)
    with av.open(str(tmp_path / "two.mp4")) as c:
        (audio,) = c.streams.audio
        video = c.streams.video[0]
        assert float(audio.duration * audio.time_base) == pytest.approx(
            float(video.duration * video.time_base), abs=0.05
        )
    srt_a = (tmp_path / "one.srt").read_text().count("-->")
    assert srt_a == (tmp_path / "two.srt").read_text().count("-->") == len(doc_a["beats"])


def test_zero_processes_are_refused(tmp_path: Path) -> None:
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-j", "0", "-o", str(tmp_path / "x.mp4")]
    res = CliRunner().invoke(main, args)
    assert res.exit_code != 0 and "give 1 or more" in res.output
    assert list(tmp_path.iterdir()) == []


def assert_runs_make_the_whole_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scene: str, runs: Any, cache: bool = False
) -> None:
    """``scene`` rendered whole, then in the runs of beats ``runs(beats)`` (with ``-j 2``;
    with ``cache``, the section cache on: every beat its own piece), decodes to the same
    frames, to the bit."""
    from scenes.render import parallel

    cutter = "balanced" if cache else "split_beats"
    monkeypatch.setattr(parallel, cutter, lambda beats, jobs, fps, *_: runs(beats))
    whole = r.RenderOptions(
        scene=scene, resolution=(192, 108), fps=3, output=tmp_path / "whole.mp4",
        progress=False, media_dir=tmp_path / "media", cache=False,
    )  # fmt: skip
    r.render(GOLDEN, whole)
    cut = r.render(GOLDEN, replace(whole, output=tmp_path / "cut.mp4", jobs=2, cache=cache))
    a, b = frames(tmp_path / "whole.mp4"), frames(cut.output)
    assert len(a) == len(b)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        assert np.array_equal(x, y), f"frame {i}"


def test_a_run_starting_at_a_caption_swap_shows_what_the_whole_video_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The evolution's training beat swaps its caption while the training plays; a -j run
    that starts after it, having played it without drawing, shows the caption the whole
    video shows there and leaves none behind (which was ~200 levels off)."""

    def after_training(beats: Any) -> list[list[str]]:
        ids = [b.id for b in beats]
        cut = ids.index("training") + 1
        return [ids[:cut], ids[cut:]]

    assert_runs_make_the_whole_video(tmp_path, monkeypatch, "evolution", after_training)


@pytest.mark.parametrize("scene", ["warp", "evolution"])
def test_every_beat_drawn_apart_makes_the_whole_video(
    scene: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each beat rendered by itself (in processes forked from one that has built its text
    and drawn the whole video already), joined, decodes to the whole video's frames: a
    beat's frames depend on nothing but the plan, wherever a run starts."""
    assert_runs_make_the_whole_video(
        tmp_path, monkeypatch, scene, lambda beats: [[b.id] for b in beats]
    )


def test_runs_of_beats_that_are_not_neighbours_make_the_whole_video(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the section cache every beat is its own piece, so a process may draw beats
    that are not neighbours (:func:`balanced`): here every other beat, in two processes,
    joined in the plan's order, decodes to the whole video's frames."""
    assert_runs_make_the_whole_video(
        tmp_path,
        monkeypatch,
        "warp",
        lambda beats: [[b.id for b in beats[k::2]] for k in range(2)],
        cache=True,
    )
