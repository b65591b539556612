"""Beats on a clock: a scene's plan as timed, named pieces, computed before anything is drawn.

A :class:`Beat` is one caption's worth of a scene: its id, its section (a chapter), its
words, and how long it lasts. Its *minimum* duration is what its animations need; a beat
may be lengthened from outside (for a voice, say), which adds a hold at its end, so later
beats shift and nothing else changes.

>>> from scenes.narration.text import Line
>>> beats = [Beat("a", "Intro", Line("Hi"), 2.0), Beat("b", "Intro", Line("Bye"), 1.0)]
>>> [(t.beat.id, t.start, t.end) for t in timeline(lengthen(beats, {"a": 3.5}))]
[('a', 0.0, 3.5), ('b', 3.5, 4.5)]
>>> sections(timeline(beats))
[('Intro', 0.0, 3.0)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from scenes.errors import RenderError
from scenes.narration.text import Line

__all__ = [
    "READING_CPS",
    "Beat",
    "Timed",
    "check_sections",
    "lengthen",
    "reading_durations",
    "seconds",
    "sections",
    "timeline",
]

#: Characters of caption a viewer reads per second in a silent video, while watching the
#: picture too (subtitle guides allow 15 to 17 for adults).
READING_CPS = 15.0
#: Seconds before a caption can be read: it fades in.
_CAPTION_IN = 0.5


@dataclass(frozen=True)
class Beat:
    """One beat of a scene's plan.

    ``min_duration`` is what the beat's own animations take; ``duration`` (None: the
    minimum) may only be longer, the difference being held at the end of the beat.
    ``data`` carries what the scene needs to draw the beat (pure data: stages, views,
    steps); the scene never has to look at earlier beats to start this one.
    """

    id: str
    section: str
    line: Line
    min_duration: float
    duration: float | None = None
    kind: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)

    @property
    def length(self) -> float:
        """How long the beat lasts (its duration, or its minimum)."""
        return self.min_duration if self.duration is None else self.duration

    @property
    def hold(self) -> float:
        """Seconds held still at the end (the lengthening beyond the minimum)."""
        return self.length - self.min_duration


@dataclass(frozen=True)
class Timed:
    """A beat with its start and end on the scene's clock (seconds)."""

    beat: Beat
    start: float
    end: float


def lengthen(beats: Sequence[Beat], durations: Mapping[str, float]) -> list[Beat]:
    """The beats with new durations by id; a duration shorter than a beat's minimum, or an
    unknown id, is an error (a beat cannot be cut short: its animations need the time)."""
    known = {b.id for b in beats}
    unknown = sorted(set(durations) - known)
    if unknown:
        raise ValueError(f"no beat named {', '.join(unknown)}; beats: {', '.join(sorted(known))}")
    out = []
    for beat in beats:
        if beat.id in durations:
            seconds = float(durations[beat.id])
            if seconds < beat.min_duration - 1e-9:
                raise ValueError(
                    f"beat {beat.id!r} needs at least {beat.min_duration:.2f} s, "
                    f"not {seconds:.2f} s"
                )
            beat = replace(beat, duration=seconds)
        out.append(beat)
    return out


def reading_durations(
    beats: Sequence[Beat], fps: float | None = None, cps: float = READING_CPS
) -> dict[str, float]:
    """For a silent video: the beats that must last longer for their caption and
    subcaption to be read (at ``cps`` characters a second, once faded in), by id, in whole
    frames at ``fps`` (if given: a section then starts on the same frame alone or whole).

    A voice sets a narrated beat's length; without one, a long caption on a short beat
    would be gone before it is read (anatomy's "unit 1: z = 1.81·0.44 + … = 0.30, then
    tanh(0.30) = 0.29" was up for 3.7 s). Lengthened, the beat holds its picture at its
    end, as for a voice.

    >>> beats = [Beat("a", "A", Line("Short"), 2.0), Beat("b", "A", Line("x" * 60, "y" * 59), 2.0)]
    >>> reading_durations(beats), reading_durations(beats, fps=4)
    ({'b': 8.5}, {'b': 8.5})
    """
    out: dict[str, float] = {}
    for beat in beats:
        words = " ".join(w for w in (beat.line.caption, beat.line.sub) if w)
        need = _CAPTION_IN + len(words) / cps if words else 0.0
        if fps is not None:
            need = math.ceil(need * fps - 1e-6) / fps
        if need > beat.length + 1e-9:
            out[beat.id] = need
    return out


def timeline(beats: Sequence[Beat]) -> list[Timed]:
    """Each beat with its start and end time, one after another from 0."""
    out, t = [], 0.0
    for beat in beats:
        out.append(Timed(beat, t, t + beat.length))
        t += beat.length
    return out


def sections(timed: Sequence[Timed]) -> list[tuple[str, float, float]]:
    """``(section, start, end)`` for each run of beats of one section, in order."""
    out: list[tuple[str, float, float]] = []
    for item in timed:
        if out and out[-1][0] == item.beat.section:
            out[-1] = (item.beat.section, out[-1][1], item.end)
        else:
            out.append((item.beat.section, item.start, item.end))
    return out


def seconds(pieces: tuple[tuple[str, float], ...], fps: float) -> float:
    """How long ``pieces`` take at ``fps``, counted in whole frames as Manim counts them.

    An animation of ``t`` seconds draws ``len(arange(0, t, 1/fps))`` frames (rounded up); a
    still frame held ``t`` seconds is ``int(t / (1/fps))`` frames (rounded down); anything
    shorter than a frame lasts one frame.

    >>> seconds((("play", 0.8), ("wait", 1.1)), 4)
    2.0
    """
    dt = 1 / fps
    frames = 0
    for kind, t in pieces:
        t = max(t, dt)  # Manim stretches anything shorter than a frame to one frame
        frames += len(np.arange(0, t, dt)) if kind == "play" else int(t / dt)
    return frames * dt


def check_sections(beats: Sequence[Beat], sections: Sequence[str] | None) -> None:
    """Every asked-for section must be one of the plan's."""
    known = list(dict.fromkeys(b.section for b in beats))
    unknown = [s for s in sections or () if s not in known]
    if unknown:
        raise RenderError(
            f"--section {unknown[0]!r} is not a section of this video; its sections are "
            + ", ".join(repr(k) for k in known)
        )
