"""The voice engines nnwarp knows, and which one speaks for a configuration.

``none`` speaks nothing (a captions-only video); ``auto`` is hibari, or espeak-ng with a
note saying so when hibari is not installed. A named engine that is not installed is an
error that says how to install it: nnwarp falls back only when asked to (``auto``).
"""

from __future__ import annotations

from dataclasses import dataclass

from scenes.errors import RenderError
from scenes.voice.engine import Engine, not_installed
from scenes.voice.engine_espeak import EspeakEngine
from scenes.voice.engine_hibari import HibariEngine
from scenes.voice.engine_piper import PiperEngine

__all__ = ["AUTO", "ENGINES", "NONE", "Choice", "choose", "engine_names"]

#: The engines by name (tests may add fakes).
ENGINES: dict[str, Engine] = {e.name: e for e in (HibariEngine(), EspeakEngine(), PiperEngine())}
#: No voice: captions and subtitles only.
NONE = "none"
#: hibari if installed, else espeak-ng (with a note).
AUTO = "auto"
_PREFERRED = ("hibari", "espeak")


def engine_names() -> tuple[str, ...]:
    """Every name ``VoiceConfig.engine`` accepts."""
    return (*ENGINES, NONE, AUTO)


@dataclass(frozen=True)
class Choice:
    """The engine that will speak (None: no voice) and a note for the user if it is not the
    one they named (empty otherwise)."""

    engine: Engine | None
    note: str = ""


def choose(name: str) -> Choice:
    """The installed engine for ``name``, or :class:`RenderError` saying how to install it.

    >>> choose("none")
    Choice(engine=None, note='')
    """
    if name == NONE:
        return Choice(None)
    if name == AUTO:
        for i, candidate in enumerate(_PREFERRED):
            engine = ENGINES[candidate]
            if engine.available():
                if i == 0:
                    return Choice(engine)
                first = ENGINES[_PREFERRED[0]]
                return Choice(
                    engine,
                    f"the {first.name} voice is not installed ({first.install}); "
                    f"speaking with {engine.name} instead",
                )
        installs = " or ".join(ENGINES[n].install for n in _PREFERRED)
        raise RenderError(
            f"no voice is installed: install one with {installs}, "
            f"or choose the voice '{NONE}' for captions only"
        )
    if name not in ENGINES:
        raise RenderError(
            f"unknown voice engine {name!r}; choose one of {', '.join(engine_names())}"
        )
    engine = ENGINES[name]
    if not engine.available():
        raise not_installed(engine)
    return Choice(engine)
