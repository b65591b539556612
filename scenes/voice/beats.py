"""A plan's beats voiced: the speech of each beat, and how long each beat must then last.

A beat lasts at least its speech plus the configured pause, so the picture follows the
voice: pass :attr:`BeatVoices.durations` to :func:`scenes.core.timeline.lengthen`. After
the render, :meth:`BeatVoices.clips` places each beat's speech at the time the beat was
played, for :func:`scenes.voice.track.write_track`.

>>> import tempfile
>>> from scenes.core.timeline import Beat, lengthen
>>> from scenes.narration.text import Line
>>> beats = [Beat("a", "Intro", Line("Hi"), 2.0)]
>>> voiced = voice_beats(beats, VoiceConfig(engine="none"), Path(tempfile.mkdtemp()))
>>> voiced.durations, voiced.engine
({}, 'none')
>>> lengthen(beats, voiced.durations)[0].length
2.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenes.core.timeline import Beat
from scenes.voice.config import VoiceConfig
from scenes.voice.engines import NONE, choose
from scenes.voice.speech import DEFAULT_CACHE, Speech, speak

__all__ = ["BeatVoices", "speech_durations", "voice_beats"]


@dataclass(frozen=True)
class BeatVoices:
    """The speech of a plan's beats.

    ``speech``: beat id → its speech (beats with nothing to say are absent).
    ``durations``: beat id → how long the beat must last (its minimum, or its speech plus
    the pause if longer, rounded up to whole frames when a frame rate was given).
    ``engine``: the engine that spoke (``none``: no voice). ``note``: a line for the user
    when the engine is not the one asked for (``auto`` fell back), else empty.
    """

    speech: Mapping[str, Speech]
    durations: Mapping[str, float]
    engine: str
    note: str = ""

    def clips(
        self, played: Iterable[tuple[str, float] | tuple[str, float, float]]
    ) -> list[tuple[float, Speech]]:
        """``(start, speech)`` for each ``(beat id, start seconds)`` played that has speech
        (extra items in each tuple, such as an end time, are ignored)."""
        return [(t[1], self.speech[t[0]]) for t in played if t[0] in self.speech]


def voice_beats(
    beats: Sequence[Beat],
    voice: VoiceConfig,
    cache_dir: Path = DEFAULT_CACHE,
    *,
    fps: float | None = None,
    progress: Callable[[int, int, Beat], None] | None = None,
) -> BeatVoices:
    """Speak every beat's line (:attr:`scenes.narration.text.Line.spoken`) with ``voice``.

    Raises :class:`scenes.errors.RenderError` before any speech is made if the engine is
    not installed. ``progress(done, total, beat)`` is called before each beat is spoken.
    """
    choice = choose(voice.engine)
    speech: dict[str, Speech] = {}
    durations: dict[str, float] = {}
    for i, beat in enumerate(beats):
        if progress is not None:
            progress(i, len(beats), beat)
        said = speak(choice.engine, beat.line.spoken, voice, cache_dir)
        if said.path is None:
            continue
        speech[beat.id] = said
        durations[beat.id] = _whole_frames(max(beat.min_duration, said.duration + voice.pause), fps)
    engine = NONE if choice.engine is None else choice.engine.name
    return BeatVoices(speech, durations, engine, choice.note)


def speech_durations(
    beats: Sequence[Beat], voice: VoiceConfig, cache_dir: Path = DEFAULT_CACHE
) -> dict[str, float]:
    """Beat id → seconds the beat needs for its speech and pause (never below its minimum)."""
    return dict(voice_beats(beats, voice, cache_dir).durations)


def _whole_frames(seconds: float, fps: float | None) -> float:
    if fps is None:
        return seconds
    return math.ceil(seconds * fps - 1e-6) / fps
