"""Helpers of the drawing tests: frame size, colours, drawing a scene, reading its pixels."""

from __future__ import annotations

from typing import Any

import manim
import numpy as np

__all__ = ["BLUE", "PH", "PW", "RED", "drawn", "frame_of", "random_cloud", "to_pixel"]

PW, PH = 192, 108  # 16:9, 13.5 px per frame unit (frame is 14.22 x 8)
RED = [1.0, 0.0, 0.0, 1.0]
BLUE = [0.0, 0.0, 1.0, 1.0]


def frame_of(scene: Any) -> np.ndarray:
    """Draw the scene's current mobjects once and return the RGBA frame."""
    scene.renderer.update_frame(scene)
    return np.asarray(scene.renderer.get_frame())


def to_pixel(x: float, y: float) -> tuple[float, float]:
    """Frame coordinates -> (column, row) in pixel units (pixel centres at +0.5)."""
    fw, fh = manim.config.frame_width, manim.config.frame_height
    return (x + fw / 2) * PW / fw, (fh / 2 - y) * PH / fh


def drawn(frame: np.ndarray) -> np.ndarray:
    """Mask of pixels that differ from the black background."""
    return frame[..., :3].astype(int).sum(axis=-1) > 0


def random_cloud(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``n`` overlapping points, some beyond the frame edges, a few non-finite."""
    rng = np.random.default_rng(seed)
    pts = rng.normal(scale=[2.0, 1.2], size=(n, 2))
    pts[: n // 20] = rng.uniform([-7.6, -4.4], [7.6, 4.4], size=(n // 20, 2))  # edges
    pts[n // 2 : n // 2 + 3] = [[np.nan, 0.0], [np.inf, 1.0], [0.0, -np.inf]]
    return pts, rng.uniform(0.1, 1.0, size=(n, 3))
