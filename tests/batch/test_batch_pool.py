"""The scheduler on a real local pool: failures stay with their job, a killed worker's job
is retried once, and the batch always finishes."""

from __future__ import annotations

import functools
import operator
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from scenes.batch.pool import LocalBackend, schedule


def shell(script: str) -> Any:
    """A task (run by ``operator.call`` in a worker): ``sh -c SCRIPT``, failing on error.

    ``$PPID`` in the script is the worker process itself.
    """
    return functools.partial(subprocess.run, ["sh", "-c", script], check=True)


def run(tasks: list[Any], workers: int = 2) -> dict[int, str | None]:
    """Schedule ``tasks``; each one's error (``None``: it succeeded), as reported once."""
    reported: dict[int, str | None] = {}

    def on_done(i: int, result: Any, error: str | None) -> None:
        assert i not in reported, "a task was reported twice"
        reported[i] = error

    schedule(len(tasks), tasks.__getitem__, LocalBackend(workers, fn=operator.call), on_done)
    return reported


def test_a_failing_task_does_not_stop_the_others() -> None:
    reported = run([shell("exit 0"), shell("exit 3"), shell("exit 0")])
    assert reported[0] is None and reported[2] is None
    assert "CalledProcessError" in str(reported[1]) and "exit status 3" in str(reported[1])


def test_a_worker_killed_mid_job_is_retried_once(tmp_path: Path) -> None:
    mark = tmp_path / "tried"
    # The first try kills its worker; the second finds the mark and succeeds.
    once = shell(f"if [ -e {mark} ]; then exit 0; fi; touch {mark}; kill -9 $PPID; sleep 5")
    reported = run([once, shell("exit 0"), shell("exit 0")])
    assert reported == {0: None, 1: None, 2: None}
    assert mark.exists()


def test_a_job_that_kills_its_worker_every_time_is_reported(tmp_path: Path) -> None:
    count = tmp_path / "tries"
    always = shell(f"echo x >> {count}; kill -9 $PPID; sleep 5")
    reported = run([shell("exit 0"), always, shell("exit 0"), shell("exit 0")], workers=1)
    assert reported[1] == "the process rendering it died (killed, or out of memory?), on both tries"
    assert [reported[i] for i in (0, 2, 3)] == [None, None, None]
    assert count.read_text().count("x") == 2


def render_children(psutil: Any) -> list[Any]:
    """The processes forked by this process's warm process (``-m scenes.batch.zygote``)."""
    found = []
    for process in psutil.Process().children():
        try:
            if process.cmdline()[1:3] == ["-m", "scenes.batch.zygote"]:
                found.extend(process.children())
        except psutil.Error:  # gone meanwhile
            continue
    return found


def test_a_render_process_killed_mid_job_is_a_lost_job(one_layer_traj: Path) -> None:
    """A cluster worker renders each job in a process of its own; when that one is killed,
    the worker (and its warm process) survive and say the job was lost, so the batch can
    retry it."""
    psutil = pytest.importorskip("psutil")
    from scenes.batch.run import JobLost, Outcome, Task, run_isolated

    task = Task("warp", ("--trajectory", str(one_layer_traj), "-ql", "-s"), "w.png")
    caught: list[BaseException] = []

    def render() -> None:
        try:
            run_isolated(task)
        except BaseException as exc:
            caught.append(exc)

    worker = threading.Thread(target=render)
    worker.start()
    deadline = time.monotonic() + 60
    children: list[Any] = []
    while not children and time.monotonic() < deadline and worker.is_alive():
        children = render_children(psutil)
        time.sleep(0.05)
    assert children, "the render process never started"
    children[0].kill()
    worker.join(60)
    assert len(caught) == 1 and isinstance(caught[0], JobLost)
    assert "ended without a result (signal SIGKILL)" in str(caught[0])
    # The next job of the same thread gets a fresh process from the same warm one.
    bad = run_isolated(Task("warp", ("--trajectory", "/no/such.npz"), "w.mp4"))
    assert isinstance(bad, Outcome) and not bad.ok
    assert "/no/such.npz does not exist" in bad.error


def test_a_thread_takes_a_warm_process_started_ahead() -> None:
    from scenes.batch import run

    before = list(run._zygotes)
    try:
        assert run.prewarm(len([z for z in before if z.poll() is None]) + 1) == 1
        spare = run._spares[-1]
        taken: list[object] = []
        worker = threading.Thread(target=lambda: taken.append(run._zygote()))
        worker.start()
        worker.join()
        assert taken == [spare] and spare not in run._spares  # not started anew
        assert run.prewarm(len([z for z in run._zygotes if z.poll() is None])) == 0
    finally:
        for z in run._zygotes:
            if z not in before:
                assert z.stdin is not None
                z.stdin.close()  # a warm process ends when its stdin closes
                z.wait(30)
