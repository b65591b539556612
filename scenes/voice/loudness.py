"""Loudness of speech: ITU-R BS.1770-4 integrated loudness, and normalisation without clipping.

The measurement follows BS.1770-4: a K-weighting pre-filter (a high shelf, then the RLB
high-pass), mean square over 400 ms blocks that overlap by 75 %, an absolute gate at
−70 LUFS and a relative gate 10 LU below the loudness of the blocks above it. Channels are
summed with weight 1 (left, right, centre; nnwarp's speech is mono). True peak is the
peak of the signal oversampled to at least 192 kHz (Annex 2).

>>> rate = 48_000
>>> t = np.arange(10 * rate) / rate
>>> round(integrated_loudness(np.sin(2 * np.pi * 997 * t), rate), 2)  # 0 dBFS sine, mono
-3.01
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ABSOLUTE_GATE",
    "CEILING",
    "RELATIVE_GATE",
    "TARGET",
    "integrated_loudness",
    "k_weighting",
    "normalize",
    "true_peak",
]

#: Loudness every clip of speech is brought to (LUFS).
TARGET = -16.0
#: The highest true peak a normalised clip may reach (dBTP).
CEILING = -1.0
#: Blocks quieter than this never count (LUFS).
ABSOLUTE_GATE = -70.0
#: Blocks this far below the loudness of the blocks above the absolute gate do not count (LU).
RELATIVE_GATE = -10.0

_BLOCK = 0.4  # seconds
_STEP = 0.1  # 75 % overlap
_OFFSET = -0.691  # makes a 997 Hz sine read as its RMS level in LUFS (K-filter gain)


def k_weighting(rate: float) -> NDArray[np.float64]:
    """The K-weighting filter at ``rate`` Hz as second-order sections (``scipy.signal.sosfilt``).

    The analogue parameters of both stages are those that reproduce the coefficients
    BS.1770-4 tabulates for 48 kHz, mapped to ``rate`` by the bilinear transform.

    >>> sos = k_weighting(48_000)
    >>> [round(float(c), 8) for c in sos[0]]  # stage 1, BS.1770-4 Table 1
    [1.53512486, -2.69169619, 1.19839281, 1.0, -1.69065929, 0.73248077]
    >>> [round(float(c), 8) for c in sos[1]]  # stage 2, Table 2
    [1.0, -2.0, 1.0, 1.0, -1.99004745, 0.99007225]
    """
    # Stage 1: a high shelf of about +4 dB above 1.5 kHz (the head's acoustic effect).
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh**0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf = [
        (vh + vb * k / q + k * k) / a0,
        2 * (k * k - vh) / a0,
        (vh - vb * k / q + k * k) / a0,
        1.0,
        2 * (k * k - 1) / a0,
        (1 - k / q + k * k) / a0,
    ]
    # Stage 2: the RLB high-pass (revised low-frequency B-curve).
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    highpass = [1.0, -2.0, 1.0, 1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0]
    return np.array([shelf, highpass])


def _channels(samples: ArrayLike) -> NDArray[np.float64]:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        return x[:, None]
    if x.ndim != 2:
        raise ValueError(f"audio must be (samples,) or (samples, channels), not {x.shape}")
    return x


def _block_power(samples: ArrayLike, rate: float) -> NDArray[np.float64]:
    """Channel-summed mean square of each gating block of the K-weighted signal."""
    x = _channels(samples)
    from scipy import signal  # imported here: 2 s, which a silent render should not pay

    weighted = signal.sosfilt(k_weighting(rate), x, axis=0)
    block, step = round(_BLOCK * rate), round(_STEP * rate)
    n = len(weighted)
    if n < block:  # shorter than one block: the whole signal is the only block
        return np.array([float(np.sum(np.mean(weighted**2, axis=0)))]) if n else np.zeros(0)
    squares = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(weighted**2, axis=0)])
    starts = np.arange(0, n - block + 1, step)
    per_channel = (squares[starts + block] - squares[starts]) / block
    return np.asarray(per_channel.sum(axis=1), dtype=np.float64)


def _lufs(power: NDArray[np.float64] | float) -> NDArray[np.float64]:
    with np.errstate(divide="ignore"):
        return np.asarray(_OFFSET + 10 * np.log10(power), dtype=np.float64)


def integrated_loudness(samples: ArrayLike, rate: float) -> float:
    """Gated integrated loudness in LUFS (``-inf`` for silence).

    ``samples`` is ``(n,)`` for mono or ``(n, channels)``; full scale is ±1. A signal
    shorter than one 400 ms block is measured as a single block.
    """
    power = _block_power(samples, rate)
    loud = power[_lufs(power) > ABSOLUTE_GATE]
    if not len(loud):
        return -math.inf
    relative = float(_lufs(float(np.mean(loud)))) + RELATIVE_GATE
    kept = loud[_lufs(loud) > relative]
    return float(_lufs(float(np.mean(kept))))


def true_peak(samples: ArrayLike, rate: float) -> float:
    """The true peak in dBTP: the largest magnitude of the signal oversampled to ≥ 192 kHz."""
    x = _channels(samples)
    if not x.size:
        return -math.inf
    peak = max(float(_peaks(x[:, c], rate).max()) for c in range(x.shape[1]))
    return 20 * math.log10(peak) if peak > 0 else -math.inf


def _peaks(x: NDArray[np.float64], rate: float) -> NDArray[np.float64]:
    """For each sample of mono ``x``, the largest magnitude of the oversampled signal from
    it to the next sample."""
    factor = max(1, math.ceil(192_000 / rate))
    if factor == 1:
        return np.abs(x)
    from scipy import signal

    over = np.abs(signal.resample_poly(x, factor, 1))
    return np.asarray(over.reshape(len(x), factor).max(axis=1), dtype=np.float64)


def _limiter_gain(peaks: NDArray[np.float64], ceiling: float, rate: float) -> NDArray[np.float64]:
    """A smooth gain (5 ms look-around) that brings every peak to ``ceiling`` (linear) or below."""
    need = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    width = 2 * max(1, round(0.005 * rate)) + 1
    # Averaging a running minimum of the same width never exceeds what a sample needs.
    from scipy import ndimage

    floor = ndimage.minimum_filter1d(need, width, mode="nearest")
    return np.asarray(ndimage.uniform_filter1d(floor, width, mode="nearest"), dtype=np.float64)


def normalize(
    samples: ArrayLike, rate: float, target: float = TARGET, ceiling: float = CEILING
) -> NDArray[np.float64]:
    """Mono ``samples`` brought to ``target`` LUFS, their true peak at most ``ceiling`` dBTP.

    The clip is scaled to the target; peaks that would then pass the ceiling are limited
    (a smooth gain dip over a few milliseconds, to half a dB below the ceiling) and the clip
    is measured and scaled again, at most a few times; a last plain scaling guarantees the
    ceiling. Speech ends within a fraction of a LU of the target. Silence cannot be
    normalised: :class:`ValueError`.
    """
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("normalize takes mono audio (one channel)")
    limit = 10 ** (ceiling / 20) * 0.999  # a hair under, for rounding to 16 bits
    for _ in range(3):
        level = integrated_loudness(x, rate)
        if not math.isfinite(level):
            raise ValueError("the audio is silent: its loudness cannot be set")
        x = x * 10 ** ((target - level) / 20)
        peaks = _peaks(x, rate)
        if peaks.max() <= limit:
            return x
        x = x * _limiter_gain(peaks, limit * 10 ** (-0.5 / 20), rate)
    peak = float(_peaks(x, rate).max())
    return x * (limit / peak) if peak > limit else x
