"""What earlier batches rendered, so that a rerun skips the jobs that are done.

Beside each jobs file (or story file), ``.nnwarp-batch.json`` records, per output, the key
of the job that wrote it (a hash of its options, its input files' contents and nnwarp's
version) and the size and modification time of every file it wrote. A job is skipped when
its output is still nnwarp's, every file is as it was written and the key is unchanged:
editing the job, an input file, or the output itself, or upgrading nnwarp renders it again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from nnmodel import __version__
from nnmodel.fileio import atomic_file
from scenes.batch.jobs import Job
from scenes.render.outputs import MARK, is_ours

__all__ = ["RECORDS_NAME", "Records"]

RECORDS_NAME = ".nnwarp-batch.json"


def _signature(path: Path) -> list[int] | None:
    """A file's size and modification time; a folder's file count and time."""
    try:
        st = path.stat()
        if path.is_dir():
            return [sum(1 for _ in path.iterdir()), st.st_mtime_ns]
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class Records:
    """The records of one folder's jobs (``FOLDER/.nnwarp-batch.json``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / RECORDS_NAME

    def problem(self) -> str | None:
        """Why the records file cannot be used (checked before any work), or ``None``."""
        if not os.access(self.folder, os.W_OK | os.X_OK):
            return f"{self.folder} is read-only; a batch records its finished jobs there"
        if not (self.path.exists() or self.path.is_symlink()):
            return None
        if self.path.is_symlink() or not self.path.is_file() or not is_ours(self.path):
            return (
                f"{self.path} exists and was not written by nnwarp (a batch keeps its records "
                "there); move it away"
            )
        if not os.access(self.path, os.W_OK):
            return f"{self.path} is read-only; a batch records its finished jobs there"
        return None

    def _read(self) -> dict[str, Any]:
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        outputs = doc.get("outputs") if isinstance(doc, dict) else None
        return outputs if isinstance(outputs, dict) else {}

    def _name(self, path: Path) -> str:
        rel = os.path.relpath(path, self.folder)
        return path.as_posix() if rel.startswith("..") else Path(rel).as_posix()

    def finished(self, job: Job) -> bool:
        """Whether ``job``'s output is done: ours, untouched, and written by the same job."""
        entry = self._read().get(self._name(job.output))
        if not isinstance(entry, dict) or entry.get("key") != job.key:
            return False
        files = entry.get("files")
        if not isinstance(files, dict) or self._name(job.output) not in files:
            return False
        for name, signature in files.items():
            if _signature(self.folder / name) != signature:
                return False
        main = job.targets[0]
        return main.still_ours(main.path)

    def mark(self, job: Job) -> None:
        """Record that ``job`` has just written its files."""
        files: dict[str, list[int]] = {}
        for target in job.targets:
            signature = _signature(target.path)
            if signature is not None:
                files[self._name(target.path)] = signature
        outputs = self._read()
        label = f"{job.source.name} #{job.number}" if job.number else job.source.name
        outputs[self._name(job.output)] = {"key": job.key, "job": label, "files": files}
        doc = {"written_by": f"{MARK} {__version__}", "outputs": outputs}
        with atomic_file(self.path, still_ours=is_ours) as tmp:
            tmp.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
