"""User-facing errors: each message says what is wrong and how to fix it."""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "DataError",
    "NnwarpError",
    "OutputError",
    "TrainingError",
    "TrajectoryError",
]


class NnwarpError(Exception):
    """Base class for errors shown to the user as one plain line (no traceback)."""


class DataError(NnwarpError):
    """A dataset name, file or parameter is invalid."""


class ConfigError(NnwarpError):
    """A training or network option is invalid."""


class TrainingError(NnwarpError):
    """Training failed (for example the loss diverged)."""


class TrajectoryError(NnwarpError):
    """A trajectory file is missing, truncated, of another schema or inconsistent."""


class OutputError(NnwarpError):
    """An output path cannot be written without losing a file, or is not writable."""
