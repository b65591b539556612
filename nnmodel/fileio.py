"""Atomic file writes with ordinary permissions (stdlib only, shared by trainer and scenes)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def temp_beside(path: Path, suffix: str = ".part") -> Path:
    """A new empty temporary file next to ``path`` (same folder, so a rename is atomic).

    ``mkstemp`` makes files readable by their owner only; this one gets the permissions a
    plainly created file would (0666 less the umask), so a web server can serve the result.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)
