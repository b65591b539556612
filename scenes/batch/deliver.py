"""A finished job's files, sent back as bytes, written to their places atomically.

Only the files the job was checked for are written, each through a locked temporary
renamed into place, replacing nothing but nnwarp's own earlier output (asked again at the
moment of the rename). Side files go first and the result last, in the order a render
writes them (an old ``.srt`` is judged by the old ``.vtt`` beside it).
"""

from __future__ import annotations

from pathlib import Path

from nnmodel.fileio import atomic_file, replace_dir, work_dir
from scenes.batch.jobs import Job
from scenes.batch.run import Outcome
from scenes.errors import RenderError

__all__ = ["deliver"]


def _safe_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and Path(name).name == name


def deliver(job: Job, outcome: Outcome) -> list[Path]:
    """Write ``outcome``'s files to ``job``'s targets; returns the paths written.

    Raises
    ------
    RenderError
        The outcome holds no result.
    OutputError
        A target was replaced meanwhile by a file nnwarp did not write (left alone).
    """
    main, *side = job.targets
    name = main.path.name
    if name not in outcome.files and name not in outcome.folders:
        raise RenderError(f"the worker sent no {main.what} back")
    written: list[Path] = []
    for target in [*side, main]:
        name = target.path.name
        if target.kind == "file" and name in outcome.files:
            with atomic_file(target.path, still_ours=target.still_ours) as tmp:
                tmp.write_bytes(outcome.files[name])
        elif target.kind != "file" and name in outcome.folders:
            files = outcome.folders[name]
            with work_dir(target.path.parent) as work:
                staged = work / "new"
                staged.mkdir()
                for part, data in files.items():
                    if not _safe_name(part):
                        raise RenderError(f"the worker sent a file named {part!r}; not written")
                    (staged / part).write_bytes(data)
                replace_dir(staged, target.path, still_ours=target.still_ours)
        else:
            continue
        written.append(target.path)
    return written
