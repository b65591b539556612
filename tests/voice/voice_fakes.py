"""A fake voice engine that counts its calls, and skips for engines that are not installed."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.voice.engine import Audio, Engine
from scenes.voice.engines import ENGINES


class FakeEngine(Engine):
    """Speaks a tone burst at 16 kHz: 0.05 s per character, pitch from the voice name."""

    name = "fake"
    install = "pip install fake-voice"
    default_voice = "low"

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.release = "1.0"

    def available(self) -> bool:
        return True

    def version(self) -> str:
        return self.release

    def speak(self, text: str, voice: str, speed: float) -> Audio:
        self.calls.append(text)
        rate = 16_000
        t = np.arange(round(0.05 * len(text) / speed * rate)) / rate
        pitch = 220.0 if voice == "low" else 440.0
        tone = 0.1 * np.sin(2 * np.pi * pitch * t) * np.hanning(len(t))
        silence = np.zeros(rate // 4)
        return Audio(np.concatenate([silence, tone, silence]), rate)


def install_fake(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    """A fresh fake engine, registered as ``fake`` for one test."""
    engine = FakeEngine()
    monkeypatch.setitem(ENGINES, "fake", engine)
    return engine


def need(name: str) -> None:
    """Skip the test unless the engine ``name`` is installed (CI installs hibari and espeak)."""
    engine = ENGINES[name]
    if not engine.available():
        pytest.skip(f"the {name} voice is not installed ({engine.install})")
