"""The espeak-ng voice: Debian's formant synthesiser, robotic but everywhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from scenes.errors import RenderError
from scenes.voice.engine import Audio, Engine, not_installed
from scenes.voice.wavfile import read_wav

__all__ = ["EspeakEngine"]

#: espeak-ng's own default pace, in words per minute (speed 1.0).
WORDS_PER_MINUTE = 175


class EspeakEngine(Engine):
    """The ``espeak-ng`` program (``-w`` writes a 22,050 Hz 16-bit WAV)."""

    name = "espeak"
    install = "apt-get install espeak-ng"
    default_voice = "en-us"
    program = "espeak-ng"

    def available(self) -> bool:
        return shutil.which(self.program) is not None

    def version(self) -> str:
        return _version(self._path())

    def _path(self) -> str:
        path = shutil.which(self.program)
        if path is None:
            raise not_installed(self)
        return path

    def speak(self, text: str, voice: str, speed: float) -> Audio:
        rate = round(WORDS_PER_MINUTE * speed)
        with tempfile.TemporaryDirectory(prefix="nnwarp-espeak-") as tmp:
            out = Path(tmp) / "speech.wav"
            # The text goes through stdin: a line starting with "-" is not an option.
            cmd = [self._path(), "-v", voice, "-s", str(rate), "-w", str(out), "--stdin"]
            done = subprocess.run(cmd, input=text, capture_output=True, text=True, check=False)
            if done.returncode != 0 or not out.exists():
                said = (done.stderr.strip().splitlines() or ["no message"])[-1]
                raise RenderError(
                    f"espeak-ng could not speak with the voice {voice!r} ({said}); "
                    "`espeak-ng --voices=en` lists the English voices"
                )
            samples, sample_rate = read_wav(out)
        return Audio(samples, sample_rate)


@lru_cache(maxsize=2)
def _version(program: str) -> str:
    said = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"text-to-speech:\s*(\S+)", said.stdout)
    return found.group(1) if found else said.stdout.strip()[:80]
