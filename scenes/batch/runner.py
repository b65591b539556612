"""A whole batch: check every job, skip the finished ones, run the rest, write the results.

One progress bar for the batch (jobs done of the total, failures, time left), one line per
failed job as it fails (its reason, from the render), and a summary line at the end. A
failed job never stops the others.
"""

from __future__ import annotations

import ast
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from nnmodel.errors import NnwarpError
from scenes.batch import pool
from scenes.batch.deliver import deliver
from scenes.batch.jobs import Job, load_jobs
from scenes.batch.pool import (
    Backend,
    DaskBackend,
    LocalBackend,
    default_workers,
    prewarm_cluster,
    schedule,
    warm,
)
from scenes.batch.records import Records
from scenes.batch.run import Outcome, Task
from scenes.errors import RenderError
from scenes.render.progress import Bar

__all__ = ["BatchOptions", "BatchReport", "JobReport", "run_batch"]


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch."""

    #: Local worker processes (default: one per core); ignored with :attr:`cluster`.
    workers: int | None = None
    #: A Dask scheduler's address (``tcp://host:8786``): run the jobs there.
    cluster: str | None = None
    #: Render every job, even those finished before and unchanged.
    force: bool = False
    #: No progress bar.
    quiet: bool = False
    #: Seconds to wait for the Dask scheduler (default: :data:`~scenes.batch.pool.CONNECT_TIMEOUT`).
    connect_timeout: float | None = None


@dataclass
class JobReport:
    """What became of one job: ``"rendered"``, ``"skipped"``, ``"failed"`` or ``"waiting"``."""

    job: Job
    status: str = "waiting"
    error: str = ""
    seconds: float = 0.0
    #: Peak memory of the process that rendered it (bytes; 0 if not rendered).
    peak_rss: int = 0
    #: CPU seconds that process used.
    cpu: float = 0.0
    #: The trajectory the batch trained for it (:mod:`scenes.cli.batch_training`), if any.
    trained: Path | None = None


@dataclass
class BatchReport:
    """Every job's fate, in the order of the jobs."""

    jobs: list[JobReport] = field(default_factory=list)
    seconds: float = 0.0
    where: str = ""

    def count(self, status: str) -> int:
        """How many jobs ended as ``status``."""
        return sum(1 for j in self.jobs if j.status == status)

    @property
    def failed(self) -> int:
        """The number of failed jobs."""
        return self.count("failed")

    def summary(self) -> str:
        """One line: what was rendered, skipped and failed, and how long it took."""
        parts = [f"{self.count('rendered')} rendered"]
        if self.count("skipped"):
            parts.append(f"{self.count('skipped')} skipped (finished before, unchanged)")
        if self.failed:
            parts.append(f"{self.failed} failed")
        waiting = self.count("waiting")
        if waiting:
            parts.append(f"{waiting} not run")
        where = f" on {self.where}" if self.where else ""
        n = len(self.jobs)
        return (
            f"batch: {', '.join(parts)} of {n} job{'s' if n != 1 else ''}"
            f" in {_clock(self.seconds)}{where}"
        )


def _clock(seconds: float) -> str:
    m, s = divmod(max(0, int(round(seconds))), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:d}:{s:02d}"


def _task(entry: JobReport, ship: bool, scratch: str | None) -> Task:
    job, trained = entry.job, entry.trained
    inputs = {str(p): p.read_bytes() for p in job.inputs} if ship else None
    given = None
    if trained is not None:
        given = (trained.name, trained.read_bytes() if ship else str(trained))
    return Task(job.scene, job.args, job.output.name, inputs, scratch, given)


def _note(bar: Bar, stream: TextIO, line: str) -> None:
    """A line above the progress bar."""
    if bar.enabled and bar.tty and bar.drawn:
        stream.write("\r\x1b[2K")
    stream.write(line + "\n")
    stream.flush()
    if bar.enabled and bar.tty and bar.drawn:
        bar.last_draw = -1e9
        bar.advance(0)


