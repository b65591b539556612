"""A render from a cached trajectory never imports torch (seconds of every preview)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CODE = """
import sys
from scenes.cli import main
main(["render", "-s", "-ql", "--voice", "none", "--quiet", "--epochs", "20",
      "--media-dir", sys.argv[1], "-o", sys.argv[2]], standalone_mode=False)
print("torch" in sys.modules)
"""


def _render(media: Path, out: Path) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", CODE, str(media), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return done.stdout.strip().splitlines()[-1] == "True"


def test_a_cached_trajectory_renders_without_torch(tmp_path: Path) -> None:
    assert _render(tmp_path / "media", tmp_path / "a.png")  # trains: torch it is
    assert not _render(tmp_path / "media", tmp_path / "b.png")  # cached: no torch
    assert (tmp_path / "b.png").stat().st_size > 0
