"""nnmodel: datasets, training and trajectory export for nnwarp (never imports manim).

Importing this package does not import torch; only :mod:`nnmodel.train` does, and
:mod:`nnmodel.recorder`, which ``nnmodel.record`` and ``nnmodel.Recorder`` load on first use.

Example
-------
>>> import nnmodel
>>> nnmodel.record.__module__  # imports torch only now
'nnmodel.recorder'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nnmodel.recorder import Recorder, record

__all__ = ["Recorder", "__version__", "record"]

__version__ = "0.1.0"

#: Names this package gives from :mod:`nnmodel.recorder`, imported (with torch) on first use.
_LAZY = ("Recorder", "record")


def __getattr__(name: str) -> Any:
    """``nnmodel.record`` and ``nnmodel.Recorder``, importing torch only when first used."""
    if name in _LAZY:
        from nnmodel import recorder

        value = getattr(recorder, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'nnmodel' has no attribute {name!r}")
