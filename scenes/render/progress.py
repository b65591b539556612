"""One progress bar for a whole render (or a training): where it is, how far, how long left.

Manim draws a bar per animation ("Animation 30: PlayStep(Group) 4/7"), which says nothing
about the whole video. nnwarp hides those and shows one bar on stderr: the section and
beat being drawn, frames done of the total the plan of beats promises, elapsed time and an
estimate of what is left. When stderr is not a terminal (a log, CI) it prints a plain line
every tenth of the way instead of redrawing; ``--quiet`` silences it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, TextIO

__all__ = ["Bar", "bar_for", "planned_frames"]

#: Width of the drawn bar, in characters.
WIDTH = 24
#: A terminal bar is redrawn at most this often (seconds).
REDRAW = 0.1


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    m, s = divmod(seconds, 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


class Bar:
    """A progress bar of ``total`` units (frames, epochs) on ``stream``.

    ``where`` is asked, at each redraw, what is being worked on (e.g. ``"Layer 2 ·
    layer-2.bias"``). ``tty`` redraws one line in place; otherwise a plain line is printed
    each time another tenth is done. ``enabled=False`` prints nothing.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> bar = Bar(10, "frames", stream=out, tty=False, clock=iter(range(100)).__next__)
    >>> bar.advance(5); bar.close()
    >>> print(out.getvalue().strip().splitlines()[0])
    render: 50% (5/10 frames) · 0:01 elapsed, ~0:01 left
    """

    def __init__(
        self,
        total: int | None,
        unit: str = "frames",
        *,
        label: str = "render",
        where: Callable[[], str] | None = None,
        stream: TextIO | None = None,
        tty: bool | None = None,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total if total and total > 0 else None
        self.unit, self.label, self.where = unit, label, where
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.enabled = enabled
        self.clock = clock
        self.start = clock()
        self.done = 0
        self.last_draw = -1e9
        self.last_tenth = 0
        self.drawn = False

    def advance(self, n: int = 1) -> None:
        """``n`` more units done."""
        self.done += n
        if not self.enabled:
            return
        if self.tty:
            now = self.clock()
            if now - self.last_draw >= REDRAW or self.done == self.total:
                self.last_draw = now
                self._draw(now)
        elif self.total:
            tenth = min(10, self.done * 10 // self.total)
            if tenth > self.last_tenth:
                self.last_tenth = tenth
                self.stream.write(self.line(self.clock()) + "\n")
                self.stream.flush()

    def set(self, done: int) -> None:
        """Set the count (for callers that know the total done, e.g. an epoch)."""
        self.advance(done - self.done)

    def line(self, now: float) -> str:
        """The text of the bar (without the drawn bar, for logs)."""
        elapsed = now - self.start
        where = self.where() if self.where is not None else ""
        if self.total:
            share = min(self.done / self.total, 1.0)
            left = elapsed / share * (1 - share) if share > 0 else None
            eta = f", ~{_clock(left)} left" if left is not None and share < 1 else ""
            text = (
                f"{self.label}: {share:.0%} ({self.done}/{self.total} {self.unit}) · "
                f"{_clock(elapsed)} elapsed{eta}"
            )
        else:
            text = f"{self.label}: {self.done} {self.unit} · {_clock(elapsed)} elapsed"
        return text + (f" · {where}" if where else "")

    def _draw(self, now: float) -> None:
        if self.total:
            filled = int(WIDTH * min(self.done / self.total, 1.0))
            bar = "█" * filled + "·" * (WIDTH - filled)
            text = f"{bar} {self.line(now)}"
        else:
            text = self.line(now)
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Finish the bar: the last state stays on its own line."""
        if not self.enabled:
            return
        if self.tty:
            self._draw(self.clock())
            self.stream.write("\n")
        elif self.total is None or self.last_tenth < 10:
            self.stream.write(self.line(self.clock()) + "\n")
        self.stream.flush()


def planned_frames(beats: Iterable[Any], fps: float, only: Iterable[str] | None = None) -> int:
    """Frames a plan of beats will write at ``fps`` (only the sections in ``only``, if given).

    >>> from scenes.core.timeline import Beat
    >>> from scenes.narration.text import Line
    >>> planned_frames([Beat("a", "S", Line("x"), 2.0), Beat("b", "T", Line("y"), 1.0)], 15)
    45
    >>> planned_frames([Beat("a", "S", Line("x"), 2.0), Beat("b", "T", Line("y"), 1.0)], 15, ["T"])
    15
    """
    keep = None if only is None else set(only)
    seconds = sum(b.length for b in beats if keep is None or b.section in keep)
    return int(round(seconds * fps))


def bar_for(scene: Any, fps: float, *, enabled: bool, stream: TextIO | None = None) -> Bar:
    """A bar over a scene's planned frames, naming its current section and beat."""
    beats = getattr(scene, "beats", None)
    only = getattr(scene, "only_sections", None)
    total = planned_frames(beats, fps, only) if beats else None

    def where() -> str:
        beat = getattr(scene, "current_beat", None)
        return f"{beat.section} · {beat.id}" if beat is not None else ""

    return Bar(total, "frames", where=where, stream=stream, enabled=enabled)
