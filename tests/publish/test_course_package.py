"""The course package: an MP4 a browser streams (H.264 copied, AAC fitted, moov first,
chapters), subtitles and chapters that match the timeline, a poster of the chosen beat, a
transcript, a page whose links resolve, and a folder that is never half written or foreign.
"""

from __future__ import annotations

import html.parser
import json
import math
import re
import struct
import wave
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import av
import numpy as np
import pytest

from nnmodel.errors import OutputError
from scenes.core.timeline import Beat
from scenes.errors import RenderError
from scenes.narration.text import Line
from scenes.publish import course as course_module
from scenes.publish.course import COURSE_MARKER, CoursePackage, write_course
from scenes.publish.sections import timeline_document
from scenes.publish.subtitles import Cue

FPS = 10
WIDTH, HEIGHT = 160, 96
SECONDS = 3.0
#: The audio track may differ from the video by this much (the issue's tolerance).
AV_SLACK = 0.05
#: Times in the subtitle and chapter files are written to the millisecond.
MS = 1e-3
TITLE = 'Moons <untangled> & "explained"'

#: (id, section, start, end, spoken words) of the test video's beats.
BEATS = [
    ("title", "Introduction", 0.0, 1.0, "Moons & more: can x < 1 separate them?"),
    ("layer-1.linear", "Layer 1", 1.0, 1.6, "Layer 1 turns the plane 35 degrees."),
    ("layer-1.activation", "Layer 1", 1.6, 2.2, "Layer 1, tanh: the grid bends."),
    ("end", "The end", 2.2, 3.0, "Each layer bends the space a little."),
]
CUES = [Cue(start, end, words) for _, _, start, end, words in BEATS]


# ----------------------------------------------------------------------------- inputs


def gray(i: int) -> int:
    """The grey level of frame ``i`` of the test video (each frame differs by 7)."""
    return 20 + 7 * i


def make_video(path: Path, codec: str = "libx264", seconds: float = SECONDS) -> Path:
    """A small H.264 yuv420p MP4 like Manim's (x264 defaults, B-frames), one grey per frame."""
    with av.open(str(path), "w") as out:
        stream: Any = out.add_stream(codec, rate=FPS)
        stream.width, stream.height, stream.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        for i in range(round(seconds * FPS)):
            pixels = np.full((HEIGHT, WIDTH, 3), gray(i), np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def make_wav(path: Path, seconds: float, rate: int = 22_050, channels: int = 1) -> Path:
    """A 440 Hz tone at half scale, 16-bit PCM."""
    t = np.arange(round(seconds * rate)) / rate
    tone = (0.5 * 32767 * np.sin(2 * math.pi * 440 * t)).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.repeat(tone[:, None], channels, axis=1).tobytes())
    return path


def timeline() -> dict[str, Any]:
    """The timeline document, made by the same code as a render's ``NAME.sections.json``."""
    beats = [Beat(b, s, Line(w.split(":")[0], narration=w), e - st) for b, s, st, e, w in BEATS]
    return timeline_document(beats, [(b, st, e) for b, _, st, e, _ in BEATS])


def write(video: Path, out: Path, *, audio: Path | None = None, **kwargs: Any) -> CoursePackage:
    return write_course(video, timeline(), CUES, out, title=TITLE, audio=audio, **kwargs)


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("src") / "explainer.mp4")


@pytest.fixture(scope="module")
def package(video: Path, tmp_path_factory: pytest.TempPathFactory) -> CoursePackage:
    """A package with a voice shorter than the video (its end is padded with silence)."""
    folder = tmp_path_factory.mktemp("course")
    voice = make_wav(folder / "voice.wav", 1.7)
    return write(video, folder / "course", audio=voice)


# ----------------------------------------------------------------------------- readers


def top_level_boxes(path: Path) -> list[str]:
    """The types of the MP4's top-level boxes, in file order."""
    data, boxes, i = path.read_bytes(), [], 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i : i + 8])
        if size == 1:
            (size,) = struct.unpack(">Q", data[i + 8 : i + 16])
        elif size == 0:
            size = len(data) - i
        assert size >= 8, f"corrupt box at {i}"
        boxes.append(kind.decode("latin-1"))
        i += size
    assert i == len(data), "the boxes do not tile the file"
    return boxes


def seconds(stamp: str) -> float:
    h, m, rest = stamp.split(":")
    s, ms = re.split(r"[,.]", rest)
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


_TIMING = re.compile(r"^(\d\d:\d\d:\d\d[.,]\d{3}) --> (\d\d:\d\d:\d\d[.,]\d{3})$")


