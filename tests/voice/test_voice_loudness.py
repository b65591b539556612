"""Loudness (ITU-R BS.1770-4) against the EBU Tech 3341 test signals, and normalisation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenes.voice.loudness import integrated_loudness, k_weighting, normalize, true_peak

RATE = 48_000


def sine(dbfs: float, seconds: float, freq: float = 1000.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t)


def stereo(*parts: np.ndarray) -> np.ndarray:
    x = np.concatenate(parts)
    return np.stack([x, x], axis=1)


def test_a_full_scale_997_hz_sine_in_one_channel_reads_minus_3_01() -> None:
    # BS.1770-4, 2.1: a 0 dB FS 1 kHz sine in the left, centre or right channel: -3.01 LKFS.
    assert integrated_loudness(sine(0, 5, 997), RATE) == pytest.approx(-3.01, abs=0.01)


@pytest.mark.parametrize(
    ("case", "parts", "expected"),
    [
        ("3341 case 1", [(-23, 20)], -23.0),
        ("3341 case 2", [(-33, 20)], -33.0),
        ("3341 case 3 (relative gate)", [(-36, 10), (-23, 60), (-36, 10)], -23.0),
        (
            "3341 case 4 (both gates)",
            [(-72, 10), (-36, 10), (-23, 60), (-36, 10), (-72, 10)],
            -23.0,
        ),
        ("3341 case 5", [(-26, 20), (-20, 20.1), (-26, 20)], -23.0),
    ],
)
def test_ebu_tech_3341_stereo_sines(
    case: str, parts: list[tuple[int, float]], expected: float
) -> None:
    # EBU Tech 3341 (2016), table 1: 1 kHz sines in both channels, tolerance ±0.1 LU.
    signal = stereo(*(sine(db, s) for db, s in parts))
    assert integrated_loudness(signal, RATE) == pytest.approx(expected, abs=0.1), case


def test_a_mono_sine_at_minus_23_dbfs_is_3_db_quieter_than_in_stereo() -> None:
    assert integrated_loudness(sine(-23, 10), RATE) == pytest.approx(-26.01, abs=0.05)


@pytest.mark.parametrize("rate", [22_050, 24_000, 44_100])
def test_the_k_filter_is_the_same_at_other_rates(rate: int) -> None:
    # a mono sine at -20 dBFS: its mean square is 3.01 dB below its peak
    assert integrated_loudness(sine(-20, 5, 997, rate), rate) == pytest.approx(-23.01, abs=0.05)
    # above the shelf too it reads as at 48 kHz (within Tech 3341's ±0.1 LU)
    high = integrated_loudness(sine(-20, 5, 4000, rate), rate)
    assert high == pytest.approx(integrated_loudness(sine(-20, 5, 4000), RATE), abs=0.1)


def test_the_highpass_cuts_deep_bass() -> None:
    # the RLB stage: 20 Hz is about 13 dB down against 997 Hz (BS.1770-4, figure 2)
    drop = integrated_loudness(sine(-20, 5, 997), RATE) - integrated_loudness(
        sine(-20, 5, 20), RATE
    )
    assert 10 < drop < 16


def test_the_48_khz_filter_is_the_one_the_standard_tabulates() -> None:
    sos = k_weighting(48_000)
    assert sos[0] == pytest.approx(
        [
            1.53512485958697,
            -2.69169618940638,
            1.19839281085285,
            1,
            -1.69065929318241,
            0.73248077421585,
        ]
    )
    assert sos[1] == pytest.approx([1, -2, 1, 1, -1.99004745483398, 0.99007225036621])


def test_silence_has_no_loudness_and_cannot_be_normalised() -> None:
    assert integrated_loudness(np.zeros(RATE), RATE) == -math.inf
    with pytest.raises(ValueError, match="silent"):
        normalize(np.zeros(RATE), RATE)


def test_true_peak_finds_the_peak_between_samples() -> None:
    # a sine at a quarter of the sample rate, sampled 45° off its crests: every sample is
    # at ±0.707 (-3 dBFS) while the wave between them reaches 1.0 (0 dBTP)
    n = np.arange(RATE)
    x = np.sin(np.pi / 2 * n + np.pi / 4)
    assert 20 * np.log10(np.max(np.abs(x))) == pytest.approx(-3.01, abs=0.01)
    # EBU Tech 3341's true-peak tolerance: +0.2 / -0.4 dB
    assert -0.4 <= true_peak(x, RATE) <= 0.2


def test_normalising_reaches_the_target_without_passing_the_ceiling() -> None:
    rng = np.random.default_rng(0)
    # a quiet, spiky signal: raising it to -16 LUFS would put its clicks far above full scale
    x = 0.01 * rng.standard_normal(5 * RATE)
    x[:: RATE // 3] = 0.5
    out = normalize(x, RATE, target=-16.0)
    assert integrated_loudness(out, RATE) == pytest.approx(-16.0, abs=0.5)
    assert true_peak(out, RATE) <= -1.0


@pytest.mark.parametrize("target", [-23.0, -16.0])
def test_a_plain_tone_is_normalised_exactly(target: float) -> None:
    out = normalize(sine(-40, 3, 440), RATE, target=target)
    assert integrated_loudness(out, RATE) == pytest.approx(target, abs=0.01)


def test_a_clip_shorter_than_one_block_is_measured_whole() -> None:
    assert integrated_loudness(sine(-20, 0.3, 997), RATE) == pytest.approx(-23.01, abs=0.05)
