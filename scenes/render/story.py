"""Render a story: its scenes one after the other in one video, with its words and its voice.

Every scene's plan is built first and the story's ``[[beat]]`` ids checked against them
(before any frame). Then, scene by scene: the story's words replace the plan's, the voice
speaks them (lengthening beats to their speech), the story's durations and pauses apply,
and the scene is rendered silent into a private folder. The parts are joined by stream
copy (no re-encode), the voice is placed on the joined clock and muxed once, with a
chapter per section; subtitles, the section times and the course package follow, as for
any render. A failure anywhere leaves every earlier output in place.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nnmodel.fileio import atomic_file, work_dir
from scenes.core.timeline import lengthen
from scenes.errors import RenderError
from scenes.publish.subtitles import Cue

if TYPE_CHECKING:
    from scenes.render.pipeline import RenderOptions, RenderResult
    from scenes.story import Story
    from scenes.voice import BeatVoices, Speech

__all__ = ["Part", "combined_document", "render_story"]


@dataclass(frozen=True)
class Part:
    """One scene of the story as rendered: its video, timeline (on its own clock), caption
    cues and speech."""

    scene: str
    video: Path
    seconds: float
    document: dict[str, Any]
    cues: tuple[Cue, ...]
    voices: BeatVoices | None


def combined_document(parts: list[Part]) -> dict[str, Any]:
    """The parts' timelines on the joined video's clock (each part starts where the one
    before ends); every beat says its scene.

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
        for s in part.document["sections"]:
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
        out += [Cue(round(c.start + at, 6), round(c.end + at, 6), c.text) for c in own]
        at += part.seconds
    return out


def _plans(story: Story, traj: Any, opts: RenderOptions) -> dict[str, list[str]]:
    """Every scene's beat ids, from its plan (built, not drawn)."""
    import manim

    from scenes.registry import spec
    from scenes.render.pipeline import manim_config

    ids: dict[str, list[str]] = {}
    with work_dir(opts.media_dir) as scratch:
        cfg = manim_config(opts, scratch)
        with manim.tempconfig(cfg):
            for name in story.scenes:
                cls = spec(name).cls
                params = story.scene_options(name)
                if hasattr(cls, "check_params"):
                    cls.check_params(traj, params)
                ids[name] = [b.id for b in cls(trajectory=traj, **params).beats]
    return ids


def render_story(story: Story, trajectory: Path, opts: RenderOptions) -> RenderResult:
    """Render ``story`` with the trained network ``trajectory`` into ``opts.output``.

    ``opts`` carries the story's render settings with the command line's on top (quality,
    output, voice, course); its ``scene`` and ``params`` are ignored (each scene takes its
    own from the story).
    """
    from nnmodel import trajectory as trajectories
    from scenes.publish.sections import write_timeline
    from scenes.publish.subtitles import write_subtitles
    from scenes.registry import spec
    from scenes.render.join import join_videos, video_seconds
    from scenes.render.outputs import video_metadata
    from scenes.render.pipeline import (
        RenderResult,
        _check_beat,
        _speak,
        check_outputs,
        play,
    )
    from scenes.story import check_beat_ids, edit_lines, edit_timing, skipped

    if opts.fmt != "mp4" or not opts.is_movie:
        raise RenderError("a story renders an MP4 (the video courses embed): drop the format")
    for name in story.scenes:
        if spec(name).needs != "trajectory":
            raise RenderError(f"a story shows one network; {name} compares several")
    stem = Path(story.source).stem if story.source else "story"
    targets = check_outputs(opts, stem, "Story")
    if opts.course is not None:
        from scenes.publish.course import check_course_target

        check_course_target(opts.course, "--course", create=True)
    traj = trajectories.load(trajectory)
    plans = _plans(story, traj, opts)
    edits = check_beat_ids(story, plans)
    if opts.poster_beat is not None:
        _check_beat(opts.poster_beat, [i for ids in plans.values() for i in ids], "--poster-beat")
    for name, by_id in edits.items():
        left_out = sorted(skipped(by_id))
        if left_out:
            raise RenderError(
                f"[[beat]] {left_out[0]} ({name}): skip = true is not supported yet (a beat's "
                "animations lead into the next one); leave it in, or give it a shorter "
                "caption and no pause"
            )
    main = targets[0]
    main.path.parent.mkdir(parents=True, exist_ok=True)
    with work_dir(main.path.parent) as work:
        parts: list[Part] = []
        for i, name in enumerate(story.scenes):
            by_id = edits.get(name, {})
            voices: BeatVoices | None = None

            def prepare(scene: Any, fps: float, by_id: Any = by_id) -> Any:
                nonlocal voices
                scene.beats = edit_lines(scene.beats, by_id)
                if opts.voice is not None:
                    voices = _speak(scene, opts, fps)
                    scene.beats = lengthen(
                        scene.beats,
                        {
                            k: v
                            for k, v in voices.durations.items()
                            if v > next(b.length for b in scene.beats if b.id == k) + 1e-9
                        },
                    )
                scene.beats = edit_timing(scene.beats, by_id)
                return scene

            part_opts = replace(
                opts,
                scene=name,
                params=story.scene_options(name),
                course=None,
                poster_beat=None,
                title=None,
            )
            scene, produced, _, _ = play(
                spec(name).cls, {"trajectory": traj}, part_opts, work / f"part{i}", prepare
            )
            from scenes.publish.sections import timeline_document

            doc = timeline_document(scene.beats, scene.beat_times, scene.only_sections)
            parts.append(
                Part(name, produced, video_seconds(produced), doc, tuple(scene.cues), voices)
            )
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
        if opts.course is not None:
            from scenes.publish.course import write_course

            title = opts.title or story.title or document["beats"][0]["caption"]
            result.course = write_course(
                main.path,
                document,
                cues,
                opts.course,
                title=title,
                poster_beat=opts.poster_beat,
                create=True,
            ).folder
        return result
