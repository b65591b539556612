"""Fast drawing for Manim: point and line mobjects, the compositor, camera, video writer."""

from __future__ import annotations

from scenes.draw.base import to_rgbas
from scenes.draw.camera import FastCamera, FastCameraMixin, FastThreeDCamera
from scenes.draw.encoding import FastFileWriter, FastSegmentEncoder, fast_renderer
from scenes.draw.lines import LineBundle
from scenes.draw.points import PointCloud
from scenes.draw.scene import FastScene, FastThreeDScene

__all__ = [
    "FastCamera",
    "FastCameraMixin",
    "FastFileWriter",
    "FastScene",
    "FastSegmentEncoder",
    "FastThreeDCamera",
    "FastThreeDScene",
    "LineBundle",
    "PointCloud",
    "fast_renderer",
    "to_rgbas",
]
