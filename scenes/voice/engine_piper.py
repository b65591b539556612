"""The Piper voice (optional): a neural voice from a local ``.onnx`` file and its ``.onnx.json``."""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from scenes.errors import RenderError
from scenes.voice.engine import Audio, Engine, not_installed

__all__ = ["PiperEngine"]


@lru_cache(maxsize=2)
def _load(model: str) -> Any:
    from piper import PiperVoice

    return PiperVoice.load(model)


class PiperEngine(Engine):
    """``piper-tts`` 1.3 or later; the voice is the path of a Piper model already on disk
    (nnwarp never downloads one)."""

    name = "piper"
    install = "pip install piper-tts (and give the path of a Piper voice .onnx file as the voice)"
    default_voice = ""

    def available(self) -> bool:
        return importlib.util.find_spec("piper") is not None and _has_dist()

    def version(self) -> str:
        try:
            return importlib.metadata.version("piper-tts")
        except importlib.metadata.PackageNotFoundError as e:
            raise not_installed(self) from e

    def check_voice(self, voice: str) -> None:
        model = Path(voice)
        if not voice or model.suffix != ".onnx":
            raise RenderError(
                "the piper voice must be the path of a Piper voice model (a .onnx file with "
                f"its .onnx.json beside it), not {voice!r}"
            )
        for needed in (model, model.with_name(model.name + ".json")):
            if not needed.is_file():
                raise RenderError(f"the piper voice file {needed} does not exist")

    def voice_key(self, voice: str) -> str:
        """The model's path, size and time of change: another file under the same name is
        another voice."""
        model = Path(voice).resolve()
        stat = model.stat()
        return f"{model}:{stat.st_size}:{stat.st_mtime_ns}"

    def speak(self, text: str, voice: str, speed: float) -> Audio:
        from piper import SynthesisConfig

        tts = _load(str(Path(voice).resolve()))
        chunks = list(tts.synthesize(text, syn_config=SynthesisConfig(length_scale=1 / speed)))
        if not chunks:
            return Audio(np.zeros(0), int(tts.config.sample_rate))
        samples = np.concatenate([np.asarray(c.audio_float_array, np.float64) for c in chunks])
        return Audio(samples, int(chunks[0].sample_rate))


def _has_dist() -> bool:
    try:
        importlib.metadata.version("piper-tts")
    except importlib.metadata.PackageNotFoundError:
        return False
    return True
