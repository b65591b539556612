"""nnmodel: datasets, training and trajectory export for nnwarp (never imports manim).

Importing this package does not import torch; only :mod:`nnmodel.train` does.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
