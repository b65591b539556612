"""Subtitles (SRT and WebVTT) from the captions a scene shows, with their times."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nnmodel.fileio import atomic_file
from scenes.render.outputs import is_ours, subtitle_note

__all__ = ["Cue", "to_srt", "to_vtt", "vtt_text", "write_atomic", "write_subtitles"]


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


def to_srt(cues: Sequence[Cue]) -> str:
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


def vtt_text(text: str) -> str:
    """``text`` safe as WebVTT cue text: ``&``, ``<`` and ``>`` escaped, no blank lines
    (a browser would read "det W < 0" as the start of a tag and drop the rest).

    >>> vtt_text("det W < 0 & flips")
    'det W &lt; 0 &amp; flips'
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    escaped = "\n".join(lines).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped or " "


def to_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT text (what HTML ``<track>`` needs), the cue texts escaped (:func:`vtt_text`)."""
    blocks = [
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{vtt_text(c.text)}\n" for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a locked temporary file and a rename."""
    with atomic_file(path, still_ours=is_ours) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_subtitles(video: Path, cues: list[Cue]) -> tuple[Path, Path]:
    """Write ``video``'s ``.srt`` and ``.vtt`` beside it. Returns both paths.

    The VTT carries a ``NOTE`` naming nnwarp with the hashes of its cues and of the SRT, so
    a later render replaces these two files only while nobody has edited them.
    """
    srt, vtt = video.with_suffix(".srt"), video.with_suffix(".vtt")
    srt_text = to_srt(cues)
    header, body = to_vtt(cues).split("\n\n", 1)
    # The SRT first: whether the old one is ours is judged by the old VTT's note.
    write_atomic(srt, srt_text)
    write_atomic(vtt, f"{header}\n\n{subtitle_note(body, srt_text)}\n\n{body}")
    return srt, vtt
