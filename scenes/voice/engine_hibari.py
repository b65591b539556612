"""The hibari voice: a small neural English voice that ships inside its pip package."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import lru_cache
from typing import Any

import numpy as np

from scenes.errors import RenderError
from scenes.voice.engine import Audio, Engine, not_installed

__all__ = ["HibariEngine"]


@lru_cache(maxsize=4)
def _load(voice: str) -> Any:
    """The loaded model for ``voice`` (loading takes a second; it is kept for the process)."""
    from hibari import Hibari
    from hibari.voices import voice_path

    return Hibari(model=voice_path(voice, download_missing=False), voice=voice)


class HibariEngine(Engine):
    """``hibari-tts`` (Apache-2.0): ONNX model and lexicon in the wheel, 24 kHz output.

    Only voices already on the machine are used: the package's own (``heart``), or one
    the user fetched before; nnwarp never lets hibari download a voice.
    """

    name = "hibari"
    install = "pip install hibari-tts"
    default_voice = "heart"
    #: Fixes hibari's noise component, so the same text always gives the same audio.
    seed = 0

    def available(self) -> bool:
        return all(importlib.util.find_spec(m) is not None for m in ("hibari", "onnxruntime"))

    def version(self) -> str:
        try:
            return importlib.metadata.version("hibari-tts")
        except importlib.metadata.PackageNotFoundError as e:
            raise not_installed(self) from e

    def check_voice(self, voice: str) -> None:
        from hibari.voices import VOICES, voice_path

        here = [n for n in VOICES if _on_disk(voice_path, n)]
        if voice not in VOICES:
            raise RenderError(
                f"hibari has no voice {voice!r}; the voices on this machine are: {', '.join(here)}"
            )
        if voice not in here:
            raise RenderError(
                f"the hibari voice {voice!r} is not on this machine and nnwarp downloads nothing "
                f"while it renders; use one of: {', '.join(here)}"
            )

    def speak(self, text: str, voice: str, speed: float) -> Audio:
        try:
            tts = _load(voice)
        except ImportError as e:
            raise not_installed(self, str(e)) from e
        samples = tts(text, speed=speed, seed=self.seed)
        return Audio(np.asarray(samples, dtype=np.float64), int(tts.sample_rate))


def _on_disk(voice_path: Any, name: str) -> bool:
    try:
        voice_path(name, download_missing=False)
    except FileNotFoundError:
        return False
    return True
