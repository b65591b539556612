"""The speech cache: one WAV per (engine, engine version, voice, settings, text), named by sha256.

An entry is written to a temporary file and renamed into place, so an interrupted
synthesis leaves no entry (and no broken one); the next run makes it again.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> key = cache_key("espeak", "1.51", "en-us", {"speed": 1.0}, "Hello.")
>>> lookup(folder, key) is None
True
>>> path = store(folder, key, np.zeros(100))
>>> lookup(folder, key) == (path, 100)
True
"""

from __future__ import annotations

import hashlib
import json
import wave
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from nnmodel.fileio import atomic_file, clean_stale
from scenes.errors import RenderError
from scenes.voice.clip import SAMPLE_RATE
from scenes.voice.wavfile import frames_of, is_ours, write_wav

__all__ = ["PIPELINE", "cache_key", "entry", "lookup", "store"]

#: Changes whenever nnwarp changes what it does to an engine's audio (rate, trim, loudness),
#: so entries made the old way are not reused.
PIPELINE = 1


def cache_key(
    engine: str, version: str, voice: str, settings: Mapping[str, object], text: str
) -> str:
    """The sha256 (hex) naming the speech of ``text`` made with these engine and settings."""
    payload = {
        "pipeline": PIPELINE,
        "rate": SAMPLE_RATE,
        "engine": engine,
        "version": version,
        "voice": voice,
        "settings": dict(settings),
        "text": text,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def entry(folder: Path, key: str) -> Path:
    """Where the entry for ``key`` lives."""
    return Path(folder) / f"{key}.wav"


def lookup(folder: Path, key: str) -> tuple[Path, int] | None:
    """The cached WAV for ``key`` and its length in samples, or None if there is none.

    An entry that cannot be read (a damaged disk, say) counts as missing and is made
    again; a file there that nnwarp did not write is an error (it is never replaced).
    """
    path = entry(folder, key)
    if not (path.exists() or path.is_symlink()):
        return None
    if path.is_symlink() or not path.is_file() or not is_ours(path):
        raise RenderError(
            f"{path} is in the speech cache but was not written by nnwarp; move it away"
        )
    try:
        frames, rate = frames_of(path)
    except (OSError, EOFError, wave.Error):
        return None
    return (path, frames) if rate == SAMPLE_RATE else None


def store(folder: Path, key: str, samples: NDArray[np.float64]) -> Path:
    """Write ``samples`` as the entry for ``key`` (atomically) and return its path."""
    folder = Path(folder)
    path = entry(folder, key)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clean_stale(folder)
        with atomic_file(path, still_ours=is_ours) as tmp:
            write_wav(tmp, samples, SAMPLE_RATE)
    except (FileExistsError, NotADirectoryError, PermissionError) as e:
        raise RenderError(
            f"cannot write the speech cache in {folder} ({e.strerror}); "
            "choose a folder you can write to"
        ) from e
    return path
