"""A render's voice: every beat spoken before the scene is drawn, one sound track after.

The order matters. Speech is made (or found in the cache) from the plan, before any frame:
a beat whose speech needs longer than its animations is lengthened (a hold at its end), so
the picture follows the voice. After the render, the clips are placed at the beats' start
times in the video as written (sections not rendered take no time) and muxed as AAC into
the MP4, which also gets the sections as chapter marks and "faststart". With a voice, the
subtitles are what is said, while it is said.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scenes.core.timeline import Beat
from scenes.publish.subtitles import Cue
from scenes.voice import BeatVoices, VoiceConfig, voice_beats

__all__ = ["merged_durations", "speak_beats", "voice_cues", "voiced_mp4"]


def speak_beats(
    beats: Sequence[Beat],
    only: frozenset[str] | None,
    voice: VoiceConfig,
    cache_dir: Path,
    fps: float,
    progress: Callable[[int, int, Beat], None] | None = None,
) -> BeatVoices:
    """The speech of the beats that will be rendered (all, or those of sections ``only``)."""
    rendered = [b for b in beats if only is None or b.section in only]
    return voice_beats(rendered, voice, cache_dir, fps=fps, progress=progress)


def merged_durations(
    given: Mapping[str, float] | None, voices: BeatVoices, beats: Sequence[Beat]
) -> dict[str, float]:
    """The beats' durations: those ``given`` (a story's), lengthened where the voice needs
    more; only beats that change are listed.

    >>> from scenes.narration.text import Line
    >>> from scenes.voice import BeatVoices
    >>> beats = [Beat("a", "A", Line("a"), 2.0), Beat("b", "A", Line("b"), 2.0)]
    >>> merged_durations({"a": 3.0}, BeatVoices({}, {"a": 2.5, "b": 4.0}, "none"), beats)
    {'a': 3.0, 'b': 4.0}
    """
    out = dict(given or {})
    minimum = {b.id: b.min_duration for b in beats}
    for beat_id, seconds in voices.durations.items():
        if seconds > max(out.get(beat_id, 0.0), minimum.get(beat_id, 0.0)) + 1e-9:
            out[beat_id] = seconds
    return out


def voice_cues(document: Mapping[str, Any], voices: BeatVoices) -> list[Cue]:
    """Subtitles of a voiced video: each beat's spoken words from when its speech starts
    to when it ends, on the clock of the video as written (``NAME.sections.json``)."""
    cues = []
    for beat in document["beats"]:
        speech = voices.speech.get(beat["id"])
        if speech is None:
            continue
        start = float(beat["start"])
        end = min(start + speech.duration, float(beat["end"]))
        cues.append(Cue(round(start, 6), round(end, 6), str(beat["narration"])))
    return cues


def voiced_mp4(video: Path, document: Mapping[str, Any], voices: BeatVoices, work: Path) -> Path:
    """``video`` with the voice as an AAC track, the sections as chapters, moov first.

    Written in the folder ``work``; returns the new file.
    """
    from scenes.publish.mp4 import write_course_mp4
    from scenes.publish.transcript import chapters_of
    from scenes.render.outputs import video_metadata
    from scenes.voice import write_track

    clips = [
        (float(b["start"]), voices.speech[b["id"]])
        for b in document["beats"]
        if b["id"] in voices.speech
    ]
    duration = float(document["duration"])
    track = write_track(clips, duration, work / "voice.wav")
    out = work / "voiced.mp4"
    write_course_mp4(
        video,
        out,
        audio=track,
        chapters=chapters_of(dict(document), duration),
        metadata=video_metadata(),
    )
    return out
