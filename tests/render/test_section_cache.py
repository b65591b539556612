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


def cached_opts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scene: str = "warp", **changes: Any
) -> r.RenderOptions:
    """Options of a small render through the section cache, with nnwarp's code version
    (part of every key: a new version renders everything again) held fixed, so that
    nothing but a test's own edits changes between renders."""
    monkeypatch.setattr(parallel, "code_version", lambda: "this version")
    opts = r.RenderOptions(
        scene=scene, resolution=(96, 54), fps=3, output=tmp_path / "a.mp4", progress=False,
        media_dir=tmp_path / "media", cache=True,
    )  # fmt: skip
    return replace(opts, **changes)


def assert_same_frames(a: Path, b: Path) -> None:
    x, y = frames(a), frames(b)
    assert len(x) == len(y) and all(np.array_equal(p, q) for p, q in zip(x, y, strict=True))


def test_an_edited_caption_renders_its_beat_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opts = cached_opts(tmp_path, monkeypatch)
    first = r.render(GOLDEN, opts)
    assert not first.notes  # a cold cache: everything rendered
    cache = tmp_path / "media" / "cache" / "sections"
    entries = sorted(cache.glob("*.mp4"))
    beats = len(entries)
    assert beats >= 12  # one entry per beat

    again = r.render(GOLDEN, replace(opts, output=tmp_path / "b.mp4"))
    assert again.notes == [f"{beats} of {beats} beats unchanged: copied from the cache"]
    assert sorted(cache.glob("*.mp4")) == entries

    # One caption in the middle of "Layer 2": that beat is drawn again, and the next one
    # until that caption has faded out (the rest of it is kept); every other beat comes
    # from the cache.
    edited = r.render(
        GOLDEN, replace(opts, output=tmp_path / "c.mp4"), on_scene=edit("layer-2.bias", "Moved!")
    )
    assert edited.notes == [
        f"{beats - 2} of {beats} beats unchanged: copied from the cache; "
        "1 more drawn only until the caption before it fades out"
    ]
    # ...and the video is what a render without any cache makes of the edited plan.
    plain = r.render(
        GOLDEN,
        replace(opts, output=tmp_path / "d.mp4", cache=False),
        on_scene=edit("layer-2.bias", "Moved!"),
    )
    assert_same_frames(edited.output, plain.output)
    assert frames(first.output) != [] and len(frames(first.output)) == len(frames(plain.output))
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


def _beats(sections_json: Path) -> dict[str, tuple[float, float]]:
    doc = json.loads(sections_json.read_text())
    return {b["id"]: (b["start"], b["end"]) for b in doc["beats"]}


def test_the_beat_after_an_edited_caption_draws_only_its_fade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The beat after an edited caption opens by fading that caption out; the rest of it
    # (its "body") shows nothing of it, so only the fade is drawn again and the body is
    # joined on from the cache: same frames, same times as a render without any cache.
    from scenes.draw.encoding import FastFileWriter

    written: list[int] = []
    write = FastFileWriter.write_frame

    def counting(self: FastFileWriter, pixels: Any, *, repeat: int = 1) -> None:
        written.append(repeat)
        write(self, pixels, repeat=repeat)

    monkeypatch.setattr(FastFileWriter, "write_frame", counting)
    opts = cached_opts(tmp_path, monkeypatch, fps=6, quality="l")
    r.render(GOLDEN, opts)
    written.clear()
    moved = edit("layer-2.bias", "Moved!")
    edited = r.render(GOLDEN, replace(opts, output=tmp_path / "b.mp4"), on_scene=moved)
    assert edited.notes[0].endswith("1 more drawn only until the caption before it fades out")
    drawn = sum(written)
    plain = r.render(GOLDEN, replace(opts, output=tmp_path / "c.mp4", cache=False), on_scene=moved)

    assert_same_frames(edited.output, plain.output)
    times = _beats(tmp_path / "c.sections.json")
    joined = _beats(tmp_path / "b.sections.json")
    assert joined.keys() == times.keys()
    for beat_id, (start, end) in joined.items():  # (the pieces' times are rounded to 1 µs)
        assert (start, end) == pytest.approx(times[beat_id], abs=1e-5)
    assert cues(tmp_path / "b.srt") == cues(tmp_path / "c.srt")
    # Drawn: the edited beat, and of the next one its first frames only.
    fps = 6
    own = round((times["layer-2.bias"][1] - times["layer-2.bias"][0]) * fps)
    nxt = round((times["layer-2.activation"][1] - times["layer-2.activation"][0]) * fps)
    assert own < drawn < own + nxt / 2


def test_a_beat_that_fades_out_no_caption_is_drawn_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The explainer's title card has no caption to fade out: the beat after it puts its own
    # caption up on an empty top. Nothing of that beat is kept when the title changes: it
    # is drawn again whole (its key covers the title's words), and nothing else is.
    opts = cached_opts(tmp_path, monkeypatch, "explainer", quality="l")
    r.render(GOLDEN, opts)
    n = len(_beats(tmp_path / "a.sections.json"))
    retitled = edit("title", "A new title")
    edited = r.render(GOLDEN, replace(opts, output=tmp_path / "b.mp4"), on_scene=retitled)
    assert edited.notes == [f"{n - 2} of {n} beats unchanged: copied from the cache"]
    plain = r.render(
        GOLDEN, replace(opts, output=tmp_path / "c.mp4", cache=False), on_scene=retitled
    )
    assert_same_frames(edited.output, plain.output)


def test_two_edited_captions_in_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two captions edited apart: both beats drawn again, and the first moments of each
    # next beat, shared out among two processes; the joined video is the plain render's.
    opts = cached_opts(tmp_path, monkeypatch, quality="l", jobs=2)
    r.render(GOLDEN, opts)
    n = len(_beats(tmp_path / "a.sections.json"))

    def both(scene: Any) -> None:
        edit("layer-1.linear", "One")(scene)
        edit("layer-2.linear", "Two")(scene)

    edited = r.render(GOLDEN, replace(opts, output=tmp_path / "b.mp4"), on_scene=both)
    assert edited.notes == [
        f"{n - 4} of {n} beats unchanged: copied from the cache; "
        "2 more drawn only until the captions before them fade out"
    ]
    plain = r.render(
        GOLDEN, replace(opts, output=tmp_path / "c.mp4", cache=False, jobs=1), on_scene=both
    )
    assert_same_frames(edited.output, plain.output)


def test_a_deep_network_with_more_animations_than_manim_keeps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Manim deletes all but its newest 100 animation files when a render finishes; a render
    # cut into beats joins them after that, so eight hidden layers (well over 100
    # animations) once failed with "No such file or directory: '<none>'".
    from nnmodel.config import DataConfig, ExportConfig, ModelConfig, RunConfig, TrainConfig
    from nnmodel.pipeline import train_to_file

    cfg = RunConfig(
        data=DataConfig("moons", samples=40),
        model=ModelConfig(hidden=(2,) * 8, activation=("tanh",)),
        train=TrainConfig(epochs=5),
        export=ExportConfig(snapshots=2, grid_lines=3, grid_samples=100, mesh_resolution=8),
    )
    deep = train_to_file(cfg, tmp_path / "deep.npz")
    opts = cached_opts(tmp_path, monkeypatch, scene="explainer")
    done = r.render(deep, opts)
    beats = json.loads((tmp_path / "a.sections.json").read_text())["beats"]
    assert len(beats) > 30 and len(frames(done.output)) == round(3 * done.duration)
    plain = r.render(deep, replace(opts, output=tmp_path / "b.mp4", cache=False))
    assert_same_frames(done.output, plain.output)
