"""Texts of a course package from the video's timeline: chapters, their WebVTT, a transcript.

>>> doc = {"duration": 5.0, "sections": [{"name": "Intro", "start": 0.0, "end": 2.0},
...        {"name": "Layer 1", "start": 2.0, "end": 5.0}],
...        "beats": [{"id": "a", "section": "Intro", "start": 0.0, "end": 2.0,
...                   "caption": "Hi", "subcaption": "", "narration": "Hello <there>."}]}
>>> [c.title for c in chapters_of(doc, 5.0)]
['Intro', 'Layer 1']
>>> print(chapters_vtt(chapters_of(doc, 5.0)), end="")
WEBVTT
<BLANKLINE>
chapter-1
00:00:00.000 --> 00:00:02.000
Intro
<BLANKLINE>
chapter-2
00:00:02.000 --> 00:00:05.000
Layer 1
>>> clock(3725.4), clock(65)
('1:02:05', '1:05')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scenes.errors import RenderError
from scenes.publish.mp4 import MP4Chapter
from scenes.publish.subtitles import Cue, to_vtt

__all__ = [
    "BeatText",
    "beats_of",
    "chapters_of",
    "chapters_vtt",
    "clock",
    "transcript_markdown",
]

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


@dataclass(frozen=True)
class BeatText:
    """One beat of the timeline: its id, section, times and the words it says or shows."""

    id: str
    section: str
    start: float
    end: float
    text: str


def _bad(what: str) -> RenderError:
    return RenderError(
        f"the timeline {what}; give the NAME.sections.json nnwarp wrote beside the video"
    )


def _span(entry: Any, what: str) -> tuple[float, float]:
    if not isinstance(entry, dict):
        raise _bad(f"has a {what} that is not an object")
    start, end = entry.get("start"), entry.get("end")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end)):
        raise _bad(f"has a {what} without numeric 'start' and 'end'")
    assert isinstance(start, int | float) and isinstance(end, int | float)
    if not 0 <= start <= end:
        raise _bad(f"has a {what} ending before it starts ({start} to {end})")
    return float(start), float(end)


def _list(timeline: Any, key: str) -> list[Any]:
    if not isinstance(timeline, dict) or not isinstance(timeline.get(key), list):
        raise _bad(f"has no {key!r} list")
    items: list[Any] = timeline[key]
    return items


def chapters_of(timeline: dict[str, Any], duration: float) -> list[MP4Chapter]:
    """One chapter per section of ``timeline``, cut to ``duration`` seconds (the video's)."""
    out = []
    for entry in _list(timeline, "sections"):
        start, end = _span(entry, "section")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _bad("has a section without a name")
        if start < duration:
            out.append(MP4Chapter(" ".join(name.split()), start, min(end, duration)))
    return out


def beats_of(timeline: dict[str, Any]) -> list[BeatText]:
    """The beats of ``timeline``; a beat's text is its narration, else its captions."""
    out = []
    for entry in _list(timeline, "beats"):
        start, end = _span(entry, "beat")
        beat_id, section = entry.get("id"), entry.get("section")
        if not isinstance(beat_id, str) or not isinstance(section, str):
            raise _bad("has a beat without a string 'id' and 'section'")
        spoken = entry.get("narration") or ""
        shown = " ".join(str(entry.get(k) or "") for k in ("caption", "subcaption")).strip()
        text = " ".join(str(spoken).split()) or " ".join(shown.split())
        out.append(BeatText(beat_id, " ".join(section.split()), start, end, text))
    return out


def chapters_vtt(chapters: Sequence[MP4Chapter]) -> str:
    """A WebVTT chapters track: one cue per chapter, with an id and the chapter's title."""
    blocks = [to_vtt([Cue(c.start, c.end, c.title)]).split("\n\n", 1)[1] for c in chapters]
    return "WEBVTT\n\n" + "\n".join(f"chapter-{i}\n{b}" for i, b in enumerate(blocks, 1))


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for people, rounded down to the second."""
    s = int(max(seconds, 0.0))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _md(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    escaped = re.sub(r"^([#+\-=])", r"\\\1", escaped)
    return re.sub(r"^(\d+)\.", r"\1\\.", escaped)


def transcript_markdown(
    title: str, chapters: Sequence[MP4Chapter], beats: Sequence[BeatText]
) -> str:
    """The transcript: the title, then per chapter a heading and its beats' words with times.

    >>> print(transcript_markdown("T", [MP4Chapter("A", 0, 2)], [BeatText("a", "A", 0, 2, "Hi*")]))
    # T
    <BLANKLINE>
    ## A (0:00–0:02)
    <BLANKLINE>
    **0:00** Hi\\*
    <BLANKLINE>
    """
    parts = [f"# {_md(' '.join(title.split()))}", ""]
    for chapter in chapters:
        parts += [f"## {_md(chapter.title)} ({clock(chapter.start)}–{clock(chapter.end)})", ""]
        for beat in beats:
            inside = chapter.start - 1e-6 <= beat.start < chapter.end - 1e-6
            if beat.section == chapter.title and inside and beat.text:
                parts += [f"**{clock(beat.start)}** {_md(beat.text)}", ""]
    return "\n".join(parts)