def parse_cues(text: str) -> list[Cue]:
    """The cues of a WebVTT or SRT file (identifiers, numbers and NOTE blocks skipped)."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        timing = [i for i, line in enumerate(lines) if _TIMING.match(line)]
        if timing:
            start, end = _TIMING.match(lines[timing[0]]).groups()  # type: ignore[union-attr]
            out.append(Cue(seconds(start), seconds(end), "\n".join(lines[timing[0] + 1 :])))
    return out


def stream_seconds(stream: Any) -> float:
    return float(stream.duration * stream.time_base)


class Links(html.parser.HTMLParser):
    """Every tag with its attributes, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def page_tags(path: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tags


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ----------------------------------------------------------------------------- the MP4


def test_moov_comes_before_mdat(package: CoursePackage) -> None:
    boxes = top_level_boxes(package.video)
    assert boxes[0] == "ftyp"
    assert boxes.index("moov") < boxes.index("mdat")


def test_one_h264_stream_copied_and_one_aac_stream(package: CoursePackage, video: Path) -> None:
    with av.open(str(package.video)) as out, av.open(str(video)) as src:
        assert [s.codec_context.name for s in out.streams.video] == ["h264"]
        assert [s.codec_context.name for s in out.streams.audio] == ["aac"]
        # Anything else is the QuickTime chapter track: data, never shown (disposition 0).
        others = [s for s in out.streams if s.type not in ("video", "audio")]
        assert [(s.type, s.disposition) for s in others] == [("data", 0)]
        copied = [bytes(p) for p in out.demux(out.streams.video[0]) if p.size]
        original = [bytes(p) for p in src.demux(src.streams.video[0]) if p.size]
    assert copied == original, "the video must be copied, not re-encoded"


@pytest.mark.parametrize(
    ("voice_seconds", "rate", "channels"),
    [(None, 0, 0), (1.7, 22_050, 1), (5.0, 44_100, 2)],
    ids=["silence", "short voice padded", "long stereo voice cut"],
)
def test_audio_lasts_as_long_as_the_video(
    video: Path, tmp_path: Path, voice_seconds: float | None, rate: int, channels: int
) -> None:
    voice = None
    if voice_seconds is not None:
        voice = make_wav(tmp_path / "voice.wav", voice_seconds, rate, channels)
    pkg = write(video, tmp_path / "course", audio=voice)
    with av.open(str(pkg.video)) as out:
        v, a = out.streams.video[0], out.streams.audio[0]
        assert abs(stream_seconds(a) - stream_seconds(v)) <= AV_SLACK
        assert a.codec_context.channels == (channels or 1)
        samples = np.concatenate([f.to_ndarray().mean(axis=0) for f in out.decode(a)]).astype(
            np.float64
        )
    rate_out = a.codec_context.sample_rate
    assert abs(len(samples) / rate_out - SECONDS) <= AV_SLACK

    def rms(t0: float, t1: float) -> float:
        return float(np.sqrt(np.mean(samples[int(t0 * rate_out) : int(t1 * rate_out)] ** 2)))

    tone = 0.5 / math.sqrt(2)
    if voice_seconds is None:
        assert rms(0, SECONDS) < 1e-3
    else:
        assert rms(0.1, 1.5) == pytest.approx(tone, rel=0.1)  # the voice, from the start
    if voice_seconds == 1.7:
        assert rms(1.9, SECONDS) < 1e-3  # padded with silence
    if voice_seconds == 5.0:
        assert rms(2.0, 2.9) == pytest.approx(tone, rel=0.1)  # cut at the end, not before


def test_chapters_in_the_mp4_are_the_sections(package: CoursePackage) -> None:
    with av.open(str(package.video)) as out:
        chapters: list[Any] = out.chapters()
        marks = [
            (
                float(c["start"] * c["time_base"]),
                float(c["end"] * c["time_base"]),
                c["metadata"]["title"],
            )
            for c in chapters
        ]
    sections = [(s["start"], s["end"], s["name"]) for s in timeline()["sections"]]
    assert marks == sections
    assert [m[2] for m in marks] == ["Introduction", "Layer 1", "The end"]


def test_mp4_is_marked_as_nnwarps_and_titled(package: CoursePackage) -> None:
    with av.open(str(package.video)) as out:
        tags = out.metadata
    assert tags["comment"].startswith("written by nnwarp")
    assert tags["title"] == TITLE


# ----------------------------------------------------------------------------- texts


def test_chapters_vtt_matches_the_timeline(package: CoursePackage) -> None:
    text = package.chapters.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    got = parse_cues(text)
    want = [Cue(s["start"], s["end"], s["name"]) for s in timeline()["sections"]]
    assert [c.text for c in got] == [c.text for c in want]
    for g, w in zip(got, want, strict=True):
        assert g.start == pytest.approx(w.start, abs=MS) and g.end == pytest.approx(w.end, abs=MS)


def test_subtitle_cue_times_match_the_cues(package: CoursePackage) -> None:
    vtt = package.subtitles.read_text(encoding="utf-8")
    srt = package.srt.read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    for parsed in (parse_cues(vtt), parse_cues(srt)):
        assert len(parsed) == len(CUES)
        for got, cue in zip(parsed, CUES, strict=True):
            assert got.start == pytest.approx(cue.start, abs=MS)
            assert got.end == pytest.approx(cue.end, abs=MS)
    # WebVTT would read "<" as the start of a tag and "&" as an entity: they are escaped.
    assert parse_cues(vtt)[0].text == "Moons &amp; more: can x &lt; 1 separate them?"
    assert parse_cues(srt)[0].text == CUES[0].text


def test_transcript_has_the_title_sections_and_words_with_times(
    package: CoursePackage,
) -> None:
    text = package.transcript.read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln]
    assert lines[0] == '# Moons \\<untangled\\> & "explained"'
    headings = [ln for ln in lines if ln.startswith("## ")]
    assert headings == [
        "## Introduction (0:00–0:01)",
        "## Layer 1 (0:01–0:02)",
        "## The end (0:02–0:03)",
    ]
    after = lines.index("## Layer 1 (0:01–0:02)")
    assert lines[after + 1 : after + 3] == [
        "**0:01** Layer 1 turns the plane 35 degrees.",
        "**0:01** Layer 1, tanh: the grid bends.",
    ]