def run_batch(
    paths: Sequence[Path],
    opts: BatchOptions,
    *,
    shown: Sequence[str] | None = None,
    stream: TextIO | None = None,
    report: BatchReport | None = None,
) -> BatchReport:
    """Check every job in ``paths``, then render those not finished before.

    Progress, failures and the summary go to ``stream`` (stderr). ``report`` (filled in as
    jobs finish) lets a caller see what was done when the batch is interrupted.

    Raises
    ------
    RenderError
        A job, an output or the records file has a problem, or the cluster does not
        answer: nothing was rendered or written.
    """
    stream = stream if stream is not None else sys.stderr
    start = time.monotonic()
    report = report if report is not None else BatchReport()
    if not opts.cluster:
        _check_main_guard()
    # the workers' imports run while the jobs are checked
    warming = prewarm_cluster(opts.cluster, opts.connect_timeout) if opts.cluster else None
    if not opts.cluster:
        warm()
    try:
        return _checked_and_run(paths, opts, shown, stream, report, start)
    finally:
        if warming is not None:  # (done long before, unless the cluster is slow to answer)
            warming.join(3 * (opts.connect_timeout or pool.CONNECT_TIMEOUT))


def _check_main_guard() -> None:
    """Refuse a local batch started by a script's top-level code outside
    ``if __name__ == "__main__":``, before anything starts.

    The local pool's processes start from a fresh server (``forkserver``), and
    :mod:`multiprocessing` has each of them import the script again (as ``__mp_main__``)
    to find what the script defines: unguarded, the script would start the batch again in
    every worker, where it fails with a long traceback, and the jobs with "the process
    died". Raised in such a worker too, should the script's call not be found here.
    """
    import multiprocessing

    guard = 'put the call under `if __name__ == "__main__":`'
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise RenderError(
            "run_batch was called while a worker process imported the script that started "
            f"the batch: {guard}, as its worker processes import the script again"
        )
    where = _unguarded_call()
    if where is not None:
        raise RenderError(
            f"run_batch is called at the top level of {where}, outside "
            '`if __name__ == "__main__":`; each of its worker processes imports the script '
            f"again and would start the batch again: {guard}"
        )


