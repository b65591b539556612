"""An offline voice for the narration: engines, speech cache, loudness, the voice track.

Pure Python (numpy, scipy; the engines' own packages when installed): no Manim, no torch.

>>> import tempfile
>>> from pathlib import Path
>>> synthesize("Hello.", VoiceConfig(engine="none"), Path(tempfile.mkdtemp())).duration
0.0
"""

from __future__ import annotations

from scenes.voice.beats import BeatVoices, speech_durations, voice_beats
from scenes.voice.cleanup import speakable
from scenes.voice.clip import SAMPLE_RATE
from scenes.voice.config import VoiceConfig
from scenes.voice.engines import ENGINES, choose, engine_names
from scenes.voice.loudness import TARGET, integrated_loudness, normalize, true_peak
from scenes.voice.speech import DEFAULT_CACHE, Speech, synthesize
from scenes.voice.track import mix, write_track

__all__ = [
    "DEFAULT_CACHE",
    "ENGINES",
    "SAMPLE_RATE",
    "TARGET",
    "BeatVoices",
    "Speech",
    "VoiceConfig",
    "choose",
    "engine_names",
    "integrated_loudness",
    "mix",
    "normalize",
    "speakable",
    "speech_durations",
    "synthesize",
    "true_peak",
    "voice_beats",
    "write_track",
]
