"""Text to a clip of speech on disk, through the cache: :func:`synthesize`.

>>> import tempfile
>>> quiet = synthesize("Hello.", VoiceConfig(engine="none"), Path(tempfile.mkdtemp()))
>>> quiet.path, quiet.duration
(None, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scenes.errors import RenderError
from scenes.voice.cache import cache_key, lookup, store
from scenes.voice.cleanup import speakable
from scenes.voice.clip import SAMPLE_RATE, finish
from scenes.voice.config import VoiceConfig
from scenes.voice.engine import Engine
from scenes.voice.engines import NONE, choose

__all__ = ["DEFAULT_CACHE", "Speech", "speak", "synthesize"]

#: Where the speech cache lives unless the caller says otherwise.
DEFAULT_CACHE = Path("media") / "voice"


@dataclass(frozen=True)
class Speech:
    """One clip of speech: a 16-bit mono WAV at :data:`SAMPLE_RATE` (None: no voice)."""

    text: str
    path: Path | None
    frames: int
    engine: str
    voice: str

    @property
    def sample_rate(self) -> int:
        """Samples per second of the clip."""
        return SAMPLE_RATE

    @property
    def duration(self) -> float:
        """The clip's exact length in seconds (its samples over the sample rate)."""
        return self.frames / SAMPLE_RATE


def synthesize(text: str, voice: VoiceConfig, cache_dir: Path = DEFAULT_CACHE) -> Speech:
    """``text`` spoken as ``voice`` says, from the cache in ``cache_dir`` when it is there.

    The engine is run only for text it has not spoken before with the same engine
    version, voice and settings. A missing engine is a :class:`RenderError` saying how to
    install it; ``engine="auto"`` falls back to espeak-ng (the returned speech names the
    engine that spoke).
    """
    return speak(choose(voice.engine).engine, text, voice, cache_dir)


def speak(engine: Engine | None, text: str, voice: VoiceConfig, cache_dir: Path) -> Speech:
    """``text`` spoken by ``engine`` (None: no voice) with ``voice``'s settings, cached."""
    said = speakable(text)
    if engine is None or not said:
        return Speech(said, None, 0, NONE if engine is None else engine.name, "")
    name = voice.voice or engine.default_voice
    engine.check_voice(name)
    settings = {"speed": float(voice.speed), "loudness": float(voice.loudness)}
    key = cache_key(engine.name, engine.version(), engine.voice_key(name), settings, said)
    hit = lookup(cache_dir, key)
    if hit is None:
        audio = engine.speak(said, name, float(voice.speed))
        try:
            samples = finish(audio, float(voice.loudness))
        except ValueError as e:
            raise RenderError(f"the {engine.name} voice said nothing for {said!r}") from e
        hit = (store(cache_dir, key, samples), len(samples))
    return Speech(said, hit[0], hit[1], engine.name, name)