# ----------------------------------------------------------------------------- poster


def decoded_grays(video: Path) -> list[tuple[float, float]]:
    """(time, mean grey) of every frame of ``video``."""
    with av.open(str(video)) as src:
        return [(f.time, float(f.to_ndarray(format="gray").mean())) for f in src.decode(video=0)]


def poster_gray(pkg: CoursePackage) -> float:
    from PIL import Image

    with Image.open(pkg.poster) as img:
        assert img.format == "JPEG" and img.size == (WIDTH, HEIGHT)
        return float(np.asarray(img.convert("L")).mean())


def shown_at(frames: list[tuple[float, float]], t: float) -> float:
    return [g for time, g in frames if time <= t + 1e-9][-1]


def test_default_poster_is_the_end_of_the_first_section_after_the_introduction(
    package: CoursePackage, video: Path
) -> None:
    assert package.poster_beat == "layer-1.activation"
    assert package.poster_time == pytest.approx(1.6 + 0.9 * 0.6)
    frames = decoded_grays(video)
    assert poster_gray(package) == pytest.approx(shown_at(frames, package.poster_time), abs=2)


def test_poster_beat_chooses_the_frame(video: Path, tmp_path: Path) -> None:
    pkg = write(video, tmp_path / "course", poster_beat="end")
    assert pkg.poster_time == pytest.approx(2.2 + 0.9 * 0.8)
    assert poster_gray(pkg) == pytest.approx(shown_at(decoded_grays(video), 2.92), abs=2)


def test_unknown_poster_beat_is_refused_before_writing(video: Path, tmp_path: Path) -> None:
    with pytest.raises(
        RenderError, match=r"'layer-1\.activaton'.*did you mean 'layer-1\.activation'"
    ):
        write(video, tmp_path / "course", poster_beat="layer-1.activaton")
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- the page


def test_page_has_video_tracks_and_chapter_links_that_resolve(package: CoursePackage) -> None:
    tags = page_tags(package.page)
    (video,) = [a for t, a in tags if t == "video"]
    assert "controls" in video and video["preload"] == "metadata"
    assert video["poster"] == "poster.jpg"
    (source,) = [a for t, a in tags if t == "source"]
    assert (source["src"], source["type"]) == ("explainer.mp4", "video/mp4")
    tracks = {a["kind"]: a for t, a in tags if t == "track"}
    assert set(tracks) == {"subtitles", "chapters"}
    assert tracks["subtitles"]["src"] == "explainer.vtt" and "default" in tracks["subtitles"]
    assert tracks["subtitles"]["srclang"] == "en"
    assert tracks["chapters"]["src"] == "chapters.vtt"

    references = [
        value
        for _, attrs in tags
        for key, value in attrs.items()
        if key in ("src", "href", "poster") and value
    ]
    assert references
    for ref in references:
        parts = urlsplit(ref)
        assert not parts.scheme and not parts.netloc, f"{ref}: the page must load nothing else"
        assert (package.folder / unquote(parts.path)).is_file(), ref

    starts = [float(a["data-start"] or "nan") for t, a in tags if t == "a" and "data-start" in a]
    sections = [s["start"] for s in timeline()["sections"]]
    assert starts[: len(sections)] == sections  # the chapter links, then the transcript's


