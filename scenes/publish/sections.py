"""Where each section and beat of a rendered video starts and ends (a JSON beside it).

The times are those of the video as written: when only some beats were rendered, the
others take no time. Chapters (for players and course pages) are made from this file.

>>> from scenes.core.timeline import Beat
>>> from scenes.narration.text import Line
>>> beats = [Beat("a", "Intro", Line("Hi", "there"), 2.0), Beat("b", "Layer 1", Line("W"), 3.0)]
>>> doc = timeline_document(beats, [("a", 0.0, 2.0), ("b", 2.0, 5.0)], only=["b"])
>>> doc["sections"], doc["duration"]
([{'name': 'Layer 1', 'start': 0.0, 'end': 3.0}], 3.0)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from nnmodel import __version__
from nnmodel.fileio import atomic_file
from scenes.core.timeline import Beat
from scenes.publish.subtitles import Cue
from scenes.render.outputs import MARK, is_ours

__all__ = ["rendered_cues", "timeline_document", "write_timeline"]


def timeline_document(
    beats: Sequence[Beat],
    times: Sequence[tuple[str, float, float]],
    only: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The JSON document: sections and beats with their times in the written video.

    ``times`` are ``(beat id, start, end)`` on the scene's clock; beats whose ids are not
    in ``only`` (when given) were not rendered and are left out, closing the gaps.
    """
    keep = None if only is None else set(only)
    by_id = {b.id: b for b in beats}
    out_beats: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    clock = 0.0
    for beat_id, start, end in times:
        beat = by_id[beat_id]
        if keep is not None and beat.id not in keep:
            continue
        length = round(end - start, 6)
        entry = {
            "id": beat.id,
            "section": beat.section,
            "start": round(clock, 6),
            "end": round(clock + length, 6),
            "caption": beat.line.caption,
            "subcaption": beat.line.sub,
            "narration": beat.line.spoken,
        }
        out_beats.append(entry)
        if sections and sections[-1]["name"] == beat.section:
            sections[-1]["end"] = entry["end"]
        else:
            sections.append({"name": beat.section, "start": entry["start"], "end": entry["end"]})
        clock += length
    return {
        "written_by": f"{MARK} {__version__}",
        "duration": round(clock, 6),
        "sections": sections,
        "beats": out_beats,
    }


def write_timeline(path: Path, document: dict[str, Any]) -> Path:
    """Write the document atomically (replacing only an earlier nnwarp timeline)."""
    with atomic_file(path, still_ours=is_ours) as tmp:
        tmp.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def rendered_cues(
    cues: Sequence[Cue],
    beats: Sequence[Beat],
    times: Sequence[tuple[str, float, float]],
    only: Iterable[str],
) -> list[Cue]:
    """The cues of a render of some beats only (``only``: their ids), on the clock of the
    video as written.

    Time spent in beats that were not rendered is cut out; a cue is clipped to the
    rendered spans it overlaps, and dropped if it overlaps none.

    >>> from scenes.core.timeline import Beat
    >>> from scenes.narration.text import Line
    >>> beats = [Beat("a", "A", Line("a"), 2.0), Beat("b", "B", Line("b"), 3.0)]
    >>> rendered_cues([Cue(0, 2, "a"), Cue(2, 5, "b")], beats, [("a", 0, 2), ("b", 2, 5)], ["b"])
    [Cue(start=0.0, end=3.0, text='b')]
    """
    keep = set(only)
    spans, clock = [], 0.0
    for beat_id, start, end in times:
        if beat_id in keep:
            spans.append((start, end, clock))
            clock += end - start
    out = []
    for cue in cues:
        pieces = [
            (max(cue.start, s) - s + c, min(cue.end, e) - s + c)
            for s, e, c in spans
            if min(cue.end, e) > max(cue.start, s)
        ]
        if pieces:
            out.append(Cue(round(pieces[0][0], 6), round(pieces[-1][1], 6), cue.text))
    return out
