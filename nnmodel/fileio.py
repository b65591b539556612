"""Safe outputs (stdlib only): targets checked before work, atomic writes, no litter.

nnwarp deletes or overwrites only what it created itself. Every output path is checked
before any work starts (:func:`check_file_target`, :func:`check_dir_target`); results are
written to a locked temporary file beside their destination and renamed into place
(:func:`atomic_file`); a render works in a locked folder (:func:`work_dir`). Temporaries
of runs that were killed (SIGKILL leaves no chance to clean up) are removed by the next
run that writes into the same folder (:func:`clean_stale`): a temporary whose lock can be
taken belongs to no live process.

A command's checks come before its work, and the two end differently (exit status 2: the
command was refused and nothing was done; 1: the work failed): :func:`begin_work` marks the
moment work begins (training, or entering a :func:`work_dir`), :func:`work_begun` tells a
command which side of it an error came from, within :func:`command_phase`.

Example
-------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with atomic_file(folder / "out.txt") as tmp:
...     _ = tmp.write_text("done")
>>> sorted(p.name for p in folder.iterdir())
['out.txt']
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from nnmodel.errors import OutputError

__all__ = [
    "PART_SUFFIX",
    "STALE_AFTER",
    "WORK_PREFIX",
    "atomic_file",
    "begin_work",
    "check_dir_target",
    "check_file_target",
    "check_parent",
    "clean_stale",
    "command_phase",
    "dir_is_ours",
    "replace_dir",
    "temp_beside",
    "work_begun",
    "work_dir",
]

#: Suffix of nnwarp's temporary files (``.<name>.<random>.nnwarp-part``).
PART_SUFFIX = ".nnwarp-part"
#: Prefix of nnwarp's working folders (``.nnwarp-work-<random>``).
WORK_PREFIX = ".nnwarp-work-"
#: A temporary younger than this (seconds) is never cleaned: its run may not hold its lock yet.
STALE_AFTER = 60.0
_LOCK_NAME = ".lock"
#: Prefix of the empty file :func:`check_parent` creates and removes to see that a folder
#: can hold files (its name ends in :data:`PART_SUFFIX`: a killed run's is cleaned up).
_PROBE_PREFIX = ".nnwarp-probe."
#: Whether the running command has begun its work (:func:`begin_work`).
_work_begun: ContextVar[bool] = ContextVar("nnwarp_work_begun", default=False)


@contextmanager
def command_phase() -> Iterator[None]:
    """A command's run: :func:`work_begun` is False in it until :func:`begin_work`.

    Restored afterwards, so commands run one after another (or one inside another, as
    ``--watch`` runs renders) each start with their checks.
    """
    token = _work_begun.set(False)
    try:
        yield
    finally:
        _work_begun.reset(token)


def begin_work() -> None:
    """Mark that the command's checks are over and its work (training, drawing, writing
    results) begins: an error from now on is the work failing, not the command refused."""
    _work_begun.set(True)


def work_begun() -> bool:
    """Whether the running command has begun its work (see :func:`begin_work`)."""
    return _work_begun.get()


def _ordinary_permissions(path: str | Path, mode: int = 0o666) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)


def temp_beside(path: Path, suffix: str = PART_SUFFIX) -> Path:
    """A new empty temporary file next to ``path`` (same folder, so a rename is atomic).

    ``mkstemp`` makes files readable by their owner only; this one gets the permissions a
    plainly created file would (0666 less the umask), so a web server can serve the result.
    Prefer :func:`atomic_file`, which also locks, renames and cleans up.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    _ordinary_permissions(tmp)
    return Path(tmp)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextmanager
