"""Beats lengthened to their speech, and the speech placed on the video's clock to the sample."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from nnmodel.errors import OutputError
from scenes.core.timeline import Beat, lengthen, timeline
from scenes.narration.text import Line
from scenes.voice.beats import speech_durations, voice_beats
from scenes.voice.config import VoiceConfig
from scenes.voice.speech import Speech
from scenes.voice.track import mix, write_track
from scenes.voice.wavfile import read_wav, write_wav
from tests.voice.voice_fakes import FakeEngine, install_fake, need

RATE = 24_000


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    return install_fake(monkeypatch)


def clip(folder: Path, name: str, samples: np.ndarray) -> Speech:
    path = folder / f"{name}.wav"
    write_wav(path, samples, RATE)
    return Speech(name, path, len(samples), "fake", "")


def test_each_clip_starts_on_its_sample(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    a = clip(tmp_path, "a", rng.uniform(-0.5, 0.5, 1000))
    b = clip(tmp_path, "b", rng.uniform(-0.5, 0.5, 700))
    track = mix([(0.25, a), (1.0 + 3 / RATE, b)], 2.0)
    assert len(track) == 2 * RATE
    sa, sb = read_wav(a.path)[0], read_wav(b.path)[0]  # type: ignore[arg-type]
    expected = np.zeros(2 * RATE)
    expected[6000:7000] = sa
    expected[24_003:24_703] = sb
    np.testing.assert_array_equal(track, expected)


def test_the_written_track_holds_the_clips_bit_for_bit(tmp_path: Path) -> None:
    a = clip(tmp_path, "a", np.linspace(-0.8, 0.8, 480))
    out = write_track([(0.5, a)], 1.0, tmp_path / "voice.wav")
    samples, rate = read_wav(out)
    assert rate == RATE and len(samples) == RATE
    np.testing.assert_array_equal(samples[12_000:12_480], read_wav(a.path)[0])  # type: ignore[arg-type]
    assert not samples[:12_000].any() and not samples[12_480:].any()


def test_a_clip_past_the_end_is_refused(tmp_path: Path) -> None:
    a = clip(tmp_path, "a", np.full(RATE, 0.1))
    with pytest.raises(ValueError, match="outside the 1.500 s track"):
        mix([(0.6, a)], 1.5)


def test_no_voice_gives_a_silent_track(tmp_path: Path) -> None:
    silent = Speech("Hi.", None, 0, "none", "")
    assert not mix([(0.0, silent)], 0.5).any()


def test_the_track_replaces_only_its_own_file(tmp_path: Path) -> None:
    a = clip(tmp_path, "a", np.full(10, 0.1))
    dst = tmp_path / "voice.wav"
    dst.write_text("a recording of mine")
    with pytest.raises(OutputError):
        write_track([(0.0, a)], 0.1, dst)
    assert dst.read_text() == "a recording of mine"
    dst.unlink()
    write_track([(0.0, a)], 0.1, dst)
    write_track([(0.05, a)], 0.1, dst)  # ours now: replaced
    assert read_wav(dst)[0][1200] == pytest.approx(0.1, abs=1e-4)


def plan() -> list[Beat]:
    return [
        Beat("title", "Intro", Line("Layer 1 · tanh", "squashes every coordinate"), 1.0),
        Beat("long", "Intro", Line("Hi"), 9.0),  # its animation outlasts its speech
        Beat("end", "Outro", Line("It turns the plane 35°"), 0.5),
    ]


def test_beats_last_as_long_as_their_speech_and_pause(fake: FakeEngine, tmp_path: Path) -> None:
    voice = VoiceConfig(engine="fake", pause=0.5)
    voiced = voice_beats(plan(), voice, tmp_path)
    assert fake.calls == [
        "Layer 1, tan h: squashes every coordinate.",
        "Hi.",
        "It turns the plane 35 degrees.",
    ]
    s = voiced.speech
    assert voiced.durations == {
        "title": s["title"].duration + 0.5,
        "long": 9.0,
        "end": s["end"].duration + 0.5,
    }
    assert (voiced.engine, voiced.note) == ("fake", "")
    assert speech_durations(plan(), voice, tmp_path) == voiced.durations
    assert len(fake.calls) == 3  # the second time, all from the cache


def test_durations_round_up_to_whole_frames(fake: FakeEngine, tmp_path: Path) -> None:
    voiced = voice_beats(plan(), VoiceConfig(engine="fake"), tmp_path, fps=15)
    for beat in plan():
        frames = voiced.durations[beat.id] * 15
        assert frames == pytest.approx(round(frames), abs=1e-9)
        need = max(beat.min_duration, voiced.speech[beat.id].duration + 0.5)
        assert need <= voiced.durations[beat.id] < need + 1 / 15


def test_a_voiced_plan_places_every_clip_at_its_beat(fake: FakeEngine, tmp_path: Path) -> None:
    voiced = voice_beats(plan(), VoiceConfig(engine="fake"), tmp_path)
    timed = timeline(lengthen(plan(), voiced.durations))
    clips = voiced.clips((t.beat.id, t.start, t.end) for t in timed)
    assert [start for start, _ in clips] == [t.start for t in timed]
    track = mix(clips, timed[-1].end)
    for t in timed:
        sound = read_wav(voiced.speech[t.beat.id].path)[0]  # type: ignore[arg-type]
        at = round(t.start * RATE)
        np.testing.assert_array_equal(track[at : at + len(sound)], sound)
        # the pause after each clip is quiet
        assert not track[at + len(sound) : round(t.end * RATE)].any()


def test_the_none_voice_leaves_the_plan_as_it_was(tmp_path: Path) -> None:
    voiced = voice_beats(plan(), VoiceConfig(engine="none"), tmp_path)
    assert (dict(voiced.speech), dict(voiced.durations), voiced.engine) == ({}, {}, "none")
    assert [b.length for b in lengthen(plan(), voiced.durations)] == [1.0, 9.0, 0.5]


def test_a_plan_voiced_by_espeak_twice_runs_espeak_once(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    need("espeak")
    runs: list[list[str]] = []
    real_run = subprocess.run

    def counted(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        runs.extend([cmd] if "-w" in cmd else [])
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", counted)
    voice = VoiceConfig(engine="espeak")
    first = voice_beats(plan(), voice, tmp_path)
    assert len(runs) == 3
    assert voice_beats(plan(), voice, tmp_path) == first
    assert len(runs) == 3