def test_page_escapes_the_text(package: CoursePackage) -> None:
    page = package.page.read_text(encoding="utf-8")
    assert "<untangled>" not in page
    assert "<title>Moons &lt;untangled&gt; &amp; &quot;explained&quot;</title>" in page
    assert "Moons &amp; more: can x &lt; 1 separate them?" in page


# ----------------------------------------------------------------------------- the folder


def test_package_holds_exactly_its_files_and_the_mark(package: CoursePackage) -> None:
    names = {p.name for p in package.folder.iterdir()}
    assert names == {p.name for p in package.files()} | {COURSE_MARKER}
    mark = json.loads((package.folder / COURSE_MARKER).read_text(encoding="utf-8"))
    assert mark["written_by"].startswith("written by nnwarp")
    assert set(mark["files"]) == {p.name for p in package.files()}


def test_folder_of_other_files_is_refused_and_left_untouched(video: Path, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "index.html").write_text("my own page")
    before = snapshot(folder)
    with pytest.raises(OutputError, match="files nnwarp did not write"):
        write(video, folder)
    assert snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["course"]


def test_a_file_in_place_of_the_folder_is_refused(video: Path, tmp_path: Path) -> None:
    (tmp_path / "course").write_text("notes")
    with pytest.raises(OutputError, match="not a folder"):
        write(video, tmp_path / "course")
    assert (tmp_path / "course").read_text() == "notes"


def test_empty_folder_and_earlier_package_are_written(video: Path, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    folder.mkdir()
    write(video, folder)
    first = snapshot(folder)
    write(video, folder, poster_beat="end")
    second = snapshot(folder)
    assert first["poster.jpg"] != second["poster.jpg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]  # no temporaries left


@pytest.mark.parametrize("change", ["edit", "add"])
def test_changed_earlier_package_is_refused(video: Path, tmp_path: Path, change: str) -> None:
    folder = tmp_path / "course"
    write(video, folder)
    if change == "edit":
        (folder / "index.html").write_text("the teacher's own page", encoding="utf-8")
    else:
        (folder / "notes.txt").write_text("my notes", encoding="utf-8")
    before = snapshot(folder)
    with pytest.raises(OutputError, match="nnwarp"):
        write(video, folder, poster_beat="end")
    assert snapshot(folder) == before


@pytest.mark.parametrize("earlier", [False, True], ids=["new folder", "earlier package"])
def test_interrupted_write_leaves_no_half_package(
    video: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, earlier: bool
) -> None:
    folder = tmp_path / "course"
    if earlier:
        write(video, folder)
    before = snapshot(folder) if earlier else None

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt  # Ctrl-C after the MP4, subtitles and poster were written

    monkeypatch.setattr(course_module, "transcript_markdown", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write(video, folder, poster_beat="end")
    assert [p.name for p in tmp_path.iterdir()] == (["course"] if earlier else [])
    if earlier:
        assert snapshot(folder) == before


def test_video_that_is_not_h264_is_refused(tmp_path: Path) -> None:
    other = make_video(tmp_path / "clip.mp4", codec="mpeg4")
    with pytest.raises(RenderError, match="not H.264"):
        write(other, tmp_path / "course")
    assert not (tmp_path / "course").exists()


def test_timeline_of_another_video_is_refused(tmp_path: Path) -> None:
    short = make_video(tmp_path / "short.mp4", seconds=1.0)
    with pytest.raises(RenderError, match="not of the same render"):
        write(short, tmp_path / "course")
    assert not (tmp_path / "course").exists()


@pytest.mark.parametrize("inside", [True, False])
def test_a_course_folder_that_cannot_be_written_is_refused_before_training(
    tmp_path: Path, inside: bool
) -> None:
    # -o inside the package's folder (the package replaces that folder), or a folder of
    # the user's own files: one line before anything is trained, nothing written
    from click.testing import CliRunner

    from scenes.cli import main

    folder = tmp_path / "course"
    folder.mkdir()
    if not inside:
        (folder / "holiday.jpg").write_bytes(b"mine")
    media = tmp_path / "media"
    out = folder / "v.mp4" if inside else tmp_path / "v.mp4"
    args = ["render", "warp", "--seed", "99", "--epochs", "5", "-r", "64,36", "--fps", "2"]
    args += ["--voice", "none", "--media-dir", str(media), "--course", str(folder)]
    result = CliRunner().invoke(main, [*args, "-o", str(out), "--quiet"])
    assert result.exit_code == 2  # refused before any work
    (line,) = [x for x in result.output.splitlines() if x.startswith("Error:")]
    assert ("inside the --course folder" if inside else "files nnwarp did not write") in line
    assert not (media / "trajectories").exists() or not any((media / "trajectories").iterdir())
    assert sorted(p.name for p in folder.iterdir()) == ([] if inside else ["holiday.jpg"])
    assert not out.exists()
