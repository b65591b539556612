"""Where a batch's jobs run: a local pool of fresh processes, or an existing Dask cluster.

Both are driven through :mod:`concurrent.futures` by :func:`schedule`, which keeps the
workers busy, hands each finished job to a callback in the calling thread, and retries a
job once when the process running it died (a killed or out-of-memory worker:
``BrokenProcessPool``, Dask's ``KilledWorker``) before reporting it.

The local pool starts every job in a new process, forked from a server that has imported
Manim and nnwarp's scenes once (``forkserver`` with preloading): nothing is shared between
jobs, and no job pays for the imports. A Dask worker lives on between jobs (and may not
use :mod:`multiprocessing`), so it does the same with a warm process of its own
(:mod:`scenes.batch.zygote`, through :func:`scenes.batch.run.run_isolated`). Both warm
up while the batch checks its jobs: :func:`warm` starts the local server,
:func:`prewarm_cluster` each Dask worker's warm processes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from scenes.batch.run import JobLost, prewarm, run_isolated, run_task
from scenes.batch.zygote import PRELOAD
from scenes.errors import RenderError

__all__ = [
    "CONNECT_TIMEOUT",
    "Backend",
    "DaskBackend",
    "LocalBackend",
    "default_workers",
    "prewarm_cluster",
    "schedule",
    "warm",
]

#: Seconds to wait for a Dask scheduler to answer (and for it to have a worker).
CONNECT_TIMEOUT = 5.0
#: Seconds between calls of :func:`schedule`'s ``tick`` while jobs run.
TICK = 1.0


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Backend(Protocol):
    """Something that runs tasks: a way to start an executor, and how it fails."""

    #: How it is described to the user.
    name: str
    #: Jobs to keep submitted at a time.
    capacity: int
    #: Whether input files travel with the task (workers on other machines).
    ships_inputs: bool
    #: Exceptions that mean "the process running the job died", worth one retry.
    lost: tuple[type[BaseException], ...]

    def task_fn(self) -> Callable[[Any], Any]:
        """The function the workers run on each task."""
        ...

    def start(self) -> Executor:
        """A new executor (again after one broke)."""
        ...

    def broken(self, exc: BaseException) -> bool:
        """Whether ``exc`` means the executor is unusable and must be started again."""
        ...

    def abort(self, executor: Executor) -> None:
        """Stop everything now (Ctrl-C): running jobs are killed, queued ones dropped."""
        ...

    def close(self) -> None:
        """Release the backend's resources."""
        ...


