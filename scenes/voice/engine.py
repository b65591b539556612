"""What every voice engine is: text in, mono audio out, and how to install it when it is missing."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scenes.errors import RenderError

__all__ = ["Audio", "Engine", "not_installed"]


@dataclass(frozen=True)
class Audio:
    """Mono samples (floats, full scale ±1) at ``rate`` Hz, as an engine made them."""

    samples: NDArray[np.float64]
    rate: int


class Engine(ABC):
    """A text-to-speech engine that runs offline.

    Subclasses name themselves, say how to install what they need, and speak. Nothing an
    engine does may download anything: a voice must already be on the machine.
    """

    #: The name users choose it by (``VoiceConfig.engine``).
    name: str = ""
    #: The command that installs it, for error messages.
    install: str = ""
    #: The voice used when the configuration names none.
    default_voice: str = ""

    @abstractmethod
    def available(self) -> bool:
        """Whether the engine is installed (cheap: nothing is loaded)."""

    @abstractmethod
    def version(self) -> str:
        """The engine's version (part of the speech cache key)."""

    def check_voice(self, voice: str) -> None:
        """Raise :class:`RenderError` if ``voice`` cannot be used offline (default: any)."""
        return None

    def voice_key(self, voice: str) -> str:
        """What identifies ``voice`` in the speech cache key (default: its name)."""
        return voice

    @abstractmethod
    def speak(self, text: str, voice: str, speed: float) -> Audio:
        """``text`` spoken by ``voice`` at ``speed`` (1.0: the engine's normal pace)."""


def not_installed(engine: Engine, why: str = "") -> RenderError:
    """The error for an engine that is not installed, saying how to install it."""
    detail = f" ({why})" if why else ""
    return RenderError(
        f"the {engine.name} voice is not installed{detail}; install it with: {engine.install}"
    )
