"""Rendering a scene to files: options, output checks and marks, the atomic pipeline."""

from __future__ import annotations

from scenes.render.pipeline import (
    DEFAULT_PRESET,
    FORMATS,
    MAX_SIDE,
    PRESETS,
    QUALITIES,
    VIDEO_FORMATS,
    RenderOptions,
    RenderResult,
    check_outputs,
    default_output,
    manim_config,
    parse_resolution,
    preview,
    render,
)

__all__ = [
    "DEFAULT_PRESET",
    "FORMATS",
    "MAX_SIDE",
    "PRESETS",
    "QUALITIES",
    "VIDEO_FORMATS",
    "RenderOptions",
    "RenderResult",
    "check_outputs",
    "default_output",
    "manim_config",
    "parse_resolution",
    "preview",
    "render",
]
