"""The speech cache: reused for the same (engine, version, voice, settings, text), atomic."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scenes.errors import NnwarpError, RenderError
from scenes.voice import cache, wavfile
from scenes.voice.config import VoiceConfig
from scenes.voice.speech import synthesize
from tests.voice.voice_fakes import FakeEngine, install_fake


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    return install_fake(monkeypatch)


@pytest.fixture
def voice(fake: FakeEngine) -> VoiceConfig:
    return VoiceConfig(engine="fake")


def test_the_second_call_reuses_the_clip(
    fake: FakeEngine,
    voice: VoiceConfig,
    tmp_path: Path,
) -> None:
    first = synthesize("The plane turns.", voice, tmp_path)
    again = synthesize("The plane turns.", voice, tmp_path)
    assert fake.calls == ["The plane turns."]
    assert again == first
    assert first.path is not None and first.path.parent == tmp_path
    assert first.duration == first.frames / 24_000 > 0


@pytest.mark.parametrize(
    "change",
    [
        {"text": "The plane flips."},
        {"voice": "high"},
        {"speed": 1.5},
        {"loudness": -20.0},
        {"release": "2.0"},  # another version of the engine
    ],
    ids=lambda c: next(iter(c)),
)
def test_a_new_text_or_setting_makes_new_speech(
    fake: FakeEngine, voice: VoiceConfig, tmp_path: Path, change: dict[str, object]
) -> None:
    synthesize("The plane turns.", voice, tmp_path)
    text = str(change.pop("text", "The plane turns."))
    fake.release = str(change.pop("release", fake.release))
    other = synthesize(text, dataclasses.replace(voice, **change), tmp_path)  # type: ignore[arg-type]
    assert len(fake.calls) == 2
    assert other.path is not None
    assert len(list(tmp_path.glob("*.wav"))) == 2


def test_the_pause_is_not_part_of_the_key(
    fake: FakeEngine,
    voice: VoiceConfig,
    tmp_path: Path,
) -> None:
    synthesize("Hi there.", voice, tmp_path)
    synthesize("Hi there.", dataclasses.replace(voice, pause=2.0), tmp_path)
    assert len(fake.calls) == 1


def test_symbols_are_spoken_as_words_and_keyed_as_spoken(
    fake: FakeEngine,
    voice: VoiceConfig,
    tmp_path: Path,
) -> None:
    a = synthesize("It turns 35°.", voice, tmp_path)
    b = synthesize("It turns 35 degrees.", voice, tmp_path)
    assert fake.calls == ["It turns 35 degrees."]
    assert a.path == b.path


def test_the_key_is_a_sha256_of_every_part() -> None:
    base = ("espeak", "1.51", "en-us", {"speed": 1.0}, "Hello.")
    key = cache.cache_key(*base)
    assert len(key) == 64 and int(key, 16) >= 0
    assert cache.cache_key(*base) == key
    for i, other in enumerate(("hibari", "1.52", "en-gb", {"speed": 1.1}, "Hello!")):
        parts = list(base)
        parts[i] = other
        assert cache.cache_key(*parts) != key  # type: ignore[arg-type]


def test_an_interrupted_synthesis_leaves_no_entry(
    fake: FakeEngine, voice: VoiceConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed(path: Path, samples: object, rate: int) -> None:
        Path(path).write_bytes(b"RIFF half a file")
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(cache, "write_wav", killed)
        with pytest.raises(KeyboardInterrupt):
            synthesize("Cut short.", voice, tmp_path)
    assert list(tmp_path.iterdir()) == []  # neither an entry nor a temporary
    speech = synthesize("Cut short.", voice, tmp_path)
    assert speech.path is not None and wavfile.read_wav(speech.path)[0].size == speech.frames


def test_a_damaged_entry_is_made_again(
    fake: FakeEngine,
    voice: VoiceConfig,
    tmp_path: Path,
) -> None:
    speech = synthesize("Again.", voice, tmp_path)
    assert speech.path is not None
    whole = speech.path.read_bytes()
    speech.path.write_bytes(whole[: len(whole) // 2])  # e.g. a disk that filled up
    again = synthesize("Again.", voice, tmp_path)
    assert len(fake.calls) == 2
    assert again.path is not None and again.path.read_bytes() == whole


def test_a_file_nnwarp_did_not_write_is_never_replaced(
    fake: FakeEngine,
    voice: VoiceConfig,
    tmp_path: Path,
) -> None:
    speech = synthesize("Mine.", voice, tmp_path)
    assert speech.path is not None
    speech.path.write_bytes(b"somebody's notes")
    with pytest.raises(RenderError, match="not written by nnwarp"):
        synthesize("Mine.", voice, tmp_path)
    assert speech.path.read_bytes() == b"somebody's notes"


def test_a_cache_folder_that_is_a_file_is_a_clear_error(
    fake: FakeEngine,
    voice: VoiceConfig,
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "voice"
    blocker.write_text("not a folder")
    with pytest.raises(NnwarpError, match="speech cache"):
        synthesize("Hello.", voice, blocker / "cache")
    assert blocker.read_text() == "not a folder"
