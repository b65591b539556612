"""An engine's raw audio made into a clip: one sample rate, quiet ends trimmed, loudness set."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from scenes.voice.engine import Audio
from scenes.voice.loudness import normalize

__all__ = ["SAMPLE_RATE", "finish", "resample", "trim"]

#: The sample rate of every clip and of the voice track (hibari's own rate).
SAMPLE_RATE = 24_000
#: Quieter than this below the loudest 10 ms counts as silence at the ends (dB).
SILENCE = -45.0
#: Kept before the first and after the last sound (seconds): breaths and decays.
MARGIN = (0.03, 0.08)


def resample(samples: NDArray[np.float64], rate: int, to: int = SAMPLE_RATE) -> NDArray[np.float64]:
    """``samples`` at ``to`` Hz (polyphase filter; exact when the rates are equal)."""
    if rate == to or not len(samples):
        return samples
    g = math.gcd(rate, to)
    from scipy import signal  # imported here: 2 s, which a silent render should not pay

    return np.asarray(signal.resample_poly(samples, to // g, rate // g), dtype=np.float64)


def trim(samples: NDArray[np.float64], rate: int) -> NDArray[np.float64]:
    """``samples`` without the silence at both ends (beyond a short margin).

    >>> x = np.concatenate([np.zeros(24_000), np.ones(2_400), np.zeros(24_000)])
    >>> round(len(trim(x, 24_000)) / 24_000, 3)  # 0.1 s of sound, 0.03 s before, 0.08 after
    0.21
    """
    window = max(1, round(0.01 * rate))
    from scipy import ndimage

    power = ndimage.uniform_filter1d(samples**2, window, mode="constant")
    if not len(power) or power.max() <= 0:
        return samples[:0]
    loud = np.flatnonzero(power > power.max() * 10 ** (SILENCE / 10))
    # the filter spreads each sound by half a window: add it back to the margins
    first = max(0, loud[0] + window // 2 - round(MARGIN[0] * rate))
    last = min(len(samples), loud[-1] - window // 2 + 1 + round(MARGIN[1] * rate))
    return samples[first:last]


def finish(audio: Audio, loudness: float) -> NDArray[np.float64]:
    """A clip from an engine's ``audio``: mono at :data:`SAMPLE_RATE`, trimmed, at
    ``loudness`` LUFS with its true peak under −1 dBTP. Raises :class:`ValueError` if the
    engine produced silence."""
    x = trim(resample(np.asarray(audio.samples, np.float64), audio.rate), SAMPLE_RATE)
    return normalize(x, SAMPLE_RATE, loudness)