def warm() -> Any:
    """The local pool's process context, its server started (it imports Manim and the
    scenes once, :data:`PRELOAD`; each job's process is forked from it). Called before the
    jobs are checked, the server's imports run beside the batch's own."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    from multiprocessing import forkserver

    forkserver.ensure_running()
    return context


def prewarm_cluster(address: str, timeout: float | None = None) -> threading.Thread:
    """Start, in a background thread, a warm process for every worker thread of the Dask
    cluster at ``address`` (:func:`scenes.batch.run.prewarm`): their imports (about 2 s)
    then run while the batch checks its jobs, not after its first jobs reach the workers.

    Best effort: a cluster that does not answer, or fails, is left for
    :class:`DaskBackend` to report as it connects. Join the thread before leaving.
    """
    timeout = CONNECT_TIMEOUT if timeout is None else timeout

    def start() -> None:
        with contextlib.suppress(Exception):
            client = _connect(address, timeout)
            try:
                for worker, threads in client.nthreads().items():
                    client.run(prewarm, threads, workers=[worker])
            finally:
                client.close()

    thread = threading.Thread(target=start, name="nnwarp-prewarm", daemon=True)
    thread.start()
    return thread


class LocalBackend:
    """``workers`` local processes, a fresh one for every job."""

    ships_inputs = False
    lost: tuple[type[BaseException], ...] = (BrokenProcessPool, JobLost)

    def __init__(self, workers: int, fn: Callable[[Any], Any] = run_task) -> None:
        if workers < 1:
            raise RenderError(f"--workers {workers}: give at least 1")
        self.capacity = workers
        self.name = f"{workers} local worker{'s' if workers > 1 else ''}"
        self._fn = fn

    def task_fn(self) -> Callable[[Any], Any]:
        return self._fn

    def start(self) -> Executor:
        # One job per process: Manim's global configuration and caches never carry over.
        return ProcessPoolExecutor(self.capacity, mp_context=warm(), max_tasks_per_child=1)

    def broken(self, exc: BaseException) -> bool:
        return isinstance(exc, BrokenProcessPool)

    def abort(self, executor: Executor) -> None:
        # The pool has no public way to stop running jobs (3.14's terminate_workers).
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for process in processes:
            process.terminate()  # SIGTERM: the render cleans its temporary files up
        for process in processes:
            process.join(5)
        executor.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        pass


class DaskBackend:
    """An existing Dask cluster, through its ``concurrent.futures`` executor."""

    ships_inputs = True

    def __init__(
        self,
        address: str,
        timeout: float | None = None,
        fn: Callable[[Any], Any] = run_isolated,
    ) -> None:
        self._fn = fn
        timeout = CONNECT_TIMEOUT if timeout is None else timeout
        try:
            import distributed
        except ImportError:
            raise RenderError(
                "--cluster runs the jobs on Dask, which is not installed: "
                "pip install 'nnwarp[dask]'"
            ) from None
        self.lost: tuple[type[BaseException], ...] = (distributed.KilledWorker, JobLost)
        self.client: Any = _connect(address, timeout)
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except Exception:
            self.client.close()
            raise RenderError(
                f"the Dask cluster at {address} has no workers; nothing was rendered: start "
                f"some with `dask worker {address}`"
            ) from None
        threads = sum(self.client.nthreads().values())
        self.capacity = max(2, 2 * threads)  # some queued, so no worker waits for the next
        self.name = f"the Dask cluster at {address} ({threads} worker threads)"

    def task_fn(self) -> Callable[[Any], Any]:
        return self._fn

    def start(self) -> Executor:
        # pure=False: a retried job is run again, not looked up as the same (failed) task
        executor: Executor = self.client.get_executor(pure=False)
        return executor

    def broken(self, exc: BaseException) -> bool:
        return False

    def abort(self, executor: Executor) -> None:
        self.client.close()  # the scheduler forgets the client's tasks

    def close(self) -> None:
        self.client.close()


def _connect(address: str, timeout: float) -> Any:
    """A Dask client of the scheduler at ``address``, or a clear error within ``timeout``
    seconds (:func:`_probe` first: a Client that fails to connect can hang on exit)."""
    import distributed

    _probe(address, timeout)
    dask: Any = distributed  # partly typed
    try:
        return dask.Client(address, timeout=timeout, set_as_default=False)
    except Exception as exc:
        raise RenderError(
            f"could not connect to the Dask scheduler at {address} "
            f"({type(exc).__name__}: {' '.join(str(exc).split())}); nothing was rendered"
        ) from None


async def _identity(address: str, timeout: float) -> dict[str, Any]:
    from distributed import core

    connect: Any = core.rpc  # untyped
    async with connect(address, timeout=timeout) as remote:
        info: dict[str, Any] = await remote.identity()
        return info


def _probe(address: str, timeout: float) -> None:
    """Ask ``address`` who it is, within ``timeout`` seconds; a clear error unless a Dask
    scheduler answers. (A Client that fails to connect can hang for seconds on exit.)"""
    import asyncio

    def ask() -> dict[str, Any]:
        return asyncio.run(asyncio.wait_for(_identity(address, timeout), timeout))

    fix = "check --cluster (or DASK_SCHEDULER_ADDRESS), or start one with `dask scheduler`"
    with ThreadPoolExecutor(1) as thread:  # its own event loop, whoever calls
        try:
            info = thread.submit(ask).result()
        except (OSError, TimeoutError):
            raise RenderError(
                f"no Dask scheduler answered at {address} within {timeout:g} s; nothing was "
                f"rendered: {fix}"
            ) from None
        except Exception:
            raise RenderError(
                f"{address} answered, but not as a Dask scheduler does (is it the scheduler's "
                f"address and port?); nothing was rendered: {fix}"
            ) from None
    kind = info.get("type") if isinstance(info, dict) else None
    if kind != "Scheduler":
        raise RenderError(
            f"{address} is a Dask {kind or 'service'}, not a scheduler; nothing was rendered: {fix}"
        )


def _lost_reason(exc: BaseException) -> str:
    if isinstance(exc, JobLost):
        return str(exc)
    if isinstance(exc, BrokenProcessPool):
        return "the process rendering it died (killed, or out of memory?)"
    return "the cluster's worker rendering it died (killed, or out of memory?)"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ModuleNotFoundError):
        return f"a worker cannot import {exc.name}: install nnwarp where the workers run"
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def schedule(
    count: int,
    make_task: Callable[[int], Any],
    backend: Backend,
    on_done: Callable[[int, Any, str | None], None],
    *,
    retries: int = 1,
    tick: Callable[[], None] | None = None,
) -> None:
    """Run tasks ``0 .. count-1`` on ``backend``; call ``on_done(i, result, error)`` for each.

    ``make_task(i)`` builds task ``i`` when it is submitted. ``on_done`` runs in this
    thread, once per task, as tasks finish: ``error`` is ``None`` on success, else one line
    (the result is then ``None``). A task whose process died is run again up to
    ``retries`` times; every other task goes on regardless. ``tick()`` is called about
    every second while tasks run (to redraw a progress bar's clock).
    """
    fn = backend.task_fn()
    queue = deque(range(count))
    tries = [0] * count
    running: dict[Future[Any], int] = {}
    executor = backend.start()
    finished = False
    try:

        def settle(future: Future[Any]) -> bool:
            """Hand a finished future on; whether the executor broke."""
            i = running.pop(future)
            try:
                result = future.result()
            except backend.lost as exc:
                tries[i] += 1
                if tries[i] <= retries:
                    queue.appendleft(i)
                else:
                    n = tries[i]
                    times = {1: "its only try", 2: "both tries"}.get(n, f"all {n} tries")
                    on_done(i, None, f"{_lost_reason(exc)}, on {times}")
                return backend.broken(exc)
            except Exception as exc:
                on_done(i, None, _describe(exc))
                return backend.broken(exc)
            on_done(i, result, None)
            return False

        while queue or running:
            while queue and len(running) < backend.capacity:
                i = queue.popleft()
                running[executor.submit(fn, make_task(i))] = i
            done, _ = wait(list(running), timeout=TICK, return_when=FIRST_COMPLETED)
            if tick is not None:
                tick()
            broke = False
            for future in done:
                broke = settle(future) or broke
            if broke:
                # Every job still in the broken pool is lost with it: settle them all, then
                # start a new pool for what is left.
                wait(list(running))
                for future in list(running):
                    settle(future)
                executor.shutdown(wait=True)
                executor = backend.start()
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
            backend.close()
        else:
            backend.abort(executor)
