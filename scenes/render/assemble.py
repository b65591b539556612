"""Parts of one video, rendered apart, made one: joined, voiced once, subtitled, published.

A story's scenes and the section groups of a parallel render (``-j``) are rendered into
separate silent MP4s (:class:`Part`, each with its timeline on its own clock). Here they
become the video the user asked for: the parts joined by stream copy, their timelines on
one clock, the voice placed and muxed once with a chapter per section, the subtitles, the
section times and, if asked, the course package.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnmodel.fileio import atomic_file
from scenes.publish.subtitles import Cue

if TYPE_CHECKING:
    from scenes.render.outputs import Target
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.voice import BeatVoices, Speech

__all__ = ["Part", "combined_document", "course", "finish"]


@dataclass(frozen=True)
class Part:
    """Part of a video as rendered: its video, timeline (on its own clock), caption cues
    and speech; ``continues``: it starts inside the section the part before it ends in."""

    scene: str
    video: Path
    seconds: float
    document: dict[str, Any]
    cues: tuple[Cue, ...]
    voices: BeatVoices | None
    continues: bool = False


def combined_document(parts: list[Part]) -> dict[str, Any]:
    """The parts' timelines on the joined video's clock (each part starts where the one
    before ends; a section cut between parts is one again); every beat says its scene.

    >>> a = {"written_by": "nnwarp", "duration": 2.0, "sections": [{"name": "A", "start": 0.0,
    ...      "end": 2.0}], "beats": [{"id": "x", "section": "A", "start": 0.0, "end": 2.0}]}
    >>> doc = combined_document([Part("warp", Path("a"), 2.0, a, (), None)] * 2)
    >>> [(b["scene"], b["start"]) for b in doc["beats"]], doc["duration"]
    ([('warp', 0.0), ('warp', 2.0)], 4.0)
    """
    sections: list[dict[str, Any]] = []
    beats: list[dict[str, Any]] = []
    at = 0.0
    for part in parts:
        for k, s in enumerate(part.document["sections"]):
            if k == 0 and part.continues and sections and sections[-1]["name"] == s["name"]:
                sections[-1]["end"] = round(s["end"] + at, 6)
                continue
            sections.append(
                {**s, "start": round(s["start"] + at, 6), "end": round(s["end"] + at, 6)}
            )
        for b in part.document["beats"]:
            beats.append(
                {
                    **b,
                    "scene": part.scene,
                    "start": round(b["start"] + at, 6),
                    "end": round(b["end"] + at, 6),
                }
            )
        at += part.seconds
    written_by = parts[0].document["written_by"] if parts else ""
    return {
        "written_by": written_by,
        "duration": round(at, 6),
        "sections": sections,
        "beats": beats,
    }


def _clips(parts: list[Part]) -> list[tuple[float, Speech]]:
    """Every beat's speech at its start on the joined clock."""
    out: list[tuple[float, Speech]] = []
    at = 0.0
    for part in parts:
        if part.voices is not None:
            for b in part.document["beats"]:
                speech = part.voices.speech.get(b["id"])
                if speech is not None:
                    out.append((at + float(b["start"]), speech))
        at += part.seconds
    return out


def _cues(parts: list[Part]) -> list[Cue]:
    """The subtitles: what is said while it is said (voiced parts), else the captions."""
    from scenes.render.voiceover import voice_cues

    out: list[Cue] = []
    at = 0.0
    for part in parts:
        own = (
            voice_cues(part.document, part.voices)
            if part.voices is not None and part.voices.speech
            else list(part.cues)
        )
        for c in own:
            cue = Cue(round(c.start + at, 6), round(c.end + at, 6), c.text)
            touching = bool(out) and cue.start - out[-1].end < 1e-3
            if part.continues and touching and out[-1].text == cue.text:
                out[-1] = Cue(out[-1].start, cue.end, cue.text)  # one caption, cut between parts
            else:
                out.append(cue)
        at += part.seconds
    return out


def finish(
    parts: list[Part],
    targets: list[Target],
    opts: RenderOptions,
    work: Path,
    title: str | None = None,
) -> RenderResult:
    """Join ``parts`` into ``targets[0]`` and write everything that goes with it (the
    targets were checked before any work; ``work`` is the render's private folder)."""
    from scenes.publish.sections import write_timeline
    from scenes.publish.subtitles import write_subtitles
    from scenes.render.join import join_videos
    from scenes.render.outputs import video_metadata
    from scenes.render.pipeline import RenderResult

    main = targets[0]
    document = combined_document(parts)
    joined = work / "joined.mp4"
    join_videos([p.video for p in parts], joined, video_metadata())
    final = joined
    clips = _clips(parts)
    if clips:
        from scenes.publish.mp4 import write_course_mp4
        from scenes.publish.transcript import chapters_of
        from scenes.voice import write_track

        track = write_track(clips, document["duration"], work / "voice.wav")
        final = work / "voiced.mp4"
        write_course_mp4(
            joined,
            final,
            audio=track,
            chapters=chapters_of(document, document["duration"]),
            metadata=video_metadata(),
        )
    with atomic_file(main.path, still_ours=main.still_ours) as tmp:
        shutil.copyfile(final, tmp)
    result = RenderResult(main.path, duration=float(document["duration"]))
    engines = {p.voices.engine for p in parts if p.voices is not None}
    result.voice = engines.pop() if len(engines) == 1 else None
    result.notes += sorted({p.voices.note for p in parts if p.voices and p.voices.note})
    cues = _cues(parts)
    result.subtitles = list(write_subtitles(main.path, cues))
    result.timeline = write_timeline(targets[1].path, document)
    result.course = course(opts, main.path, document, cues, title)
    return result


def course(
    opts: RenderOptions,
    video: Path,
    document: dict[str, Any],
    cues: list[Cue],
    title: str | None = None,
) -> Path | None:
    """Write the course package ``opts.course`` asks for (None: none asked), titled
    ``opts.title``, else ``title``, else the video's first caption."""
    if opts.course is None:
        return None
    from scenes.publish.course import write_course

    beats = document["beats"]
    named = opts.title or title or (beats[0]["caption"] if beats else video.stem)
    return write_course(
        video,
        document,
        cues,
        opts.course,
        title=named,
        poster_beat=opts.poster_beat,
        create=True,
    ).folder
