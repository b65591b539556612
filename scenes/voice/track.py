"""One voice track for a video: each clip of speech at its start, silence elsewhere.

Clips are placed to the sample: a clip starting at ``t`` seconds begins at sample
``round(t * rate)``. Clips that overlap (by a rounding sample, say) are added.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> clip = folder / "c.wav"
>>> write_wav(clip, np.full(3, 0.5), SAMPLE_RATE)
>>> speech = Speech("Hi.", clip, 3, "fake", "")
>>> samples = mix([(2 / SAMPLE_RATE, speech)], 6 / SAMPLE_RATE)
>>> samples.round(3).tolist()
[0.0, 0.0, 0.5, 0.5, 0.5, 0.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from nnmodel.fileio import atomic_file
from scenes.voice.clip import SAMPLE_RATE
from scenes.voice.speech import Speech
from scenes.voice.wavfile import is_ours, read_wav, write_wav

__all__ = ["mix", "write_track"]


def mix(clips: Sequence[tuple[float, Speech]], total: float) -> NDArray[np.float64]:
    """The samples of a ``total``-second track with each ``(start seconds, speech)`` placed.

    Speech without audio (the ``none`` voice) is skipped. A clip starting before 0 or
    ending after ``total`` is a :class:`ValueError` (the video must be long enough).
    """
    n = round(total * SAMPLE_RATE)
    out = np.zeros(max(n, 0))
    for start, speech in clips:
        if speech.path is None or not speech.frames:
            continue
        samples, rate = read_wav(speech.path)
        if rate != SAMPLE_RATE:
            raise ValueError(f"{speech.path} is at {rate} Hz, not {SAMPLE_RATE} Hz")
        at = round(start * SAMPLE_RATE)
        if at < 0 or at + len(samples) > n:
            raise ValueError(
                f"the speech {speech.text[:40]!r} at {start:.3f} s lasts {speech.duration:.3f} s, "
                f"outside the {total:.3f} s track"
            )
        out[at : at + len(samples)] += samples
    return out


def write_track(clips: Sequence[tuple[float, Speech]], total: float, dst: Path) -> Path:
    """Write :func:`mix`'s track to ``dst`` as a 16-bit mono WAV (atomically; an existing
    ``dst`` is replaced only if nnwarp wrote it)."""
    samples = np.clip(mix(clips, total), -1.0, 1.0)
    with atomic_file(Path(dst), still_ours=is_ours) as tmp:
        write_wav(tmp, samples, SAMPLE_RATE)
    return Path(dst)
