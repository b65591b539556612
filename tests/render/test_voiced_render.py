"""A voiced render: beats last as long as their speech, one AAC track, chapters, faststart."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import av
import pytest
from click.testing import CliRunner

from scenes.cli import main
from scenes.publish.subtitles import Cue
from scenes.render import pipeline as r
from scenes.voice import VoiceConfig, synthesize
from tests.voice.voice_fakes import install_fake, need

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"
FPS = 4
SIZE = (128, 72)


def top_boxes(path: Path) -> list[str]:
    """The MP4's top-level box types, in file order."""
    data, boxes, at = path.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        if size == 1:
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        boxes.append(kind.decode("latin-1"))
        at += size if size else len(data)
    return boxes


def srt_cues(path: Path) -> list[Cue]:
    def seconds(stamp: str) -> float:
        h, m, rest = stamp.split(":")
        s, ms = rest.split(",")
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000

    cues = []
    for block in path.read_text().strip().split("\n\n"):
        lines = block.splitlines()
        start, end = lines[1].split(" --> ")
        cues.append(Cue(seconds(start), seconds(end), "\n".join(lines[2:])))
    return cues


def test_a_voiced_video_follows_its_voice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = install_fake(monkeypatch)
    voice = VoiceConfig(engine="fake", pause=0.5)
    media = tmp_path / "media"
    out = tmp_path / "voiced.mp4"
    opts = r.RenderOptions(
        scene="warp", resolution=SIZE, fps=FPS, output=out, progress=False,
        voice=voice, media_dir=media,
    )  # fmt: skip
    result = r.render(GOLDEN, opts)
    assert result.voice == "fake"
    doc = json.loads(result.timeline.read_text())
    calls = len(fake.calls)
    assert calls == len(doc["beats"])  # every beat spoken once

    # Each beat lasts at least its speech and the pause after it, and its subtitle is the
    # speech: from the beat's start to the end of its words (within a frame).
    cues = srt_cues(out.with_suffix(".srt"))
    assert len(cues) == len(doc["beats"])
    for beat, cue in zip(doc["beats"], cues, strict=True):
        speech = synthesize(beat["narration"], voice, media / "voice")
        assert beat["end"] - beat["start"] >= speech.duration + voice.pause - 1 / FPS
        assert cue.start == pytest.approx(beat["start"], abs=1 / FPS)
        assert cue.end == pytest.approx(beat["start"] + speech.duration, abs=1 / FPS)
        assert cue.text == beat["narration"]
    assert len(fake.calls) == calls  # those were all in the cache

    # One AAC track as long as the picture; the sections as chapters; moov before mdat.
    with av.open(str(out)) as c:
        video = c.streams.video[0]
        (audio,) = c.streams.audio
        assert audio.codec_context.name == "aac"
        v_len = float(video.duration * video.time_base)
        a_len = float(audio.duration * audio.time_base)
        assert a_len == pytest.approx(v_len, abs=0.05)
        assert v_len == pytest.approx(doc["duration"], abs=1 / FPS)
        titles = [ch["metadata"]["title"] for ch in c.chapters()]
        assert c.metadata.get("comment", "").startswith("written by nnwarp")
    assert titles == [s["name"] for s in doc["sections"]]
    boxes = top_boxes(out)
    assert boxes.index("moov") < boxes.index("mdat")

    # A second render speaks nothing new: every line comes from the speech cache.
    r.render(GOLDEN, opts)
    assert len(fake.calls) == calls


def test_a_silent_render_has_no_sound_track(tmp_path: Path) -> None:
    out = tmp_path / "silent.mp4"
    opts = r.RenderOptions(scene="warp", resolution=SIZE, fps=FPS, output=out, progress=False)
    r.render(GOLDEN, opts)
    with av.open(str(out)) as c:
        assert not c.streams.audio


def test_the_cli_speaks_with_a_real_voice_into_a_course(tmp_path: Path) -> None:
    need("espeak")
    course = tmp_path / "course"
    args = [
        "render", "warp", "--trajectory", str(GOLDEN), "-r", "128,72", "--fps", "4",
        "--voice", "espeak", "--course", str(course), "--quiet",
        "--section", "Layer 1", "-o", str(tmp_path / "l1.mp4"),
    ]  # fmt: skip
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    page = (course / "index.html").read_text()
    assert 'src="l1.mp4"' in page and (course / "poster.jpg").stat().st_size > 0
    with av.open(str(course / "l1.mp4")) as c:
        assert [s.codec_context.name for s in c.streams.audio] == ["aac"]
        assert [ch["metadata"]["title"] for ch in c.chapters()] == ["Layer 1"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "x.gif", "--voice", "espeak"], "has no sound"),
        (["-o", "x.gif", "--course", "c"], "--course packages an MP4"),
        (["--title", "T"], "add --course DIR"),
        (["--course", "c", "--poster-beat", "layer-9.linear"], "no such beat"),
        (["--voice", "hibary"], "did you mean 'hibari'"),
    ],
)
def test_voice_and_course_mistakes_are_refused_before_any_work(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-r", "64,36", "--fps", "2"]
    if "-o" not in extra:
        extra = ["-o", "x.mp4", *extra]
    extra = [str(tmp_path / e) if e in ("x.mp4", "x.gif", "c") else e for e in extra]
    res = CliRunner().invoke(main, [*args, *extra])
    assert res.exit_code == 2, res.output  # refused before any work
    assert message in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written
