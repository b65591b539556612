"""One job, as a worker renders it: a fresh folder, ``nnwarp render`` in it, the files back.

:func:`run_task` renders in the calling process, which must be a fresh one (Manim's
``config`` and caches are per process): the local pool runs each job in a new process.
:func:`run_isolated` gets that fresh process itself, forked from a warm one
(:mod:`scenes.batch.zygote`), for workers that live on and run many jobs (a Dask cluster's).

Each job renders in a temporary folder of its own (its inputs, Manim's media folder, the
output), removed afterwards; the results come back as bytes and the batch writes them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["JobLost", "Outcome", "Task", "child_main", "prewarm", "run_isolated", "run_task"]


class JobLost(Exception):
    """The process rendering a job ended without a result (killed, out of memory)."""


@dataclass(frozen=True)
class Task:
    """What a worker needs to render one job (nothing of the batch's own state)."""

    #: The scene's name, or a story file's path.
    scene: str
    #: ``nnwarp render``'s options, without ``--output``.
    args: tuple[str, ...]
    #: The result's file (or folder) name; its side files are named after it.
    output_name: str
    #: The input files' contents by their paths in :attr:`args` (for workers on other
    #: machines); ``None``: the worker reads the paths themselves.
    inputs: dict[str, bytes] | None = field(default=None, hash=False)
    #: A folder for the job's temporary folder (default: the system's), which whoever
    #: started the worker removes: nothing is left behind even when the worker is killed.
    scratch: str | None = None
    #: The trajectory the batch trained for it (:mod:`scenes.cli.batch_training`): its cache
    #: file name, and its path (a local worker) or contents (shipped). The render finds it
    #: in its cache instead of training.
    trained: tuple[str, str | bytes] | None = field(default=None, hash=False)


@dataclass
class Outcome:
    """What became of a job: its files (by name) or its one-line error."""

    ok: bool
    error: str = ""
    #: The result and its side files (``.srt``, ``.vtt``, ``.sections.json``).
    files: dict[str, bytes] = field(default_factory=dict)
    #: Folders of files (``--format png`` frames, ``--save-sections``): name → files.
    folders: dict[str, dict[str, bytes]] = field(default_factory=dict)
    seconds: float = 0.0
    #: Peak resident memory of the process that rendered it, in bytes.
    peak_rss: int = 0
    #: CPU seconds that process used (all its threads: drawing and encoding).
    cpu: float = 0.0


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _finish(outcome: Outcome, start: float) -> Outcome:
    """``outcome`` with the time, memory and CPU its process used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    outcome.seconds = time.perf_counter() - start
    outcome.peak_rss = int(usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024))
    outcome.cpu = usage.ru_utime + usage.ru_stime
    return outcome


def _render(argv: list[str]) -> str | None:
    """Run ``nnwarp render ARGV`` here; its one-line error, or ``None`` on success."""
    import click

    from scenes.cli.rendering import render

    chatter = io.StringIO()  # the render's notes and Manim's logs: not the batch's business
    try:
        with contextlib.redirect_stdout(chatter), contextlib.redirect_stderr(chatter):
            code = render.main(argv, prog_name="nnwarp render", standalone_mode=False)
    except click.ClickException as exc:
        return _one_line(exc.format_message())
    except click.Abort:
        return "the render was stopped"
    except Exception as exc:  # user_errors turns these into ClickException; just in case
        return _one_line(f"{type(exc).__name__}: {exc}")
    if isinstance(code, int) and code != 0:
        return f"the render stopped with exit status {code}"
    return None


def _collect(folder: Path) -> tuple[dict[str, bytes], dict[str, dict[str, bytes]]]:
    """The files and folders a render left in ``folder`` (not its temporaries)."""
    files: dict[str, bytes] = {}
    folders: dict[str, dict[str, bytes]] = {}
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_file():
            files[entry.name] = entry.read_bytes()
        elif entry.is_dir():
            folders[entry.name] = {
                p.name: p.read_bytes()
                for p in sorted(entry.iterdir())
                if p.is_file() and not p.is_symlink()
            }
    return files, folders


def _materialize(inputs: dict[str, bytes], folder: Path) -> dict[str, str]:
    """Write shipped input files under ``folder`` as they lie to each other (a story file
    finds the files it names beside it); returns their new paths by their old ones."""
    if not inputs:
        return {}
    common = os.path.commonpath([os.path.dirname(p) for p in inputs])
    renamed: dict[str, str] = {}
    for path, data in inputs.items():
        copy = folder / os.path.relpath(path, common)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(data)
        renamed[path] = str(copy)
    return renamed


def run_task(task: Task) -> Outcome:
    """Render ``task`` in this process, in a temporary folder; return its files as bytes.

    The process should be a fresh one: Manim keeps its configuration per process.
    """
    start = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="nnwarp-batch-", dir=task.scratch))
    here = os.getcwd()
    try:
        os.chdir(root)  # nothing a render might write lands in the user's folder
        renamed = _materialize(task.inputs or {}, root / "in")
        args = task.args
        if task.trained is not None:
            args = tuple(a for a in args if a != "--retrain")  # (the batch just did)
        out = root / "out"
        out.mkdir()
        argv = [
            renamed.get(task.scene, task.scene),
            *(renamed.get(a, a) for a in args),
            *("--output", str(out / task.output_name)),
            *("--media-dir", str(root / "media")),
            "--quiet",
            *_one_process(task.args),
        ]
        if task.trained is not None:
            name, source = task.trained
            if renamed:  # shipped: a data file's new path is part of the network's name
                from scenes.cli.batch_training import cache_name

                name = cache_name(argv) or name
            _place_trained(name, source, root / "media" / "trajectories")
        error = _render(argv)
        if error is not None:
            return _finish(Outcome(False, error), start)
        files, folders = _collect(out)
        if task.output_name not in files and task.output_name not in folders:
            return _finish(Outcome(False, "the render finished but wrote no output"), start)
        return _finish(Outcome(True, "", files, folders), start)
    finally:
        os.chdir(here)
        shutil.rmtree(root, ignore_errors=True)


def _place_trained(name: str, source: str | bytes, cache: Path) -> None:
    """Put the trajectory the batch trained in the job's own trajectory cache as ``name``:
    linked to the batch's file where they share a file system, else a copy."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / name
    if isinstance(source, bytes):
        target.write_bytes(source)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _one_process(args: tuple[str, ...]) -> list[str]:
    """What a job renders with unless it says otherwise: one process (the batch runs the
    jobs side by side; a job of its own in several would fight them for the cores) and no
    section cache (its media folder is thrown away with the job).

    >>> _one_process(("--quality", "l"))
    ['--jobs', '1', '--no-cache']
    >>> _one_process(("-j", "2", "--cache"))
    []
    """
    out = []
    if not any(a in ("-j", "--jobs") or a.startswith(("--jobs=", "-j")) for a in args):
        out += ["--jobs", "1"]
    if not any(a in ("--cache", "--no-cache") for a in args):
        out += ["--no-cache"]
    return out


_local = threading.local()
#: This process's warm processes: every one started (for counting those alive), and those
#: started ahead of any job (:func:`prewarm`), for a thread to take as its own.
_zygotes: list[subprocess.Popen[bytes]] = []
_spares: list[subprocess.Popen[bytes]] = []
_lock = threading.Lock()


def _start_zygote() -> subprocess.Popen[bytes]:
    zygote = subprocess.Popen(
        [sys.executable, "-m", "scenes.batch.zygote"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=tempfile.gettempdir(),
    )
    _zygotes.append(zygote)
    return zygote


def prewarm(n: int) -> int:
    """Start warm processes (:mod:`scenes.batch.zygote`) until this process has ``n``
    alive, for its threads to take when their first job comes: their imports run before
    any job does. Returns how many were started.

    A batch on a Dask cluster calls this on every worker (one per worker thread) while it
    checks its jobs; a warm process left unused serves a later batch's jobs.
    """
    with _lock:
        _zygotes[:] = [z for z in _zygotes if z.poll() is None]
        started = max(0, n - len(_zygotes))
        _spares.extend(_start_zygote() for _ in range(started))
    return started


def _zygote() -> subprocess.Popen[bytes]:
    """This thread's warm process: its own, else one started ahead (:func:`prewarm`), else
    a new one."""
    zygote: subprocess.Popen[bytes] | None = getattr(_local, "zygote", None)
    if zygote is None or zygote.poll() is not None:
        with _lock:
            zygote = None
            while _spares and zygote is None:
                spare = _spares.pop(0)
                zygote = spare if spare.poll() is None else None
            if zygote is None:
                zygote = _start_zygote()
        _local.zygote = zygote
    return zygote


def run_isolated(task: Task) -> Outcome:
    """Render ``task`` in a new process, forked from a warm one that has imported Manim.

    For long-lived workers (a Dask cluster's): no state is shared between jobs, a render
    that crashes or is killed does not take the worker with it, and each of the worker's
    threads starts its warm process (:mod:`scenes.batch.zygote`) once.

    Raises
    ------
    JobLost
        The process ended without a result (killed, out of memory).
    """
    from scenes.batch.zygote import FOLDER_PREFIX

    with tempfile.TemporaryDirectory(prefix=FOLDER_PREFIX) as folder:
        task_file, outcome_file = Path(folder) / "task", Path(folder) / "outcome"
        log = Path(folder) / "log"
        task_file.write_bytes(pickle.dumps(dataclasses.replace(task, scratch=folder)))
        zygote = _zygote()
        assert zygote.stdin is not None and zygote.stdout is not None
        try:
            zygote.stdin.write(f"{task_file}\t{outcome_file}\t{log}\n".encode())
            zygote.stdin.flush()
            reply = zygote.stdout.readline()
        except OSError:
            reply = b""
        if not reply:
            _local.zygote = None
            zygote.kill()
            zygote.wait()
            raise JobLost("the process rendering it ended without a result (its parent died)")
        if outcome_file.is_file():
            outcome = pickle.loads(outcome_file.read_bytes())
            if isinstance(outcome, Outcome):
                return outcome
        code = int(reply)
        how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.is_file() else []
        detail = f": {_one_line(tail[0])}" if tail else ""
        raise JobLost(f"the process rendering it ended without a result ({how}){detail}")


def child_main(argv: list[str]) -> int:
    """Render the pickled task in file ``argv[0]``; pickle the outcome to file ``argv[1]``
    (written whole or not at all: a missing file means the render did not finish)."""
    task_file, outcome_file = Path(argv[0]), Path(argv[1])
    task = pickle.loads(task_file.read_bytes())
    outcome = run_task(task)
    part = outcome_file.with_name(outcome_file.name + ".part")
    part.write_bytes(pickle.dumps(outcome))
    os.replace(part, outcome_file)
    return 0
