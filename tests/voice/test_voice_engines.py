"""Choosing the engine: how to install a missing one, fallback only when asked, no voice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scenes.errors import RenderError
from scenes.voice.config import VoiceConfig
from scenes.voice.engines import ENGINES, choose
from scenes.voice.speech import synthesize


def uninstall(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    for name in names:
        monkeypatch.setattr(ENGINES[name], "available", lambda: False)


@pytest.mark.parametrize(
    ("engine", "install"),
    [("hibari", "pip install hibari-tts"), ("espeak", "apt-get install espeak-ng")],
)
def test_a_missing_engine_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engine: str, install: str
) -> None:
    uninstall(monkeypatch, engine)
    with pytest.raises(RenderError) as caught:
        synthesize("Hello.", VoiceConfig(engine=engine), tmp_path)
    assert str(caught.value) == (f"the {engine} voice is not installed; install it with: {install}")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_espeak_program_is_found_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on the PATH
    with pytest.raises(RenderError, match="apt-get install espeak-ng"):
        synthesize("Hello.", VoiceConfig(engine="espeak"), tmp_path)


def test_a_named_engine_never_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    uninstall(monkeypatch, "hibari")
    monkeypatch.setattr(ENGINES["espeak"], "available", lambda: True)
    with pytest.raises(RenderError, match="pip install hibari-tts"):
        choose("hibari")


def test_auto_falls_back_to_espeak_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    uninstall(monkeypatch, "hibari")
    monkeypatch.setattr(ENGINES["espeak"], "available", lambda: True)
    choice = choose("auto")
    assert choice.engine is ENGINES["espeak"]
    assert choice.note == (
        "the hibari voice is not installed (pip install hibari-tts); speaking with espeak instead"
    )


def test_auto_prefers_hibari_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ENGINES["hibari"], "available", lambda: True)
    assert choose("auto").engine is ENGINES["hibari"]
    assert choose("auto").note == ""


def test_auto_with_no_engine_names_both_installs(monkeypatch: pytest.MonkeyPatch) -> None:
    uninstall(monkeypatch, "hibari", "espeak")
    with pytest.raises(RenderError) as caught:
        choose("auto")
    message = str(caught.value)
    assert "pip install hibari-tts" in message and "apt-get install espeak-ng" in message
    assert "'none'" in message


def test_the_none_voice_speaks_nothing_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    uninstall(monkeypatch, "hibari", "espeak")  # needs no engine at all
    speech = synthesize("Layer 1 turns the plane.", VoiceConfig(engine="none"), tmp_path)
    assert (speech.path, speech.frames, speech.duration, speech.engine) == (None, 0, 0.0, "none")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"engine": "hibary"}, "unknown voice engine 'hibary' (did you mean 'hibari'?)"),
        ({"engine": "festival"}, "choose one of hibari, espeak, piper, none, auto"),
        ({"speed": 3}, "speed must be a number from 0.5 to 2"),
        ({"speed": "fast"}, "speed must be a number"),
        ({"speed": float("nan")}, "speed must be a number"),
        ({"pause": -1}, "pause must be a number from 0 to 10"),
        ({"loudness": 0}, "loudness must be a number from -40 to -6"),
        ({"voice": 3}, "the voice must be a name"),
    ],
)
def test_bad_settings_are_explained(fields: dict[str, object], message: str) -> None:
    with pytest.raises(RenderError, match=re.escape(message)):
        VoiceConfig(**fields)  # type: ignore[arg-type]


def test_a_piper_voice_must_be_a_model_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(ENGINES["piper"], "available", lambda: True)
    monkeypatch.setattr(ENGINES["piper"], "version", lambda: "1.8.0")
    with pytest.raises(RenderError, match="path of a Piper voice model"):
        synthesize("Hi.", VoiceConfig(engine="piper", voice="en_US-lessac"), tmp_path)
    with pytest.raises(RenderError, match="does not exist"):
        synthesize("Hi.", VoiceConfig(engine="piper", voice=str(tmp_path / "v.onnx")), tmp_path)
