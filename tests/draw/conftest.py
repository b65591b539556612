"""Fixtures of the drawing tests: a tiny Manim configuration, and each way of drawing points."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import manim
import pytest
from draw_helpers import PH, PW

from scenes.draw import FastCameraMixin


@pytest.fixture
def tiny(tmp_path: Path) -> Iterator[None]:
    """Tiny, quiet, file-less Manim configuration."""
    settings = {
        "pixel_width": PW,
        "pixel_height": PH,
        "frame_rate": 10,
        "media_dir": str(tmp_path),
        "disable_caching": True,
        "dry_run": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
        "notify_outdated_version": False,
        "background_color": "#000000",
    }
    with manim.tempconfig(settings):
        yield


@pytest.fixture(params=["cairo", "numpy"])
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each way of drawing points: Cairo stamps and numpy compositing."""
    monkeypatch.setattr(FastCameraMixin, "point_backend", request.param)
    return str(request.param)
