"""WAV files of speech: 16-bit mono PCM, marked as nnwarp's, read back with the standard library.

Every WAV nnwarp writes carries an ``INFO``/``ISFT`` chunk naming it, before its samples,
so a later run can tell its own files (which it may replace) from anybody else's.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "a.wav"
>>> write_wav(path, np.array([0.0, 0.5, -0.5]), 24_000)
>>> read_wav(path)[0].round(3).tolist(), is_ours(path)
([0.0, 0.5, -0.5], True)
"""

from __future__ import annotations

import os
import struct
import wave
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nnmodel import __version__

__all__ = ["MARK", "frames_of", "is_ours", "pcm16", "read_wav", "write_wav"]

#: The words in every WAV nnwarp writes (as in its other outputs).
MARK = "written by nnwarp"
_SOFTWARE = f"{MARK} {__version__}".encode("ascii")


def pcm16(samples: ArrayLike) -> NDArray[np.int16]:
    """Float samples (full scale ±1) as 16-bit integers, rounded; beyond full scale is clipped."""
    x = np.asarray(samples, dtype=np.float64)
    return np.asarray(np.clip(np.round(x * 32767.0), -32768, 32767), dtype=np.int16)


def _chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + (b"\0" if len(body) % 2 else b"")


def write_wav(path: Path, samples: ArrayLike, rate: int) -> None:
    """Write mono ``samples`` (floats, full scale ±1, or int16) to ``path`` as 16-bit PCM.

    Write to a temporary path (:func:`nnmodel.fileio.atomic_file`) when ``path`` matters.
    """
    x = np.asarray(samples)
    pcm = x.astype("<i2") if x.dtype == np.int16 else pcm16(x).astype("<i2")
    if pcm.ndim != 1:
        raise ValueError("write_wav writes mono audio (one channel)")
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    info = _chunk(b"LIST", b"INFO" + _chunk(b"ISFT", _SOFTWARE + b"\0"))
    body = b"WAVE" + _chunk(b"fmt ", fmt) + info + _chunk(b"data", pcm.tobytes())
    Path(path).write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)


def read_wav(path: Path) -> tuple[NDArray[np.float64], int]:
    """The samples of a 16-bit PCM WAV (channels averaged to mono, full scale ±1) and its rate.

    Raises :class:`wave.Error` or :class:`EOFError` for a file that is not such a WAV.
    """
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2:
            raise wave.Error(f"{path} is not 16-bit PCM")
        channels, rate, n = w.getnchannels(), w.getframerate(), w.getnframes()
        raw = w.readframes(n)
    if len(raw) != n * channels * 2:
        raise EOFError(f"{path} is shorter than its header says")
    pcm = np.frombuffer(raw, dtype="<i2").reshape(-1, channels)
    return pcm.mean(axis=1) / 32767.0, rate


def frames_of(path: Path) -> tuple[int, int]:
    """``(sample frames, rate)`` of a WAV from its header, checking its data is all there."""
    with wave.open(str(path), "rb") as w:
        n, rate, width, channels = (
            w.getnframes(),
            w.getframerate(),
            w.getsampwidth(),
            w.getnchannels(),
        )
    expected = n * width * channels
    with open(path, "rb") as f:
        head = f.read(4096)
    at = head.find(b"data")
    if at < 0 or os.path.getsize(path) < at + 8 + expected:
        raise EOFError(f"{path} is shorter than its header says")
    return n, rate


def is_ours(path: Path) -> bool:
    """Whether ``path`` is a WAV that nnwarp wrote (its mark in the first bytes)."""
    try:
        with open(path, "rb") as f:
            head = f.read(256)
    except OSError:
        return False
    return head.startswith(b"RIFF") and MARK.encode("ascii") in head
