"""The real voices (skipped when not installed): offline, cached, at −16 LUFS, plausibly paced."""

from __future__ import annotations

import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from scenes.errors import RenderError
from scenes.voice import engine_hibari
from scenes.voice.config import VoiceConfig
from scenes.voice.engines import ENGINES
from scenes.voice.loudness import integrated_loudness, true_peak
from scenes.voice.speech import synthesize
from scenes.voice.wavfile import read_wav
from tests.voice.voice_fakes import need

SENTENCES = {
    "hibari": "The first layer turns the plane 35° and stretches it 2.3× along one direction.",
    "espeak": "After the tanh, every point lies inside the square, and the two classes separate.",
}


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach the network fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the voice tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(urllib.request, "urlopen", refuse)


@pytest.mark.parametrize("engine", ["hibari", "espeak"])
def test_real_speech_is_at_minus_16_lufs_and_plausible(
    engine: str, tmp_path: Path, offline: None
) -> None:
    need(engine)
    engine_hibari._load.cache_clear()  # load the model with the network refused too
    text = SENTENCES[engine]
    speech = synthesize(text, VoiceConfig(engine=engine), tmp_path)
    assert speech.path is not None and speech.engine == engine
    samples, rate = read_wav(speech.path)
    assert (rate, len(samples)) == (24_000, speech.frames)
    assert integrated_loudness(samples, rate) == pytest.approx(-16.0, abs=1.0)
    assert true_peak(samples, rate) <= -1.0  # never clipped
    words_per_second = len(text.split()) / speech.duration
    assert 1.5 < words_per_second < 4.0
    # speech fills the clip: no more than a quarter of its 50 ms windows are quiet
    windows = samples[: len(samples) // 1200 * 1200].reshape(-1, 1200)
    quiet = np.sqrt(np.mean(windows**2, axis=1)) < 10 ** (-50 / 20)
    assert quiet.mean() < 0.25


def test_espeak_runs_once_per_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    need("espeak")
    runs: list[list[str]] = []
    real_run = subprocess.run

    def counted(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        if "-w" in cmd:
            runs.append(cmd)
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    voice = VoiceConfig(engine="espeak")
    first = synthesize("The classes separate.", voice, tmp_path)
    again = synthesize("The classes separate.", voice, tmp_path)
    assert len(runs) == 1 and again == first
    synthesize("The classes separate.", VoiceConfig(engine="espeak", speed=1.3), tmp_path)
    assert len(runs) == 2


def test_hibari_runs_once_per_sentence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    need("hibari")
    engine = ENGINES["hibari"]
    calls: list[str] = []
    real_speak = engine.speak

    def counted(text: str, voice: str, speed: float) -> Any:
        calls.append(text)
        return real_speak(text, voice, speed)

    monkeypatch.setattr(engine, "speak", counted)
    first = synthesize("One layer at a time.", VoiceConfig(), tmp_path)
    assert synthesize("One layer at a time.", VoiceConfig(), tmp_path) == first
    assert calls == ["One layer at a time."]


def test_hibari_is_reproducible(tmp_path: Path) -> None:
    need("hibari")
    a = synthesize("Same words.", VoiceConfig(engine="hibari"), tmp_path / "a")
    b = synthesize("Same words.", VoiceConfig(engine="hibari"), tmp_path / "b")
    assert a.path is not None and b.path is not None
    assert a.path.read_bytes() == b.path.read_bytes()


def test_hibari_never_downloads_a_voice(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, offline: None
) -> None:
    need("hibari")
    monkeypatch.setenv("HIBARI_HOME", str(tmp_path / "empty"))
    with pytest.raises(RenderError, match="not on this machine and nnwarp downloads nothing"):
        synthesize("Hello.", VoiceConfig(engine="hibari", voice="emma"), tmp_path)
    with pytest.raises(RenderError, match="hibari has no voice 'nobody'"):
        synthesize("Hello.", VoiceConfig(engine="hibari", voice="nobody"), tmp_path)
    assert not (tmp_path / "empty").exists()


def test_an_unknown_espeak_voice_is_explained(tmp_path: Path) -> None:
    need("espeak")
    with pytest.raises(RenderError, match=r"espeak-ng could not speak with the voice 'xx-nowhere'"):
        synthesize("Hello.", VoiceConfig(engine="espeak", voice="xx-nowhere"), tmp_path)
    assert list(tmp_path.iterdir()) == []
