"""A render loads its trajectory once while the file stays as it is (a --watch's loop)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from nnmodel.errors import NnwarpError
from scenes.render.loaded import loaded


def test_the_same_file_gives_the_same_trajectory_until_it_changes(
    moons_traj: Path, tmp_path: Path
) -> None:
    path = tmp_path / "t.npz"
    shutil.copyfile(moons_traj, path)
    first = loaded(path)
    assert loaded(path) is first
    assert loaded(tmp_path / "." / "t.npz") is first  # the same file by another name
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # saved again
    again = loaded(path)
    assert again is not first
    assert (again.labels == first.labels).all()
    # another file replaced into place (a new training run writes a part, then renames)
    part = tmp_path / "part.npz"
    shutil.copyfile(moons_traj, part)
    os.replace(part, path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # even with that stamp
    assert loaded(path) is not again


def test_a_missing_file_is_refused_as_load_refuses_it(tmp_path: Path) -> None:
    """The same one-line error as a plain load (not an OSError from looking at the file)."""
    with pytest.raises(NnwarpError, match="does not exist"):
        loaded(tmp_path / "no-such.npz")
