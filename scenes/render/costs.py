"""What each beat took to draw, kept to balance the next ``-j`` split.

Beats cost different amounts per frame: a title card draws a few captions, a 3-D layer
thousands of points and lines (the default explainer at ``-ql``: 65 to 240 ms of drawing a
second of video). Cut by frames alone, one ``-j`` process gets the cheap beats and waits
for the other. Each render records every beat it drew (seconds a frame) in
``MEDIA/cache/costs.json``; the next render of the same scene at the same size cuts its
runs by those costs. A hint only: it never changes a frame, a missing or unreadable file is
an empty one (and an unreadable one is left as it is), and a beat not seen before counts as
the median of those that were.

>>> weights(["a", "b", "c"], [100, 100, 50], {"a": 0.01, "b": 0.03})  # c: as typical
[50.0, 150.0, 50.0]
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from pathlib import Path

__all__ = ["COSTS", "load", "save", "scope", "weights"]

#: Where a media folder keeps the costs (beside the section cache).
COSTS = Path("cache") / "costs.json"
#: Beats kept at most (the oldest scopes go first): a scheduling hint stays small.
MOST = 5000


def scope(scene: str, quality: str, resolution: object, fps: object) -> str:
    """The key of a scene's costs at one size and frame rate (what a frame costs depends
    on both)."""
    return f"{scene}|{quality}|{resolution}|{fps}"


def load(media_dir: Path, where: str) -> dict[str, float]:
    """Seconds a frame of every beat seen in ``where`` (:func:`scope`), by beat id."""
    try:
        data = json.loads((media_dir / COSTS).read_text(encoding="utf-8"))
        found = data.get(where, {})
        return {str(k): float(v) for k, v in found.items() if float(v) > 0}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _ours(data: object) -> bool:
    """Whether ``data`` (a parsed file) is a costs file as :func:`save` writes it."""
    return isinstance(data, dict) and all(
        isinstance(v, dict) and all(isinstance(x, (int, float)) for x in v.values())
        for v in data.values()
    )


def _read_ours(path: Path) -> dict[str, dict[str, float]] | None:
    """The costs in ``path`` ({} if there is no file), or None if the file there is not
    one nnwarp wrote (unreadable, or not its format): it is then left alone."""
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
    except (OSError, ValueError):
        return None
    return data if _ours(data) and not path.is_symlink() else None


def save(media_dir: Path, where: str, seen: Mapping[str, float]) -> None:
    """Add ``seen`` (seconds a frame, by beat id) to the costs of ``where``, atomically.

    A hint only: a render that cannot write them goes on without, and a file at that path
    that nnwarp did not write (or cannot read) is never replaced.
    """
    from nnmodel.errors import NnwarpError
    from nnmodel.fileio import atomic_file

    path = media_dir / COSTS
    data = _read_ours(path) if seen else None
    if data is None:
        return
    mine = {**data.pop(where, {}), **{k: round(float(v), 6) for k, v in seen.items()}}
    data[where] = mine  # (last: the newest scope)
    while sum(len(v) for v in data.values()) > MOST and len(data) > 1:
        data.pop(next(iter(data)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path, still_ours=lambda p: _read_ours(p) is not None) as tmp:
            tmp.write_text(json.dumps(data), encoding="utf-8")
    except (OSError, NnwarpError):
        pass


def weights(ids: Sequence[str], frames: Sequence[float], known: Mapping[str, float]) -> list[float]:
    """Each beat's expected drawing time, in units of a known frame: its frames times its
    cost a frame (a beat not in ``known``: the median of ``known``; nothing known: frames).
    """
    if not known:
        return [float(f) for f in frames]
    typical = statistics.median(known.values())
    return [float(f) * known.get(i, typical) / typical for i, f in zip(ids, frames, strict=True)]