def atomic_file(dst: Path, *, still_ours: Callable[[Path], bool] | None = None) -> Iterator[Path]:
    """Yield a locked temporary path beside ``dst``; rename it to ``dst`` if the block succeeds.

    The destination never holds a half-written file: on any exception (including Ctrl-C)
    the temporary is removed and ``dst`` is left as it was. ``still_ours`` is asked again
    just before the rename when ``dst`` exists (something may have appeared there while
    the work ran); if it says no, nothing is replaced and :class:`OutputError` is raised.
    """
    dst = Path(dst)
    fd, name = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=PART_SUFFIX, dir=dst.parent)
    tmp = Path(name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _ordinary_permissions(tmp)
        yield tmp
        if still_ours is not None and (dst.exists() or dst.is_symlink()) and not still_ours(dst):
            raise OutputError(
                f"{dst} appeared while nnwarp was working and was not written by nnwarp: "
                "it was left alone and nothing was written; move it away and run again"
            )
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        os.close(fd)


@contextmanager
def work_dir(parent: Path, *, begins_work: bool = True) -> Iterator[Path]:
    """A private, locked working folder in ``parent``, removed with everything in it at exit.

    Entering it begins the command's work (:func:`begin_work`), unless ``begins_work`` is
    False: a scratch folder used while checking (Manim needs a media folder to build a
    scene's plan, even one never drawn).
    """
    if begins_work:
        begin_work()
    parent.mkdir(parents=True, exist_ok=True)
    clean_stale(parent)
    path = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=parent))
    fd = os.open(path / _LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        os.close(fd)


def _dead(path: Path, lock: Path) -> bool:
    """Whether the temporary ``path`` (locked through ``lock``) belongs to no live run."""
    try:
        if time.time() - path.lstat().st_mtime < STALE_AFTER:
            return False
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        return _try_lock(fd)
    finally:
        os.close(fd)  # closing releases the lock we may have taken


def clean_stale(folder: Path) -> list[Path]:
    """Remove nnwarp's temporaries in ``folder`` left by killed runs. Returns what was removed.

    Only names nnwarp gives its temporaries are considered (``*.nnwarp-part`` files,
    ``.nnwarp-work-*`` folders), and only those whose lock no live process holds and that
    are older than :data:`STALE_AFTER` seconds. Anything else is never touched.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not name.startswith("."):
            continue
        if name.endswith(PART_SUFFIX) and entry.is_file() and not entry.is_symlink():
            if _dead(entry, entry):
                entry.unlink(missing_ok=True)
                removed.append(entry)
        elif name.startswith(WORK_PREFIX) and entry.is_dir() and not entry.is_symlink():
            lock = entry / _LOCK_NAME
            if lock.is_file() and _dead(entry, lock):
                shutil.rmtree(entry, ignore_errors=True)
                removed.append(entry)
    return removed


# ----------------------------------------------------------------------------- checks


def _shown(path: Path) -> str:
    return str(path) if str(path) else "''"


def _nearest_existing(folder: Path) -> Path:
    while not (folder.exists() or folder.is_symlink()) and folder != folder.parent:
        folder = folder.parent
    return folder


def _cannot_create_in(folder: Path) -> str | None:
    """Why no file can be created in the existing ``folder`` (None: one could).

    Tried for real: an empty file is created there and removed at once. Permission bits
    do not tell everything: ``/proc`` and ``/sys`` look writable to root, and so may a
    folder on a file system mounted read-only.
    """
    try:
        fd, name = tempfile.mkstemp(prefix=_PROBE_PREFIX, suffix=PART_SUFFIX, dir=folder)
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    os.close(fd)
    try:
        os.unlink(name)
    except OSError as exc:
        return f"a file created there could not be removed: {exc.strerror}"
    return None


def _refuse_unwritable(path: Path, flag: str, folder: Path, missing: Path | None = None) -> None:
    """Refuse ``path`` unless files can be created in the existing ``folder`` (the nearest
    existing ancestor of the folder ``missing``, if given)."""
    lead = f"{flag} {_shown(path)}: "
    if missing is not None:
        lead += f"the folder {missing} does not exist, and "
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"{lead}the folder {folder} is read-only for you; choose a folder you can write to"
        )
    why = _cannot_create_in(folder)
    if why is not None:
        raise OutputError(
            f"{lead}nnwarp cannot create files in the folder {folder} ({why}: a read-only "
            "or special file system?); choose another folder"
        )


def check_parent(path: Path, flag: str, *, create: bool = False) -> None:
    """The folder that will hold ``path`` must be a folder where files can be created.

    With ``create`` (nnwarp's own folders, such as ``media/videos/...``) it may be missing,
    and then its nearest existing ancestor must be such a folder. Whether files can be
    created is tried (:func:`_cannot_create_in`), not guessed from permission bits.
    """
    parent = path.parent
    if create:
        parent = _nearest_existing(parent)
    elif not parent.exists():
        above = _nearest_existing(parent)
        if above.is_dir():  # `mkdir -p` would not help on /sys or a read-only mount
            _refuse_unwritable(path, flag, above, missing=parent)
        raise OutputError(
            f"{flag} {_shown(path)}: the folder {parent} does not exist; create it first "
            f"(mkdir -p {parent}) or choose another place"
        )
    if not parent.is_dir():
        raise OutputError(f"{flag} {_shown(path)}: {parent} is a file, not a folder")
    _refuse_unwritable(path, flag, parent)


def check_file_target(
    path: Path,
    flag: str,
    is_ours: Callable[[Path], bool],
    what: str = "file",
    *,
    create: bool = False,
) -> None:
    """Refuse ``path`` unless it can be written without losing anybody's file.

    It may be missing (its folder existing and writable), or an existing regular file that
    ``is_ours`` recognises as one nnwarp wrote, which is then replaced.
    """
    if not str(path) or path.name in ("", ".", ".."):
        raise OutputError(f"{flag} {_shown(path)} is not a file name; give e.g. {flag} out.mp4")
    if path.is_symlink() or path.exists():
        if path.is_dir():
            raise OutputError(
                f"{flag} {path} is a folder; give a file name for the {what}, "
                f"e.g. {flag} {path / ('out' + (path.suffix or '.mp4'))}"
            )
        if path.is_symlink() or not path.is_file():
            raise OutputError(
                f"{flag} {path} exists and is not a regular file; choose another name"
            )
        if not is_ours(path):
            raise OutputError(
                f"{flag} {path} already exists and was not written by nnwarp (or was edited "
                "since); nnwarp never overwrites other files: choose another name or move it "
                "away"
            )
        if not os.access(path, os.W_OK):
            raise OutputError(
                f"{flag} {path} is read-only; make it writable or choose another name"
            )
    check_parent(path, flag, create=create)


def dir_is_ours(path: Path, marker: str, pattern: Callable[[str], bool]) -> bool:
    """Whether folder ``path`` holds only an earlier nnwarp output (its ``marker`` file and
    files whose names satisfy ``pattern``)."""
    try:
        names = [p.name for p in path.iterdir()]
    except OSError:
        return False
    if marker not in names:
        return False
    return all(
        n == marker or (pattern(n) and (path / n).is_file() and not (path / n).is_symlink())
        for n in names
    )


def check_dir_target(
    path: Path,
    flag: str,
    marker: str,
    pattern: Callable[[str], bool],
    what: str,
    *,
    create: bool = False,
) -> None:
    """Refuse folder ``path`` unless it is missing, empty, or an earlier nnwarp output."""
    if not str(path) or path.name in ("", ".", ".."):
        raise OutputError(
            f"{flag} {_shown(path)} cannot hold the {what}: "
            f"give a new folder name, e.g. {flag} frames"
        )
    if path.is_symlink() or path.exists():
        if not path.is_dir() or path.is_symlink():
            raise OutputError(
                f"{flag} {path} exists and is not a folder; the {what} go into a folder: "
                "choose another name"
            )
        empty = not any(path.iterdir())
        if not empty and not dir_is_ours(path, marker, pattern):
            raise OutputError(
                f"{flag} {path} is a folder holding files nnwarp did not write; the {what} "
                "go into a new or empty folder: choose another name"
            )
        if not os.access(path, os.W_OK | os.X_OK):
            raise OutputError(f"{flag} {path} is read-only; choose a folder you can write to")
        why = _cannot_create_in(path)
        if why is not None:
            raise OutputError(
                f"{flag} {path}: nnwarp cannot create files in it ({why}: a read-only or "
                "special file system?); choose another folder"
            )
    check_parent(path, flag, create=create)


def replace_dir(src: Path, dst: Path, *, still_ours: Callable[[Path], bool]) -> None:
    """Move the finished folder ``src`` to ``dst``, replacing an earlier nnwarp output there.

    ``dst`` must be missing, empty, or satisfy ``still_ours`` (checked again now). The old
    folder is renamed aside first and removed only once the new one is in place; if the
    swap fails, the old folder is put back.
    """
    with work_dir(dst.parent) as staged:
        os.replace(src, staged / "new")
        old: Path | None = None
        if dst.exists() or dst.is_symlink():
            if dst.is_symlink() or not dst.is_dir():
                raise OutputError(f"{dst} appeared while nnwarp was working; it was left alone")
            if any(dst.iterdir()) and not still_ours(dst):
                raise OutputError(
                    f"{dst} was filled with other files while nnwarp was working; "
                    "it was left alone and nothing was written"
                )
            old = staged / "old"
            os.replace(dst, old)
        try:
            os.replace(staged / "new", dst)
        except BaseException:
            if old is not None:
                os.replace(old, dst)
            raise
