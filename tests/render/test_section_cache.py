"""The section cache: a re-render reuses every beat nothing has changed, frames unchanged."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from scenes.narration.text import Line
from scenes.render import parallel
from scenes.render import pipeline as r

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as c:
        return [f.to_ndarray(format="rgb24") for f in c.decode(video=0)]


def cues(srt: Path) -> list[tuple[float, float, str]]:
    """The (start, end, text) of every cue of an SRT file."""

    def seconds(stamp: str) -> float:
        h, m, rest = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(rest.replace(",", "."))

    out = []
    for block in srt.read_text(encoding="utf-8").strip().split("\n\n"):
        _, times, *text = block.splitlines()
        start, end = times.split(" --> ")
        out.append((seconds(start), seconds(end), "\n".join(text)))
    return out


def edit(beat_id: str, caption: str) -> Any:
    """An on_scene hook that changes one beat's caption (as a story's [[beat]] does)."""

    def hook(scene: Any) -> None:
        scene.beats = [
            replace(b, line=Line(caption, b.line.sub)) if b.id == beat_id else b
            for b in scene.beats
        ]

    return hook


def test_an_edited_caption_renders_its_beat_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # nnwarp's code is part of every key (a new version renders everything again); held
    # fixed here, so that nothing but the test's own edits changes between renders.
    monkeypatch.setattr(parallel, "code_version", lambda: "this version")
    opts = r.RenderOptions(
        scene="warp", resolution=(96, 54), fps=3, output=tmp_path / "a.mp4", progress=False,
        media_dir=tmp_path / "media", cache=True,
    )  # fmt: skip
    first = r.render(GOLDEN, opts)
    assert not first.notes  # a cold cache: everything rendered
    cache = tmp_path / "media" / "cache" / "sections"
    entries = sorted(cache.glob("*.mp4"))
    beats = len(entries)
    assert beats >= 12  # one entry per beat

    again = r.render(GOLDEN, replace(opts, output=tmp_path / "b.mp4"))
    assert again.notes == [f"{beats} of {beats} beats unchanged: copied from the cache"]
    assert sorted(cache.glob("*.mp4")) == entries

    # One caption in the middle of "Layer 2": that beat is drawn again, and the next one,
    # whose first frames fade that caption out; every other beat comes from the cache.
    edited = r.render(
        GOLDEN, replace(opts, output=tmp_path / "c.mp4"), on_scene=edit("layer-2.bias", "Moved!")
    )
    assert edited.notes == [f"{beats - 2} of {beats} beats unchanged: copied from the cache"]
    # ...and the video is what a render without any cache makes of the edited plan.
    plain = r.render(
        GOLDEN,
        replace(opts, output=tmp_path / "d.mp4", cache=False),
        on_scene=edit("layer-2.bias", "Moved!"),
    )
    a, b = frames(edited.output), frames(plain.output)
    assert len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert frames(first.output) != [] and len(frames(first.output)) == len(b)
    assert "Moved!" in (tmp_path / "c.srt").read_text()
    # The sections and subtitles of the pieces joined are those of the one-piece render.
    joined_cues, whole_cues = cues(tmp_path / "c.srt"), cues(tmp_path / "d.srt")
    assert [c[2] for c in joined_cues] == [c[2] for c in whole_cues]
    for x, y in zip(joined_cues, whole_cues, strict=True):
        assert x[:2] == pytest.approx(y[:2], abs=0.01)  # (the clocks differ by rounding)
    joined = json.loads((tmp_path / "c.sections.json").read_text())
    whole = json.loads((tmp_path / "d.sections.json").read_text())
    assert [s["name"] for s in joined["sections"]] == [s["name"] for s in whole["sections"]]
    for x, y in zip(joined["sections"], whole["sections"], strict=True):
        assert x["start"] == pytest.approx(y["start"], abs=0.01)
        assert x["end"] == pytest.approx(y["end"], abs=0.01)
    assert [b["caption"] for b in joined["beats"]] == [b["caption"] for b in whole["beats"]]


def test_new_code_renders_everything_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opts = r.RenderOptions(
        scene="warp", resolution=(64, 36), fps=2, output=tmp_path / "a.mp4", progress=False,
        media_dir=tmp_path / "media", cache=True, params={"sections": ["Layer 1"]},
    )  # fmt: skip
    monkeypatch.setattr(parallel, "code_version", lambda: "1")
    r.render(GOLDEN, opts)
    assert r.render(GOLDEN, replace(opts, output=tmp_path / "b.mp4")).notes
    monkeypatch.setattr(parallel, "code_version", lambda: "2")
    assert not r.render(GOLDEN, replace(opts, output=tmp_path / "c.mp4")).notes
