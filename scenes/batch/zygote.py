"""A warm process that forks a fresh child for every job: Manim is imported once, not per job.

A Dask worker lives on between jobs, and may not start processes through
:mod:`multiprocessing` (its processes are daemons), so each of its threads starts one of
these with :mod:`subprocess` (``python -m scenes.batch.zygote``) and sends it jobs, one at a
time, over a pipe: a line ``TASK<TAB>OUTCOME`` (two file paths) in, a line with the child's
exit status out. Each job runs in a child forked from the zygote, which never renders
itself: no state passes from one job to the next, and the child starts with the imports
done. The zygote ends when its worker does (its stdin closes), taking a running child with it.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import select
import shutil
import signal
import sys

__all__ = ["FOLDER_PREFIX", "PRELOAD", "main"]

#: How the worker's folders for one job are named (removed here if the worker dies).
FOLDER_PREFIX = "nnwarp-batch-task-"
#: What a job needs imported; the forked children share these pages with the zygote.
PRELOAD = (
    "manim",
    "scenes.render.pipeline",
    "scenes.cli.rendering",
    "scenes.batch.run",
    "scenes.warp",
    "scenes.anatomy",
    "scenes.evolution",
    "scenes.compare",
)


def _child(task: str, outcome: str, log: str) -> None:
    """In the forked child: render the task, write the outcome, never return."""
    code = 1
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # the zygote's pipe stays the zygote's
        os.close(devnull)
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
        from scenes.batch.run import child_main

        code = child_main([task, outcome])
    except BaseException:  # the missing outcome file says it failed
        code = 1
    finally:
        os._exit(code)


def _wait(pid: int, stdin: int, folder: str) -> int:
    """The child's exit status; if the worker goes away meanwhile, kill the child, remove
    the job's ``folder`` (the worker cannot any more) and leave."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux ≥ 5.3: just wait
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    try:
        while True:
            ready, _, _ = select.select([pidfd, stdin], [], [])
            if pidfd in ready:
                return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
            if not os.read(stdin, 1):  # EOF: the worker is gone; nothing else is sent mid-job
                os.kill(pid, signal.SIGTERM)
                os.waitpid(pid, 0)
                if os.path.basename(folder).startswith(FOLDER_PREFIX):
                    shutil.rmtree(folder, ignore_errors=True)
                os._exit(0)
    finally:
        os.close(pidfd)


def main() -> int:
    """Serve jobs until stdin closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the worker to handle
    reply = os.dup(1)
    os.dup2(2, 1)  # stray prints go to stderr, never into the replies
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    stdin = sys.stdin.fileno()
    buffer = b""
    while True:
        while b"\n" not in buffer:
            chunk = os.read(stdin, 65536)
            if not chunk:
                return 0
            buffer += chunk
        line, buffer = buffer.split(b"\n", 1)
        task, outcome, log = line.decode().split("\t")
        pid = os.fork()
        if pid == 0:
            os.close(reply)
            _child(task, outcome, log)
        code = _wait(pid, stdin, os.path.dirname(task))
        os.write(reply, f"{code}\n".encode())


if __name__ == "__main__":
    sys.exit(main())
