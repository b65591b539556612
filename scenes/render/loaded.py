"""Trajectories loaded once per process while their file stays as it is."""

from __future__ import annotations

import os
from pathlib import Path

from nnmodel.trajectory import Trajectory, load

__all__ = ["loaded"]

#: The trajectory loaded last: its file, the file's stamp then, and what it held.
_KEPT: list[tuple[Path, tuple[int, int, int], Trajectory]] = []


def loaded(path: str | os.PathLike[str]) -> Trajectory:
    """The trajectory in ``path``: the same object as the last call's while the file has
    the same modification time, size and inode (a ``--watch`` renders again and again
    from one file: each plan made from it is kept by the object, and a story edit then
    makes none anew). Any change to the file loads it again. Nothing nnwarp renders
    writes to a loaded trajectory.
    """
    file = Path(path).resolve()
    try:
        st = file.stat()
    except OSError:
        return load(path)  # (which says what is wrong, in one line)
    stamp = (st.st_mtime_ns, st.st_size, st.st_ino)
    for kept_file, kept_stamp, traj in _KEPT:
        if kept_file == file and kept_stamp == stamp:
            return traj
    traj = load(file)
    _KEPT[:] = [(file, stamp, traj)]
    return traj
