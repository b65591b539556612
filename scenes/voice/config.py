"""How a video is voiced: engine, voice, pace, pause after each beat, loudness."""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from scenes.errors import RenderError
from scenes.voice.engines import engine_names
from scenes.voice.loudness import TARGET

__all__ = ["MAX_PAUSE", "SPEEDS", "VoiceConfig"]

#: The range of ``speed`` (1.0: the engine's normal pace).
SPEEDS = (0.5, 2.0)
#: The longest pause after a beat's speech (seconds).
MAX_PAUSE = 10.0
_LOUDNESS = (-40.0, -6.0)


@dataclass(frozen=True)
class VoiceConfig:
    """Which voice speaks the narration, and how.

    ``engine``: ``hibari`` (neural, pip), ``espeak`` (espeak-ng, apt), ``piper`` (``voice``
    is the path of a Piper ``.onnx`` voice), ``none`` (no voice) or ``auto`` (hibari, else
    espeak-ng with a note). ``voice``: the engine's voice, empty for its default.
    ``speed``: 1.0 is the engine's normal pace. ``pause``: seconds of quiet after each
    beat's speech before the next beat. ``loudness``: the level of every clip, in LUFS.

    >>> VoiceConfig(engine="espeak", speed=1.2).speed
    1.2
    >>> VoiceConfig(engine="hibary")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    scenes.errors.RenderError: unknown voice engine 'hibary' (did you mean 'hibari'?); ...
    """

    engine: str = "hibari"
    voice: str = ""
    speed: float = 1.0
    pause: float = 0.5
    loudness: float = TARGET

    def __post_init__(self) -> None:
        names = engine_names()
        if not isinstance(self.engine, str) or self.engine not in names:
            close = difflib.get_close_matches(str(self.engine), names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RenderError(
                f"unknown voice engine {self.engine!r}{hint}; choose one of {', '.join(names)}"
            )
        if not isinstance(self.voice, str):
            raise RenderError(f"the voice must be a name (text), not {self.voice!r}")
        _number("speed", self.speed, *SPEEDS, "1.0 is the normal pace")
        _number("pause", self.pause, 0.0, MAX_PAUSE, "seconds of quiet after each beat")
        _number("loudness", self.loudness, *_LOUDNESS, "in LUFS; -16 suits speech online")


def _number(name: str, value: object, low: float, high: float, what: str) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or not math.isfinite(float(value)) or not low <= float(value) <= high:  # type: ignore[arg-type]
        raise RenderError(
            f"the voice {name} must be a number from {low:g} to {high:g} ({what}), not {value!r}"
        )
