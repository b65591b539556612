"""Subtitles (SRT and WebVTT) from the captions a scene shows, with their times."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from nnmodel.fileio import temp_beside


@dataclass(frozen=True)
class Cue:
    """One subtitle: shown from ``start`` to ``end`` seconds."""

    start: float
    end: float
    text: str


def _stamp(seconds: float, sep: str) -> str:
    ms = int(round(max(seconds, 0.0) * 1000))
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s, ms = divmod(rem, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def to_srt(cues: list[Cue]) -> str:
    """SubRip text.

    >>> print(to_srt([Cue(0, 1.5, "Hello")]), end="")
    1
    00:00:00,000 --> 00:00:01,500
    Hello
    """
    blocks = [
        f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
        for i, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: list[Cue]) -> str:
    """WebVTT text (what HTML ``<track>`` needs)."""
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{c.text}\n" for c in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    tmp = temp_beside(path)
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_subtitles(video: Path, cues: list[Cue]) -> tuple[Path, Path]:
    """Write ``video``'s ``.srt`` and ``.vtt`` beside it. Returns both paths."""
    srt, vtt = video.with_suffix(".srt"), video.with_suffix(".vtt")
    write_atomic(srt, to_srt(cues))
    write_atomic(vtt, to_vtt(cues))
    return srt, vtt
