"""One progress bar per render: sections and beats, frames of the planned total, quiet."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from scenes.cli import main
from scenes.render.progress import Bar

GOLDEN = Path(__file__).parents[1] / "data" / "golden.npz"


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_log_gets_a_plain_line_every_tenth_with_an_estimate() -> None:
    out, clock = io.StringIO(), _Clock()
    bar = Bar(
        200, "frames", where=lambda: "Layer 1 · layer-1.bias", stream=out, tty=False, clock=clock
    )
    for _ in range(200):
        clock.now += 0.5
        bar.advance()
    bar.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 10  # one per tenth, none repeated at the end
    assert lines[0] == (
        "render: 10% (20/200 frames) · 0:10 elapsed, ~1:30 left · Layer 1 · layer-1.bias"
    )
    assert lines[-1].startswith("render: 100% (200/200 frames) · 1:40 elapsed ·")
    assert "\r" not in out.getvalue()


def test_a_terminal_gets_one_line_redrawn_in_place() -> None:
    out, clock = io.StringIO(), _Clock()
    bar = Bar(50, "epochs", label="training", stream=out, tty=True, clock=clock)
    for epoch in range(1, 51):
        clock.now += 0.05
        bar.set(epoch)
    bar.close()
    text = out.getvalue()
    assert text.count("\n") == 1 and text.endswith("\n")
    assert text.count("\r") >= 10  # redrawn, not reprinted
    assert text.rstrip().endswith("training: 100% (50/50 epochs) · 0:02 elapsed")


def test_render_shows_one_bar_and_quiet_shows_none(tmp_path: Path) -> None:
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-r", "64,36", "--fps", "3"]
    loud = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "a.mp4")])
    assert loud.exit_code == 0, loud.output
    bars = [line for line in loud.stderr.splitlines() if line.startswith("render:")]
    assert bars[-1].startswith("render: 100% (") and "Back to the input · regions" in bars[-1]
    assert any("Layer 1 · layer-1" in line for line in bars)
    assert "Animation" not in loud.stderr  # Manim's per-animation bars are gone
    quiet = CliRunner().invoke(main, [*args, "--quiet", "-o", str(tmp_path / "b.mp4")])
    assert quiet.exit_code == 0, quiet.output
    assert "render:" not in quiet.stderr and "wrote" in quiet.stderr
    assert quiet.stdout.strip() == str(tmp_path / "b.mp4")


def test_a_last_frame_ends_its_bar_done(tmp_path: Path) -> None:
    """-s plays the plan without drawing and draws one frame: its bar counts that frame."""
    args = ["render", "warp", "--trajectory", str(GOLDEN), "-r", "64,36", "--fps", "3", "-s"]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "last.png")])
    assert result.exit_code == 0, result.output
    bars = [line for line in result.stderr.splitlines() if "%" in line]
    assert bars == [bars[-1]] and bars[-1].startswith("last frame: 100% (1/1 frame)")
