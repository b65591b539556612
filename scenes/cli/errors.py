"""How a command ends badly: one clear line, SIGTERM as Ctrl-C, saved tracebacks.

Exit statuses follow click's convention: 2 when the command is refused before any work
(click's own usage errors, and nnwarp's checks of options, inputs and outputs: nothing
was trained, drawn or written), 1 when something fails once the work has begun
(:func:`nnmodel.fileio.begin_work`) or unexpectedly, 130 for Ctrl-C and 143 for SIGTERM.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import ParamSpec, TypeVar

import click

from nnmodel import __version__
from nnmodel.errors import NnwarpError

__all__ = ["Refused", "debug_enabled", "user_errors"]

P = ParamSpec("P")
R = TypeVar("R")


class Refused(click.ClickException):
    """nnwarp refused the command before any work: its one line, exit status 2 (click's
    status for usage errors), without click's usage lines (the line says what to fix)."""

    exit_code = 2


class _Terminated(KeyboardInterrupt):
    """SIGTERM (what `timeout`, `kill` and a cancelled CI job send), handled like Ctrl-C."""


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def _save_traceback() -> Path:
    """Write the current exception's traceback to a new file in the system's temp folder."""
    import tempfile
    import traceback

    fd, name = tempfile.mkstemp(prefix="nnwarp-error-", suffix=".txt")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(f"nnwarp {__version__}: {' '.join(sys.argv)}\n\n")
        fh.write(traceback.format_exc())
    return Path(name)


def user_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """One clear line instead of a traceback, for every way a command can end badly.

    nnwarp's own errors print their message: exit status 2 if the command was refused
    before its work began (:class:`Refused`), 1 if the work failed. Ctrl-C and SIGTERM stop
    the work cleanly: temporary files go, finished outputs stay as they were (exit 130 / 143).
    Anything unexpected prints one line and the file its traceback was saved to
    (``--debug`` shows the traceback instead).
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        import signal
        import threading

        from nnmodel.fileio import command_phase

        main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _on_sigterm) if main_thread else None
        try:
            with command_phase():
                return _run(fn, *args, **kwargs)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper


def _run(fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """``fn(*args, **kwargs)``, its errors as :func:`user_errors` says."""
    from nnmodel.fileio import work_begun

    try:
        return fn(*args, **kwargs)
    except NnwarpError as exc:
        if work_begun():
            raise click.ClickException(str(exc)) from None
        raise Refused(str(exc)) from None
    except KeyboardInterrupt as exc:
        click.echo("\ninterrupted: no output was written or changed", err=True)
        sys.exit(143 if isinstance(exc, _Terminated) else 130)
    except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
        raise
    except BrokenPipeError:
        # The reader went away (`nnwarp inspect f.npz | head`): stop quietly, as Unix
        # tools do, and keep Python from complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(141)
    except Exception as exc:
        if debug_enabled():
            raise
        where = _save_traceback()
        raise click.ClickException(
            f"unexpected error ({type(exc).__name__}: {exc}). "
            f"The details are in {where}: please attach it to a bug report "
            "(--debug shows them here)"
        ) from None


def debug_enabled() -> bool:
    """Whether ``--debug`` (or ``NNWARP_DEBUG``) asks for tracebacks instead of one line."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    return bool(os.environ.get("NNWARP_DEBUG")) or bool(root and (root.obj or {}).get("debug"))