def _unguarded_call() -> str | None:
    """Where (``script.py, line 4``) the main script's top-level code, running now, calls
    into here outside an ``if __name__ == "__main__":`` block; None if it does not (or the
    script cannot be read: an interactive session, ``python -c``, a notebook, where
    nothing is imported again)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    spec = getattr(main, "__spec__", None)
    if main is None or path is None:
        return None
    if spec is not None and (spec.name == "__main__" or spec.name.endswith(".__main__")):
        return None  # `python -m package`: multiprocessing does not import it again
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and not (
        frame.f_globals is vars(main) and frame.f_code.co_name == "<module>"
    ):
        frame = frame.f_back
    if frame is None:
        return None  # called from a thread, or after the script's top level finished
    line = frame.f_lineno
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    for statement in tree.body:
        end = statement.end_lineno or statement.lineno
        if statement.lineno <= line <= end:
            return None if _is_main_guard(statement) else f"{Path(path).name}, line {line}"
    return None


def _is_main_guard(statement: ast.stmt) -> bool:
    """Whether ``statement`` is ``if __name__ == "__main__":`` (either way round)."""
    if not isinstance(statement, ast.If) or not isinstance(statement.test, ast.Compare):
        return False
    test = statement.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    texts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(texts) == 1


def _checked_and_run(
    paths: Sequence[Path],
    opts: BatchOptions,
    shown: Sequence[str] | None,
    stream: TextIO,
    report: BatchReport,
    start: float,
) -> BatchReport:
    jobs = load_jobs(paths, shown)
    books: dict[Path, Records] = {}
    for job in jobs:
        books.setdefault(job.source.parent, Records(job.source.parent))
    problems = [p for p in (b.problem() for b in books.values()) if p]
    if problems:
        raise RenderError("; ".join(problems))
    report.jobs = [JobReport(job) for job in jobs]
    todo: list[JobReport] = []
    for entry in report.jobs:
        if not opts.force and books[entry.job.source.parent].finished(entry.job):
            entry.status = "skipped"
        else:
            todo.append(entry)
    skipped = len(report.jobs) - len(todo)
    if skipped and not opts.quiet:
        stream.write(
            f"{skipped} of {len(report.jobs)} jobs finished before and are unchanged: skipped "
            "(--force renders them again)\n"
        )
    if todo:
        backend: Backend
        if opts.cluster:
            backend = DaskBackend(opts.cluster, opts.connect_timeout)
        else:
            backend = LocalBackend(min(opts.workers or default_workers(), len(todo)))
        report.where = backend.name
        try:
            todo = _trained(todo, stream, opts.quiet)
        except BaseException:
            backend.close()
            raise
        if todo:
            _run(todo, backend, books, opts, stream)
        else:
            backend.close()
    report.seconds = time.monotonic() - start
    return report


def _trained(todo: list[JobReport], stream: TextIO, quiet: bool) -> list[JobReport]:
    """Train each network the jobs would train, once (:mod:`scenes.cli.batch_training`); the
    jobs left to render (a job whose training failed has failed, with the reason)."""

    def say(line: str) -> None:
        stream.write(line + "\n")
        stream.flush()

    from scenes.cli.batch_training import train_shared

    trained = train_shared([entry.job for entry in todo], say, quiet)
    left = []
    for i, entry in enumerate(todo):
        if i in trained.failed:
            entry.status, entry.error = "failed", trained.failed[i]
            say(f"failed: {entry.job.label} ({entry.job.output.name}): {entry.error}")
        else:
            entry.trained = trained.paths.get(i)
            left.append(entry)
    return left


def _run(
    todo: list[JobReport],
    backend: Backend,
    books: dict[Path, Records],
    opts: BatchOptions,
    stream: TextIO,
) -> None:
    failures = [0]

    def where() -> str:
        return f"{failures[0]} failed" if failures[0] else ""

    bar = Bar(len(todo), "jobs", label="batch", where=where, stream=stream, enabled=not opts.quiet)

    def on_done(i: int, outcome: Any, error: str | None) -> None:
        entry = todo[i]
        if isinstance(outcome, Outcome):
            entry.seconds, entry.peak_rss, entry.cpu = (
                outcome.seconds,
                outcome.peak_rss,
                outcome.cpu,
            )
            if outcome.ok:
                try:
                    deliver(entry.job, outcome)
                except NnwarpError as exc:
                    error = str(exc)
                else:
                    try:
                        books[entry.job.source.parent].mark(entry.job)
                    except (NnwarpError, OSError) as exc:
                        _note(bar, stream, f"note: {entry.job.label} is not recorded ({exc})")
            else:
                error = outcome.error
        elif error is None:
            error = f"the worker sent back {type(outcome).__name__}, not a result"
        entry.status = "failed" if error else "rendered"
        entry.error = error or ""
        if error:
            failures[0] += 1
            _note(bar, stream, f"failed: {entry.job.label} ({entry.job.output.name}): {error}")
        bar.advance()

    # Local workers render in here; removed at the end even if one was killed meanwhile.
    with tempfile.TemporaryDirectory(prefix="nnwarp-batch-") as scratch:
        local = None if backend.ships_inputs else scratch

        def task(i: int) -> Task:
            return _task(todo[i], backend.ships_inputs, local)

        try:
            bar.advance(0)  # draw it now (a terminal's bar), not after the first job
            schedule(len(todo), task, backend, on_done, tick=lambda: bar.advance(0))
        finally:
            bar.close()
