"""A course package: a folder a teacher drops into Moodle, Canvas or any web server.

``write_course`` makes, from a rendered MP4, its timeline (``NAME.sections.json``) and its
subtitle cues, a folder holding

- ``NAME.mp4``: the H.264 video copied as is, with an AAC track (the voice, or silence),
  ``moov`` before ``mdat`` (faststart) and chapter marks from the sections (:mod:`.mp4`);
- ``NAME.vtt`` and ``NAME.srt``: the subtitles; ``chapters.vtt``: one cue per section;
- ``poster.jpg``: a frame of a chosen beat (:func:`poster_choice` says which by default);
- ``transcript.md``: the title, then per section a heading and its beats' words with times;
- ``index.html``: the page (:mod:`.page`);
- ``.nnwarp-course``: the mark that the folder is nnwarp's, with the SHA-256 of each file.

The folder is built in a locked temporary folder beside ``DIR`` and renamed into place, so
``DIR`` never holds half a package. An existing ``DIR`` is replaced only when it is empty or
an earlier nnwarp package that nobody has changed since (every file still has the hash the
mark lists, and nothing was added); any other ``DIR`` is refused and left untouched.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nnmodel import __version__
from nnmodel.fileio import check_dir_target, replace_dir, work_dir
from scenes.errors import OutputError, RenderError
from scenes.publish.mp4 import MP4Chapter, frame_at, probe_video, write_course_mp4
from scenes.publish.page import PageFiles, course_page
from scenes.publish.subtitles import Cue, to_srt, to_vtt
from scenes.publish.transcript import (
    BeatText,
    beats_of,
    chapters_of,
    chapters_vtt,
    transcript_markdown,
)
from scenes.render.outputs import MARK, subtitle_note, video_metadata

__all__ = [
    "COURSE_MARKER",
    "POSTER_AT",
    "CoursePackage",
    "check_course_target",
    "course_is_ours",
    "poster_choice",
    "write_course",
]

#: The file that marks a folder as an nnwarp course package (JSON: mark and file hashes).
COURSE_MARKER = ".nnwarp-course"
#: Where in its beat the poster is taken: 90 % of the way, when the beat's animation is done.
POSTER_AT = 0.9
#: How far (seconds) the timeline's length may differ from the video's.
_LENGTH_SLACK = 0.5
_FIXED_NAMES = ("chapters.vtt", "poster.jpg", "transcript.md", "index.html")


@dataclass(frozen=True)
class CoursePackage:
    """The files of a written course package."""

    folder: Path
    video: Path
    subtitles: Path
    srt: Path
    chapters: Path
    poster: Path
    transcript: Path
    page: Path
    #: The video's length in seconds (the audio track was fitted to it).
    duration: float
    #: The beat the poster shows, and the time of its frame (seconds).
    poster_beat: str
    poster_time: float

    def files(self) -> list[Path]:
        """Every file of the package (not the marker)."""
        return [
            self.video,
            self.subtitles,
            self.srt,
            self.chapters,
            self.poster,
            self.transcript,
            self.page,
        ]


# ----------------------------------------------------------------------------- ownership


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _listed(folder: Path) -> dict[str, str] | None:
    """The files the marker of ``folder`` lists with their hashes, or None without a mark."""
    marker = folder / COURSE_MARKER
    try:
        if marker.is_symlink() or not marker.is_file():
            return None
        doc = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(doc, dict) or not str(doc.get("written_by", "")).startswith(MARK):
        return None
    listed = doc.get("files")
    if not isinstance(listed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in listed.items()
    ):
        return None
    return listed


def course_is_ours(folder: Path) -> bool:
    """Whether ``folder`` is an earlier nnwarp course package that nobody has changed.

    Every entry must be the marker or a regular file the marker lists, with the hash it
    lists (a file deleted since is fine, an edited or added one is not).
    """
    listed = _listed(folder)
    if listed is None:
        return False
    try:
        for entry in folder.iterdir():
            if entry.name == COURSE_MARKER:
                continue
            if entry.name not in listed or entry.is_symlink() or not entry.is_file():
                return False
            if _sha256(entry) != listed[entry.name]:
                return False
    except OSError:
        return False
    return True


def check_course_target(folder: Path, flag: str = "--course", *, create: bool = False) -> None:
    """Refuse ``folder`` now, before any work, unless a package can be written there.

    It may be missing (its parent folder existing, or with ``create`` creatable), empty, or an
    unchanged earlier nnwarp course package (:func:`course_is_ours`), which is replaced.
    """
    listed = _listed(folder) if folder.is_dir() else None
    names = set(listed or ())
    what = "files of the course package"
    check_dir_target(folder, flag, COURSE_MARKER, names.__contains__, what, create=create)
    if folder.is_dir() and any(folder.iterdir()) and not course_is_ours(folder):
        raise OutputError(
            f"{flag} {folder}: files of the earlier course package there were changed since "
            "nnwarp wrote them; nnwarp never overwrites other files: move the folder away "
            "or choose another name"
        )


# ----------------------------------------------------------------------------- choices


def poster_choice(beats: Sequence[BeatText], beat_id: str | None = None) -> tuple[BeatText, float]:
    """The beat the poster shows and the time of its frame.

    ``beat_id`` names the beat; by default it is the last beat of the second section (the
    first section after an introduction: in the explainer, the first layer's finished
    warp), or, when there is one section only, the beat at the middle of the video. The
    frame is taken :data:`POSTER_AT` (90 %) of the way through the beat, once its
    animation has played and before the next beat begins.

    >>> bs = [BeatText("t", "Intro", 0, 2, ""), BeatText("a", "L1", 2, 4, ""),
    ...       BeatText("b", "L1", 4, 6, ""), BeatText("c", "L2", 6, 8, "")]
    >>> poster_choice(bs)
    (BeatText(id='b', section='L1', start=4, end=6, text=''), 5.8)
    >>> poster_choice(bs, "a")[0].id
    'a'
    """
    if not beats:
        raise RenderError("the timeline has no beats: there is nothing to make a poster of")
    if beat_id is not None:
        by_id = {b.id: b for b in beats}
        if beat_id not in by_id:
            close = difflib.get_close_matches(beat_id, list(by_id), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise RenderError(
                f"poster beat {beat_id!r} is not a beat of this video; {hint}"
                f"the beats are: {', '.join(by_id)}"
            )
        beat = by_id[beat_id]
    else:
        sections = list(dict.fromkeys(b.section for b in beats))
        if len(sections) >= 2:
            beat = [b for b in beats if b.section == sections[1]][-1]
        else:
            middle = max(b.end for b in beats) / 2
            beat = next((b for b in beats if b.start <= middle < b.end), beats[len(beats) // 2])
    return beat, round(beat.start + POSTER_AT * (beat.end - beat.start), 6)


def _package_name(name: str) -> str:
    """The stem of the package's video and subtitles (never one of the fixed names')."""
    stem = name.strip().lstrip(".") or "video"
    if f"{stem}.vtt" in _FIXED_NAMES:
        stem += "-video"
    return stem


# ----------------------------------------------------------------------------- writing


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def _subtitles(folder: Path, stem: str, cues: Sequence[Cue]) -> tuple[Path, Path]:
    srt, vtt = folder / f"{stem}.srt", folder / f"{stem}.vtt"
    srt_text = to_srt(list(cues))
    header, body = to_vtt(cues).split("\n\n", 1)
    _write_text(srt, srt_text)
    _write_text(vtt, f"{header}\n\n{subtitle_note(body, srt_text)}\n\n{body}")
    return vtt, srt


def _check_lengths(timeline: dict[str, Any], duration: float, video: Path) -> None:
    length = timeline.get("duration")
    if isinstance(length, int | float) and abs(float(length) - duration) > _LENGTH_SLACK:
        raise RenderError(
            f"the timeline lasts {float(length):.2f} s but the video {video} lasts "
            f"{duration:.2f} s: they are not of the same render; give the sections JSON "
            "written with this video"
        )


def write_course(
    video: Path,
    timeline: dict[str, Any],
    cues: Sequence[Cue],
    out_dir: Path,
    *,
    title: str,
    audio: Path | None = None,
    poster_beat: str | None = None,
    name: str | None = None,
    lang: str = "en",
    flag: str = "--course",
    create: bool = False,
) -> CoursePackage:
    """Write the course package of ``video`` into the folder ``out_dir`` (see the module).

    Parameters
    ----------
    video
        The rendered MP4 (H.264); its picture is copied, not re-encoded.
    timeline
        The video's timeline document (:func:`scenes.publish.sections.timeline_document`).
    cues
        The subtitle cues, on the video's clock.
    out_dir
        The package folder: missing, empty, or an unchanged earlier package (replaced).
    title
        The page's and transcript's title.
    audio
        The sound track (a WAV of the voice), starting with the video. Without it the
        video's own audio is used, or silence. It is cut or padded to the video's length.
    poster_beat
        Id of the beat the poster shows (default: see :func:`poster_choice`).
    name
        Stem of the package's ``NAME.mp4``, ``NAME.vtt`` and ``NAME.srt`` (default: the
        video's).
    lang
        Language of the subtitles and the page (BCP 47, e.g. ``en``).
    flag, create
        The option the user gave ``out_dir`` with (for messages), and whether missing
        parent folders may be created.
    """
    out_dir = Path(out_dir)
    check_course_target(out_dir, flag, create=create)
    if not title.strip():
        raise RenderError("the course package needs a title; give a non-empty one")
    beats = beats_of(timeline)
    shown_beat, poster_time = poster_choice(beats, poster_beat)
    info = probe_video(video)
    _check_lengths(timeline, info.duration, video)
    chapters: list[MP4Chapter] = chapters_of(timeline, info.duration)
    poster_time = min(poster_time, max(info.duration - 1e-3, 0.0))
    stem = _package_name(name if name is not None else Path(video).stem)
    names = PageFiles(
        video=f"{stem}.mp4",
        subtitles=f"{stem}.vtt",
        subtitles_srt=f"{stem}.srt",
        chapters="chapters.vtt",
        poster="poster.jpg",
        transcript="transcript.md",
    )
    stamp = f"{MARK} {__version__}"
    if create:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    with work_dir(out_dir.parent) as work:
        build = work / "course"
        build.mkdir()  # ordinary permissions (the work folder itself is private)
        write_course_mp4(
            Path(video),
            build / names.video,
            audio=audio,
            chapters=chapters,
            metadata={**video_metadata(), "title": " ".join(title.split())},
        )
        _subtitles(build, stem, cues)
        _write_text(build / names.chapters, chapters_vtt(chapters))
        image = frame_at(Path(video), poster_time).convert("RGB")
        image.save(build / names.poster, "JPEG", quality=90, comment=stamp.encode("utf-8"))
        _write_text(build / names.transcript, transcript_markdown(title, chapters, beats))
        page = course_page(
            title=title,
            names=names,
            chapters=chapters,
            beats=beats,
            width=info.width,
            height=info.height,
            generator=stamp,
            lang=lang,
        )
        _write_text(build / "index.html", page)
        listed = {p.name: _sha256(p) for p in sorted(build.iterdir())}
        marker = {"written_by": stamp, "files": listed}
        _write_text(build / COURSE_MARKER, json.dumps(marker, indent=1) + "\n")
        replace_dir(build, out_dir, still_ours=course_is_ours)
    return CoursePackage(
        folder=out_dir,
        video=out_dir / names.video,
        subtitles=out_dir / names.subtitles,
        srt=out_dir / names.subtitles_srt,
        chapters=out_dir / names.chapters,
        poster=out_dir / names.poster,
        transcript=out_dir / names.transcript,
        page=out_dir / "index.html",
        duration=info.duration,
        poster_beat=shown_beat.id,
        poster_time=poster_time,
    )
